/*
 * test_statelog.c: the state file, common/statefile.c and the daemon's
 * daemon/statelog.c and stateconv.c.
 *
 * Records come back as written, and a change to any byte of one makes
 * it damaged; a reader skips damage to the next good record, stops at
 * zeros, and tells another format from its own.  The daemon's appends
 * survive a kill -9 and come back to the entries whose expiry they
 * carry, the last one winning and a DROP clearing; a compaction keeps
 * every live record, also across damage and a crash in its middle; a
 * file cut short behind the daemon's back does not kill it, and a file
 * of another kind is kept aside; a full disk refuses an append until
 * there is space; the Berkeley DB state file and journal of earlier
 * versions are converted.
 */
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "defs.h"
#include "log.h"
#include "statelog.h"
#include "testutil.h"

#define ENTRIES		1000
#define ROUNDS		200	/* property test */
#define COMPACT_ADDS	70000	/* records before a compaction is due */

static char dir[] = "/tmp/test_statelog.XXXXXX";
static char mappath[sizeof(dir) + 16];
static char statepath[sizeof(dir) + 32];
static char logpath[sizeof(dir) + 16];

/*
 * The table's part, as the daemon keeps it: expiry and locator.  Shared,
 * so that a child killed in the middle leaves its table to the parent.
 */
struct fake {
	struct dracaddr	addr;
	long long	expires;
	uint32_t	loc;
	int		live;
};
static struct fake *ent;

static void
addr_of(int i, struct dracaddr *a)
{
	dracaddr_from_v4(htonl(0x0a000000u + (uint32_t)i), a);
}

static uint32_t *
find(void *ctx, const struct dracaddr *a, long long *expires)
{
	int i;

	(void)ctx;
	for (i = 0; i < ENTRIES; i++)
		if (ent[i].live && memcmp(&ent[i].addr, a, sizeof(*a)) == 0) {
			*expires = ent[i].expires;
			return &ent[i].loc;
		}
	return NULL;
}

static void
rec_of(int i, long long expires, const char *user, struct staterec *r)
{
	struct dracaddr a;

	addr_of(i, &a);
	tu_staterec(r, &a, expires, user);
}

/* Entry i gets a record with this user, as an ADD would. */
static void
add(struct statelog *s, int i, long long expires, const char *user)
{
	struct staterec r;

	rec_of(i, expires, user, &r);
	assert_int_equal(statelog_append(s, &r, &ent[i].loc), 0);
	ent[i].addr = r.addr;
	ent[i].expires = expires;
	ent[i].live = 1;
}

static void
user_is(struct statelog *s, int i, const char *want)
{
	struct staterec r;

	assert_int_equal(statelog_get(s, ent[i].loc, &ent[i].addr, &r), 0);
	assert_string_equal(r.user, want);
	assert_true(r.expires == ent[i].expires);
}

