/*
 * test_mapdb.c: daemon/mapdb.c when the state file refuses.  Its puts
 * and writes are made to fail by swapping the method in the real
 * Berkeley DB handle.  A failed batch does not fail the ADD: the
 * records wait in the journal, reach the state file at the next batch,
 * survive a kill -9 meanwhile, and the error names the state file.
 * Only when the journal is full does an ADD fail, and then it leaves
 * the map as it was.  A state file that cannot be written fails the
 * flush and loses nothing either.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "defs.h"
#include "drac_prot.h"
#include "log.h"
#include "mapdb.h"
#include "testutil.h"

#define ADDS	100	/* more than a batch, fewer than the journal holds */

static char dir[] = "/tmp/test_mapdb.XXXXXX";
static char path[sizeof(dir) + 16];
static char logpath[sizeof(dir) + 16];
static int saved_stderr = -1;
static int refused;

typedef int	putfn(DB *, DB_TXN *, DBT *, DBT *, u_int32_t);
typedef int	syncfn(DB *, u_int32_t);

static int
refuse_put(DB *db, DB_TXN *txn, DBT *k, DBT *v, u_int32_t flags)
{
	(void)db;
	(void)txn;
	(void)k;
	(void)v;
	(void)flags;
	refused++;
	return ENOSPC;
}

static int
refuse_sync(DB *db, u_int32_t flags)
{
	(void)db;
	(void)flags;
	refused++;
	return EIO;
}

static void
open_ok(struct mapdb *m)
{
	char err[600];

	assert_int_equal(mapdb_open(m, path, MAPDB_BTREE, 0, 0, err,
	    sizeof(err)), 0);
}

/* Address number i: 10.0.i/256.i%256. */
static void
addr_of(int i, struct dracaddr *a)
{
	dracaddr_from_v4(htonl(0x0a000000u + (uint32_t)i), a);
}

/* One ADD as the daemon makes it (grant.c): begin, put, commit. */
static int
add(struct mapdb *m, int i)
{
	struct dracaddr a;
	struct mapinfo info;
	int ret;

	addr_of(i, &a);
	memset(&info, 0, sizeof(info));
	info.ttl = 600;
	info.added = 1795538922;
	info.how = DRAC3_HOW_V3;
	snprintf(info.user, sizeof(info.user), "user%d", i);
	assert_int_equal(mapdb_begin(m), 0);
	ret = mapdb_put(m, &a, 1795539522, &info);
	if (mapdb_commit(m) != 0)
		ret = -1;
	mapdb_release(m);
	return ret;
}

static int
in_map(struct mapdb *m, int i)
{
	struct dracaddr a;
	char key[DRAC_KEY_MAX];
	DBT k, v;

	addr_of(i, &a);
	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.data = key;
	k.size = (u_int32_t)dracaddr_key(&a, 0, key, sizeof(key));
	return m->map->get(m->map, NULL, &k, &v, 0) == 0;
}

/* Entries from..to-1 are in the map, and the state file has their users. */
static void
all_there(struct mapdb *m, int from, int to)
{
	struct dracaddr a;
	struct mapinfo info;
	char want[32];
	int i;

	for (i = from; i < to; i++) {
		addr_of(i, &a);
		assert_true(in_map(m, i));
		assert_int_equal(mapdb_info(m, &a, &info), 0);
		snprintf(want, sizeof(want), "user%d", i);
		assert_string_equal(info.user, want);
		assert_int_equal(info.ttl, 600);
		assert_int_equal(info.how, DRAC3_HOW_V3);
	}
}

/* The log goes to a file between these two. */
static void
capture_start(void)
{
	int fd;

	fflush(stderr);
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	saved_stderr = dup(2);
	assert_true(saved_stderr >= 0);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
}

static char *
capture_end(void)
{
	char *text;
	size_t len;

	fflush(stderr);
	assert_int_equal(dup2(saved_stderr, 2), 2);
	close(saved_stderr);
	saved_stderr = -1;
	text = tu_slurp(logpath, &len);
	assert_non_null(text);
	return text;
}

static void
logged(const char *text, const char *file, const char *what)
{
	char want[sizeof(path) + 64];

	snprintf(want, sizeof(want), "%s: %s", file, what);
	if (strstr(text, want) == NULL)
		fail_msg("log lacks \"%s\":\n%s", want, text);
}

