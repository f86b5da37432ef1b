/*
 * test_mapwrite.c: daemon/mapwrite.c and daemon/guard.c, the map's pages
 * copied into a shared mapping.  What the hook writes is in the file,
 * where it is inside the file, where it grows it, after a cut by Berkeley
 * DB and after a cut behind its back (a caught SIGBUS, then pwrite); the
 * file's mtime follows the copies second by second; a flush makes the
 * next writes of a page go through pwrite again; a SIGBUS outside a
 * guarded copy still kills, or goes to the handler installed before.
 */
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

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

#include "guard.h"
#include "log.h"
#include "mapwrite.h"
#include "testutil.h"

#define PAGE	4096

static char dir[] = "/tmp/test_mapwrite.XXXXXX";
static char path[sizeof(dir) + 16];

/* A file of pages pages, each filled with its number. */
static int
make_file(int pages)
{
	char buf[PAGE];
	int fd, i;

	(void)unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	for (i = 0; i < pages; i++) {
		memset(buf, '0' + i, sizeof(buf));
		assert_int_equal(write(fd, buf, sizeof(buf)), sizeof(buf));
	}
	return fd;
}

static void
write_page(int fd, int page, char c)
{
	char buf[PAGE];

	memset(buf, c, sizeof(buf));
	assert_int_equal(mapwrite_pwrite(fd, buf, sizeof(buf),
	    (off_t)page * PAGE), sizeof(buf));
}

/* The third write of a page since a flush is a copy (mapwrite.c). */
static void
write_often(int fd, int page, char c)
{
	write_page(fd, page, c);
	write_page(fd, page, c);
	write_page(fd, page, c);
}

/* Read through another descriptor, as an MTA would. */
static void
assert_page(int page, char c)
{
	char buf[PAGE], want[PAGE];
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	memset(want, c, sizeof(want));
	assert_int_equal(pread(fd, buf, sizeof(buf), (off_t)page * PAGE),
	    sizeof(buf));
	assert_memory_equal(buf, want, sizeof(buf));
	close(fd);
}

static off_t
file_size(void)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

static void
test_inside_and_growing(void **state)
{
	unsigned long faults = guard_faults();
	int fd = make_file(3);

	(void)state;
	assert_int_equal(mapwrite_attach(fd, path), 0);
	write_often(fd, 1, 'a');
	assert_page(0, '0');
	assert_page(1, 'a');
	assert_page(2, '2');
	/* Past the end: a pwrite grows the file, then copies go there. */
	write_page(fd, 3, 'b');
	assert_int_equal(file_size(), 4 * PAGE);
	write_often(fd, 3, 'c');
	assert_page(3, 'c');
	/* Far past the mapping's first reservation. */
	write_page(fd, 20000, 'd');
	write_often(fd, 20000, 'e');
	assert_page(20000, 'e');
	assert_int_equal(guard_faults(), faults);
	assert_int_equal(mapwrite_detach(), 0);
	close(fd);
}

static void
test_cut_by_the_hook(void **state)
{
	unsigned long faults = guard_faults();
	int fd = make_file(4);

	(void)state;
	assert_int_equal(mapwrite_attach(fd, path), 0);
	/* Berkeley DB cuts the file and writes past the new end again:
	 * that goes through pwrite, no store lands past the end. */
	write_page(fd, 3, 'w');
	write_page(fd, 3, 'w');
	assert_int_equal(mapwrite_ftruncate(fd, 2 * PAGE), 0);
	write_page(fd, 3, 'x');
	assert_int_equal(file_size(), 4 * PAGE);
	assert_page(3, 'x');
	assert_int_equal(guard_faults(), faults);
	assert_int_equal(mapwrite_detach(), 0);
	close(fd);
}

static void
test_cut_behind_its_back(void **state)
{
	unsigned long faults = guard_faults();
	int fd = make_file(4);

	(void)state;
	assert_int_equal(mapwrite_attach(fd, path), 0);	/* guard_init */
	write_page(fd, 2, 'v');
	write_page(fd, 2, 'v');
	assert_int_equal(truncate(path, 0), 0);
	/* The copy faults; the write is still done, by pwrite. */
	write_page(fd, 2, 'y');
	assert_int_equal(guard_faults(), faults + 1);
	assert_int_equal(file_size(), 3 * PAGE);
	assert_page(2, 'y');
	/* From then on everything goes through pwrite: no more faults. */
	write_often(fd, 0, 'z');
	assert_page(0, 'z');
	assert_int_equal(guard_faults(), faults + 1);
	assert_int_equal(mapwrite_detach(), 1);	/* it noticed */
	close(fd);
}

