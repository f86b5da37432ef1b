/*
 * stateconv.c: reading the state file of earlier versions (stateconv.h).
 */
#include <sys/stat.h>

#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"
#include "log.h"
#include "stateconv.h"

#define BTREE_MAGIC	0x053162U	/* at offset 12 of a btree file */
#define JOURNAL_MAX	(1024 * 1024)	/* it was 128 KiB */
#define ALIGN8(n)	(((n) + 7) & ~(size_t)7)

struct jhead {
	char		magic[8];
	uint64_t	gen;
};

struct jrec {
	uint64_t	gen;
	uint32_t	check;
	uint16_t	klen;
	uint16_t	vlen;
};

int
stateconv_is_old(const char *path)
{
	unsigned char h[16];
	uint32_t m;
	int fd;
	ssize_t n;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n != (ssize_t)sizeof(h))
		return 0;
	memcpy(&m, h + 12, sizeof(m));
	return m == BTREE_MAGIC || __builtin_bswap32(m) == BTREE_MAGIC;
}

/* A key and a "ttl added how user" value as a record; -1 if they are not. */
static int
parse(const void *key, size_t klen, const void *val, size_t vlen,
    struct staterec *r)
{
	char text[DRACADDR_TEXT_MAX], buf[160];
	int off = 0;

	if (klen == 0 || klen >= sizeof(text) || vlen >= sizeof(buf))
		return -1;
	memcpy(text, key, klen);
	text[klen] = '\0';
	memcpy(buf, val, vlen);
	buf[vlen] = '\0';
	memset(r, 0, sizeof(*r));
	r->type = STATEREC_ADD;
	if (dracaddr_parse(text, &r->addr) != 0 ||
	    sscanf(buf, "%u %lld %d %n", &r->ttl, &r->added, &r->how,
	    &off) != 3 || off == 0)
		return -1;
	snprintf(r->user, sizeof(r->user), "%s", buf + off);
	return 0;
}

static int
read_db(const char *path, stateconv_fn *fn, void *ctx, char *err,
    size_t errlen)
{
	struct staterec r;
	DB *db = NULL;
	DBC *c;
	DBT k, v;
	int ret;

	if ((ret = db_create(&db, NULL, 0)) != 0 ||
	    (ret = db->open(db, NULL, path, NULL, DB_UNKNOWN, DB_RDONLY,
	    0)) != 0 || (ret = db->cursor(db, NULL, &c, 0)) != 0) {
		snprintf(err, errlen, "%s: %s", path, db_strerror(ret));
		if (db != NULL)
			db->close(db, 0);
		return -1;
	}
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		if (parse(k.data, k.size, v.data, v.size, &r) != 0)
			continue;
		if (fn(ctx, &r) != 0) {
			ret = -1;
			break;
		}
	}
	c->close(c);
	db->close(db, 0);
	if (ret == DB_NOTFOUND)
		return 0;
	if (ret > 0)
		snprintf(err, errlen, "%s: %s", path, db_strerror(ret));
	return -1;
}

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
jcheck(const struct jrec *r, const void *key, const void *val)
{
	uint32_t h = 2166136261u;

	h = fnv(h, &r->gen, sizeof(r->gen));
	h = fnv(h, &r->klen, sizeof(r->klen));
	h = fnv(h, &r->vlen, sizeof(r->vlen));
	h = fnv(h, key, r->klen);
	return fnv(h, val, r->vlen);
}

/* The journal's records of its current generation, in order. */
static int
read_journal(const char *path, stateconv_fn *fn, void *ctx)
{
	unsigned char *buf;
	struct jhead h;
	struct jrec jr;
	struct staterec r;
	size_t off = sizeof(h), len;
	ssize_t n;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if ((buf = malloc(JOURNAL_MAX)) == NULL ||
	    (n = read(fd, buf, JOURNAL_MAX)) < 0) {
		log_warn("%s: not read; the records it held are lost", path);
		free(buf);
		close(fd);
		return 0;
	}
	close(fd);
	len = (size_t)n;
	if (len < sizeof(h) || memcmp(buf, "DRACJNL1", 8) != 0) {
		free(buf);
		return 0;
	}
	memcpy(&h, buf, sizeof(h));
	while (off + sizeof(jr) <= len) {
		memcpy(&jr, buf + off, sizeof(jr));
		if (jr.gen != h.gen || jr.klen == 0 ||
		    off + sizeof(jr) + jr.klen + jr.vlen > len ||
		    jcheck(&jr, buf + off + sizeof(jr),
		    buf + off + sizeof(jr) + jr.klen) != jr.check)
			break;
		if (parse(buf + off + sizeof(jr), jr.klen,
		    buf + off + sizeof(jr) + jr.klen, jr.vlen, &r) == 0 &&
		    fn(ctx, &r) != 0) {
			rc = -1;
			break;
		}
		off += ALIGN8(sizeof(jr) + jr.klen + jr.vlen);
	}
	free(buf);
	return rc;
}

static void
journal_path(const char *path, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", path, DRAC_JOURNAL_SUFFIX);
}

int
stateconv_read(const char *path, stateconv_fn *fn, void *ctx, char *err,
    size_t errlen)
{
	char jpath[4200];

	if (read_db(path, fn, ctx, err, errlen) != 0)
		return -1;
	journal_path(path, jpath, sizeof(jpath));
	return read_journal(jpath, fn, ctx);
}

void
stateconv_forget(const char *path)
{
	char jpath[4200];

	journal_path(path, jpath, sizeof(jpath));
	if (unlink(jpath) != 0 && errno != ENOENT)
		log_warn("%s", jpath);
}
