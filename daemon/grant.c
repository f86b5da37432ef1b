/*
 * grant.c: the authorizations.  Every change goes to the in-memory table,
 * the state file and the map together, and is in the files before the
 * caller replies; a change the map refused is undone in memory too, so
 * the two never disagree about what was acknowledged.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "drac_prot.h"
#include "dracd.h"
#include "log.h"

/*
 * A mass expiry is done in passes of at most EXPIRE_PASS_MS, so calls
 * waiting meanwhile are never held up long; the clock is read every
 * EXPIRE_CLOCK_EVERY deletions.  Entries leaving by the heap are spread
 * over the map, a page each, and the commit after the pass writes those
 * pages: EXPIRE_HEAP_PASS at a time.  256 took 2-4 ms on the machine of
 * docs/BENCHMARKS.md, as long as the pass itself.
 */
#define EXPIRE_PASS_MS		2
#define EXPIRE_CLOCK_EVERY	32
#define EXPIRE_HEAP_MAX		256	/* more due: sweep the map */
#define EXPIRE_HEAP_PASS	64

static const char *const stat_names[ST_COUNT] = {
	[ST_NULL] = "calls_null",
	[ST_V1_ADD] = "calls_v1_add",
	[ST_V2_ADD] = "calls_v2_add",
	[ST_V3_ADD] = "calls_v3_add",
	[ST_V3_DROP] = "calls_v3_drop",
	[ST_V3_QUERY] = "calls_v3_query",
	[ST_V3_LIST] = "calls_v3_list",
	[ST_V3_STATS] = "calls_v3_stats",
	[ST_OK] = "ok",
	[ST_PERM] = "perm",
	[ST_SYSERR] = "syserr",
	[ST_BADADDR] = "badaddr",
	[ST_NOTFOUND] = "notfound",
	[ST_MALFORMED] = "malformed",
	[ST_BADAUTH] = "badauth",
	[ST_EXPIRED] = "expired",
	[ST_DROPPED] = "dropped",
	[ST_RELOADS] = "reloads",
	[ST_RELOAD_FAILURES] = "reload_failures",
	[ST_SOCKETMAP] = "socketmap_lookups",
};

const char *
grant_stat_name(int id)
{
	return id >= 0 && id < ST_COUNT ? stat_names[id] : NULL;
}

void
grant_log_stats(const struct dracd *d)
{
	char line[1024];
	size_t off = 0;
	int i, n;

	for (i = 0; i < ST_COUNT; i++) {
		n = snprintf(line + off, sizeof(line) - off, "%s%s=%llu",
		    i ? " " : "", stat_names[i],
		    (unsigned long long)d->stats[i]);
		if (n < 0 || (size_t)n >= sizeof(line) - off)
			break;
		off += (size_t)n;
	}
	log_info("stats: %s live=%u start_time=%lld", line, d->table.n,
	    (long long)d->started);
}

static int
load_one(void *ctx, const struct dracaddr *a, long long expires)
{
	struct dracd *d = ctx;

	return table_put(&d->table, a, expires, NULL) == NULL ? -1 : 0;
}

static uint32_t *
find_state(void *ctx, const struct dracaddr *a, long long *expires)
{
	struct dracd *d = ctx;
	struct entry *e;

	if ((e = table_find(&d->table, a)) == NULL)
		return NULL;
	*expires = e->expires;
	return &e->state;
}

/* Start-up: entries already expired leave the map. */
static int
purge_expired(struct dracd *d, unsigned int *expired)
{
	long long now = dracclock_wall_ms() / 1000;
	struct entry *e;

	if (mapdb_begin(&d->db) != 0)
		return -1;
	while ((e = table_first(&d->table)) != NULL && e->expires <= now) {
		if (mapdb_del(&d->db, &e->addr) != 0)
			break;
		table_del(&d->table, e);
		(*expired)++;
	}
	return mapdb_commit(&d->db);
}

