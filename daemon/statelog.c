/*
 * statelog.c: the state file as rpc.dracd writes it (statelog.h).
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "defs.h"
#include "guard.h"
#include "log.h"
#include "stateconv.h"
#include "statelog.h"

/*
 * Space is reserved RESERVE_STEP at a time: a fallocate every thousand
 * ADDs or so.  The mapping is made larger than the file, so that it
 * rarely moves as the file grows.  The pages ahead of the appends are
 * made writable READY_STEP at a time, as the table's index is
 * (table.c), rather than by a fault every 70 ADDs; those behind them
 * are let go every DROP_STEP, so that the daemon's memory does not grow
 * with the file: they stay in the page cache for the next flush.
 */
#define RESERVE_STEP	(64 * 1024)
#define READY_STEP	(64 * 1024)
#define MAP_MIN		(64UL * 1024 * 1024)
#define DROP_STEP	(256 * 1024)
/* Offsets / 8 below the slot bit: 16 GiB. */
#define FILE_MAX	((size_t)(STATELOG_SLOT1 - 1) * 8)
/*
 * A compaction is not worth starting for fewer records than this.  It
 * reads COMPACT_CHUNK of the old file a pass: some 600 records, which
 * took 60 us, rarely more than 0.2 ms, on the machine of
 * docs/BENCHMARKS.md.
 */
#define COMPACT_MIN	65536
#define COMPACT_CHUNK	(32 * 1024)

static size_t
page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

static int
slot_of(uint32_t loc)
{
	return (loc & STATELOG_SLOT1) != 0;
}

static uint32_t
locator(int slot, size_t off)
{
	return (uint32_t)(off / 8) | (slot ? STATELOG_SLOT1 : 0);
}

static int
active(const struct statelog *s)
{
	return s->compacting ? !s->main : s->main;
}

static void
file_reset(struct statelog_file *f)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

static void
file_unmap(struct statelog_file *f)
{
	if (f->base != NULL)
		munmap(f->base, f->maplen);
	f->base = NULL;
	f->maplen = 0;
}

static void
file_close(struct statelog_file *f)
{
	file_unmap(f);
	if (f->fd >= 0)
		close(f->fd);
	file_reset(f);
}

/* Maps the file for appends; without a mapping they go by pwrite. */
static void
file_map(struct statelog_file *f)
{
	size_t len = f->reserved * 2 > MAP_MIN ? f->reserved * 2 : MAP_MIN;
	void *p;

	len = (len + page_size() - 1) / page_size() * page_size();
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, f->fd, 0);
	if (p == MAP_FAILED) {
		log_warn("%s: mmap (records are written with pwrite)", f->path);
		return;
	}
	f->base = p;
	f->maplen = len;
	f->dropped = f->ready = f->off / page_size() * page_size();
}

/* The next READY_STEP of pages, once the appends are half way there. */
static void
file_ahead(struct statelog_file *f)
{
#ifdef MADV_POPULATE_WRITE
	size_t end = f->ready + READY_STEP;

	if (f->base == NULL || f->off + READY_STEP / 2 < f->ready)
		return;
	if (end > f->reserved)
		end = f->reserved / page_size() * page_size();
	if (end > f->ready)
		(void)madvise(f->base + f->ready, end - f->ready,
		    MADV_POPULATE_WRITE);
	f->ready = end > f->ready ? end : f->ready;
#else
	(void)f;
#endif
}

/* Space for need more bytes at off; -1 (errno) if the disk has none. */
static int
file_reserve(struct statelog_file *f, size_t need)
{
	size_t step;
	void *p;
	int e;

	while (f->off + need > f->reserved) {
		step = RESERVE_STEP - f->reserved % RESERVE_STEP;
		if (f->reserved + step > FILE_MAX) {
			errno = EFBIG;
			return -1;
		}
		if ((e = posix_fallocate(f->fd, (off_t)f->reserved,
		    (off_t)step)) != 0) {
			errno = e;
			return -1;
		}
		f->reserved += step;
	}
	if (f->base != NULL && f->reserved > f->maplen) {
		p = mremap(f->base, f->maplen, f->maplen * 2, MREMAP_MAYMOVE);
		if (p == MAP_FAILED)
			file_unmap(f);	/* the rest by pwrite */
		else {
			f->base = p;
			f->maplen *= 2;
		}
	}
	return 0;
}

