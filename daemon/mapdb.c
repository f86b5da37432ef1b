/*
 * mapdb.c: the map file MTAs read and the state file beside it.
 *
 * Berkeley DB keeps pages in a private cache; DB->sync writes them to the
 * file and then fsyncs.  The fsync is what made DRAC 1.12 slow, and it
 * protects only against a power loss, not against a crash of the daemon:
 * so the fsync hook is a no-op and mapdb_sync does the real fdatasync,
 * batched by the caller.  Writers take both an fcntl lock (sendmail) and
 * an flock (Postfix on Linux), so that no reader sees a half-written
 * page.  The locks cost four system calls, as much as the rest of an ADD:
 * the daemon takes them at its first change and keeps them over a burst
 * of calls, 10 milliseconds at most (see serve() in main.c), so that
 * the burst pays once.  Every change is in the file before its reply,
 * the map's pages by a copy into a shared mapping (mapwrite.h); a new
 * state record may be in the journal instead (journal.h), which saves
 * the state file's put and page write on each ADD: the puts wait for a
 * batch (STATE_BATCH).  Deletions are not journaled: a state record
 * whose map entry is gone is pruned at start.
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
#include "drac_prot.h"
#include "log.h"
#include "mapdb.h"
#include "mapwrite.h"

/*
 * Every commit makes Berkeley DB look through the whole of the map's
 * cache for changed pages, so it is kept small: the kernel's page cache
 * holds the rest of the file.  The state file is written less often and
 * its cache must hold the pages of JOURNAL_RECORDS changes.
 */
#define MAP_CACHE_BYTES		(1024 * 1024)
#define STATE_CACHE_BYTES	(4 * 1024 * 1024)
#define STATE_VALUE_MAX		128
/*
 * State records put in one go: the batch runs faster than the same puts
 * one per call, and holds up one call in STATE_BATCH by some 50 us.
 * Batches of JOURNAL_RECORDS held one up by half a millisecond, which
 * moved the 99th percentile of the calls.
 */
#define STATE_BATCH		64

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
put_state(void *arg, const void *key, size_t klen, const void *val,
    size_t vlen)
{
	struct mapdb *m = arg;
	DBT k, v;
	int ret;

	dbt_set(&k, (void *)key, klen);
	dbt_set(&v, (void *)val, vlen);
	if ((ret = m->state->put(m->state, NULL, &k, &v, 0)) != 0) {
		log_warnx("%s: put %.*s: %s", m->statepath, (int)klen,
		    (const char *)key, db_strerror(ret));
		return -1;
	}
	return 0;
}

/* The state records that wait in the journal go into the state file. */
static int
put_pending(struct mapdb *m)
{
	return journal_pending(&m->journal, put_state, m);
}

/*
 * Writes the state file's changed pages, with the records that wait in
 * the journal; the journal may then start over.  Without a journal
 * every commit comes here.
 */
static int
write_state(struct mapdb *m)
{
	int ret;

	if (put_pending(m) != 0)
		return -1;
	if ((ret = m->state->sync(m->state, 0)) != 0) {
		log_warnx("%s: write: %s", m->statepath, db_strerror(ret));
		return -1;
	}
	journal_restart(&m->journal);
	m->state_unlogged = 0;
	return 0;
}

/*
 * The journal: records a kill -9 left out of the state file go in (a
 * truncated map starts without them).  Without a journal the daemon
 * still runs, writing the state file at every change as before.
 */
static int
open_journal(struct mapdb *m, int truncate, char *err, size_t errlen)
{
	char why[600];
	long n;

	if (journal_open(&m->journal, m->journalpath, why, sizeof(why)) != 0) {
		log_warnx("%s; writing the state file at every change instead",
		    why);
		return 0;
	}
	n = truncate ? 0 : journal_replay(&m->journal, put_state, m);
	if (n < 0 || write_state(m) != 0) {
		snprintf(err, errlen, "%s: cannot apply it to %s",
		    m->journalpath, m->statepath);
		return -1;
	}
	if (n > 0)
		log_info("%s: %ld state records replayed", m->journalpath, n);
	return 0;
}