static void
open_ok(struct statelog *s)
{
	char err[600];
	int i;

	for (i = 0; i < ENTRIES; i++)
		ent[i].loc = 0;
	if (statelog_open(s, mappath, 0, find, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

/* The log goes to a file between these two. */
static int saved_stderr = -1;

static void
capture_start(void)
{
	int fd;

	fflush(stderr);
	fd = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	saved_stderr = dup(2);
	assert_int_equal(dup2(fd, 2), 2);
	close(fd);
}

static char *
capture_end(void)
{
	size_t len;
	char *text;

	fflush(stderr);
	assert_int_equal(dup2(saved_stderr, 2), 2);
	close(saved_stderr);
	text = tu_slurp(logpath, &len);
	assert_non_null(text);
	return text;
}

static void
logged(const char *text, const char *want)
{
	if (strstr(text, want) == NULL)
		fail_msg("log lacks \"%s\":\n%s", want, text);
}

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_statelog.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(mappath, sizeof(mappath), "%s/dracd.db", dir);
	snprintf(statepath, sizeof(statepath), "%s%s", mappath,
	    DRAC_STATE_SUFFIX);
	snprintf(logpath, sizeof(logpath), "%s/log", dir);
	ent = mmap(NULL, ENTRIES * sizeof(*ent), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(ent != MAP_FAILED);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[sizeof(dir) + 16];

	(void)state;
	munmap(ent, ENTRIES * sizeof(*ent));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- the format ---------------------------------------------------- */

static void
random_rec(struct staterec *r)
{
	size_t ulen, i;

	memset(r, 0, sizeof(*r));
	r->type = tu_below(4) == 0 ? STATEREC_DROP : STATEREC_ADD;
	tu_bytes(r->addr.b, sizeof(r->addr.b));
	if (r->type == STATEREC_DROP)
		return;
	r->expires = (long long)(tu_rand() >> 2);
	r->added = (long long)(tu_rand() >> 2);
	r->ttl = (unsigned int)tu_rand();
	r->how = (int)tu_below(5);
	ulen = tu_below(STATE_USER_MAX + 1);
	for (i = 0; i < ulen; i++)
		r->user[i] = (char)(' ' + tu_below(95));
}

static void
test_records_round_trip(void **state)
{
	unsigned char buf[STATEREC_MAX], bit;
	struct staterec r, back;
	size_t size, i;
	int round;

	(void)state;
	for (round = 0; round < ROUNDS; round++) {
		random_rec(&r);
		size = statefile_encode(&r, buf);
		assert_true(size % 8 == 0 && size <= STATEREC_MAX);
		assert_int_equal(statefile_decode(buf, size, &back), size);
		assert_memory_equal(&r, &back, sizeof(r));
		/* Cut short: damaged, not a shorter record. */
		assert_int_equal(statefile_decode(buf, size - 8, &back), -1);
		/* Any byte changed: damaged. */
		for (i = 0; i < size; i++) {
			bit = (unsigned char)(1u << tu_below(8));
			buf[i] ^= bit;
			assert_int_equal(statefile_decode(buf, size, &back), -1);
			buf[i] ^= bit;
		}
	}
	memset(buf, 0, sizeof(buf));
	assert_int_equal(statefile_decode(buf, sizeof(buf), &back), 0);
	assert_int_equal(statefile_decode(buf, 7, &back), 0);
}

/* Writes the header and records 0..n-1 of user "uI"; their offsets. */
static void
write_file(const char *path, int n, size_t *offs, size_t tail)
{
	unsigned char buf[STATEREC_MAX], head[STATEFILE_HEADER];
	struct staterec r;
	char user[16];
	size_t off = STATEFILE_HEADER, size;
	int fd, i;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	statefile_header(head);
	assert_int_equal(write(fd, head, sizeof(head)), sizeof(head));
	for (i = 0; i < n; i++) {
		snprintf(user, sizeof(user), "u%d", i);
		rec_of(i, 1800000000 + i, user, &r);
		size = statefile_encode(&r, buf);
		offs[i] = off;
		assert_int_equal(write(fd, buf, size), (ssize_t)size);
		off += size;
	}
	offs[n] = off;
	assert_int_equal(ftruncate(fd, (off_t)(off + tail)), 0);
	close(fd);
}

struct got {
	int	n;
	int	idx[64];
};

static int
collect(void *ctx, const struct staterec *r, size_t off)
{
	struct got *g = ctx;

	(void)off;
	assert_true(g->n < 64);
	g->idx[g->n++] = (int)(ntohl(dracaddr_v4(&r->addr)) - 0x0a000000u);
	return 0;
}

static int
read_file(const char *path, struct got *g, size_t *end, size_t *damaged)
{
	int fd = open(path, O_RDONLY), rc;

	assert_true(fd >= 0);
	memset(g, 0, sizeof(*g));
	rc = statefile_read(fd, collect, g, end, damaged);
	close(fd);
	return rc;
}

static void
test_reader_skips_damage_and_stops_at_zeros(void **state)
{
	size_t offs[11], end, damaged;
	struct got g;
	unsigned char junk[3] = { 0x5a, 0xa5, 0x42 };
	int fd, i;

	(void)state;
	/* Zeros after the records: the end, nothing damaged. */
	write_file(statepath, 10, offs, 4096);
	assert_int_equal(read_file(statepath, &g, &end, &damaged), 0);
	assert_int_equal(g.n, 10);
	assert_int_equal(end, offs[10]);
	assert_int_equal(damaged, 0);

	/* Record 4 damaged: the others come, and its bytes are counted. */
	fd = open(statepath, O_RDWR);
	assert_int_equal(pwrite(fd, junk, sizeof(junk), (off_t)offs[4] + 30),
	    sizeof(junk));
	close(fd);
	assert_int_equal(read_file(statepath, &g, &end, &damaged), 0);
	assert_int_equal(g.n, 9);
	for (i = 0; i < 9; i++)
		assert_int_equal(g.idx[i], i < 4 ? i : i + 1);
	assert_int_equal(end, offs[10]);
	assert_int_equal(damaged, offs[5] - offs[4]);

	/* Cut in the middle of the last record: a torn tail, no damage. */
	write_file(statepath, 10, offs, 0);
	assert_int_equal(truncate(statepath, (off_t)offs[9] + 12), 0);
	assert_int_equal(read_file(statepath, &g, &end, &damaged), 0);
	assert_int_equal(g.n, 9);
	assert_int_equal(end, offs[9]);
	assert_int_equal(damaged, 0);

	/* Another header: not a state file. */
	fd = open(statepath, O_RDWR);
	assert_int_equal(pwrite(fd, "DRACJNL1", 8, 0), 8);
	close(fd);
	assert_int_equal(read_file(statepath, &g, &end, &damaged), 1);
	assert_int_equal(g.n, 0);
}

/* ---- the daemon's log ---------------------------------------------- */

static void
test_records_survive_a_kill(void **state)
{
	struct statelog s;
	char user[16];
	pid_t pid;
	int i, status;

	(void)state;
	if ((pid = fork()) == 0) {
		open_ok(&s);
		for (i = 0; i < ENTRIES; i++) {
			snprintf(user, sizeof(user), "first%d", i);
			add(&s, i, 1800000000, user);
		}
		for (i = 0; i < ENTRIES; i += 2) {
			snprintf(user, sizeof(user), "second%d", i);
			add(&s, i, 1800000600, user);
		}
		kill(getpid(), SIGKILL);
		_exit(1);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* The table after the restart: what the map said. */
	for (i = 0; i < ENTRIES; i++) {
		addr_of(i, &ent[i].addr);
		ent[i].expires = i % 2 == 0 ? 1800000600 : 1800000000;
		ent[i].live = 1;
	}
	ent[7].expires = 1799999999;	/* a later map write lost */
	open_ok(&s);
	for (i = 0; i < ENTRIES; i++) {
		if (i == 7) {
			assert_int_equal(ent[i].loc, 0);
			continue;
		}
		snprintf(user, sizeof(user), "%s%d", i % 2 == 0 ? "second" :
		    "first", i);
		user_is(&s, i, user);
	}
	statelog_close(&s);
}

static void
test_last_matching_record_counts(void **state)
{
	struct statelog s;
	struct staterec r;
	uint32_t loc;

	(void)state;
	open_ok(&s);
	add(&s, 1, 1800000000, "alice");
	add(&s, 1, 1800000600, "bob");
	/* An ADD whose map write failed: its expiry is not the map's. */
	rec_of(1, 1800009999, "mallory", &r);
	assert_int_equal(statelog_append(&s, &r, &loc), 0);
	add(&s, 2, 1800000000, "carol");
	memset(&r, 0, sizeof(r));
	r.type = STATEREC_DROP;
	addr_of(2, &r.addr);
	assert_int_equal(statelog_append(&s, &r, &loc), 0);
	statelog_close(&s);

	ent[1].expires = 1800000600;
	ent[2].expires = 1800000000;	/* back by another way: no user */
	open_ok(&s);
	user_is(&s, 1, "bob");
	assert_int_equal(ent[2].loc, 0);
	/* A locator of another address gives nothing. */
	assert_int_equal(statelog_get(&s, ent[1].loc, &ent[2].addr, &r), -1);
	statelog_close(&s);
}

/* Every live entry's user is "kI". */
static void
all_kept(struct statelog *s)
{
	char want[16];
	int i;

	for (i = 0; i < ENTRIES; i++) {
		if (!ent[i].live)
			continue;
		snprintf(want, sizeof(want), "k%d", i);
		user_is(s, i, want);
	}
}

static int
count_one(void *ctx, const struct staterec *r, size_t off)
{
	(void)r;
	(void)off;
	(*(int *)ctx)++;
	return 0;
}

static int
count_records(const char *path)
{
	size_t end, damaged;
	int fd = open(path, O_RDONLY), n = 0;

	assert_true(fd >= 0);
	assert_int_equal(statefile_read(fd, count_one, &n, &end, &damaged), 0);
	assert_int_equal(damaged, 0);
	close(fd);
	return n;
}

/* COMPACT_ADDS records for ENTRIES addresses, every one's last "kI". */
static void
fill(struct statelog *s)
{
	char user[16];
	int i, j;

	for (i = 0; i < COMPACT_ADDS; i++) {
		j = i % ENTRIES;
		snprintf(user, sizeof(user), i >= COMPACT_ADDS - ENTRIES ?
		    "k%d" : "old%d", j);
		add(s, j, 1800000000 + i / ENTRIES, user);
	}
}

/*
 * fill, then compaction passes, between which ADDs go on and entries
 * leave, till it is done or, with passes >= 0, that many passes are
 * made, as a crash would stop it.
 */
static void
compact(struct statelog *s, int passes)
{
	char user[16];
	int j, rc, pass;

	fill(s);
	for (pass = 0; passes < 0 || pass < passes; pass++) {
		rc = statelog_compact(s, ENTRIES, find, NULL);
		assert_true(rc >= 0 && s->compacting);
		if (rc == 0)
			break;
		j = pass % ENTRIES;
		if (pass % 2 == 0)
			ent[j].live = 0;		/* expired */
		else {					/* an ADD meanwhile */
			snprintf(user, sizeof(user), "k%d", j);
			add(s, j, ent[j].expires + 1, user);
		}
	}
	assert_true(pass < 1000);
}

static void
test_compaction_keeps_live_records(void **state)
{
	struct statelog s;
	char newpath[sizeof(statepath) + 8];
	const char *paths[2];
	int live = 0, i, fds[2], retire;

	(void)state;
	snprintf(newpath, sizeof(newpath), "%s%s", statepath, DRAC_NEW_SUFFIX);
	open_ok(&s);
	assert_int_equal(statelog_compact(&s, ENTRIES, find, NULL), 0);
	assert_false(s.compacting);
	compact(&s, -1);
	assert_true(s.finished);
	assert_int_equal(statelog_compact(&s, ENTRIES, find, NULL), 0);
	all_kept(&s);
	/* No entry points into the old file any more. */
	for (i = 0; i < ENTRIES; i++)
		assert_true(!ent[i].live || ent[i].loc == 0 ||
		    (ent[i].loc & STATELOG_SLOT1) != 0);
	assert_int_equal(access(newpath, F_OK), 0);
	statelog_flushed(&s, s.written - 1);	/* not yet on disk */
	assert_int_equal(access(newpath, F_OK), 0);
	statelog_flushed(&s, s.written);
	assert_int_equal(access(newpath, F_OK), -1);
	assert_false(s.compacting);
	all_kept(&s);
	/* The old file goes to the next flush, to be closed there. */
	assert_true(s.retired >= 0 && statelog_unsynced(&s));
	assert_int_equal(statelog_fds(&s, fds, paths, &retire), 1);
	assert_string_equal(paths[0], statepath);
	assert_true(retire >= 0 && s.retired == -1);
	assert_false(statelog_unsynced(&s));
	close(retire);
	for (i = 0; i < ENTRIES; i++)
		live += ent[i].live;
	/* The live records, and the few ADDs made meanwhile. */
	assert_true(count_records(statepath) < 2 * live);
	statelog_close(&s);
	open_ok(&s);
	all_kept(&s);
	statelog_close(&s);
}

static void
flip(int fd, size_t off)
{
	unsigned char b;

	assert_int_equal(pread(fd, &b, 1, (off_t)off), 1);
	b ^= 0x5a;
	assert_int_equal(pwrite(fd, &b, 1, (off_t)off), 1);
}

/*
 * Damaged records in the old file, one every few kilobytes, so that some
 * cross the edge of a piece the compaction reads, and the one right
 * before the first live record: stepped over, every live record copied.
 */
static void
test_compaction_steps_over_damage(void **state)
{
	struct statelog s;
	size_t first = SIZE_MAX, off;
	int fd, i;

	(void)state;
	open_ok(&s);
	fill(&s);
	statelog_close(&s);
	for (i = 0; i < ENTRIES; i++)
		if ((size_t)ent[i].loc * 8 < first)
			first = (size_t)ent[i].loc * 8;
	assert_true(first > 32 * 1024 * 4 && first != SIZE_MAX);
	assert_true((fd = open(statepath, O_RDWR)) >= 0);
	for (off = 4099; off < first; off += 4099)
		flip(fd, off);
	flip(fd, first - 1);
	close(fd);
	open_ok(&s);
	all_kept(&s);
	for (i = 0; i < 1000 && statelog_compact(&s, ENTRIES, find, NULL) > 0;
	    i++)
		;
	assert_true(s.finished);
	statelog_flushed(&s, s.written);
	assert_false(s.compacting);
	all_kept(&s);
	statelog_close(&s);
	assert_int_equal(count_records(statepath), ENTRIES);
	open_ok(&s);
	all_kept(&s);
	statelog_close(&s);
}

/* A new file that cannot be made: said once, tried again much later. */
static void
test_compaction_backs_off(void **state)
{
	char newpath[sizeof(statepath) + 8], *text, *again;
	struct statelog s;
	int i;

	(void)state;
	snprintf(newpath, sizeof(newpath), "%s%s", statepath, DRAC_NEW_SUFFIX);
	open_ok(&s);
	assert_int_equal(mkdir(newpath, 0700), 0);
	for (i = 0; i < COMPACT_ADDS; i++)
		add(&s, i % ENTRIES, 1800000000 + i, "u");
	capture_start();
	for (i = 0; i < 100; i++)
		assert_int_equal(statelog_compact(&s, ENTRIES, find, NULL), 0);
	text = capture_end();
	logged(text, "not compacting until the file holds 140000 records");
	again = strstr(text, "not compacting");
	assert_null(strstr(again + 1, "not compacting"));
	free(text);
	assert_false(s.compacting);
	statelog_close(&s);
}

static void
test_compaction_resumes_after_a_crash(void **state)
{
	struct statelog s;
	char newpath[sizeof(statepath) + 8];
	pid_t pid;
	int status, i;

	(void)state;
	snprintf(newpath, sizeof(newpath), "%s%s", statepath, DRAC_NEW_SUFFIX);
	if ((pid = fork()) == 0) {
		open_ok(&s);
		compact(&s, 40);
		kill(getpid(), SIGKILL);
		_exit(1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(access(newpath, F_OK), 0);
	/* The child's table is in ent: both files give it back. */
	open_ok(&s);
	assert_true(s.compacting);
	all_kept(&s);
	/* And the compaction starts again from the old file's start. */
	for (i = 0; i < 1000 && statelog_compact(&s, ENTRIES, find, NULL) > 0;
	    i++)
		;
	assert_true(s.finished);
	statelog_flushed(&s, s.written);
	assert_int_equal(access(newpath, F_OK), -1);
	all_kept(&s);
	statelog_close(&s);
	open_ok(&s);
	all_kept(&s);
	statelog_close(&s);
}

static void
test_cut_short_is_survived(void **state)
{
	struct statelog s;
	char *text;
	int i;

	(void)state;
	open_ok(&s);
	for (i = 0; i < 10; i++)
		add(&s, i, 1800000000, "before");
	/* Behind the daemon's back: the records and the header go. */
	assert_int_equal(truncate(statepath, 0), 0);
	capture_start();
	for (i = 10; i < 20; i++)
		add(&s, i, 1800000000, "after");
	text = capture_end();
	logged(text, "SIGBUS writing at");
	logged(text, statepath);
	free(text);
	for (i = 10; i < 20; i++)
		user_is(&s, i, "after");
	statelog_close(&s);
	open_ok(&s);
	for (i = 0; i < 10; i++)
		assert_int_equal(ent[i].loc, 0);
	for (i = 10; i < 20; i++)
		user_is(&s, i, "after");
	statelog_close(&s);
}

/* A file that is no state file at all is kept aside, not overwritten. */
static void
test_foreign_file_moved_aside(void **state)
{
	char cmd[sizeof(statepath) + 64], *text;
	struct statelog s;
	int fd;

	(void)state;
	fd = open(statepath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "not a state file at all\n", 24), 24);
	close(fd);
	ent[1].live = 1;
	addr_of(1, &ent[1].addr);
	capture_start();
	open_ok(&s);
	text = capture_end();
	logged(text, "not a state file; moved to");
	free(text);
	assert_int_equal(ent[1].loc, 0);
	add(&s, 1, 1800000000, "new");
	user_is(&s, 1, "new");
	statelog_close(&s);
	snprintf(cmd, sizeof(cmd), "grep -qs 'not a state' %s.damaged.*",
	    statepath);
	assert_int_equal(system(cmd), 0);
}

/*
 * A file size limit stands in for a full disk: the reservation fails
 * (EFBIG) and the append is refused, until the limit is raised.
 */
static void
test_full_disk_refuses_then_recovers(void **state)
{
	struct statelog s;
	struct staterec r;
	struct rlimit old, small;
	uint32_t loc;
	char *text;
	int i, refused = -1;

	(void)state;
	signal(SIGXFSZ, SIG_IGN);
	open_ok(&s);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	small = old;
	small.rlim_cur = 256 * 1024;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	capture_start();
	for (i = 0; i < 10000 && refused < 0; i++) {
		rec_of(i % ENTRIES, 1800000000, "u", &r);
		if (statelog_append(&s, &r, &loc) != 0)
			refused = i;
	}
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_true(refused > 1000);
	rec_of(1, 1800000000, "u", &r);
	assert_int_equal(statelog_append(&s, &r, &loc), 0);
	text = capture_end();
	logged(text, "no space for more records");
	logged(text, "space again");
	free(text);
	statelog_close(&s);
	signal(SIGXFSZ, SIG_DFL);
}

/* ---- the format of earlier versions -------------------------------- */

/* A file of tests/golden/state/ into the test's directory as to. */
static void
copy_golden(const char *name, const char *to)
{
	char from[4096], *data;
	size_t len;
	int fd;

	snprintf(from, sizeof(from), "%s/tests/golden/state/%s", tu_top(),
	    name);
	data = tu_slurp(from, &len);
	assert_non_null(data);
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	free(data);
}

/*
 * tests/golden/state/ holds what the version before the log left after
 * a kill -9: the Berkeley DB state file with 10.0.0.1 (alice, 600 s)
 * and 10.0.0.2 (bob), and in its journal, newer, 10.0.0.2 again (carol,
 * 900 s) and 10.0.0.3 (a v1 ADD, no user).
 */
static void
test_old_format_is_converted(void **state)
{
	char jpath[sizeof(statepath) + 16];
	unsigned char head[STATEFILE_HEADER];
	struct statelog s;
	struct staterec r;
	int fd, i;

	(void)state;
	copy_golden("dracd.db.state", statepath);
	snprintf(jpath, sizeof(jpath), "%s%s", statepath, DRAC_JOURNAL_SUFFIX);
	copy_golden("dracd.db.state.journal", jpath);
	for (i = 0; i < 4; i++) {
		dracaddr_parse(i == 0 ? "10.9.9.9" : i == 1 ? "10.0.0.1" :
		    i == 2 ? "10.0.0.2" : "10.0.0.3", &ent[i].addr);
		ent[i].expires = 1796664000;
		ent[i].live = 1;
	}
	for (i = 0; i < 2; i++) {
		open_ok(&s);
		assert_int_equal(ent[0].loc, 0);	/* no record */
		user_is(&s, 1, "alice");
		user_is(&s, 2, "carol");	/* the journal's is newer */
		assert_int_equal(statelog_get(&s, ent[2].loc, &ent[2].addr,
		    &r), 0);
		assert_int_equal(r.ttl, 900);
		assert_int_equal(r.how, 3);
		user_is(&s, 3, "");
		assert_int_equal(statelog_get(&s, ent[3].loc, &ent[3].addr,
		    &r), 0);
		assert_int_equal(r.how, 1);
		statelog_close(&s);
		/* Converted, and the journal gone: the same the second time. */
		assert_int_equal(access(jpath, F_OK), -1);
		fd = open(statepath, O_RDONLY);
		assert_true(fd >= 0);
		assert_int_equal(read(fd, head, sizeof(head)), sizeof(head));
		close(fd);
		assert_true(statefile_is(head, sizeof(head)));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_records_round_trip),
		cmocka_unit_test_setup_teardown(
		    test_reader_skips_damage_and_stops_at_zeros, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_records_survive_a_kill,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_last_matching_record_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_compaction_keeps_live_records, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_compaction_steps_over_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction_backs_off,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_compaction_resumes_after_a_crash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cut_short_is_survived,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_file_moved_aside,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_full_disk_refuses_then_recovers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_old_format_is_converted,
		    setup, teardown),
	};

	tu_seed("test_statelog");
	log_init("test_statelog", LOG_TO_STDERR, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
