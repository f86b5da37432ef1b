/*
 * test_syncer.c: daemon/syncer.c, the flush thread.  A flush covers the
 * files of its request, reports the first failure with the file it came
 * from, one runs at a time, a descriptor handed over is closed after it,
 * and stopping waits for the one running.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "syncer.h"

#define WAIT_MS	10000

static int
temp_fd(void)
{
	char path[] = "/tmp/test_syncer.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	unlink(path);
	assert_int_equal(write(fd, "x", 1), 1);
	return fd;
}

/* Collects the result of the running flush, waiting WAIT_MS at most. */
static int
wait_done(struct syncer *s, int *error, int *which)
{
	struct timespec tick = { 0, 1000000 };
	int i;

	for (i = 0; i < WAIT_MS; i++) {
		if (syncer_collect(s, error, which))
			return 1;
		nanosleep(&tick, NULL);
	}
	return 0;
}

static void
test_flush_ok(void **state)
{
	struct syncer s;
	int a = temp_fd(), b = temp_fd(), error = -1, which = -1, i;
	int fds[SYNCER_FDS] = { a, b, a };

	(void)state;
	syncer_init(&s);
	assert_false(syncer_busy(&s));
	assert_int_equal(syncer_collect(&s, &error, &which), 0);
	for (i = 0; i < 3; i++) {	/* the thread serves request after request */
		assert_int_equal(syncer_request(&s, fds, 1 + i, -1), 0);
		assert_true(syncer_busy(&s));
		assert_true(wait_done(&s, &error, &which));
		assert_int_equal(error, 0);
		assert_false(syncer_busy(&s));
	}
	syncer_stop(&s);
	close(a);
	close(b);
}

static void
test_one_at_a_time(void **state)
{
	struct syncer s;
	int a = temp_fd(), error, which;
	int fds[SYNCER_FDS + 1] = { a, -1, a, a };	/* -1: nothing there */

	(void)state;
	syncer_init(&s);
	assert_int_equal(syncer_request(&s, fds, SYNCER_FDS + 1, -1), -1);
	assert_int_equal(syncer_request(&s, fds, 2, -1), 0);
	assert_int_equal(syncer_request(&s, fds, 2, -1), -1);
	assert_true(wait_done(&s, &error, &which));
	assert_int_equal(error, 0);
	assert_int_equal(syncer_request(&s, fds, 1, -1), 0);
	syncer_stop(&s);		/* waits for it */
	assert_false(syncer_busy(&s));
	close(a);
}

static void
test_failure_names_the_file(void **state)
{
	struct syncer s;
	int a = temp_fd(), b = temp_fd(), error, which;
	int fds[SYNCER_FDS] = { a, a, b };

	(void)state;
	close(b);			/* the third file's descriptor is bad */
	syncer_init(&s);
	assert_int_equal(syncer_request(&s, fds, 3, -1), 0);
	assert_true(wait_done(&s, &error, &which));
	assert_int_equal(error, EBADF);
	assert_int_equal(which, 2);
	syncer_stop(&s);
	close(a);
}

/* The descriptor handed over is closed by the thread, after the flush. */
static void
test_closes_what_it_is_given(void **state)
{
	struct syncer s;
	int a = temp_fd(), gone = temp_fd(), error, which;

	(void)state;
	syncer_init(&s);
	assert_int_equal(syncer_request(&s, &a, 1, gone), 0);
	assert_true(wait_done(&s, &error, &which));
	assert_int_equal(error, 0);
	assert_int_equal(fcntl(gone, F_GETFD), -1);
	assert_int_equal(errno, EBADF);
	assert_true(fcntl(a, F_GETFD) >= 0);
	syncer_stop(&s);
	close(a);
}

static void
test_stop_without_start(void **state)
{
	struct syncer s;

	(void)state;
	syncer_init(&s);
	syncer_stop(&s);
	assert_false(syncer_busy(&s));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flush_ok),
		cmocka_unit_test(test_one_at_a_time),
		cmocka_unit_test(test_failure_names_the_file),
		cmocka_unit_test(test_closes_what_it_is_given),
		cmocka_unit_test(test_stop_without_start),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