static int
open_one(DB **dbp, const char *path, DBTYPE want, int truncate,
    u_int32_t cache, mode_t mode, char *err, size_t errlen)
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
	db->set_cachesize(db, 0, cache, 1);
	/* An existing file keeps its type; say so if -t disagrees. */
	if (stat(path, &st) == 0)
		ret = db->open(db, NULL, path, NULL, DB_UNKNOWN, 0, 0);
	else
		ret = db->open(db, NULL, path, NULL, want, DB_CREATE, mode);
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
	    (int)sizeof(m->path) ||
	    snprintf(m->statepath, sizeof(m->statepath), "%s%s", path,
	    DRAC_STATE_SUFFIX) >= (int)sizeof(m->statepath) ||
	    snprintf(m->journalpath, sizeof(m->journalpath), "%s%s",
	    m->statepath, DRAC_JOURNAL_SUFFIX) >= (int)sizeof(m->journalpath)) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	db_env_set_func_fsync(no_fsync);
	if (open_one(&m->map, m->path, want, truncate, MAP_CACHE_BYTES, 0644,
	    err, errlen) != 0)
		return -1;
	if (open_one(&m->state, m->statepath, DB_BTREE, truncate,
	    STATE_CACHE_BYTES, 0640, err, errlen) != 0) {
		m->map->close(m->map, 0);
		m->map = NULL;
		return -1;
	}
	if (open_journal(m, truncate, err, errlen) != 0) {
		journal_close(&m->journal);
		m->state->close(m->state, 0);
		m->map->close(m->map, 0);
		m->map = m->state = NULL;
		return -1;
	}
	syncer_init(&m->syncer, db_fd(m->state), db_fd(m->map));
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

