/*
 * test_journal.c: daemon/journal.c, the state file's journal.  Records
 * come back in order and byte for byte, also after the file is closed
 * without a restart (a kill -9); a restart forgets them; a damaged
 * record ends the replay there; a full journal refuses; a file of
 * another size or with another header is started anew; a store that
 * faults loses the journal without killing the process.  The records
 * that wait for the state file come out once each, in order, also
 * after such a fault.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "journal.h"
#include "testutil.h"

#define MAXREC	64

struct seen {
	int	n;
	int	stop_at;	/* fn fails at this record, -1 never */
	char	key[MAXREC][300];
	char	val[MAXREC][300];
};

static char dir[] = "/tmp/test_journal.XXXXXX";
static char path[sizeof(dir) + 16];

static int
collect(void *arg, const void *key, size_t klen, const void *val,
    size_t vlen)
{
	struct seen *s = arg;

	if (s->n == s->stop_at)
		return -1;
	assert_true(s->n < MAXREC && klen < 300 && vlen < 300);
	memcpy(s->key[s->n], key, klen);
	s->key[s->n][klen] = '\0';
	memcpy(s->val[s->n], val, vlen);
	s->val[s->n][vlen] = '\0';
	s->n++;
	return 0;
}

static int
count(void *arg, const void *key, size_t klen, const void *val, size_t vlen)
{
	(void)key;
	(void)val;
	assert_true(klen == 1 && vlen == 4000);
	(*(int *)arg)++;
	return 0;
}

static long
replay(struct journal *j, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	s->stop_at = -1;
	return journal_replay(j, collect, s);
}

static int
pending(struct journal *j, struct seen *s, int stop_at)
{
	memset(s, 0, sizeof(*s));
	s->stop_at = stop_at;
	return journal_pending(j, collect, s);
}

static void
open_ok(struct journal *j)
{
	char err[600];

	assert_int_equal(journal_open(j, path, err, sizeof(err)), 0);
}

static void
append_ok(struct journal *j, const char *key, const char *val)
{
	assert_int_equal(journal_append(j, key, strlen(key), val,
	    strlen(val)), 0);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_journal.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/journal", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

static void
test_records_survive_a_crash(void **state)
{
	struct journal j;
	struct seen s;
	struct stat st;

	(void)state;
	open_ok(&j);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, JOURNAL_BYTES);
	assert_int_equal(replay(&j, &s), 0);
	append_ok(&j, "10.0.0.1", "1800 1795538922 3 alice");
	append_ok(&j, "2001:db8::1", "60 1795538923 3 ");
	append_ok(&j, "10.0.0.1", "1800 1795538924 1 ");
	/* No restart: the records stay, as after a kill -9. */
	journal_close(&j);
	open_ok(&j);
	assert_int_equal(replay(&j, &s), 3);
	assert_string_equal(s.key[0], "10.0.0.1");
	assert_string_equal(s.val[0], "1800 1795538922 3 alice");
	assert_string_equal(s.key[1], "2001:db8::1");
	assert_string_equal(s.val[1], "60 1795538923 3 ");
	assert_string_equal(s.val[2], "1800 1795538924 1 ");
	journal_close(&j);
}

static void
test_restart_forgets(void **state)
{
	struct journal j;
	struct seen s;

	(void)state;
	open_ok(&j);
	append_ok(&j, "10.0.0.1", "a");
	append_ok(&j, "10.0.0.2", "b");
	journal_restart(&j);
	assert_int_equal(replay(&j, &s), 0);
	append_ok(&j, "10.0.0.3", "c");
	journal_close(&j);
	open_ok(&j);
	assert_int_equal(replay(&j, &s), 1);
	assert_string_equal(s.key[0], "10.0.0.3");
	journal_close(&j);
}

static void
test_damage_ends_the_replay(void **state)
{
	struct journal j;
	struct seen s;
	int fd;

	(void)state;
	open_ok(&j);
	append_ok(&j, "10.0.0.1", "first");
	append_ok(&j, "10.0.0.2", "second");
	append_ok(&j, "10.0.0.3", "third");
	journal_close(&j);
	/* A byte of the second record's value, as a power loss leaves it. */
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "X", 1, 16 + 32 + 16 + 8), 1);
	close(fd);
	open_ok(&j);
	assert_int_equal(replay(&j, &s), 1);
	assert_string_equal(s.val[0], "first");
	journal_close(&j);
}

static void
test_apply_failure_is_reported(void **state)
{
	struct journal j;
	struct seen s;

	(void)state;
	open_ok(&j);
	append_ok(&j, "10.0.0.1", "a");
	append_ok(&j, "10.0.0.2", "b");
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	assert_int_equal(journal_replay(&j, collect, &s), -1);
	journal_close(&j);
}

