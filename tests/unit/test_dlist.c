/*
 * test_dlist: libdrac's server list parser (lib/dlist.c).  Exact
 * results for the forms the man page documents, an error quoting the
 * element for every malformed one, the port bounds, and a seeded
 * round trip of random lists.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "defs.h"
#include "dlist.h"
#include "testutil.h"

#define MAX	DRAC_MAX_SERVERS

static struct dlist_server v[MAX + 1];
static char err[256];

static int
parse(const char *s)
{
	memset(v, 0, sizeof(v));
	err[0] = '\0';
	return dlist_parse(s, v, MAX, err, sizeof(err));
}

static void
one_ok(const char *s, const char *host, unsigned int port)
{
	assert_int_equal(parse(s), 1);
	assert_string_equal(v[0].host, host);
	assert_int_equal(v[0].port, port);
	assert_string_equal(v[0].name, s);
}

static void
forms(void **state)
{
	(void)state;
	one_ok("localhost", "localhost", 0);
	one_ok("mx.example.org:5000", "mx.example.org", 5000);
	one_ok("10.1.2.3", "10.1.2.3", 0);
	one_ok("10.1.2.3:1", "10.1.2.3", 1);
	one_ok("10.1.2.3:65535", "10.1.2.3", 65535);
	one_ok("[::1]:111", "::1", 111);
	one_ok("[2001:db8::1]", "2001:db8::1", 0);
	one_ok("::1", "::1", 0);
	one_ok("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1", 0);
	one_ok("[fe80::1%lo]:7", "fe80::1%lo", 7);
}

static void
defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), 1);
	assert_string_equal(v[0].host, DRAC_DEFAULT_SERVER);
	assert_int_equal(v[0].port, 0);
	assert_int_equal(parse(""), 1);
	assert_string_equal(v[0].host, DRAC_DEFAULT_SERVER);
}

static void
lists(void **state)
{
	(void)state;
	assert_int_equal(parse("a,b:2,[::1]:3,::2"), 4);
	assert_string_equal(v[0].host, "a");
	assert_int_equal(v[0].port, 0);
	assert_string_equal(v[1].host, "b");
	assert_int_equal(v[1].port, 2);
	assert_string_equal(v[1].name, "b:2");
	assert_string_equal(v[2].host, "::1");
	assert_int_equal(v[2].port, 3);
	assert_string_equal(v[2].name, "[::1]:3");
	assert_string_equal(v[3].host, "::2");
	assert_int_equal(v[3].port, 0);
}

/* Each bad list: -1 and this exact message. */
static const struct {
	const char *in, *msg;
} bad[] = {
	{ ",", "server \"\": empty server name" },
	{ "a,", "server \"\": empty server name" },
	{ ",a", "server \"\": empty server name" },
	{ "a,,b", "server \"\": empty server name" },
	{ "host:", "server \"host:\": port must be a number from 1 to 65535" },
	{ "host:0", "server \"host:0\": port must be a number from 1 to 65535" },
	{ "host:65536", "server \"host:65536\": port must be a number from 1 to 65535" },
	{ "host:99999999999", "server \"host:99999999999\": port must be a number from 1 to 65535" },
	{ "host:1x", "server \"host:1x\": port must be a number from 1 to 65535" },
	{ "host:+1", "server \"host:+1\": port must be a number from 1 to 65535" },
	{ "host:-1", "server \"host:-1\": port must be a number from 1 to 65535" },
	{ "host: 1", "server \"host: 1\": port must be a number from 1 to 65535" },
	{ ":111", "server \":111\": empty host name" },
	{ "[::1", "server \"[::1\": missing ']'" },
	{ "[::1]x", "server \"[::1]x\": expected ':port' after ']'" },
	{ "[::1]:", "server \"[::1]:\": port must be a number from 1 to 65535" },
	{ "[::1]:0", "server \"[::1]:0\": port must be a number from 1 to 65535" },
	{ "[host]:1", "server \"[host]:1\": brackets are for IPv6 addresses" },
	{ "[]:1", "server \"[]:1\": brackets are for IPv6 addresses" },
	{ "h ost", "server \"h ost\": bad character in host name" },
	{ "ho]st", "server \"ho]st\": bad character in host name" },
	{ "a,b\tc", "server \"b\tc\": bad character in host name" },
};

static void
malformed(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse(bad[i].in) != -1 || strcmp(err, bad[i].msg) != 0)
			fail_msg("\"%s\": got \"%s\", want \"%s\"", bad[i].in,
			    err, bad[i].msg);
	}
}

static void
limits(void **state)
{
	char s[4 * (MAX + 1) + 1], name[DLIST_NAME_MAX + 2];
	int i;

	(void)state;
	s[0] = '\0';
	for (i = 0; i < MAX; i++)
		strcat(s, i == 0 ? "h" : ",h");
	assert_int_equal(parse(s), MAX);
	strcat(s, ",h");
	assert_int_equal(parse(s), -1);
	assert_string_equal(err, "more than 16 servers");

	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	assert_int_equal(parse(name), -1);
	assert_string_equal(err, "server \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\": name too long");
	name[DLIST_HOST_MAX - 1] = '\0';	/* the longest host kept */
	assert_int_equal(parse(name), 1);
	assert_string_equal(v[0].host, name);
}

/* Random lists of names and ports written out and parsed back. */
static void
round_trip(void **state)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyz0123456789.-";
	char s[MAX * 64], host[MAX][32];
	unsigned int port[MAX];
	int round, n, i, j, len;
	size_t off;

	(void)state;
	for (round = 0; round < 2000; round++) {
		n = 1 + (int)tu_below(MAX);
		off = 0;
		for (i = 0; i < n; i++) {
			len = 1 + (int)tu_below(20);
			for (j = 0; j < len; j++)
				host[i][j] = alnum[tu_below(sizeof(alnum) - 1)];
			host[i][len] = '\0';
			port[i] = tu_below(3) == 0 ? 0 : 1 + tu_below(65535);
			off += (size_t)snprintf(s + off, sizeof(s) - off,
			    port[i] ? "%s%s:%u" : "%s%s", i ? "," : "",
			    host[i], port[i]);
		}
		if (parse(s) != n)
			fail_msg("\"%s\": %s", s, err);
		for (i = 0; i < n; i++) {
			assert_string_equal(v[i].host, host[i]);
			assert_int_equal(v[i].port, port[i]);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(forms),
		cmocka_unit_test(defaults),
		cmocka_unit_test(lists),
		cmocka_unit_test(malformed),
		cmocka_unit_test(limits),
		cmocka_unit_test(round_trip),
	};

	tu_seed("test_dlist");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