/*
 * A store faulted: someone cut the file short.  What was after its new
 * end is gone; appends go on after it, by pwrite, so that the next read
 * finds them behind no hole.
 */
static void
file_cut(struct statelog_file *f)
{
	unsigned char head[STATEFILE_HEADER];
	struct stat st;
	size_t size;

	file_unmap(f);
	size = fstat(f->fd, &st) == 0 ? (size_t)st.st_size : 0;
	log_warnx("%s: SIGBUS writing at %zu: the file was cut short to %zu "
	    "bytes behind the server's back; the users of the records cut "
	    "off are lost (the map is not); writing with pwrite from now on",
	    f->path, f->off, size);
	if (size < f->off) {
		f->off = size < STATEFILE_HEADER ? STATEFILE_HEADER :
		    (size + 7) & ~(size_t)7;
		f->reserved = size;
	}
	statefile_header(head);
	if (size < STATEFILE_HEADER &&
	    pwrite(f->fd, head, sizeof(head), 0) != (ssize_t)sizeof(head))
		log_warn("%s: header", f->path);
}

/* Stores rec at the end; *at is where, which a cut may have moved. */
static int
file_store(struct statelog_file *f, const unsigned char *rec, size_t size,
    size_t *at)
{
	size_t page = page_size(), upto;

	if (f->base != NULL && guard_copy(f->base + f->off, rec, size) != 0)
		file_cut(f);
	if (f->base == NULL &&
	    pwrite(f->fd, rec, size, (off_t)f->off) != (ssize_t)size)
		return -1;
	*at = f->off;
	f->off += size;
	f->records++;
	file_ahead(f);
	upto = f->off / page * page;
	if (f->base != NULL && upto >= f->dropped + DROP_STEP) {
		(void)madvise(f->base + f->dropped, upto - f->dropped,
		    MADV_DONTNEED);
		f->dropped = upto;
	}
	return 0;
}

/* Opens path, creating it; an empty file gets its header. */
static int
file_open(struct statelog_file *f, const char *path, int flags, char *err,
    size_t errlen)
{
	unsigned char head[STATEFILE_HEADER];
	struct stat st;

	file_reset(f);
	snprintf(f->path, sizeof(f->path), "%s", path);
	if ((f->fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
	    flags, 0640)) < 0 || fstat(f->fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		file_close(f);
		return -1;
	}
	if (st.st_size == 0) {
		statefile_header(head);
		if (pwrite(f->fd, head, sizeof(head), 0) !=
		    (ssize_t)sizeof(head)) {
			snprintf(err, errlen, "%s: writing its header: %s",
			    path, strerror(errno));
			file_close(f);
			return -1;
		}
	}
	f->off = STATEFILE_HEADER;
	return 0;
}

/* Ready for appends at off: the rest cut, space reserved, mapped. */
static int
file_ready(struct statelog_file *f, char *err, size_t errlen)
{
	f->reserved = f->off;
	if (ftruncate(f->fd, (off_t)f->off) != 0 ||
	    file_reserve(f, 1) != 0) {
		snprintf(err, errlen, "%s: reserving space: %s", f->path,
		    strerror(errno));
		return -1;
	}
	file_map(f);
	return 0;
}

struct replay {
	statelog_findfn	*find;
	void		*ctx;
	int		 slot;
	unsigned long	 records;
};

static int
replay_one(void *arg, const struct staterec *r, size_t off)
{
	struct replay *rp = arg;
	long long expires;
	uint32_t *loc;

	rp->records++;
	if ((loc = rp->find(rp->ctx, &r->addr, &expires)) == NULL)
		return 0;
	if (r->type == STATEREC_DROP)
		*loc = 0;
	else if (r->expires == expires)
		*loc = locator(rp->slot, off);
	return 0;
}

static int
move_aside(const char *path, char *err, size_t errlen)
{
	char aside[4200];

	snprintf(aside, sizeof(aside), "%s.damaged.%lld", path,
	    (long long)time(NULL));
	if (rename(path, aside) != 0) {
		snprintf(err, errlen, "%s: not a state file, and cannot be "
		    "moved aside: %s", path, strerror(errno));
		return -1;
	}
	log_warnx("%s: not a state file; moved to %s, starting a new one "
	    "(the users and TTLs it held are lost, the map is not)", path,
	    aside);
	return 0;
}

