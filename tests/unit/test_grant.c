/*
 * test_grant.c: daemon/grant.c, with the daemon's own table, map, state
 * file and flush thread on a map in a temporary directory.
 *
 * Expiry while the map is being flushed: a sweep of many due entries
 * waits for a running flush (its commit would wait on the writeback
 * page by page), but no longer than SWEEP_YIELD_MS; entries due a few at
 * a time leave by the heap at once, flush or not.
 *
 * Users: every ADD's user is there after a restart, the last ADD's, a
 * DROP's address has none; an ADD the map refuses leaves the user and
 * expiry before it, also after a restart; a compaction of the state
 * file, made in passes between ADDs and expiries, keeps every user.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "clock.h"
#include "drac_prot.h"
#include "dracd.h"
#include "log.h"

#define SWEPT	1000	/* due together: more than the heap takes */
#define HEAPED	100	/* due together: few enough for the heap */
#define TRIES	2000	/* bound on passes and polls */
#define USERS	500	/* addresses of the user tests */
#define CHURN	70000	/* ADDs to make a compaction due */

static char dir[] = "/tmp/test_grant.XXXXXX";
static char path[sizeof(dir) + 16];
static struct dracd d;

static void
addr_of(int i, struct dracaddr *a)
{
	dracaddr_from_v4(htonl(0x0a000000u + (uint32_t)i), a);
}

/* The daemon's start on the files in dir. */
static void
start(void)
{
	memset(&d, 0, sizeof(d));
	d.dbpath = path;
	d.default_ttl = 60;
	d.max_ttl = 3600;
	d.sync_secs = 1;
	assert_int_equal(table_init(&d.table, 0), 0);
	assert_int_equal(grant_open(&d, 0), 0);
}

static void
stop(void)
{
	grant_close(&d);
	table_free(&d.table);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_grant.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dracd.db", dir);
	start();
	return 0;
}

static int
teardown(void **state)
{
	char cmd[sizeof(dir) + 16];

	(void)state;
	stop();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* n ADDs from address number first, as rpc.dracd makes them. */
static void
add(int first, int n)
{
	struct dracaddr a;
	long long expires;
	int i;

	for (i = first; i < first + n; i++) {
		addr_of(i, &a);
		assert_int_equal(grant_add(&d, &a, 0, "", DRAC3_HOW_V1,
		    &expires), DRAC3_OK);
	}
	mapdb_release(&d.db);
}

/* A flush that started ago_ms ago and is still running. */
static void
flush_since(long long ago_ms)
{
	long long now = dracclock_mono_ms();

	d.last_sync_ms = now - 1000LL * d.sync_secs;
	flush_start(&d, now);
	assert_true(flush_running(&d));
	d.last_sync_ms = now - ago_ms;
}

/* The flush thread is done and its result collected. */
static void
flush_collected(void)
{
	struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < TRIES && flush_collect(&d); i++)
		nanosleep(&ms, NULL);
	assert_false(flush_running(&d));
}

/* Passes at wall time now until nothing is left to do; the entries gone. */
static uint64_t
expire_all(long long now)
{
	int i, more = 1;

	for (i = 0; i < TRIES && (more || d.sweeping != SWEEP_NONE); i++)
		grant_expire(&d, now, &more);
	assert_true(i < TRIES);
	return d.stats[ST_EXPIRED];
}

static void
test_sweep_waits_for_a_running_flush(void **state)
{
	long long later = dracclock_wall_ms() + 3600 * 1000LL, next;
	int more = -1, i;

	(void)state;
	add(0, SWEPT);
	flush_since(0);
	for (i = 0; i < 3; i++) {
		next = grant_expire(&d, later, &more);
		assert_true(next == later + SWEEP_RETRY_MS);
		assert_int_equal(more, 0);
		assert_int_equal(d.sweeping, SWEEP_MAP);	/* not the heap */
		assert_int_equal(d.table.n, SWEPT);
		assert_true(d.stats[ST_EXPIRED] == 0);
	}
	flush_collected();
	assert_true(expire_all(later) == SWEPT);
	assert_int_equal(d.table.n, 0);
}

static void
test_sweep_waits_no_longer_than_the_limit(void **state)
{
	long long later = dracclock_wall_ms() + 3600 * 1000LL;

	(void)state;
	add(0, SWEPT);
	flush_since(SWEEP_YIELD_MS + 10);
	assert_true(expire_all(later) == SWEPT);
	assert_int_equal(d.table.n, 0);
	assert_true(flush_running(&d));	/* it went on meanwhile */
	flush_collected();
}

static void
test_heap_does_not_wait(void **state)
{
	long long later = dracclock_wall_ms() + 3600 * 1000LL;

	(void)state;
	add(0, HEAPED);
	flush_since(0);
	assert_true(expire_all(later) == HEAPED);
	assert_int_equal(d.sweeping, SWEEP_NONE);
	assert_int_equal(d.table.n, 0);
	flush_collected();
}