/*
 * Opens the map with a state file that refuses puts and makes ADDs 0 to
 * n-1, which must all succeed.  *put: the real put.  Returns the log.
 */
static char *
adds_refused(struct mapdb *m, int n, putfn **put)
{
	int i, failed = -1;

	open_ok(m);
	*put = m->state->put;
	m->state->put = refuse_put;
	capture_start();
	for (i = 0; i < n && failed < 0; i++)
		if (add(m, i) != 0)
			failed = i;
	if (failed >= 0)
		fail_msg("ADD %d failed:\n%s", failed, capture_end());
	return capture_end();
}

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_mapdb.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/drac.db", dir);
	snprintf(logpath, sizeof(logpath), "%s/log", dir);
	refused = 0;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[sizeof(dir) + 16];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
test_failed_batch_waits_in_the_journal(void **state)
{
	struct mapdb m;
	putfn *put;
	char *text;
	int i;

	(void)state;
	text = adds_refused(&m, ADDS, &put);
	assert_true(refused > 0);	/* the batches were tried */
	logged(text, m.statepath, "put 10.0.0.0:");
	free(text);
	assert_int_equal(m.journal.waiting, ADDS);
	for (i = 0; i < ADDS; i++)
		assert_true(in_map(&m, i));

	/* The next batch takes them all. */
	m.state->put = put;
	assert_int_equal(add(&m, ADDS), 0);
	assert_int_equal(m.journal.waiting, 0);
	all_there(&m, 0, ADDS + 1);
	mapdb_close(&m);
	open_ok(&m);
	all_there(&m, 0, ADDS + 1);
	mapdb_close(&m);
}

static void
test_failed_batch_survives_a_kill(void **state)
{
	struct mapdb m;
	pid_t pid;
	int i, status;

	(void)state;
	if ((pid = fork()) == 0) {
		open_ok(&m);
		m.state->put = refuse_put;
		log_init("test_mapdb", LOG_TO_NOWHERE, 0);
		for (i = 0; i < ADDS; i++)
			if (add(&m, i) != 0)
				_exit(1);
		if (refused == 0 || m.journal.waiting != ADDS)
			_exit(2);
		kill(getpid(), SIGKILL);
		_exit(3);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	/* The journal is replayed into the state file. */
	open_ok(&m);
	all_there(&m, 0, ADDS);
	mapdb_close(&m);
}

static void
test_full_journal_refuses_the_add(void **state)
{
	struct mapdb m;
	putfn *put;
	char *text;

	(void)state;
	text = adds_refused(&m, JOURNAL_RECORDS, &put);
	free(text);
	log_init("test_mapdb", LOG_TO_NOWHERE, 0);
	assert_int_equal(add(&m, JOURNAL_RECORDS), -1);
	log_init("test_mapdb", LOG_TO_STDERR, 0);
	assert_false(in_map(&m, JOURNAL_RECORDS));

	m.state->put = put;
	all_there(&m, 0, JOURNAL_RECORDS);
	assert_false(in_map(&m, JOURNAL_RECORDS));
	assert_int_equal(add(&m, JOURNAL_RECORDS), 0);
	all_there(&m, 0, JOURNAL_RECORDS + 1);
	mapdb_close(&m);
}

static void
test_unwritable_state_file_fails_the_flush(void **state)
{
	struct mapdb m;
	syncfn *sync;
	char *text;
	int i;

	(void)state;
	open_ok(&m);
	sync = m.state->sync;
	for (i = 0; i < ADDS; i++)
		assert_int_equal(add(&m, i), 0);
	m.state->sync = refuse_sync;
	capture_start();
	assert_int_equal(mapdb_sync(&m), -1);
	text = capture_end();
	logged(text, m.statepath, "write:");
	free(text);
	assert_true(refused > 0);
	assert_true(mapdb_unsynced(&m));
	/* Not written: the journal still holds the records. */
	assert_int_equal(m.journal.records, ADDS);

	m.state->sync = sync;
	assert_int_equal(mapdb_sync(&m), 0);
	assert_false(mapdb_unsynced(&m));
	assert_int_equal(m.journal.records, 0);
	mapdb_close(&m);
	open_ok(&m);
	all_there(&m, 0, ADDS);
	mapdb_close(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_failed_batch_waits_in_the_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_failed_batch_survives_a_kill, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_full_journal_refuses_the_add, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unwritable_state_file_fails_the_flush, setup,
		    teardown),
	};

	log_init("test_mapdb", LOG_TO_STDERR, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