/*
 * Reads f from its start into the table; 1 if it is not a state file.
 * Damage is skipped and named; the next compaction writes it out.
 */
static int
file_replay(struct statelog_file *f, int slot, statelog_findfn *find,
    void *ctx, char *err, size_t errlen)
{
	struct replay rp = { find, ctx, slot, 0 };
	size_t end, damaged;
	int rc;

	rc = statefile_read(f->fd, replay_one, &rp, &end, &damaged);
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", f->path, strerror(errno));
		return -1;
	}
	if (rc == 1)
		return 1;
	if (damaged > 0)
		log_warnx("%s: %zu damaged bytes skipped; the records after "
		    "them were read", f->path, damaged);
	log_info("%s: %lu records read", f->path, rp.records);
	f->off = end;
	f->records = rp.records;
	return 0;
}

/* Opens slot with path and reads it; 1: it was not a state file. */
static int
open_replay(struct statelog *s, int slot, const char *path,
    statelog_findfn *find, void *ctx, char *err, size_t errlen)
{
	int rc;

	if (file_open(&s->f[slot], path, 0, err, errlen) != 0)
		return -1;
	if ((rc = file_replay(&s->f[slot], slot, find, ctx, err, errlen)) != 0)
		file_close(&s->f[slot]);
	return rc;
}

struct conv {
	struct statelog_file *f;
	statelog_findfn	*find;
	void		*ctx;
};

/* An old record of an entry still in the map, with the map's expiry. */
static int
conv_one(void *arg, struct staterec *r)
{
	struct conv *c = arg;
	unsigned char rec[STATEREC_MAX];
	uint32_t *loc;
	size_t size, at;

	if ((loc = c->find(c->ctx, &r->addr, &r->expires)) == NULL)
		return 0;
	size = statefile_encode(r, rec);
	if (file_reserve(c->f, size) != 0 ||
	    file_store(c->f, rec, size, &at) != 0)
		return -1;
	*loc = locator(0, at);
	return 0;
}

/*
 * The Berkeley DB state file and its journal become a log, written
 * beside them and renamed over the old file once it is on disk.
 */
static int
convert(struct statelog *s, statelog_findfn *find, void *ctx, char *err,
    size_t errlen)
{
	struct statelog_file *f = &s->f[0];
	struct conv c = { f, find, ctx };

	if (file_open(f, s->newpath, O_TRUNC, err, errlen) != 0)
		return -1;
	f->reserved = f->off;
	err[0] = '\0';
	if (stateconv_read(s->path, conv_one, &c, err, errlen) != 0 ||
	    fdatasync(f->fd) != 0 || rename(s->newpath, s->path) != 0) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s: converting %s: %s",
			    s->newpath, s->path, strerror(errno));
		file_close(f);
		(void)unlink(s->newpath);
		return -1;
	}
	stateconv_forget(s->path);
	snprintf(f->path, sizeof(f->path), "%s", s->path);
	log_info("%s: converted from the Berkeley DB format, %lu records",
	    s->path, f->records);
	return file_ready(f, err, errlen);
}