int
grant_open(struct dracd *d, int truncate)
{
	char err[512];
	long skipped;
	unsigned int expired = 0;

	if (mapdb_open(&d->db, d->dbpath, d->dbtype, d->keyflags, truncate,
	    err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return -1;
	}
	if ((skipped = mapdb_load(&d->db, load_one, d)) < 0 ||
	    purge_expired(d, &expired) != 0) {
		mapdb_close(&d->db);
		return -1;
	}
	if (skipped > 0)
		log_warnx("%s: %ld entries that are not address = expiry "
		    "left alone", d->dbpath, skipped);
	if (statelog_open(&d->state, d->dbpath, truncate, find_state, d, err,
	    sizeof(err)) != 0) {
		log_warnx("%s", err);
		mapdb_close(&d->db);
		return -1;
	}
	/* Not across the fork of detach(): a child has no fcntl lock. */
	mapdb_release(&d->db);
	syncer_init(&d->syncer);
	log_info("%s: %u entries, %u expired removed", d->dbpath, d->table.n,
	    expired);
	return 0;
}

void
grant_close(struct dracd *d)
{
	syncer_stop(&d->syncer);
	/* Pages a failed commit left dirty get one more try. */
	if (mapdb_begin(&d->db) == 0)
		(void)mapdb_commit(&d->db);
	(void)flush_now(d);
	statelog_close(&d->state);
	mapdb_close(&d->db);
}

/* Returns a DRAC3_* status. */
int
grant_add(struct dracd *d, const struct dracaddr *a, unsigned int ttl,
    const char *user, int how, long long *expires)
{
	struct staterec r;
	struct entry *e;
	long long ms = dracclock_wall_ms(), old;
	uint32_t loc, oldloc;

	if (dracaddr_unusable(a) != NULL)
		return DRAC3_BADADDR;
	memset(&r, 0, sizeof(r));
	r.type = STATEREC_ADD;
	r.addr = *a;
	r.ttl = table_ttl(ttl, d->default_ttl, d->max_ttl);
	r.added = ms / 1000;
	r.how = how;
	memcpy(r.user, user, strnlen(user, STATE_USER_MAX));
	/* From the next whole second: a TTL is a minimum, never less. */
	r.expires = *expires = (ms + 999) / 1000 + r.ttl;

	/*
	 * The state record first: one whose map write then fails carries
	 * an expiry the map never had, so no start takes it.
	 */
	if (statelog_append(&d->state, &r, &loc) != 0)
		return DRAC3_SYSERR;
	if ((e = table_put(&d->table, a, *expires, &old)) == NULL) {
		log_warnx("out of memory adding an entry");
		return DRAC3_SYSERR;
	}
	oldloc = e->state;
	e->state = loc;
	if (mapdb_begin(&d->db) != 0)
		goto undo_table;
	if (mapdb_put(&d->db, a, *expires) != 0) {
		mapdb_commit(&d->db);
		goto undo_table;
	}
	if (mapdb_commit(&d->db) != 0)
		goto undo_map;
	if (d->sync_secs == 0)
		(void)flush_now(d);
	return DRAC3_OK;

undo_map:
	/* The page stays dirty in the cache: make it say what we said. */
	if (mapdb_begin(&d->db) == 0) {
		if (old != 0)
			(void)mapdb_put(&d->db, a, old);
		else
			(void)mapdb_del(&d->db, a);
		(void)mapdb_commit(&d->db);
	}
undo_table:
	if (old != 0) {
		if ((e = table_put(&d->table, a, old, NULL)) != NULL)
			e->state = oldloc;
	} else if ((e = table_find(&d->table, a)) != NULL)
		table_del(&d->table, e);
	return DRAC3_SYSERR;
}

int
grant_drop(struct dracd *d, const struct dracaddr *a)
{
	struct staterec r;
	struct entry *e;
	uint32_t loc;

	if ((e = table_find(&d->table, a)) == NULL)
		return DRAC3_NOTFOUND;
	if (mapdb_begin(&d->db) != 0)
		return DRAC3_SYSERR;
	if (mapdb_del(&d->db, a) != 0) {
		mapdb_commit(&d->db);
		return DRAC3_SYSERR;
	}
	if (mapdb_commit(&d->db) != 0)
		return DRAC3_SYSERR;
	table_del(&d->table, e);
	/* So that no rebuild of the map brings it back (repair.c). */
	memset(&r, 0, sizeof(r));
	r.type = STATEREC_DROP;
	r.addr = *a;
	(void)statelog_append(&d->state, &r, &loc);
	d->stats[ST_DROPPED]++;
	return DRAC3_OK;
}

void
grant_info(struct dracd *d, const struct entry *e, struct staterec *r)
{
	if (e->state == 0 ||
	    statelog_get(&d->state, e->state, &e->addr, r) != 0) {
		memset(r, 0, sizeof(*r));
		r->type = STATEREC_ADD;
		r->addr = e->addr;
		r->how = DRAC3_HOW_MAP;
	}
	r->expires = e->expires;
}

int
grant_query(struct dracd *d, const struct dracaddr *a, struct staterec *r)
{
	struct entry *e;

	if ((e = table_find(&d->table, a)) == NULL ||
	    e->expires <= dracclock_wall_ms() / 1000)
		return DRAC3_NOTFOUND;
	grant_info(d, e, r);
	return DRAC3_OK;
}

/*
 * Expiry.  A few entries at a time leave by the heap, in time order.
 * When more than EXPIRE_HEAP_MAX are due, they are spread all over the
 * map's pages, and deleting them in that order would dirty a page per
 * entry: the map is then swept in its own order instead (key order for
 * a btree), deleting every record due by the time the sweep began,
 * which its value says (the table holds the same expiry); then the
 * table drops those entries, walking its array.  The map, what the
 * MTAs read, comes first, and nothing else slows its walk.  Their state
 * records stay in the state file until its next compaction.  The heap
 * waits meanwhile, so that no entry is counted twice; what falls due
 * during the sweep leaves by it afterwards (SWEEP_* in dracd.h).
 */

struct pass {
	long long	 start;		/* monotonic ms */
	int		 steps;
};

/* 1 once the pass has had its time; the clock is read now and then. */
static int
pass_over(struct pass *p)
{
	return ++p->steps % EXPIRE_CLOCK_EVERY == 0 &&
	    dracclock_mono_ms() - p->start >= EXPIRE_PASS_MS;
}

/* Returns entries removed; *more if due ones are left. */
static int
expire_by_heap(struct dracd *d, struct pass *p, long long now, int *more)
{
	struct entry *e;
	int n = 0;

	while ((e = table_first(&d->table)) != NULL &&
	    e->expires * 1000 <= now) {
		if (n == EXPIRE_HEAP_PASS || pass_over(p)) {
			*more = 1;
			break;
		}
		if (mapdb_del(&d->db, &e->addr) != 0)
			break;
		table_del(&d->table, e);
		n++;
	}
	return n;
}

static int
sweep_map(struct dracd *d, struct pass *p, int *more)
{
	struct dracaddr a;
	long long expires;
	int n = 0, got;

	while (!(*more = pass_over(p))) {
		got = mapdb_sweep_next(&d->db, &d->sweep, &a, &expires);
		if (got <= 0) {
			if (got == 0) {	/* the end: now the table */
				d->sweeping = SWEEP_TABLE;
				d->sweep_at = d->table.n;
				*more = 1;
			}
			break;
		}
		if (expires < 0 || expires * 1000 > d->sweep_due)
			continue;
		if (mapdb_sweep_del(&d->db, &d->sweep) != 0)
			break;
		n++;
	}
	mapdb_sweep_pause(&d->sweep);
	return n;
}

/*
 * Downwards, so that the last entry, which a deletion moves into the
 * hole, has been seen already; entries added meanwhile go above.
 */
static void
sweep_table(struct dracd *d, struct pass *p, int *more)
{
	struct entry *e;

	while (!(*more = pass_over(p))) {
		if (d->sweep_at == 0) {
			d->sweeping = SWEEP_NONE;
			break;
		}
		if (--d->sweep_at < d->table.n) {
			e = &d->table.v[d->sweep_at];
			if (e->expires * 1000 <= d->sweep_due)
				table_del(&d->table, e);
		}
	}
}

/*
 * While the flush thread writes the map back, a pwrite of one of its
 * pages waits on the writeback: the commit after a sweep pass, 20 to 70
 * pages, took 2-5 ms then against 0.15 ms otherwise.  A sweep of the map
 * waits for the flush to end, every SWEEP_RETRY_MS, but for
 * SWEEP_YIELD_MS at most, so that a slow disk cannot hold up the expiry
 * for long.
 */
static int
sweep_waits(const struct dracd *d, long long mono)
{
	return d->sweeping == SWEEP_MAP && flush_running(d) &&
	    mono - d->last_sync_ms < SWEEP_YIELD_MS;
}

/*
 * One pass of at most EXPIRE_PASS_MS; *more says whether work is left
 * for the next.  now and the result are on the wall clock, in ms: the
 * next expiry, or -1 if the table is empty; a sweep waiting for the
 * flush comes back SWEEP_RETRY_MS later.
 */
long long
grant_expire(struct dracd *d, long long now, int *more)
{
	struct pass p = { dracclock_mono_ms(), 0 };
	struct entry *e;
	int n = 0, waits;

	*more = 0;
	e = table_first(&d->table);
	if (d->sweeping == SWEEP_NONE && (e == NULL || e->expires * 1000 > now))
		return e == NULL ? -1 : e->expires * 1000;
	if (mapdb_begin(&d->db) != 0)
		return now + 1000;
	/* Too many due for the heap: counted before any is deleted. */
	if (d->sweeping == SWEEP_NONE &&
	    table_count_due(&d->table, now / 1000, EXPIRE_HEAP_MAX + 1) >
	    EXPIRE_HEAP_MAX) {
		d->sweeping = SWEEP_MAP;
		d->sweep_due = now;
		mapdb_sweep_init(&d->sweep);
	}
	if (d->sweeping == SWEEP_NONE)
		n = expire_by_heap(d, &p, now, more);
	waits = !*more && sweep_waits(d, p.start);
	if (!*more && !waits) {	/* the heap's next pass comes first */
		if (d->sweeping == SWEEP_MAP)
			n += sweep_map(d, &p, more);
		else if (d->sweeping == SWEEP_TABLE)
			sweep_table(d, &p, more);
	}
	if (mapdb_commit(&d->db) != 0) {
		/* Still in the cache's dirty pages: retried at next commit. */
		log_warnx("expiry: map not written, retrying");
	}
	d->stats[ST_EXPIRED] += (uint64_t)n;
	if (waits)
		return now + SWEEP_RETRY_MS;
	e = table_first(&d->table);
	return e == NULL ? -1 : e->expires * 1000;
}

/* A share of the state file's compaction (statelog.h). */
void
grant_compact(struct dracd *d, int *more)
{
	if (statelog_compact(&d->state, d->table.n, find_state, d) > 0)
		*more = 1;
}
