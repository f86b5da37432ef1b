/*
 * mapfile.c: read the map the daemon writes (or DRAC 1.12 wrote), and
 * its ".state" side file, without the daemon.  Read-only: the daemon
 * owns both files.  The map is read under a shared fcntl lock, the lock
 * DRAC's writers take exclusively around put+sync, so a read never sees
 * half an update.  The state file is a log the daemon only appends to:
 * a read sees every record up to where the daemon was.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <db.h>

#include "defs.h"
#include "dracdb.h"
#include "maplock.h"
#include "statefile.h"

#define LOCK_TRIES	100	/* shared lock attempts ... */
#define LOCK_PAUSE_MS	50	/* ... this far apart: five seconds */

/* Magic numbers of Berkeley DB btree and hash files, offset 12. */
#define BTREE_MAGIC	0x053162U
#define HASH_MAGIC	0x061561U

/* A key or value as text for a message, non-printables as \ooo. */
static void
visible(const void *p, size_t len, char *buf, size_t size)
{
	const unsigned char *s = p;
	size_t i, o = 0;

	for (i = 0; i < len && o + 5 < size; i++) {
		if (isprint(s[i]) && s[i] != '\\')
			buf[o++] = (char)s[i];
		else
			o += (size_t)snprintf(buf + o, size - o, "\\%03o", s[i]);
	}
	buf[o] = '\0';
}

static void
warnf(mapfile_warnfn *warn, const char *fmt, const char *path,
    const DBT *k, const DBT *v)
{
	char msg[512], ktext[160], vtext[160];

	visible(k->data, k->size, ktext, sizeof(ktext));
	visible(v->data, v->size, vtext, sizeof(vtext));
	snprintf(msg, sizeof(msg), fmt, path, ktext, vtext);
	warn(msg);
}

int
mapfile_is_db(const char *path)
{
	unsigned char h[16];
	uint32_t m, swapped;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	n = read(fd, h, sizeof(h));
	close(fd);
	if (n != (ssize_t)sizeof(h))
		return 0;
	memcpy(&m, h + 12, 4);
	swapped = __builtin_bswap32(m);
	return m == BTREE_MAGIC || m == HASH_MAGIC ||
	    swapped == BTREE_MAGIC || swapped == HASH_MAGIC;
}

static DB *
open_db(const char *path, char *err, size_t errlen)
{
	DB *db;
	int rc;

	if ((rc = db_create(&db, NULL, 0)) != 0) {
		snprintf(err, errlen, "%s: %s", path, db_strerror(rc));
		return NULL;
	}
	rc = db->open(db, NULL, path, NULL, DB_UNKNOWN, DB_RDONLY, 0);
	if (rc != 0) {
		snprintf(err, errlen, "%s: %s", path, db_strerror(rc));
		db->close(db, 0);
		return NULL;
	}
	return db;
}

/* Walks db, calling fn for every pair; returns fn's failures or -1. */
static int
walk(DB *db, const char *path, int (*fn)(const char *, const DBT *,
    const DBT *, void *), void *ctx, char *err, size_t errlen)
{
	DBC *c;
	DBT k, v;
	int rc, bad = 0;

	if ((rc = db->cursor(db, NULL, &c, 0)) != 0) {
		snprintf(err, errlen, "%s: %s", path, db_strerror(rc));
		return -1;
	}
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	while ((rc = c->get(c, &k, &v, DB_NEXT)) == 0)
		bad += fn(path, &k, &v, ctx);
	c->close(c);
	if (rc != DB_NOTFOUND) {
		snprintf(err, errlen, "%s: %s", path, db_strerror(rc));
		return -1;
	}
	return bad;
}

struct mapctx {
	struct elist	*l;
	mapfile_warnfn	*warn;
};

static int
map_pair(const char *path, const DBT *k, const DBT *v, void *arg)
{
	struct mapctx *ctx = arg;
	struct entry e;

	memset(&e, 0, sizeof(e));
	e.how = HOW_MAP;
	if (dracaddr_from_key(k->data, k->size, 0, &e.addr) != 0) {
		warnf(ctx->warn, "%s: key '%s' is not an address (value "
		    "'%s'): skipped", path, k, v);
		return 1;
	}
	if (dracaddr_parse_value(v->data, v->size, &e.expires) != 0) {
		warnf(ctx->warn, "%s: key '%s': value '%s' is not a decimal "
		    "expiry time: skipped", path, k, v);
		return 1;
	}
	if (elist_push(ctx->l, &e) != 0) {
		ctx->warn("out of memory");
		return 1;
	}
	return 0;
}

/*
 * A state record fills what the map cannot hold into the entry of its
 * address, if it carries that entry's expiry; a DROP empties it.  The
 * last record that does so counts (statefile.h).
 */
static int
state_record(void *arg, const struct staterec *r, size_t off)
{
	struct mapctx *ctx = arg;
	struct entry *e;

	(void)off;
	if ((e = elist_find(ctx->l, &r->addr)) == NULL)
		return 0;
	if (r->type == STATEREC_DROP) {
		e->ttl = 0;
		e->added = 0;
		e->how = HOW_MAP;
		e->user[0] = '\0';
	} else if (r->expires == e->expires) {
		e->ttl = r->ttl;
		e->added = r->added;
		e->how = r->how <= HOW_MAXVAL ? r->how : HOW_MAP;
		snprintf(e->user, sizeof(e->user), "%s", r->user);
	}
	return 0;
}

/* One state file into the entries; 0, or 1 after a warning. */
static int
read_state_file(const char *spath, struct mapctx *ctx)
{
	char msg[4200];
	size_t end, damaged;
	int fd, rc;

	if ((fd = open(spath, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	rc = statefile_read(fd, state_record, ctx, &end, &damaged);
	close(fd);
	if (rc < 0)
		snprintf(msg, sizeof(msg), "%s: %s", spath, strerror(errno));
	else if (rc == 1)
		snprintf(msg, sizeof(msg), "%s: not a state file of this "
		    "version (rpc.dracd converts an older one at its next "
		    "start): users not shown", spath);
	else if (damaged > 0)
		snprintf(msg, sizeof(msg), "%s: %zu damaged bytes skipped",
		    spath, damaged);
	else
		return 0;
	ctx->warn(msg);
	return 1;
}

/* The state file, then its successor while the daemon compacts it. */
static int
read_state(const char *path, struct mapctx *ctx)
{
	char spath[4096], newpath[4200];

	if ((size_t)snprintf(spath, sizeof(spath), "%s%s", path,
	    DRAC_STATE_SUFFIX) >= sizeof(spath))
		return 0;
	snprintf(newpath, sizeof(newpath), "%s%s", spath, DRAC_NEW_SUFFIX);
	return read_state_file(spath, ctx) + read_state_file(newpath, ctx);
}

int
mapfile_read(const char *path, struct elist *l, mapfile_warnfn *warn,
    char *err, size_t errlen)
{
	struct mapctx ctx = { l, warn };
	DB *db;
	int fd, bad;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (dracmap_lock_shared(fd, LOCK_TRIES, LOCK_PAUSE_MS) != 0) {
		snprintf(err, errlen, "%s: cannot lock: %s", path,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if ((db = open_db(path, err, errlen)) == NULL) {
		close(fd);
		return -1;
	}
	bad = walk(db, path, map_pair, &ctx, err, errlen);
	db->close(db, 0);
	close(fd);
	if (bad < 0)
		return -1;
	elist_sort(l);
	return bad + read_state(path, &ctx);
}