/* Address i's user is want (NULL: it has no entry), with this TTL. */
static void
user_is(int i, const char *want, unsigned int ttl)
{
	struct dracaddr a;
	struct staterec r;

	addr_of(i, &a);
	if (want == NULL) {
		assert_int_equal(grant_query(&d, &a, &r), DRAC3_NOTFOUND);
		return;
	}
	assert_int_equal(grant_query(&d, &a, &r), DRAC3_OK);
	assert_string_equal(r.user, want);
	assert_int_equal(r.ttl, ttl);
	assert_int_equal(r.how, DRAC3_HOW_V3);
}

static void
add_user(int i, const char *user, unsigned int ttl, int want)
{
	struct dracaddr a;
	long long expires;

	addr_of(i, &a);
	assert_int_equal(grant_add(&d, &a, ttl, user, DRAC3_HOW_V3, &expires),
	    want);
}

static void
test_users_survive_a_restart(void **state)
{
	char user[32];
	struct dracaddr a;
	int i;

	(void)state;
	for (i = 0; i < USERS; i++) {
		snprintf(user, sizeof(user), "first%d", i);
		add_user(i, user, 600, DRAC3_OK);
	}
	for (i = 0; i < USERS; i += 3) {
		snprintf(user, sizeof(user), "second%d", i);
		add_user(i, user, 900, DRAC3_OK);
	}
	addr_of(1, &a);
	assert_int_equal(grant_drop(&d, &a), DRAC3_OK);
	stop();
	start();
	for (i = 0; i < USERS; i++) {
		snprintf(user, sizeof(user), "%s%d", i % 3 == 0 ? "second" :
		    "first", i);
		user_is(i, i == 1 ? NULL : user, i % 3 == 0 ? 900 : 600);
	}
	/* Back by a v1 ADD: no user, how v1. */
	addr_of(1, &a);
	{
		long long expires;
		struct staterec r;

		assert_int_equal(grant_add(&d, &a, 0, "", DRAC3_HOW_V1,
		    &expires), DRAC3_OK);
		assert_int_equal(grant_query(&d, &a, &r), DRAC3_OK);
		assert_string_equal(r.user, "");
		assert_int_equal(r.how, DRAC3_HOW_V1);
	}
}

static int
refuse_put(DB *db, DB_TXN *txn, DBT *k, DBT *v, u_int32_t flags)
{
	(void)db;
	(void)txn;
	(void)k;
	(void)v;
	(void)flags;
	return ENOSPC;
}

static void
test_refused_map_write_keeps_the_user(void **state)
{
	int (*put)(DB *, DB_TXN *, DBT *, DBT *, u_int32_t);

	(void)state;
	add_user(5, "alice", 600, DRAC3_OK);
	put = d.db.map->put;
	d.db.map->put = refuse_put;
	log_init("test_grant", LOG_TO_NOWHERE, 0);
	add_user(5, "mallory", 900, DRAC3_SYSERR);
	add_user(6, "mallory", 900, DRAC3_SYSERR);
	log_init("test_grant", LOG_TO_STDERR, 0);
	d.db.map->put = put;
	user_is(5, "alice", 600);
	user_is(6, NULL, 0);
	stop();
	start();
	user_is(5, "alice", 600);
	user_is(6, NULL, 0);
}

/* Compaction passes, each between other work, until it is done. */
static void
compact_all(void)
{
	int i, more = 1;

	for (i = 0; i < TRIES && (more || d.state.compacting); i++) {
		more = 0;
		grant_compact(&d, &more);
		if (d.state.finished) {
			assert_int_equal(flush_now(&d), 0);
			assert_false(d.state.compacting);
		}
		if (i % 2 == 0)	/* an ADD between passes */
			add_user(i % USERS, "k", 600, DRAC3_OK);
	}
	assert_true(i < TRIES);
}

static void
test_compaction_keeps_every_user(void **state)
{
	long long later = dracclock_wall_ms() + 700 * 1000LL;
	char user[32];
	int i;

	(void)state;
	for (i = 0; i < CHURN; i++) {
		snprintf(user, sizeof(user), "u%d", i % USERS);
		add_user(i % (2 * USERS), i % (2 * USERS) < USERS ? user : "k",
		    i % (2 * USERS) < USERS ? 600 : 3600, DRAC3_OK);
	}
	/* The first half of the addresses expires and comes back. */
	assert_true(expire_all(later) == USERS);
	for (i = 0; i < 2 * USERS; i++)
		add_user(i, "k", i < USERS ? 600 : 3600, DRAC3_OK);
	assert_false(d.state.compacting);
	compact_all();
	for (i = 0; i < USERS; i++)
		user_is(i, "k", 600);
	for (i = USERS; i < 2 * USERS; i++)
		user_is(i, "k", 3600);
	/* Far fewer records than were written. */
	assert_true(d.state.f[d.state.main].records < 4 * 2 * USERS);
	stop();
	start();
	for (i = USERS; i < 2 * USERS; i++)
		user_is(i, "k", 3600);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_users_survive_a_restart,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_refused_map_write_keeps_the_user, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_compaction_keeps_every_user, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sweep_waits_for_a_running_flush, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sweep_waits_no_longer_than_the_limit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_heap_does_not_wait,
		    setup, teardown),
	};

	log_init("test_grant", LOG_TO_STDERR, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