static void
test_pending_once_each(void **state)
{
	struct journal j;
	struct seen s;

	(void)state;
	open_ok(&j);
	append_ok(&j, "10.0.0.1", "a");
	append_ok(&j, "2001:db8::1", "b");
	assert_int_equal(j.waiting, 2);
	assert_int_equal(pending(&j, &s, -1), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(j.waiting, 0);
	assert_string_equal(s.key[0], "10.0.0.1");
	assert_string_equal(s.val[0], "a");
	assert_string_equal(s.key[1], "2001:db8::1");
	assert_string_equal(s.val[1], "b");
	assert_int_equal(pending(&j, &s, -1), 0);
	assert_int_equal(s.n, 0);
	/* A failure keeps that record and the next ones pending. */
	append_ok(&j, "10.0.0.3", "c");
	append_ok(&j, "10.0.0.4", "d");
	append_ok(&j, "10.0.0.5", "e");
	assert_int_equal(pending(&j, &s, 1), -1);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.key[0], "10.0.0.3");
	assert_int_equal(j.waiting, 2);
	assert_int_equal(pending(&j, &s, -1), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.key[0], "10.0.0.4");
	assert_string_equal(s.val[1], "e");
	/* Applied or not, the file still has them all for a replay. */
	assert_int_equal(replay(&j, &s), 5);
	/* A restart forgets what is pending too. */
	append_ok(&j, "10.0.0.6", "f");
	journal_restart(&j);
	assert_int_equal(j.waiting, 0);
	assert_int_equal(pending(&j, &s, -1), 0);
	assert_int_equal(s.n, 0);
	append_ok(&j, "10.0.0.7", "g");
	assert_int_equal(pending(&j, &s, -1), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.key[0], "10.0.0.7");
	journal_close(&j);
}

static void
test_full_refuses(void **state)
{
	char big[4000];
	struct journal j;
	int i, n, seen = 0;

	(void)state;
	open_ok(&j);
	for (i = 0; i < JOURNAL_RECORDS; i++)
		append_ok(&j, "10.0.0.1", "v");
	assert_int_equal(journal_append(&j, "10.0.0.2", 8, "v", 1), -1);
	journal_restart(&j);
	/* Bytes run out before the count does. */
	memset(big, 'u', sizeof(big));
	for (n = 0; journal_append(&j, "k", 1, big, sizeof(big)) == 0; n++)
		assert_true(n < JOURNAL_RECORDS);
	assert_true(n > 0 && n <= JOURNAL_BYTES / (int)sizeof(big));
	assert_int_equal(journal_replay(&j, count, &seen), n);
	assert_int_equal(seen, n);
	/* An empty key is no record. */
	journal_restart(&j);
	assert_int_equal(journal_append(&j, "", 0, "v", 1), -1);
	journal_close(&j);
}

static void
test_foreign_file_starts_anew(void **state)
{
	struct journal j;
	struct seen s;
	char junk[4096];
	FILE *f;

	(void)state;
	/* Another size: not this format. */
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a journal\n", f);
	fclose(f);
	open_ok(&j);
	assert_int_equal(replay(&j, &s), 0);
	append_ok(&j, "10.0.0.9", "x");
	journal_close(&j);
	/* The right size, another header. */
	f = fopen(path, "r+");
	assert_non_null(f);
	tu_bytes(junk, sizeof(junk));
	fwrite(junk, 1, sizeof(junk), f);
	fclose(f);
	open_ok(&j);
	assert_int_equal(replay(&j, &s), 0);
	journal_close(&j);
}

static void
test_unwritable_place_is_an_error(void **state)
{
	char err[600], bad[sizeof(path) + 16];
	struct journal j;

	(void)state;
	snprintf(bad, sizeof(bad), "%s/no/such/dir", dir);
	assert_int_equal(journal_open(&j, bad, err, sizeof(err)), -1);
	assert_non_null(strstr(err, bad));
	assert_null(j.base);
	/* Without a journal nothing is appended and restart is harmless. */
	assert_int_equal(journal_append(&j, "k", 1, "v", 1), -1);
	journal_restart(&j);
	journal_close(&j);
}

/* The file cut short behind its back: the store faults, caught. */
static void
test_fault_loses_the_journal(void **state)
{
	struct journal j;
	struct seen s;
	struct stat st;

	(void)state;
	open_ok(&j);
	append_ok(&j, "10.0.0.1", "1800 1795538922 3 alice");
	assert_int_equal(truncate(path, 0), 0);
	assert_int_equal(journal_append(&j, "10.0.0.2", 8, "v", 1), -1);
	assert_true(j.lost);
	assert_null(j.base);
	assert_int_equal(journal_append(&j, "10.0.0.3", 8, "v", 1), -1);
	/* What was appended before still reaches the state file. */
	assert_int_equal(pending(&j, &s, -1), 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.key[0], "10.0.0.1");
	assert_string_equal(s.val[0], "1800 1795538922 3 alice");
	/* Once the state file is written, the restart empties the file
	 * (given a header again here, for that to show), so that no old
	 * record comes back at the next start. */
	assert_int_equal(pwrite(j.fd, "DRACJNL1", 8, 0), 8);
	journal_restart(&j);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_int_equal(j.fd, -1);
	journal_close(&j);
	open_ok(&j);
	assert_int_equal(replay(&j, &s), 0);
	journal_close(&j);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_records_survive_a_crash,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_forgets,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_damage_ends_the_replay,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_failure_is_reported,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_once_each,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_refuses,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_file_starts_anew,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_unwritable_place_is_an_error,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_fault_loses_the_journal,
		    setup, teardown),
	};

	tu_seed("test_journal");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
