/*
 * mapwrite.c: the map's pages copied into a shared mapping (mapwrite.h).
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <db.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "log.h"
#include "mapwrite.h"

/*
 * The mapping is larger than the file, so that it rarely has to move as
 * the file grows; only the part the daemon has written is ever touched.
 */
#define RESERVE_MIN	(64UL * 1024 * 1024)

/*
 * A page is copied only from its third write since the last flush.
 * The first copy into a page faults, since the flush left it write-
 * protected or it was never mapped, and a fault costs more than a
 * pwrite (11 us against 2 on the machine of docs/BENCHMARKS.md).  An
 * ADD mostly changes the page the ADD before it changed; a mass expiry
 * writes each of thousands of pages once, some of them twice.
 */
#define RECENT_SLOTS	64
#define COPY_FROM	3

static struct {
	off_t		 off;
	unsigned long	 epoch;
	unsigned int	 writes;
} recent[RECENT_SLOTS];
static unsigned long	 epoch = 1;

static struct {
	int		 fd;		/* -1: nothing mapped */
	const char	*path;
	unsigned char	*base;
	size_t		 len;		/* of the mapping */
	size_t		 size;		/* of the file, as far as it is known */
	time_t		 touched;	/* the second the mtime was last set */
	int		 touch_failed;
	int		 faulted;	/* since the last attach */
} mw = { .fd = -1 };

static size_t
reserve_for(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = size > RESERVE_MIN / 2 ? size * 2 : RESERVE_MIN;

	return (len + page - 1) / page * page;
}

static void
unmap(void)
{
	if (mw.base != NULL)
		(void)munmap(mw.base, mw.len);
	mw.base = NULL;
	mw.fd = -1;
	mw.len = mw.size = 0;
}

/* The file now reaches end: copies may go that far. */
static void
grown(size_t end)
{
	void *p;
	size_t len;

	if (end <= mw.size)
		return;
	if (end > mw.len) {
		len = reserve_for(end);
		if ((p = mremap(mw.base, mw.len, len, MREMAP_MAYMOVE)) ==
		    MAP_FAILED) {
			end = mw.len;	/* the rest by pwrite */
		} else {
			mw.base = p;
			mw.len = len;
		}
	}
	if (end > mw.size)
		mw.size = end;
}

static void
touch(void)
{
	time_t now = time(NULL);

	if (now == mw.touched)
		return;
	mw.touched = now;
	if (futimens(mw.fd, NULL) != 0 && !mw.touch_failed) {
		log_warn("%s: setting the modification time", mw.path);
		mw.touch_failed = 1;
	}
}

/* 1 if the page at off has been written often since the last flush. */
static int
written_lately(off_t off, size_t len)
{
	unsigned long slot = (unsigned long)off / (len > 0 ? len : 1);

	slot %= RECENT_SLOTS;
	if (recent[slot].off != off || recent[slot].epoch != epoch) {
		recent[slot].off = off;
		recent[slot].epoch = epoch;
		recent[slot].writes = 0;
	}
	return ++recent[slot].writes >= COPY_FROM;
}

void
mapwrite_flushing(void)
{
	epoch++;
}

ssize_t
mapwrite_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t n;

	if (fd == mw.fd && off >= 0 && (size_t)off <= mw.size &&
	    len <= mw.size - (size_t)off && written_lately(off, len)) {
		if (guard_copy(mw.base + off, buf, len) == 0) {
			touch();
			return (ssize_t)len;
		}
		log_warnx("%s: SIGBUS writing at %lld: the file was cut short "
		    "or its file system is full; writing with pwrite from now "
		    "on", mw.path, (long long)off);
		unmap();
		mw.faulted = 1;
	}
	if ((n = pwrite(fd, buf, len, off)) > 0 && fd == mw.fd)
		grown((size_t)off + (size_t)n);
	return n;
}

int
mapwrite_ftruncate(int fd, off_t len)
{
	/* Before the cut: no copy may land past the new end. */
	if (fd == mw.fd && len >= 0 && (size_t)len < mw.size)
		mw.size = (size_t)len;
	return ftruncate(fd, len);
}

int
mapwrite_attach(int fd, const char *path)
{
	struct stat st;
	void *p;
	size_t len;

	mapwrite_detach();
	guard_init();
	if (fstat(fd, &st) != 0) {
		log_warn("%s: fstat", path);
		return -1;
	}
	len = reserve_for((size_t)st.st_size);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		log_warn("%s: mmap (pages are written with pwrite)", path);
		return -1;
	}
	mw.fd = fd;
	mw.path = path;
	mw.base = p;
	mw.len = len;
	mw.size = (size_t)st.st_size;
	mw.touched = 0;
	mw.touch_failed = 0;
	mw.faulted = 0;
	epoch++;	/* nothing of this file was written lately */
	db_env_set_func_pwrite(mapwrite_pwrite);
	db_env_set_func_ftruncate(mapwrite_ftruncate);
	return 0;
}

int
mapwrite_detach(void)
{
	int faulted = mw.faulted;

	unmap();
	mw.faulted = 0;
	return faulted;
}
