/*
 * test_dracdb.c: dracdb's parts that need no daemon.  The dump parser
 * against a file with broken lines (messages and resulting entries), the
 * sort order and lookup as a seeded property, the host syntax, the names
 * of "how", the text and JSON output byte for byte, and the offline
 * reader's join of the map with the state file and its successor.
 */
#include <arpa/inet.h>
#include <db.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "defs.h"
#include "dracdb.h"
#include "statefile.h"
#include "testutil.h"

static struct tu_text msgs;

static void
collect(const char *msg)
{
	tu_appendf(&msgs, "%s\n", msg);
}

static char *
write_temp(const char *text)
{
	static char path[64];
	FILE *fp;
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_dracdb.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	fp = fdopen(fd, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return path;
}

static void
test_load_golden(void **state)
{
	static const char input[] =
	    "# dracdb dump: address expires [user]\n"
	    "192.0.2.10 1800000000 alice\n"
	    "\n"
	    "   # indented comment\n"
	    "2001:DB8::5 1800000001\n"
	    "IPv6:2001:db8::6 1800000002 bob smith  \n"
	    "300.1.2.3 1800000000\n"
	    "192.0.2.11\n"
	    "192.0.2.12 -5\n"
	    "192.0.2.13 12x\n"
	    "192.0.2.14 99999999999999999999999\n"
	    "192.0.2.15 1800000000 "
	    "u2345678901234567890123456789012345678901234567890123456789012345\n"
	    "192.0.2.16 1800000000 "
	    "u234567890123456789012345678901234567890123456789012345678901234\n";
	static const char want[] =
	    "%s:7: not an IPv4 or IPv6 address\n"
	    "%s:8: no expiry time after the address\n"
	    "%s:9: expiry time is not a decimal number\n"
	    "%s:10: expiry time is not a decimal number\n"
	    "%s:11: expiry time is not a decimal number\n"
	    "%s:12: user name longer than 64 bytes\n";
	struct elist l = { NULL, 0, 0 };
	char err[256], expect[1024], addr[DRACADDR_TEXT_MAX];
	char *path = write_temp(input);
	int bad;

	(void)state;
	msgs.len = 0;
	bad = load_text(path, &l, collect, err, sizeof(err));
	assert_int_equal(bad, 6);
	snprintf(expect, sizeof(expect), want, path, path, path, path, path,
	    path);
	assert_string_equal(msgs.s, expect);
	assert_int_equal(l.n, 4);
	dracaddr_format(&l.v[0].addr, addr, sizeof(addr));
	assert_string_equal(addr, "192.0.2.10");
	assert_true(l.v[0].expires == 1800000000LL);
	assert_string_equal(l.v[0].user, "alice");
	dracaddr_format(&l.v[1].addr, addr, sizeof(addr));
	assert_string_equal(addr, "2001:db8::5");
	assert_string_equal(l.v[1].user, "");
	assert_string_equal(l.v[2].user, "bob smith");
	assert_int_equal(strlen(l.v[3].user), 64);
	unlink(path);
	elist_free(&l);
}

static void
test_load_missing(void **state)
{
	struct elist l = { NULL, 0, 0 };
	char err[256];

	(void)state;
	assert_int_equal(load_text("/nonexistent/dump", &l, collect, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/dump: No such file or "
	    "directory");
}

static void
test_load_long_line(void **state)
{
	struct elist l = { NULL, 0, 0 };
	char err[256], *text, *path;
	size_t n = 2000;
	int bad;

	(void)state;
	text = malloc(n + 64);
	assert_non_null(text);
	memset(text, 'x', n);
	snprintf(text + n, 64, "\n192.0.2.1 1800000000\n");
	path = write_temp(text);
	msgs.len = 0;
	bad = load_text(path, &l, collect, err, sizeof(err));
	assert_int_equal(bad, 1);
	assert_non_null(strstr(msgs.s, ":1: line longer than 512 bytes"));
	assert_int_equal(l.n, 1);	/* the next line is line 2, and good */
	unlink(path);
	free(text);
	elist_free(&l);
}

/* Property: sorted means IPv4 before IPv6, each ascending; find finds. */
static void
test_sort_find(void **state)
{
	struct elist l = { NULL, 0, 0 };
	struct entry e;
	uint32_t v4;
	size_t i;
	int round, n;

	(void)state;
	for (round = 0; round < 50; round++) {
		n = (int)tu_below(300) + 1;
		for (i = 0; i < (size_t)n; i++) {
			memset(&e, 0, sizeof(e));
			if (tu_below(2)) {
				v4 = (uint32_t)tu_rand();
				dracaddr_from_v4(v4, &e.addr);
			} else {
				tu_bytes(e.addr.b, sizeof(e.addr.b));
				e.addr.b[0] = 0x20;
			}
			e.expires = (long long)i;
			assert_int_equal(elist_push(&l, &e), 0);
		}
		elist_sort(&l);
		for (i = 1; i < l.n; i++) {
			int a4 = dracaddr_is_v4(&l.v[i - 1].addr);
			int b4 = dracaddr_is_v4(&l.v[i].addr);

			assert_true(a4 >= b4);
			if (a4 == b4)
				assert_true(memcmp(l.v[i - 1].addr.b,
				    l.v[i].addr.b, 16) <= 0);
		}
		for (i = 0; i < l.n; i++)
			assert_non_null(elist_find(&l, &l.v[i].addr));
		memset(&e, 0, sizeof(e));
		e.addr.b[0] = 0xfe;	/* never generated */
		assert_null(elist_find(&l, &e.addr));
		elist_free(&l);
	}
}

static void
test_split_host(void **state)
{
	static const struct {
		const char *spec, *host, *port;
	} ok[] = {
		{ "localhost", "localhost", "" },
		{ "mx.example.org:7413", "mx.example.org", "7413" },
		{ "127.0.0.1:1", "127.0.0.1", "1" },
		{ "[::1]:7413", "::1", "7413" },
		{ "[2001:db8::1]", "2001:db8::1", "" },
		{ "2001:db8::1", "2001:db8::1", "" },
		{ "::1", "::1", "" },
	};
	static const char *const bad[] = { "", "[::1", "[::1]x", ":7413",
	    "[]:1" };
	char host[256], port[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(remote_split_host(ok[i].spec, host,
		    sizeof(host), port, sizeof(port)), 0);
		assert_string_equal(host, ok[i].host);
		assert_string_equal(port, ok[i].port);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(remote_split_host(bad[i], host, sizeof(host),
		    port, sizeof(port)), -1);
}

static void
test_how(void **state)
{
	int h, i;

	(void)state;
	for (i = 0; i <= HOW_MAXVAL; i++) {
		assert_int_equal(how_parse(how_name(i), &h), 0);
		assert_int_equal(h, i);
		assert_int_equal(how_parse((char []){ (char)('0' + i), 0 },
		    &h), 0);
		assert_int_equal(h, i);
	}
	assert_string_equal(how_name(3), "v3");
	assert_string_equal(how_name(99), "unknown");
	assert_int_equal(how_parse("5", &h), -1);
	assert_int_equal(how_parse("v4", &h), -1);
	assert_int_equal(how_parse("", &h), -1);
}

/* Runs fn with stdout sent to a file; returns what it wrote. */
static char *
capture(void (*fn)(void *), void *arg)
{
	char path[] = "/tmp/test_dracdb_out.XXXXXX";
	size_t len;
	char *s;
	int fd, saved;

	fflush(stdout);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	saved = dup(STDOUT_FILENO);
	dup2(fd, STDOUT_FILENO);
	fn(arg);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fd);
	s = tu_slurp(path, &len);
	unlink(path);
	assert_non_null(s);
	return s;
}

static struct elist out_list;

static void
run_text(void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < out_list.n; i++)
		out_entry(&out_list.v[i], 1800000000LL - 100);
}

static void
run_json(void *arg)
{
	(void)arg;
	out_entries_json(&out_list, 1800000000LL - 100);
}

static void
run_dump(void *arg)
{
	(void)arg;
	out_dump(&out_list, 1800000000LL - 100);
}

static void
add_out(const char *addr, long long expires, const char *user, int how,
    unsigned int ttl)
{
	struct entry e;

	memset(&e, 0, sizeof(e));
	assert_int_equal(dracaddr_parse(addr, &e.addr), 0);
	e.expires = expires;
	e.how = how;
	e.ttl = ttl;
	e.added = ttl ? expires - ttl : 0;
	snprintf(e.user, sizeof(e.user), "%s", user);
	assert_int_equal(elist_push(&out_list, &e), 0);
}

static void
test_output(void **state)
{
	char *s;

	(void)state;
	setenv("TZ", "UTC", 1);
	out_list.n = 0;
	add_out("192.0.2.10", 1800000000LL, "alice", HOW_V3, 1800);
	add_out("2001:db8::5", 1800000000LL - 200, "", HOW_MAP, 0);
	add_out("192.0.2.11", 1800000000LL, "q\"b\\s\tx\xc3\xa9\xff", HOW_V1,
	    60);

	s = capture(run_text, NULL);
	assert_string_equal(s,
	    "192.0.2.10 2027-01-15T08:00:00+0000 100 v3 alice\n"
	    "2001:db8::5 2027-01-15T07:56:40+0000 0 map -\n"
	    "192.0.2.11 2027-01-15T08:00:00+0000 100 v1 "
	    "q\"b\\134s\\011x\\303\\251\\377\n");
	free(s);

	s = capture(run_json, NULL);
	assert_string_equal(s, "[\n"
	    "  {\"address\":\"192.0.2.10\",\"expires\":1800000000,"
	    "\"expires_local\":\"2027-01-15T08:00:00+0000\","
	    "\"seconds_left\":100,\"added\":1799998200,\"ttl\":1800,"
	    "\"how\":\"v3\",\"user\":\"alice\"},\n"
	    "  {\"address\":\"2001:db8::5\",\"expires\":1799999800,"
	    "\"expires_local\":\"2027-01-15T07:56:40+0000\","
	    "\"seconds_left\":0,\"added\":null,\"ttl\":null,"
	    "\"how\":\"map\",\"user\":null},\n"
	    "  {\"address\":\"192.0.2.11\",\"expires\":1800000000,"
	    "\"expires_local\":\"2027-01-15T08:00:00+0000\","
	    "\"seconds_left\":100,\"added\":1799999940,\"ttl\":60,"
	    "\"how\":\"v1\",\"user\":\"q\\\"b\\\\s\\u0009x\xc3\xa9\\u00ff\"}\n"
	    "]\n");
	free(s);

	s = capture(run_dump, NULL);
	assert_string_equal(s, "# dracdb dump: address expires [user]\n"
	    "192.0.2.10 1800000000 alice\n"
	    "192.0.2.11 1800000000 q\"b\\s?x\xc3\xa9\xff\n");
	free(s);

	out_list.n = 0;
	s = capture(run_json, NULL);
	assert_string_equal(s, "[]\n");
	free(s);
	elist_free(&out_list);
}

static void
run_counters(void *arg)
{
	out_counters(arg);
}

static void
run_counters_json(void *arg)
{
	out_counters_json(arg);
}

static void
test_counters(void **state)
{
	struct clist c = { NULL, 0, 0 };
	char *s;
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		assert_int_equal(clist_push(&c, "n", (unsigned long long)i), 0);
	assert_int_equal(c.n, 200);
	assert_true(c.v[199].value == 199);
	clist_free(&c);
	assert_int_equal(clist_push(&c, "calls_v1_add",
	    18446744073709551615ULL), 0);
	assert_int_equal(clist_push(&c, "live", 3), 0);
	s = capture(run_counters, &c);
	assert_string_equal(s, "calls_v1_add 18446744073709551615\nlive 3\n");
	free(s);
	s = capture(run_counters_json, &c);
	assert_string_equal(s,
	    "{\n  \"calls_v1_add\":18446744073709551615,\n  \"live\":3\n}\n");
	free(s);
	clist_free(&c);
}

/* A state file at path with these records, each as an ADD or a DROP. */
static void
write_state(const char *path, const struct staterec *r, int n)
{
	unsigned char buf[STATEREC_MAX], head[STATEFILE_HEADER];
	size_t len;
	int fd, i;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	statefile_header(head);
	assert_int_equal(write(fd, head, sizeof(head)), sizeof(head));
	for (i = 0; i < n; i++) {
		len = statefile_encode(&r[i], buf);
		assert_int_equal(write(fd, buf, len), (ssize_t)len);
	}
	close(fd);
}

static void
state_rec(struct staterec *r, const char *addr, long long expires,
    const char *user)
{
	struct dracaddr a;

	assert_int_equal(dracaddr_parse(addr, &a), 0);
	tu_staterec(r, &a, expires, user);
}

/*
 * Offline, a record counts for the map's entry when it carries the
 * entry's expiry, the last one winning, a DROP clearing; the file a
 * compaction writes (.new) is read after the state file.
 */
static void
test_offline_state(void **state)
{
	char dir[] = "/tmp/test_dracdb.XXXXXX", map[64], sp[80], np[96];
	const char *addr[3] = { "10.1.2.3", "10.1.2.4", "10.1.2.5" };
	long long exp = 4000000000LL;
	struct staterec r[3];
	struct elist l = { NULL, 0, 0 };
	struct entry *e;
	struct dracaddr a;
	char err[256], val[16];
	DB *db;
	DBT k, v;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(map, sizeof(map), "%s/dracd.db", dir);
	snprintf(sp, sizeof(sp), "%s%s", map, DRAC_STATE_SUFFIX);
	snprintf(np, sizeof(np), "%s%s", sp, DRAC_NEW_SUFFIX);
	assert_int_equal(db_create(&db, NULL, 0), 0);
	assert_int_equal(db->open(db, NULL, map, NULL, DB_BTREE, DB_CREATE,
	    0600), 0);
	for (i = 0; i < 3; i++) {
		memset(&k, 0, sizeof(k));
		memset(&v, 0, sizeof(v));
		k.data = (void *)(uintptr_t)addr[i];
		k.size = (u_int32_t)strlen(addr[i]);
		v.size = (u_int32_t)snprintf(val, sizeof(val), "%lld", exp);
		v.data = val;
		assert_int_equal(db->put(db, NULL, &k, &v, 0), 0);
	}
	assert_int_equal(db->close(db, 0), 0);
	state_rec(&r[0], addr[0], exp, "old");
	state_rec(&r[1], addr[1], exp, "alice");
	state_rec(&r[2], addr[2], exp - 1, "mallory");	/* not its expiry */
	write_state(sp, r, 3);
	state_rec(&r[0], addr[0], exp, "new");
	state_rec(&r[1], addr[1], 0, NULL);		/* a DROP */
	write_state(np, r, 2);
	msgs.len = 0;
	assert_int_equal(mapfile_read(map, &l, collect, err, sizeof(err)), 0);
	assert_int_equal(l.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(dracaddr_parse(addr[i], &a), 0);
		assert_non_null(e = elist_find(&l, &a));
		assert_string_equal(e->user, i == 0 ? "new" : "");
		assert_int_equal(e->how, i == 0 ? HOW_V3 : HOW_MAP);
	}
	elist_free(&l);
	snprintf(err, sizeof(err), "rm -rf %s", dir);
	assert_int_equal(system(err), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_golden),
		cmocka_unit_test(test_load_missing),
		cmocka_unit_test(test_load_long_line),
		cmocka_unit_test(test_sort_find),
		cmocka_unit_test(test_split_host),
		cmocka_unit_test(test_how),
		cmocka_unit_test(test_output),
		cmocka_unit_test(test_counters),
		cmocka_unit_test(test_offline_state),
	};
	int rc;

	tu_seed("test_dracdb");
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_text_free(&msgs);
	return rc;
}