int
statelog_open(struct statelog *s, const char *mappath, int truncate,
    statelog_findfn *find, void *ctx, char *err, size_t errlen)
{
	int rc;

	memset(s, 0, sizeof(*s));
	file_reset(&s->f[0]);
	file_reset(&s->f[1]);
	s->retired = -1;
	if (snprintf(s->path, sizeof(s->path), "%s%s", mappath,
	    DRAC_STATE_SUFFIX) >= (int)sizeof(s->path) ||
	    snprintf(s->newpath, sizeof(s->newpath), "%s%s", s->path,
	    DRAC_NEW_SUFFIX) >= (int)sizeof(s->newpath)) {
		snprintf(err, errlen, "%s: path too long", mappath);
		return -1;
	}
	guard_init();
	if (truncate) {
		(void)unlink(s->newpath);
		stateconv_forget(s->path);
		if (file_open(&s->f[0], s->path, O_TRUNC, err, errlen) != 0)
			return -1;
		return file_ready(&s->f[0], err, errlen);
	}
	/* No state file but a new one: it becomes the state file. */
	if (access(s->path, F_OK) != 0 && access(s->newpath, F_OK) == 0 &&
	    rename(s->newpath, s->path) != 0) {
		snprintf(err, errlen, "rename %s: %s", s->newpath,
		    strerror(errno));
		return -1;
	}
	if (stateconv_is_old(s->path))
		return convert(s, find, ctx, err, errlen);
	rc = open_replay(s, 0, s->path, find, ctx, err, errlen);
	if (rc == 1 && (move_aside(s->path, err, errlen) != 0 ||
	    file_open(&s->f[0], s->path, O_TRUNC, err, errlen) != 0))
		return -1;
	if (rc < 0)
		return -1;
	if (access(s->newpath, F_OK) == 0) {
		/* A compaction was under way: its records are newer. */
		rc = open_replay(s, 1, s->newpath, find, ctx, err, errlen);
		if (rc < 0) {
			file_close(&s->f[0]);
			return -1;
		}
		if (rc == 0) {
			s->compacting = 1;
			s->compact_at = STATEFILE_HEADER;
			log_info("%s: resuming the compaction into %s",
			    s->path, s->newpath);
		} else
			(void)unlink(s->newpath);
	}
	if (file_ready(&s->f[active(s)], err, errlen) != 0) {
		statelog_close(s);
		return -1;
	}
	return 0;
}

void
statelog_close(struct statelog *s)
{
	file_close(&s->f[0]);
	file_close(&s->f[1]);
	if (s->retired >= 0)
		close(s->retired);
	s->retired = -1;
}

int
statelog_append(struct statelog *s, const struct staterec *r, uint32_t *loc)
{
	unsigned char rec[STATEREC_MAX];
	int slot = active(s);
	struct statelog_file *f = &s->f[slot];
	size_t size = statefile_encode(r, rec), at;

	if (file_reserve(f, size) != 0) {
		if (!s->full_warned)
			log_warn("%s: no space for more records; ADDs are "
			    "refused until there is", f->path);
		s->full_warned = 1;
		return -1;
	}
	if (s->full_warned)
		log_info("%s: space again", f->path);
	s->full_warned = 0;
	if (file_store(f, rec, size, &at) != 0) {
		log_warn("%s: writing at %zu", f->path, f->off);
		return -1;
	}
	*loc = locator(slot, at);
	s->written++;
	return 0;
}

/* The record at loc, read back; its size, or -1. */
static long
read_at(struct statelog *s, uint32_t loc, unsigned char *buf,
    struct staterec *r)
{
	const struct statelog_file *f = &s->f[slot_of(loc)];
	ssize_t n;

	if (loc == 0 || f->fd < 0)
		return -1;
	n = pread(f->fd, buf, STATEREC_MAX,
	    (off_t)(loc & ~STATELOG_SLOT1) * 8);
	if (n <= 0)
		return -1;
	return statefile_decode(buf, (size_t)n, r);
}

int
statelog_get(struct statelog *s, uint32_t loc, const struct dracaddr *a,
    struct staterec *r)
{
	unsigned char buf[STATEREC_MAX];

	if (read_at(s, loc, buf, r) <= 0 || r->type != STATEREC_ADD ||
	    memcmp(&r->addr, a, sizeof(*a)) != 0)
		return -1;
	return 0;
}

/* Starts a compaction if one is due; 1 if one runs. */
static int
compact_start(struct statelog *s, uint32_t live)
{
	struct statelog_file *old = &s->f[s->main], *f = &s->f[!s->main];
	char err[512];

	if (s->compacting)
		return 1;
	if (old->records < COMPACT_MIN || old->records / 2 <= live ||
	    old->records < s->compact_after)
		return 0;
	if (file_open(f, s->newpath, O_TRUNC, err, sizeof(err)) != 0 ||
	    file_ready(f, err, sizeof(err)) != 0) {
		/* A directory the server may not write: not at every pass. */
		s->compact_after = old->records * 2;
		log_warnx("%s; not compacting until the file holds %lu "
		    "records", err, s->compact_after);
		file_close(f);
		(void)unlink(s->newpath);
		return 0;
	}
	/* No more appends there: its pages may go. */
	file_unmap(old);
	s->compacting = 1;
	s->finished = 0;
	s->compact_at = STATEFILE_HEADER;
	log_info("%s: %lu records for %u entries: compacting", s->path,
	    old->records, live);
	return 1;
}