void
mapdb_close(struct mapdb *m)
{
	int cut;

	if (m->map == NULL)
		return;
	syncer_stop(&m->syncer);
	if (mapdb_begin(m) == 0 && mapdb_commit(m) == 0)
		(void)mapdb_sync(m);
	mapdb_release(m);
	m->state->close(m->state, 0);
	cut = mapwrite_detach();
	m->map->close(m->map, 0);
	m->map = m->state = NULL;
	journal_close(&m->journal);
	/* A map cut short behind our back is verified at the next start. */
	if (!cut)
		write_stamp(m->path);
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

/*
 * A state record's value, "ttl added how user" as parse_state reads it;
 * its numbers are written as the map's values are.  0 if it is too long.
 */
static size_t
state_value(const struct mapinfo *info, char *buf, size_t size)
{
	long long number[3] = { info->ttl, info->added, info->how };
	size_t n = 0, len;
	int i;

	for (i = 0; i < 3; i++) {
		if ((len = dracaddr_value(number[i], 0, buf + n,
		    size - n)) == 0)
			return 0;
		n += len;
		buf[n++] = ' ';		/* where its NUL was */
	}
	if ((len = strlen(info->user)) >= size - n)
		return 0;
	memcpy(buf + n, info->user, len + 1);
	return n + len;
}

int
mapdb_put(struct mapdb *m, const struct dracaddr *a, long long expires,
    const struct mapinfo *info)
{
	char key[DRAC_KEY_MAX], val[DRAC_VALUE_MAX];
	char skey[DRACADDR_TEXT_MAX], sval[STATE_VALUE_MAX];
	size_t klen, vlen, sklen, svlen;
	DBT k, v;
	int ret;

	klen = dracaddr_key(a, m->keyflags, key, sizeof(key));
	vlen = dracaddr_value(expires, m->keyflags, val, sizeof(val));
	dracaddr_format(a, skey, sizeof(skey));
	sklen = strlen(skey);
	svlen = state_value(info, sval, sizeof(sval));
	if (klen == 0 || vlen == 0 || sklen == 0 || svlen == 0)
		return -1;
	/*
	 * State first: a crash between the two leaves an orphan state
	 * record, pruned at start, never a map entry without its user.
	 * The record waits in the journal for the state file's next
	 * batch; a full journal (or none): it goes in now, and is written.
	 */
	if (journal_append(&m->journal, skey, sklen, sval, svlen) != 0) {
		if (m->journal.lost) {
			log_warnx("%s: SIGBUS writing it: the file was cut "
			    "short or the file system is full; the state file "
			    "is written at every change from now on",
			    m->journalpath);
			m->journal.lost = 0;
		}
		if (put_pending(m) != 0 ||
		    put_state(m, skey, sklen, sval, svlen) != 0)
			return -1;
		m->state_unlogged = 1;
		if (write_state(m) != 0)
			return -1;
	}
	dbt_set(&k, key, klen);
	dbt_set(&v, val, vlen);
	if ((ret = m->map->put(m->map, NULL, &k, &v, 0)) != 0) {
		log_warnx("%s: put %s: %s", m->path, skey, db_strerror(ret));
		return -1;
	}
	/* A failed batch is logged; the journal keeps it for the next. */
	if (m->journal.waiting >= STATE_BATCH)
		(void)put_pending(m);
	return 0;
}

int
mapdb_del(struct mapdb *m, const struct dracaddr *a)
{
	char key[DRAC_KEY_MAX], skey[DRACADDR_TEXT_MAX];
	size_t klen;
	DBT k;
	int ret;

	/* A put that waits must not come after this. */
	if ((klen = dracaddr_key(a, m->keyflags, key, sizeof(key))) == 0 ||
	    put_pending(m) != 0)
		return -1;
	dbt_set(&k, key, klen);
	ret = m->map->del(m->map, NULL, &k, 0);
	if (ret != 0 && ret != DB_NOTFOUND) {
		log_warnx("%s: del %s: %s", m->path, key, db_strerror(ret));
		return -1;
	}
	dracaddr_format(a, skey, sizeof(skey));
	dbt_set(&k, skey, strlen(skey));
	ret = m->state->del(m->state, NULL, &k, 0);
	if (ret == 0)
		m->state_unlogged = 1;
	if (ret != 0 && ret != DB_NOTFOUND) {
		log_warnx("%s: del %s: %s", m->statepath, skey,
		    db_strerror(ret));
		return -1;
	}
	return 0;
}

/*
 * Writes the map's changed pages, and the state file's unless the
 * journal has them (no fsync); keeps the locks.
 */
int
mapdb_commit(struct mapdb *m)
{
	int ret;

	if (m->state_unlogged && write_state(m) != 0)
		return -1;
	if ((ret = m->map->sync(m->map, 0)) != 0) {
		log_warnx("%s: write: %s", m->path, db_strerror(ret));
		return -1;
	}
	m->written++;
	return 0;
}

/*
 * The state file catches up with the journal: before an fsync, and
 * before reading it.  A read may make Berkeley DB evict a page from the
 * cache, writing it if it is dirty; one changed page of a split written
 * without the others could lose a record to a kill -9 that the journal
 * no longer holds.  With nothing dirty, an eviction writes nothing.
 */
static int
write_journaled(struct mapdb *m)
{
	if (m->journal.records == 0 && !m->state_unlogged)
		return 0;
	return write_state(m);
}

int
mapdb_sync(struct mapdb *m)
{
	unsigned long upto = m->written;
	int rc = 0;

	if (!mapdb_unsynced(m))
		return 0;
	if (write_journaled(m) != 0)
		rc = -1;
	if (fdatasync(db_fd(m->state)) != 0) {
		log_warn("%s: fdatasync", m->statepath);
		rc = -1;
	}
	mapwrite_flushing();
	if (fdatasync(db_fd(m->map)) != 0) {
		log_warn("%s: fdatasync", m->path);
		rc = -1;
	}
	if (rc == 0)
		m->synced = upto;
	return rc;
}

void
mapdb_sync_start(struct mapdb *m)
{
	if (mapdb_flushing(m) || !mapdb_unsynced(m))
		return;
	/* On failure the journal keeps the records: flush what there is. */
	(void)write_journaled(m);
	m->syncing = m->written;
	mapwrite_flushing();
	if (syncer_request(&m->syncer) != 0) {
		log_warn("%s: cannot start the flush thread; flushing here",
		    m->path);
		(void)mapdb_sync(m);
	}
}

int
mapdb_sync_collect(struct mapdb *m)
{
	int error, which;

	if (!syncer_collect(&m->syncer, &error, &which))
		return syncer_busy(&m->syncer);
	if (error != 0) {
		errno = error;
		log_warn("%s: fdatasync", which == 0 ? m->statepath : m->path);
	} else if (m->synced < m->syncing)
		m->synced = m->syncing;
	return 0;
}

static int
parse_state(const char *val, size_t len, struct mapinfo *info)
{
	char buf[STATE_VALUE_MAX];
	int off = 0;

	if (len >= sizeof(buf))
		return -1;
	memcpy(buf, val, len);
	buf[len] = '\0';
	memset(info, 0, sizeof(*info));
	if (sscanf(buf, "%u %lld %d %n", &info->ttl, &info->added, &info->how,
	    &off) != 3 || off == 0)
		return -1;
	snprintf(info->user, sizeof(info->user), "%s", buf + off);
	return 0;
}

/* 0 and *info, 1 if there is no state record, -1 on error. */
int
mapdb_info(struct mapdb *m, const struct dracaddr *a, struct mapinfo *info)
{
	char skey[DRACADDR_TEXT_MAX];
	DBT k, v;
	int ret;

	(void)write_journaled(m);	/* a failure is logged; read anyway */
	dracaddr_format(a, skey, sizeof(skey));
	dbt_set(&k, skey, strlen(skey));
	memset(&v, 0, sizeof(v));
	ret = m->state->get(m->state, NULL, &k, &v, 0);
	if (ret == DB_NOTFOUND) {
		memset(info, 0, sizeof(*info));
		info->how = DRAC3_HOW_MAP;
		return 1;
	}
	if (ret != 0) {
		log_warnx("%s: get %s: %s", m->statepath, skey,
		    db_strerror(ret));
		return -1;
	}
	if (parse_state(v.data, v.size, info) != 0) {
		log_warnx("%s: bad record for %s", m->statepath, skey);
		return -1;
	}
	return 0;
}

void
mapdb_sweep_init(struct mapdb_sweep *sw, int which)
{
	memset(sw, 0, sizeof(*sw));
	sw->which = which;
}

static DB *
sweep_db(struct mapdb *m, const struct mapdb_sweep *sw)
{
	return sw->which == MAPDB_SWEEP_MAP ? m->map : m->state;
}

static const char *
sweep_path(struct mapdb *m, const struct mapdb_sweep *sw)
{
	return sw->which == MAPDB_SWEEP_MAP ? m->path : m->statepath;
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
	DB *db = sweep_db(m, sw);
	DBTYPE type;
	int ret;

	if (sw->which == MAPDB_SWEEP_STATE)
		(void)write_journaled(m);
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
	char text[DRACADDR_TEXT_MAX];
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
		if (sw->which == MAPDB_SWEEP_MAP) {
			if (dracaddr_from_key(k.data, k.size, m->keyflags,
			    a) == 0) {
				if (dracaddr_parse_value(v.data, v.size,
				    expires) != 0)
					*expires = -1;
				return 1;
			}
		} else if (k.size < sizeof(text)) {
			memcpy(text, k.data, k.size);
			text[k.size] = '\0';
			if (dracaddr_parse(text, a) == 0)
				return 1;
		}
		sweep_keep(sw);
	}
	log_warnx("%s: read: %s", sweep_path(m, sw), db_strerror(ret));
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
		log_warnx("%s: del: %s", sweep_path(m, sw), db_strerror(ret));
		return -1;
	}
	if (sw->which == MAPDB_SWEEP_STATE)
		m->state_unlogged = 1;
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

long
mapdb_prune_state(struct mapdb *m, mapdb_keepfn *keep, void *ctx)
{
	char skey[DRACADDR_TEXT_MAX];
	struct dracaddr a;
	long pruned = 0;
	DBC *c;
	DBT k, v;
	int ret;

	if ((ret = m->state->cursor(m->state, NULL, &c, 0)) != 0)
		return -1;
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	while ((ret = c->get(c, &k, &v, DB_NEXT)) == 0) {
		if (k.size < sizeof(skey)) {
			memcpy(skey, k.data, k.size);
			skey[k.size] = '\0';
			if (dracaddr_parse(skey, &a) == 0 && keep(ctx, &a))
				continue;
		}
		if (c->del(c, 0) == 0)
			pruned++;
	}
	c->close(c);
	if (pruned > 0)
		m->state_unlogged = 1;
	return ret == DB_NOTFOUND ? pruned : -1;
}
