/*
 * test_grant.c: daemon/grant.c's expiry while the map is being flushed.
 * A sweep of many due entries waits for a running flush (its commit
 * would wait on the writeback page by page), but no longer than
 * SWEEP_YIELD_MS; entries due a few at a time leave by the heap at
 * once, flush or not.  The daemon's own table, map and flush thread,
 * on a map in a temporary directory.
 */
#include <arpa/inet.h>
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

static char dir[] = "/tmp/test_grant.XXXXXX";
static char path[sizeof(dir) + 16];
static struct dracd d;

static void
addr_of(int i, struct dracaddr *a)
{
	dracaddr_from_v4(htonl(0x0a000000u + (uint32_t)i), a);
}

static int
setup(void **state)
{
	char err[600];

	(void)state;
	strcpy(dir, "/tmp/test_grant.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dracd.db", dir);
	memset(&d, 0, sizeof(d));
	d.dbpath = path;
	d.default_ttl = 60;
	d.max_ttl = 3600;
	d.sync_secs = 1;
	assert_int_equal(table_init(&d.table, 0), 0);
	assert_int_equal(mapdb_open(&d.db, path, MAPDB_BTREE, 0, 0, err,
	    sizeof(err)), 0);
	assert_int_equal(grant_load(&d, 0), 0);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[sizeof(dir) + 16];

	(void)state;
	mapdb_close(&d.db);
	table_free(&d.table);
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
flush_running(long long ago_ms)
{
	mapdb_sync_start(&d.db);
	assert_true(mapdb_flushing(&d.db));
	d.last_sync_ms = dracclock_mono_ms() - ago_ms;
}

/* The flush thread is done and its result collected. */
static void
flush_collected(void)
{
	struct timespec ms = { 0, 1000000 };
	int i;

	for (i = 0; i < TRIES && mapdb_sync_collect(&d.db); i++)
		nanosleep(&ms, NULL);
	assert_false(mapdb_flushing(&d.db));
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
	flush_running(0);
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
	flush_running(SWEEP_YIELD_MS + 10);
	assert_true(expire_all(later) == SWEPT);
	assert_int_equal(d.table.n, 0);
	assert_true(mapdb_flushing(&d.db));	/* it went on meanwhile */
	flush_collected();
}

static void
test_heap_does_not_wait(void **state)
{
	long long later = dracclock_wall_ms() + 3600 * 1000LL;

	(void)state;
	add(0, HEAPED);
	flush_running(0);
	assert_true(expire_all(later) == HEAPED);
	assert_int_equal(d.sweeping, SWEEP_NONE);
	assert_int_equal(d.table.n, 0);
	flush_collected();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
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