/* The record at off of the old file, if still its entry's, to the new. */
static int
compact_one(struct statelog *s, const unsigned char *rec, size_t size,
    const struct staterec *r, size_t off, statelog_findfn *find, void *ctx)
{
	struct statelog_file *f = &s->f[!s->main];
	long long expires;
	uint32_t *loc;
	size_t at;

	if (r->type != STATEREC_ADD ||
	    (loc = find(ctx, &r->addr, &expires)) == NULL ||
	    *loc != locator(s->main, off))
		return 0;
	if (file_reserve(f, size) != 0) {
		if (!s->full_warned)
			log_warn("%s: no space to compact", f->path);
		s->full_warned = 1;
		return -1;
	}
	if (file_store(f, rec, size, &at) != 0) {
		log_warn("%s: writing at %zu", f->path, f->off);
		return -1;
	}
	*loc = locator(!s->main, at);
	s->written++;
	return 0;
}

/*
 * Reads the old file up to where its records end (off, as its replay
 * found it or appends left it), stepping over damage 8 bytes at a time
 * as its replay did, so that no record an entry points to is missed.
 */
int
statelog_compact(struct statelog *s, uint32_t live, statelog_findfn *find,
    void *ctx)
{
	struct statelog_file *old = &s->f[s->main];
	unsigned char buf[COMPACT_CHUNK];
	struct staterec r;
	size_t pos = 0, want;
	ssize_t got;
	long size;

	if (!compact_start(s, live) || s->finished)
		return 0;
	want = old->off - s->compact_at < sizeof(buf) ?
	    old->off - s->compact_at : sizeof(buf);
	if ((got = pread(old->fd, buf, want, (off_t)s->compact_at)) < 0) {
		log_warn("%s: read at %zu", old->path, s->compact_at);
		return -1;
	}
	while (pos < (size_t)got) {
		size = statefile_decode(buf + pos, (size_t)got - pos, &r);
		/* A record cut by the chunk's end is read with the next. */
		if (size < 0 && (size_t)got - pos < STATEREC_MAX &&
		    s->compact_at + (size_t)got < old->off && pos > 0)
			break;
		if (size <= 0) {
			pos += 8;
			continue;
		}
		if (compact_one(s, buf + pos, (size_t)size, &r,
		    s->compact_at + pos, find, ctx) != 0) {
			s->compact_at += pos;
			return -1;
		}
		pos += (size_t)size;
	}
	s->compact_at += pos;
	if (s->compact_at < old->off)
		return 1;
	s->finished = 1;
	s->finished_at = s->written;
	return 0;
}

int
statelog_fds(struct statelog *s, int fds[2], const char *paths[2],
    int *retire)
{
	int n = 0, i;

	for (i = 0; i < 2; i++)
		if (s->f[i].fd >= 0) {
			paths[n] = s->f[i].path;
			fds[n++] = s->f[i].fd;
		}
	*retire = s->retired;
	s->retired = -1;
	return n;
}

void
statelog_flushed(struct statelog *s, unsigned long upto)
{
	struct statelog_file *old = &s->f[s->main], *f = &s->f[!s->main];
	struct statelog_file *act = &s->f[active(s)];

	if (upto > s->synced)
		s->synced = upto;
	/* It wrote back the pages made ready: they fault again. */
	act->ready = act->off / page_size() * page_size();
	if (!s->finished || upto < s->finished_at)
		return;
	if (rename(f->path, s->path) != 0) {
		log_warn("rename %s to %s", f->path, s->path);
		return;
	}
	snprintf(f->path, sizeof(f->path), "%s", s->path);
	log_info("%s: compacted from %lu records to %lu", s->path,
	    old->records, f->records);
	/* Its blocks are freed when it is closed: not in this thread. */
	file_unmap(old);
	s->retired = old->fd;
	file_reset(old);
	s->main = !s->main;
	s->compacting = 0;
	s->finished = 0;
}
