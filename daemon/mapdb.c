/*
 * mapdb.c: the map file MTAs read.
 *
 * Berkeley DB keeps pages in a private cache; DB->sync writes them to the
 * file and then fsyncs.  The fsync is what made DRAC 1.12 slow, and it
 * protects only against a power loss, not against a crash of the daemon:
 * so the fsync hook is a no-op and the caller's flush does the real
 * fdatasync, batched.  Writers take both an fcntl lock (sendmail) and an
 * flock (Postfix on Linux), so that no reader sees a half-written page.
 * The locks cost four system calls, as much as the rest of an ADD: the
 * daemon takes them at its first change and keeps them over a burst of
 * calls, 10 milliseconds at most (see serve() in main.c), so that the
 * burst pays once.  Every change is in the file before its reply, the
 * pages by a copy into a shared mapping (mapwrite.h).
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "defs.h"
#include "log.h"
#include "mapdb.h"
#include "mapwrite.h"

/*
 * Every commit makes Berkeley DB look through the whole of the map's
 * cache for changed pages, so it is kept small: the kernel's page cache
 * holds the rest of the file.
 */
#define MAP_CACHE_BYTES		(1024 * 1024)

static int
no_fsync(int fd)
{
	(void)fd;
	return 0;
}

static void
db_errcall(const DB_ENV *env, const char *prefix, const char *msg)
{
	(void)env;
	log_warnx("%s: %s", prefix != NULL ? prefix : "db", msg);
}

static int
db_fd(DB *db)
{
	int fd;

	return db->fd(db, &fd) == 0 ? fd : -1;
}

static void
dbt_set(DBT *d, void *data, size_t size)
{
	memset(d, 0, sizeof(*d));
	d->data = data;
	d->size = (u_int32_t)size;
}

static int
open_map(DB **dbp, const char *path, DBTYPE want, int truncate, char *err,
    size_t errlen)
{
	struct stat st;
	DBTYPE got;
	DB *db;
	int ret;

	if ((ret = db_create(&db, NULL, 0)) != 0) {
		snprintf(err, errlen, "%s: %s", path, db_strerror(ret));
		return -1;
	}
	db->set_errcall(db, db_errcall);
	db->set_errpfx(db, path);
	db->set_cachesize(db, 0, MAP_CACHE_BYTES, 1);
	/* An existing file keeps its type; say so if -t disagrees. */
	if (stat(path, &st) == 0)
		ret = db->open(db, NULL, path, NULL, DB_UNKNOWN, 0, 0);
	else
		ret = db->open(db, NULL, path, NULL, want, DB_CREATE, 0644);
	if (ret != 0) {
		snprintf(err, errlen, "%s: %s", path, db_strerror(ret));
		db->close(db, 0);
		return -1;
	}
	if (db->get_type(db, &got) != 0 || got != want) {
		snprintf(err, errlen, "%s: is a %s database, not %s (see -t)",
		    path, got == DB_HASH ? "hash" : got == DB_BTREE ?
		    "btree" : "different", want == DB_HASH ? "hash" : "btree");
		db->close(db, 0);
		return -1;
	}
	if (truncate) {
		u_int32_t count;

		if ((ret = db->truncate(db, NULL, &count, 0)) != 0 ||
		    (ret = db->sync(db, 0)) != 0) {
			snprintf(err, errlen, "%s: %s", path, db_strerror(ret));
			db->close(db, 0);
			return -1;
		}
	}
	*dbp = db;
	return 0;
}

int
mapdb_open(struct mapdb *m, const char *path, int type, int keyflags,
    int truncate, char *err, size_t errlen)
{
	DBTYPE want = type == MAPDB_HASH ? DB_HASH : DB_BTREE;

	memset(m, 0, sizeof(*m));
	m->keyflags = keyflags;
	if (snprintf(m->path, sizeof(m->path), "%s", path) >=
	    (int)sizeof(m->path)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	db_env_set_func_fsync(no_fsync);
	if (open_map(&m->map, m->path, want, truncate, err, errlen) != 0)
		return -1;
	(void)mapwrite_attach(db_fd(m->map), m->path);
	return 0;
}

/*
 * The stamp of a clean shutdown: the map's identity and last change.
 * A start that finds it matching can trust the files without reading
 * them through; any other start verifies them first (repair.c).
 */
static void
stamp_path(const char *path, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s", path, DRAC_CLEAN_SUFFIX);
}

static int
stamp_text(const char *path, char *buf, size_t size)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	snprintf(buf, size, "%lu %lld %lld.%09ld\n", (unsigned long)st.st_ino,
	    (long long)st.st_size, (long long)st.st_mtim.tv_sec,
	    st.st_mtim.tv_nsec);
	return 0;
}

