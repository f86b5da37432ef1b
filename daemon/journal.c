/*
 * journal.c: the state file's journal (see journal.h).
 *
 * The file's blocks are reserved when it is opened, so that a store
 * into the mapping never needs new space.  Where a store faults all the
 * same (a copy-on-write file system that is full, the file cut short
 * behind the daemon's back), the journal is dropped (see journal.h).
 */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guard.h"
#include "journal.h"

static const char magic[8] = "DRACJNL1";

struct head {
	char		magic[8];
	uint64_t	gen;
};

struct rec {
	uint64_t	gen;
	uint32_t	check;
	uint16_t	klen;
	uint16_t	vlen;
};

#define ALIGN8(n)	(((n) + 7) & ~(size_t)7)

static uint32_t
fnv(uint32_t h, const void *p, size_t len)
{
	const unsigned char *c = p;

	while (len-- > 0) {
		h ^= *c++;
		h *= 16777619u;
	}
	return h;
}

static uint32_t
rec_check(const struct rec *r, const void *key, const void *val)
{
	uint32_t h = 2166136261u;

	h = fnv(h, &r->gen, sizeof(r->gen));
	h = fnv(h, &r->klen, sizeof(r->klen));
	h = fnv(h, &r->vlen, sizeof(r->vlen));
	h = fnv(h, key, r->klen);
	return fnv(h, val, r->vlen);
}

/* A store faulted: the journal is no more; its copy stays pending. */
static int
lost(struct journal *j)
{
	munmap(j->base, JOURNAL_BYTES);
	j->base = NULL;
	j->lost = 1;
	return -1;
}

static int
write_gen(struct journal *j)
{
	struct head h;

	memcpy(h.magic, magic, sizeof(h.magic));
	h.gen = j->gen;
	if (guard_copy(j->base, &h, sizeof(h)) != 0)
		return lost(j);
	j->off = j->applied = sizeof(h);
	j->records = j->waiting = 0;
	return 0;
}

int
journal_open(struct journal *j, const char *path, char *err, size_t errlen)
{
	struct stat st;
	struct head h;
	void *base;
	int fd, e;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	guard_init();
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0640)) < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	/* Another size is not this format: start a new one. */
	if (st.st_size != JOURNAL_BYTES && ftruncate(fd, 0) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if ((e = posix_fallocate(fd, 0, JOURNAL_BYTES)) != 0) {
		snprintf(err, errlen, "%s: reserving %d bytes: %s", path,
		    JOURNAL_BYTES, strerror(e));
		goto fail;
	}
	base = mmap(NULL, JOURNAL_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED,
	    fd, 0);
	if (base == MAP_FAILED) {
		snprintf(err, errlen, "%s: mmap: %s", path, strerror(errno));
		goto fail;
	}
	if ((j->copy = malloc(JOURNAL_BYTES)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		munmap(base, JOURNAL_BYTES);
		goto fail;
	}
	j->base = base;
	j->fd = fd;
	memcpy(&h, j->base, sizeof(h));
	if (memcmp(h.magic, magic, sizeof(magic)) == 0) {
		j->gen = h.gen;
		j->off = j->applied = sizeof(h);
	} else {
		j->gen = 1;
		if (write_gen(j) != 0) {
			snprintf(err, errlen, "%s: SIGBUS writing the header",
			    path);
			j->fd = -1;
			j->lost = 0;
			free(j->copy);
			j->copy = NULL;
			goto fail;
		}
	}
	return 0;

fail:
	if (fd >= 0)
		close(fd);
	return -1;
}

void
journal_close(struct journal *j)
{
	if (j->base != NULL)
		munmap(j->base, JOURNAL_BYTES);
	if (j->fd >= 0)
		close(j->fd);
	free(j->copy);
	j->base = j->copy = NULL;
	j->fd = -1;
}

long
journal_replay(const struct journal *j, journal_applyfn *fn, void *arg)
{
	const unsigned char *key, *val;
	size_t off = sizeof(struct head);
	struct rec r;
	long n = 0;

	while (off + sizeof(r) <= JOURNAL_BYTES) {
		memcpy(&r, j->base + off, sizeof(r));
		if (r.gen != j->gen || r.klen == 0 || off + sizeof(r) +
		    r.klen + r.vlen > JOURNAL_BYTES)
			break;
		key = j->base + off + sizeof(r);
		val = key + r.klen;
		if (rec_check(&r, key, val) != r.check)
			break;	/* cut short by a power loss */
		if (fn(arg, key, r.klen, val, r.vlen) != 0)
			return -1;
		n++;
		off += ALIGN8(sizeof(r) + r.klen + r.vlen);
	}
	return n;
}

int
journal_pending(struct journal *j, journal_applyfn *fn, void *arg)
{
	const unsigned char *key;
	struct rec r;

	while (j->applied < j->off) {
		memcpy(&r, j->copy + j->applied, sizeof(r));
		key = j->copy + j->applied + sizeof(r);
		if (fn(arg, key, r.klen, key + r.klen, r.vlen) != 0)
			return -1;
		j->applied += ALIGN8(sizeof(r) + r.klen + r.vlen);
		j->waiting--;
	}
	return 0;
}

int
journal_append(struct journal *j, const void *key, size_t klen,
    const void *val, size_t vlen)
{
	size_t need = ALIGN8(sizeof(struct rec) + klen + vlen);
	unsigned char *rec;
	struct rec r;

	if (j->base == NULL || j->records >= JOURNAL_RECORDS ||
	    klen == 0 || klen > UINT16_MAX || vlen > UINT16_MAX ||
	    need > JOURNAL_BYTES - j->off)
		return -1;
	r.gen = j->gen;
	r.klen = (uint16_t)klen;
	r.vlen = (uint16_t)vlen;
	r.check = rec_check(&r, key, val);
	/* Built in memory, then one copy: the checksum covers a cut. */
	rec = j->copy + j->off;
	memcpy(rec, &r, sizeof(r));
	memcpy(rec + sizeof(r), key, klen);
	memcpy(rec + sizeof(r) + klen, val, vlen);
	if (guard_copy(j->base + j->off, rec, sizeof(r) + klen + vlen) != 0)
		return lost(j);
	j->off += need;
	j->records++;
	j->waiting++;
	return 0;
}

void
journal_restart(struct journal *j)
{
	if (j->base == NULL) {
		/* Lost: its records are in the state file now, and must
		 * not come back at the next start. */
		if (j->fd >= 0 && ftruncate(j->fd, 0) == 0) {
			close(j->fd);
			j->fd = -1;
		}
		j->off = j->applied = 0;
		j->records = j->waiting = 0;
		return;
	}
	j->gen++;
	(void)write_gen(j);
}