static time_t
mtime(void)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_mtime;
}

static void
test_mtime_follows(void **state)
{
	struct timespec ms = { 0, 20 * 1000 * 1000 };
	time_t start;
	int fd = make_file(2), i;

	(void)state;
	assert_int_equal(mapwrite_attach(fd, path), 0);
	write_often(fd, 1, 'm');
	/* A copy into the page, now dirty and mapped, in a later second:
	 * a store alone would leave the mtime where it was. */
	start = time(NULL);
	for (i = 0; i < 100 && time(NULL) == start; i++)
		nanosleep(&ms, NULL);
	assert_true(time(NULL) > start);
	write_page(fd, 1, 'n');
	assert_true(mtime() >= start + 1);
	assert_int_equal(mapwrite_detach(), 0);
	close(fd);
}

/*
 * A flush write-protects the pages: the count starts over, and the
 * next two writes of a page go through pwrite again.
 */
static void
test_flush_starts_over(void **state)
{
	unsigned long faults = guard_faults();
	int fd = make_file(3);

	(void)state;
	assert_int_equal(mapwrite_attach(fd, path), 0);
	write_often(fd, 1, 'f');
	assert_int_equal(truncate(path, 0), 0);	/* copies would fault */
	mapwrite_flushing();
	write_page(fd, 1, 'g');
	write_page(fd, 1, 'h');
	assert_int_equal(guard_faults(), faults);
	assert_page(1, 'h');
	assert_int_equal(truncate(path, 0), 0);
	write_page(fd, 1, 'i');			/* a copy again */
	assert_int_equal(guard_faults(), faults + 1);
	assert_page(1, 'i');
	assert_int_equal(mapwrite_detach(), 1);
	close(fd);
}

static void
test_guard_copy(void **state)
{
	unsigned long faults = guard_faults();
	char buf[64];
	char *p;
	int fd = make_file(1);

	(void)state;
	guard_init();	/* again: cmocka catches SIGBUS in each test */
	memset(buf, 'g', sizeof(buf));
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(guard_copy(p, buf, sizeof(buf)), 0);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(guard_copy(p, buf, sizeof(buf)), -1);
	assert_int_equal(guard_faults(), faults + 1);
	/* Caught again, not blocked after the first. */
	assert_int_equal(guard_copy(p + 100, buf, sizeof(buf)), -1);
	assert_int_equal(guard_faults(), faults + 2);
	munmap(p, PAGE);
	close(fd);
}

static void
exit_42(int sig)
{
	(void)sig;
	_exit(42);
}

/*
 * A child that installs handler (the one "before" the guard), then the
 * guard, twice, then stores outside a guarded copy into p, a page the
 * file no longer has: its wait status.
 */
static int
stray_store(volatile char *p, void (*handler)(int))
{
	char buf[8] = "x";
	int status;
	pid_t pid;

	if ((pid = fork()) == 0) {
		signal(SIGBUS, handler);
		guard_init();
		guard_init();	/* again: the first handler is kept */
		if (guard_copy((char *)p, buf, sizeof(buf)) != -1)
			_exit(1);
		p[10] = 'k';
		_exit(0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

/* The daemon's case: killed.  libFuzzer's: its handler reports. */
static void
test_other_sigbus(void **state)
{
	int fd = make_file(1), status;
	volatile char *p;

	(void)state;
	p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(p != MAP_FAILED);
	assert_int_equal(ftruncate(fd, 0), 0);
	status = stray_store(p, SIG_DFL);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGBUS);
	status = stray_store(p, exit_42);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 42);
	munmap((void *)p, PAGE);
	close(fd);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/map.db", dir);
	log_init("test_mapwrite", LOG_TO_STDERR, 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	(void)unlink(path);
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inside_and_growing),
		cmocka_unit_test(test_cut_by_the_hook),
		cmocka_unit_test(test_cut_behind_its_back),
		cmocka_unit_test(test_mtime_follows),
		cmocka_unit_test(test_flush_starts_over),
		cmocka_unit_test(test_guard_copy),
		cmocka_unit_test(test_other_sigbus),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