static void
write_stamp(const char *path)
{
	char spath[4200], tmp[4210], text[96];
	FILE *f;

	stamp_path(path, spath, sizeof(spath));
	snprintf(tmp, sizeof(tmp), "%s.tmp", spath);
	if (stamp_text(path, text, sizeof(text)) != 0 ||
	    (f = fopen(tmp, "w")) == NULL) {
		log_warn("%s: cannot record the clean shutdown; the next start "
		    "will verify the map", spath);
		return;
	}
	if (fputs(text, f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0 ||
	    fclose(f) != 0 || rename(tmp, spath) != 0) {
		log_warn("%s", spath);
		(void)unlink(tmp);
	}
}

int
mapdb_was_clean(const char *path)
{
	char spath[4200], want[96], got[96];
	FILE *f;
	int clean = 0;

	stamp_path(path, spath, sizeof(spath));
	if ((f = fopen(spath, "r")) != NULL) {
		clean = fgets(got, sizeof(got), f) != NULL &&
		    stamp_text(path, want, sizeof(want)) == 0 &&
		    strcmp(got, want) == 0;
		fclose(f);
	} else if (access(path, F_OK) != 0)
		clean = 1;	/* no map yet: nothing to check */
	(void)unlink(spath);	/* from now on the files change */
	return clean;
}

/* The caller has flushed the changes; the locks go, the stamp comes. */
void
mapdb_close(struct mapdb *m)
{
	int cut;

	if (m->map == NULL)
		return;
	mapdb_release(m);
	cut = mapwrite_detach();
	m->map->close(m->map, 0);
	m->map = NULL;
	/* A map cut short behind our back is verified at the next start. */
	if (!cut)
		write_stamp(m->path);
}

int
mapdb_fd(struct mapdb *m)
{
	return db_fd(m->map);
}

static int
lock_map(struct mapdb *m, int lock)
{
	struct flock fl;
	int fd = db_fd(m->map);

	memset(&fl, 0, sizeof(fl));
	fl.l_type = lock ? F_WRLCK : F_UNLCK;
	fl.l_whence = SEEK_SET;
	if (fd < 0)
		return -1;
	if (lock) {
		if (flock(fd, LOCK_EX) != 0 || fcntl(fd, F_SETLKW, &fl) != 0) {
			log_warn("%s: lock", m->path);
			return -1;
		}
		return 0;
	}
	(void)fcntl(fd, F_SETLK, &fl);
	(void)flock(fd, LOCK_UN);
	return 0;
}

int
mapdb_begin(struct mapdb *m)
{
	if (m->locked)
		return 0;
	if (lock_map(m, 1) != 0)
		return -1;
	m->locked = 1;
	m->locked_at = dracclock_mono_ms();
	return 0;
}

long long
mapdb_locked_for(const struct mapdb *m)
{
	return m->locked ? dracclock_mono_ms() - m->locked_at : -1;
}

void
mapdb_release(struct mapdb *m)
{
	if (!m->locked)
		return;
	lock_map(m, 0);
	m->locked = 0;
}

int
mapdb_put(struct mapdb *m, const struct dracaddr *a, long long expires)
{
	char key[DRAC_KEY_MAX], val[DRAC_VALUE_MAX];
	size_t klen, vlen;
	DBT k, v;
	int ret;

	klen = dracaddr_key(a, m->keyflags, key, sizeof(key));
	vlen = dracaddr_value(expires, m->keyflags, val, sizeof(val));
	if (klen == 0 || vlen == 0)
		return -1;
	dbt_set(&k, key, klen);
	dbt_set(&v, val, vlen);
	if ((ret = m->map->put(m->map, NULL, &k, &v, 0)) != 0) {
		log_warnx("%s: put %.*s: %s", m->path, (int)klen, key,
		    db_strerror(ret));
		return -1;
	}
	return 0;
}

int
mapdb_del(struct mapdb *m, const struct dracaddr *a)
{
	char key[DRAC_KEY_MAX];
	size_t klen;
	DBT k;
	int ret;

	if ((klen = dracaddr_key(a, m->keyflags, key, sizeof(key))) == 0)
		return -1;
	dbt_set(&k, key, klen);
	ret = m->map->del(m->map, NULL, &k, 0);
	if (ret != 0 && ret != DB_NOTFOUND) {
		log_warnx("%s: del %.*s: %s", m->path, (int)klen, key,
		    db_strerror(ret));
		return -1;
	}
	return 0;
}

/* Writes the map's changed pages (no fsync); keeps the locks. */
int
mapdb_commit(struct mapdb *m)
{
	int ret;

	if ((ret = m->map->sync(m->map, 0)) != 0) {
		log_warnx("%s: write: %s", m->path, db_strerror(ret));
		return -1;
	}
	m->written++;
	return 0;
}

void
mapdb_sweep_init(struct mapdb_sweep *sw)
{
	memset(sw, 0, sizeof(*sw));
}

/* The record returned last stays: resume there. */
static void
sweep_keep(struct mapdb_sweep *sw)
{
	if (sw->current && !sw->deleted) {
		memcpy(sw->kept, sw->cur, sw->curlen);
		sw->keptlen = sw->curlen;
	}
	sw->current = 0;
}

static int
sweep_open(struct mapdb *m, struct mapdb_sweep *sw, DBT *k, DBT *v)
{
	DB *db = m->map;
	DBTYPE type;
	int ret;

	if ((ret = db->cursor(db, NULL, &sw->cursor, 0)) != 0)
		return ret;
	if (sw->keptlen == 0)
		return sw->cursor->get(sw->cursor, k, v, DB_FIRST);
	dbt_set(k, sw->kept, sw->keptlen);
	if (db->get_type(db, &type) != 0)
		type = DB_HASH;
	ret = sw->cursor->get(sw->cursor, k, v,
	    type == DB_BTREE ? DB_SET_RANGE : DB_SET);
	if (ret == DB_NOTFOUND) {	/* removed meanwhile: start over */
		memset(k, 0, sizeof(*k));
		sw->keptlen = 0;
		ret = sw->cursor->get(sw->cursor, k, v, DB_FIRST);
	}
	return ret;
}

int
mapdb_sweep_next(struct mapdb *m, struct mapdb_sweep *sw, struct dracaddr *a,
    long long *expires)
{
	DBT k, v;
	int ret;

	sweep_keep(sw);
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	for (;;) {
		if (sw->cursor == NULL)
			ret = sweep_open(m, sw, &k, &v);
		else
			ret = sw->cursor->get(sw->cursor, &k, &v, DB_NEXT);
		if (ret == DB_NOTFOUND) {
			mapdb_sweep_pause(sw);
			sw->keptlen = 0;
			return 0;
		}
		if (ret != 0)
			break;
		/* A key too long to be an address is nobody's: skip it. */
		if (k.size > sizeof(sw->cur))
			continue;
		memcpy(sw->cur, k.data, k.size);
		sw->curlen = k.size;
		sw->current = 1;
		sw->deleted = 0;
		*expires = -1;
		if (dracaddr_from_key(k.data, k.size, m->keyflags, a) == 0) {
			if (dracaddr_parse_value(v.data, v.size, expires) != 0)
				*expires = -1;
			return 1;
		}
		sweep_keep(sw);
	}
	log_warnx("%s: read: %s", m->path, db_strerror(ret));
	mapdb_sweep_pause(sw);
	return -1;
}

int
mapdb_sweep_del(struct mapdb *m, struct mapdb_sweep *sw)
{
	int ret;

	if (sw->cursor == NULL || !sw->current)
		return -1;
	if ((ret = sw->cursor->del(sw->cursor, 0)) != 0) {
		log_warnx("%s: del: %s", m->path, db_strerror(ret));
		return -1;
	}
	sw->deleted = 1;
	return 0;
}

void
mapdb_sweep_pause(struct mapdb_sweep *sw)
{
	sweep_keep(sw);
	if (sw->cursor != NULL) {
		sw->cursor->close(sw->cursor);
		sw->cursor = NULL;
	}
}

long
mapdb_load(struct mapdb *m, mapdb_loadfn *fn, void *ctx)
{
	struct dracaddr a;
	long long expires;
	long skipped = 0;
	DBC *c;
	DBT k, v;
	int ret;

	if ((ret = m->map->cursor(m->map, NULL, &c, 0)) != 0) {
		log_warnx("%s: cursor: %s", m->path, db_strerror(ret));
		return -1;
	}
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		if (dracaddr_from_key(k.data, k.size, m->keyflags, &a) != 0 ||
		    dracaddr_parse_value(v.data, v.size, &expires) != 0) {
			skipped++;
			continue;
		}
		if (fn(ctx, &a, expires) != 0) {
			ret = ENOMEM;
			break;
		}
	}
	c->close(c);
	if (ret != DB_NOTFOUND) {
		log_warnx("%s: read: %s", m->path, db_strerror(ret));
		return -1;
	}
	return skipped;
}
