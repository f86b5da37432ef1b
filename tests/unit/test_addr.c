/*
 * test_addr.c: common/addr.c, the address type and the map's key and
 * value encodings, which MTAs read: a change here breaks their lookups.
 * Round trips use random addresses; DRAC_SEED repeats a run.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "defs.h"
#include "testutil.h"

#define ROUNDS	5000

static const int variants[] = {
	0, DRACKEY_CIDR, DRACKEY_NUL, DRACKEY_CIDR | DRACKEY_NUL
};

static void
must_parse(const char *s, struct dracaddr *a)
{
	if (dracaddr_parse(s, a) != 0)
		fail_msg("dracaddr_parse(\"%s\") failed", s);
}

static void
v6_bytes(const char *s, uint8_t b[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, b), 1);
}

/* A random address: IPv4 half of the time, mapped form then. */
static void
random_addr(struct dracaddr *a)
{
	if (tu_below(2) == 0)
		dracaddr_from_v4((uint32_t)tu_rand(), a);
	else
		tu_bytes(a->b, 16);
}

/* ---- parse ---- */

static void
test_parse_v4(void **state)
{
	static const uint8_t want[16] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 1, 2, 3
	};
	struct dracaddr a, b;

	(void)state;
	must_parse("10.1.2.3", &a);
	assert_memory_equal(a.b, want, 16);
	assert_true(dracaddr_is_v4(&a));
	assert_int_equal(dracaddr_v4(&a), inet_addr("10.1.2.3"));
	/* Every spelling of the same IPv4 address is the same address. */
	must_parse("::ffff:10.1.2.3", &b);
	assert_memory_equal(&a, &b, sizeof(a));
	must_parse("::FFFF:a01:203", &b);
	assert_memory_equal(&a, &b, sizeof(a));
	must_parse("[10.1.2.3]", &b);
	assert_memory_equal(&a, &b, sizeof(a));
	must_parse("IPv6:::ffff:10.1.2.3", &b);
	assert_memory_equal(&a, &b, sizeof(a));
	must_parse("0.0.0.0", &b);
	assert_true(dracaddr_is_v4(&b));
	must_parse("255.255.255.255", &b);
	assert_int_equal(dracaddr_v4(&b), 0xffffffffU);
}

static void
test_parse_v6(void **state)
{
	uint8_t want[16];
	struct dracaddr a;

	(void)state;
	v6_bytes("2001:db8::1", want);
	must_parse("2001:db8::1", &a);
	assert_memory_equal(a.b, want, 16);
	assert_false(dracaddr_is_v4(&a));
	must_parse("2001:DB8:0:0:0:0:0:1", &a);
	assert_memory_equal(a.b, want, 16);
	/* sendmail's ${client_addr} carries a tag, any case. */
	must_parse("IPv6:2001:db8::1", &a);
	assert_memory_equal(a.b, want, 16);
	must_parse("ipv6:2001:db8::1", &a);
	assert_memory_equal(a.b, want, 16);
	must_parse("[2001:db8::1]", &a);
	assert_memory_equal(a.b, want, 16);
	must_parse("IPv6:[2001:db8::1]", &a);
	assert_memory_equal(a.b, want, 16);
	must_parse("::", &a);
	assert_false(dracaddr_is_v4(&a));
	must_parse("::1", &a);
	assert_false(dracaddr_is_v4(&a));
	/* Only ::ffff:0:0/96 is IPv4; the old compatible form is not. */
	must_parse("::10.1.2.3", &a);
	assert_false(dracaddr_is_v4(&a));
	must_parse("64:ff9b::10.1.2.3", &a);
	assert_false(dracaddr_is_v4(&a));
}

static void
test_parse_bad(void **state)
{
	static const char *const bad[] = {
		"", " ", "10.1.2", "10.1.2.3.4", "256.1.2.3", "10.1.2.-3",
		"010.1.2.3", "0x0a.1.2.3", "10.1.2.3 ", " 10.1.2.3",
		"10.1.2.3/32", "localhost", "mail.example.com",
		"[10.1.2.3", "10.1.2.3]", "[]", "[[::1]]", "IPv6:",
		"IPv6:10.1.2.3x", "IPv4:10.1.2.3", "2001:db8:::1",
		"2001:db8::1::2", "1:2:3:4:5:6:7:8:9", "fe80::1%lo",
		"::ffff:10.1.2.300", "2001:db8::g",
		"1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb",
		"[1111:2222:3333:4444:5555:6666:255.255.255.255]xxxxxxxxxx",
	};
	struct dracaddr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dracaddr_parse(bad[i], &a) != -1)
			fail_msg("dracaddr_parse accepted \"%s\"", bad[i]);
}

static void
test_from_sockaddr(void **state)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr_un sun;
	struct dracaddr a, want;

	(void)state;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = inet_addr("192.0.2.9");
	assert_int_equal(dracaddr_from_sockaddr((struct sockaddr *)&sin,
	    sizeof(sin), &a), 0);
	must_parse("192.0.2.9", &want);
	assert_memory_equal(&a, &want, sizeof(a));
	assert_int_equal(dracaddr_from_sockaddr((struct sockaddr *)&sin,
	    sizeof(sin) - 1, &a), -1);

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	v6_bytes("::ffff:192.0.2.9", sin6.sin6_addr.s6_addr);
	assert_int_equal(dracaddr_from_sockaddr((struct sockaddr *)&sin6,
	    sizeof(sin6), &a), 0);
	assert_memory_equal(&a, &want, sizeof(a));
	v6_bytes("2001:db8::9", sin6.sin6_addr.s6_addr);
	assert_int_equal(dracaddr_from_sockaddr((struct sockaddr *)&sin6,
	    sizeof(sin6), &a), 0);
	must_parse("2001:db8::9", &want);
	assert_memory_equal(&a, &want, sizeof(a));
	assert_int_equal(dracaddr_from_sockaddr((struct sockaddr *)&sin6,
	    sizeof(sin), &a), -1);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_int_equal(dracaddr_from_sockaddr((struct sockaddr *)&sun,
	    sizeof(sun), &a), -1);
}

static void
test_v4_helpers(void **state)
{
	struct dracaddr a;
	uint8_t v6[16];
	uint32_t v;
	int i;

	(void)state;
	for (i = 0; i < ROUNDS; i++) {
		v = (uint32_t)tu_rand();
		dracaddr_from_v4(v, &a);
		assert_true(dracaddr_is_v4(&a));
		assert_int_equal(dracaddr_v4(&a), v);
		tu_bytes(v6, 16);
		v6[10] ^= 0x01;		/* never the mapped prefix */
		dracaddr_from_v6(v6, &a);
		assert_memory_equal(a.b, v6, 16);
		assert_false(dracaddr_is_v4(&a));
	}
}

/* ---- classification ---- */

static void
test_unusable(void **state)
{
	static const struct {
		const char *addr, *why;
	} cases[] = {
		{ "0.0.0.0", "unspecified address" },
		{ "::ffff:0.0.0.0", "unspecified address" },
		{ "255.255.255.255", "broadcast address" },
		{ "224.0.0.1", "multicast address" },
		{ "239.255.255.255", "multicast address" },
		{ "::ffff:230.1.2.3", "multicast address" },
		{ "0.1.2.3", "address in 0.0.0.0/8" },
		{ "0.255.255.255", "address in 0.0.0.0/8" },
		{ "::", "unspecified address" },
		{ "ff02::1", "multicast address" },
		{ "ff0e::1:3", "multicast address" },
		{ "1.0.0.0", NULL },
		{ "10.1.2.3", NULL },
		{ "127.0.0.1", NULL },
		{ "223.255.255.255", NULL },
		{ "240.0.0.1", NULL },
		{ "255.255.255.254", NULL },
		{ "::1", NULL },
		{ "::2", NULL },
		{ "2001:db8::1", NULL },
		{ "fe80::1", NULL },
		{ "feff::1", NULL },
	};
	struct dracaddr a;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		must_parse(cases[i].addr, &a);
		why = dracaddr_unusable(&a);
		if (cases[i].why == NULL && why != NULL)
			fail_msg("%s: unusable (%s)", cases[i].addr, why);
		if (cases[i].why != NULL && (why == NULL ||
		    strcmp(why, cases[i].why) != 0))
			fail_msg("%s: got %s, want %s", cases[i].addr,
			    why ? why : "usable", cases[i].why);
	}
}

/* ---- text ---- */

static void
test_format(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "10.1.2.3", "10.1.2.3" },
		{ "::ffff:10.1.2.3", "10.1.2.3" },
		{ "IPv6:::FFFF:10.1.2.3", "10.1.2.3" },
		{ "0.0.0.0", "0.0.0.0" },
		{ "2001:DB8:0:0:0:0:0:1", "2001:db8::1" },
		{ "2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1" },
		{ "::", "::" },
		{ "::1", "::1" },
		{ "fe80::", "fe80::" },
		{ "1111:2222:3333:4444:5555:6666:7777:8888",
		    "1111:2222:3333:4444:5555:6666:7777:8888" },
	};
	char buf[DRACADDR_TEXT_MAX], small[8];
	struct dracaddr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		must_parse(cases[i].in, &a);
		dracaddr_format(&a, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].out);
	}
	/* Too small: an empty string, never an overflow. */
	must_parse("2001:db8::1", &a);
	memset(small, 'x', sizeof(small));
	dracaddr_format(&a, small, 4);
	assert_string_equal(small, "");
	assert_int_equal(small[4], 'x');
	dracaddr_format(&a, small, 0);
	assert_int_equal(small[0], '\0');
}

/* Text out and back in gives the same 16 bytes. */
static void
test_prop_format_parse(void **state)
{
	char buf[DRACADDR_TEXT_MAX];
	struct dracaddr a, b;
	int i;

	(void)state;
	for (i = 0; i < ROUNDS; i++) {
		random_addr(&a);
		dracaddr_format(&a, buf, sizeof(buf));
		assert_true(strlen(buf) > 0);
		assert_int_equal(dracaddr_parse(buf, &b), 0);
		assert_memory_equal(&a, &b, sizeof(a));
	}
}

/*
 * An IPv6 address whose groups are zero half the time, so that runs of
 * zeros of every length and place come up, and now and then one that
 * is IPv4-compatible (::a.b.c.d).  Not IPv4-mapped: that is IPv4 here.
 */
static void
zeroish_v6(uint8_t v6[16])
{
	int g;

	tu_bytes(v6, 16);
	for (g = 0; g < 8; g++)
		if (tu_below(2) == 0)
			v6[2 * g] = v6[2 * g + 1] = 0;
	if (tu_below(8) == 0)
		memset(v6, 0, 12);
	if (memcmp(v6, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
		v6[0] = 1;
}

/*
 * The daemon formats keys and values itself: the same text as inet_ntop
 * and snprintf, for every size of buffer (too small: "" or 0).
 */
static void
test_prop_format_like_libc(void **state)
{
	char buf[DRACADDR_TEXT_MAX], want[DRACADDR_TEXT_MAX];
	char val[32], wantval[32];
	struct dracaddr a;
	uint8_t v6[16];
	uint32_t net;
	long long v;
	size_t size;
	int i, n;

	(void)state;
	for (i = 0; i < ROUNDS; i++) {
		tu_bytes(&net, sizeof(net));
		dracaddr_from_v4(net, &a);
		size = tu_below(sizeof(buf) + 1);
		memset(buf, 'x', sizeof(buf));
		dracaddr_format(&a, buf, size);
		if (inet_ntop(AF_INET, &net, want, (socklen_t)size) == NULL)
			want[0] = '\0';
		if (size > 0)
			assert_string_equal(buf, want);
		else
			assert_int_equal(buf[0], 'x');

		zeroish_v6(v6);
		dracaddr_from_v6(v6, &a);
		size = tu_below(sizeof(buf) + 1);
		memset(buf, 'x', sizeof(buf));
		dracaddr_format(&a, buf, size);
		if (inet_ntop(AF_INET6, v6, want, (socklen_t)size) == NULL)
			want[0] = '\0';
		if (size > 0)
			assert_string_equal(buf, want);
		else
			assert_int_equal(buf[0], 'x');

		tu_bytes(&v, sizeof(v));
		v >>= tu_below(64);	/* short numbers too */
		size = tu_below(sizeof(val) + 1);
		n = snprintf(wantval, sizeof(wantval), "%lld", v);
		if ((size_t)n >= size)
			assert_int_equal(dracaddr_value(v, 0, val, size), 0);
		else {
			assert_int_equal(dracaddr_value(v, 0, val, size), n);
			assert_string_equal(val, wantval);
		}
	}
	assert_int_equal(dracaddr_value(-9223372036854775807LL - 1, 0, val,
	    sizeof(val)), 20);
	assert_string_equal(val, "-9223372036854775808");
	/* The all-zero address and the longest text. */
	memset(v6, 0, sizeof(v6));
	dracaddr_from_v6(v6, &a);
	dracaddr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "::");
	memcpy(v6, "\xff\xff\xff\xff\0\0\xff\xff\xff\xff\xff\xff\xff\xff"
	    "\xff\xff", 16);
	dracaddr_from_v6(v6, &a);
	dracaddr_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "ffff:ffff:0:ffff:ffff:ffff:ffff:ffff");
}

/*
 * Strings of digits and dots, most of them near a dotted quad: parsed
 * (as text and as a map key) exactly when inet_pton(AF_INET) takes them,
 * to the same address.
 */
static void
test_prop_quad_like_inet_pton(void **state)
{
	static const char *const parts[] = { "0", "1", "9", "10", "00", "01",
	    "99", "100", "199", "255", "256", "300", "999", "0255", "", "." };
	char buf[64];
	struct in_addr in4;
	struct dracaddr a, want;
	size_t len;
	int i, j, n, ok;

	(void)state;
	for (i = 0; i < ROUNDS * 20; i++) {
		len = 0;
		buf[0] = '\0';
		n = 1 + (int)tu_below(6);
		for (j = 0; j < n; j++) {
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
			    "%s%s", j ? "." : "",
			    parts[tu_below(sizeof(parts) / sizeof(parts[0]))]);
			if (len >= 40)
				break;
		}
		ok = inet_pton(AF_INET, buf, &in4) == 1;
		if (ok)
			dracaddr_from_v4(in4.s_addr, &want);
		if (dracaddr_parse(buf, &a) != (ok ? 0 : -1))
			fail_msg("dracaddr_parse(\"%s\"): inet_pton says %d",
			    buf, ok);
		if (ok)
			assert_memory_equal(&a, &want, sizeof(a));
		if (dracaddr_from_key(buf, strlen(buf), 0, &a) != (ok ? 0 : -1))
			fail_msg("dracaddr_from_key(\"%s\"): inet_pton says %d",
			    buf, ok);
		if (ok)
			assert_memory_equal(&a, &want, sizeof(a));
	}
}

/* ---- map keys and values ---- */

static void
check_key(const char *addr, int flags, const char *want, size_t wantlen)
{
	char buf[DRAC_KEY_MAX];
	struct dracaddr a, b;
	size_t len;

	must_parse(addr, &a);
	memset(buf, 'x', sizeof(buf));
	len = dracaddr_key(&a, flags, buf, sizeof(buf));
	if (len != wantlen || memcmp(buf, want, wantlen) != 0)
		fail_msg("key of %s, flags %d: got %zu bytes \"%.*s\", want "
		    "%zu \"%s\"", addr, flags, len, (int)len, buf, wantlen,
		    want);
	assert_int_equal(dracaddr_from_key(buf, len, flags, &b), 0);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void
test_key_variants(void **state)
{
	(void)state;
	/* DRAC's map: the text alone, no NUL. */
	check_key("10.1.2.3", 0, "10.1.2.3", 8);
	check_key("::ffff:10.1.2.3", 0, "10.1.2.3", 8);
	check_key("2001:db8::1", 0, "2001:db8::1", 11);
	/* CIDR keys, for MTAs that look up "addr/32". */
	check_key("10.1.2.3", DRACKEY_CIDR, "10.1.2.3/32", 11);
	check_key("2001:db8::1", DRACKEY_CIDR, "2001:db8::1/128", 15);
	/* NUL-terminated keys count the NUL. */
	check_key("10.1.2.3", DRACKEY_NUL, "10.1.2.3", 9);
	check_key("2001:db8::1", DRACKEY_NUL, "2001:db8::1", 12);
	check_key("10.1.2.3", DRACKEY_CIDR | DRACKEY_NUL, "10.1.2.3/32", 12);
	check_key("::1", DRACKEY_CIDR | DRACKEY_NUL, "::1/128", 8);
	/* The longest key there is fits DRAC_KEY_MAX. */
	check_key("1111:2222:3333:4444:5555:6666:255.255.255.255",
	    DRACKEY_CIDR | DRACKEY_NUL,
	    "1111:2222:3333:4444:5555:6666:ffff:ffff/128", 44);
	check_key("::ffff:255.255.255.255", DRACKEY_CIDR | DRACKEY_NUL,
	    "255.255.255.255/32", 19);
}

static void
test_key_small_buffer(void **state)
{
	char buf[16];
	struct dracaddr a;

	(void)state;
	must_parse("10.1.2.3", &a);
	assert_int_equal(dracaddr_key(&a, 0, buf, 9), 8);
	assert_int_equal(dracaddr_key(&a, 0, buf, 8), 0);
	assert_int_equal(dracaddr_key(&a, DRACKEY_NUL, buf, 9), 9);
	assert_int_equal(buf[8], '\0');
	assert_int_equal(dracaddr_key(&a, DRACKEY_CIDR, buf, 11), 0);
	assert_int_equal(dracaddr_key(&a, DRACKEY_CIDR, buf, 12), 11);
	assert_int_equal(dracaddr_key(&a, 0, buf, 0), 0);
}

/* Every variant reads back under every variant's flags. */
static void
test_prop_key_round_trip(void **state)
{
	char buf[DRAC_KEY_MAX];
	struct dracaddr a, b;
	size_t len, i, j;
	int k;

	(void)state;
	for (k = 0; k < ROUNDS; k++) {
		random_addr(&a);
		for (i = 0; i < 4; i++) {
			len = dracaddr_key(&a, variants[i], buf, sizeof(buf));
			assert_true(len > 0);
			assert_int_equal(buf[len - 1] == '\0',
			    (variants[i] & DRACKEY_NUL) != 0);
			assert_null(memchr(buf, '\0', len -
			    ((variants[i] & DRACKEY_NUL) ? 1 : 0)));
			for (j = 0; j < 4; j++) {
				memset(&b, 0, sizeof(b));
				assert_int_equal(dracaddr_from_key(buf, len,
				    variants[j], &b), 0);
				assert_memory_equal(&a, &b, sizeof(a));
			}
		}
	}
}

static void
test_from_key_bad(void **state)
{
	static const struct {
		const char *key;
		size_t len;
	} bad[] = {
		{ "", 0 },
		{ "\0", 1 },
		{ "10.1.2.3/24", 11 },
		{ "10.1.2.3/128", 12 },
		{ "10.1.2.3/", 9 },
		{ "2001:db8::1/32", 14 },
		{ "2001:db8::1/64", 14 },
		{ "[10.1.2.3]", 10 },
		{ "[::1]", 5 },
		{ "IPv6:::1", 8 },
		{ "ipv6:2001:db8::1", 16 },
		{ "10.1\0.2.3", 9 },
		{ "10.1.2.3\0\0", 10 },
		{ "10.1.2.3 ", 9 },
		{ "mail.example.com", 16 },
		{ "10.1.2.3/32/32", 14 },
		{ "1111:2222:3333:4444:5555:6666:7777:8888/128xxxxxxxxx", 52 },
	};
	struct dracaddr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (dracaddr_from_key(bad[i].key, bad[i].len, 0, &a) != -1)
			fail_msg("dracaddr_from_key accepted key %zu \"%.*s\"",
			    i, (int)bad[i].len, bad[i].key);
	/* Not a NUL-terminated string: only len bytes are read. */
	assert_int_equal(dracaddr_from_key("10.1.2.34", 8, 0, &a), 0);
	assert_int_equal(dracaddr_v4(&a), inet_addr("10.1.2.3"));
}

static void
test_value(void **state)
{
	char buf[DRAC_VALUE_MAX];
	long long v;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(dracaddr_value(1700000000LL, 0, buf, sizeof(buf)),
	    10);
	assert_memory_equal(buf, "1700000000", 10);
	assert_int_equal(dracaddr_value(1700000000LL, DRACKEY_NUL, buf,
	    sizeof(buf)), 11);
	assert_memory_equal(buf, "1700000000", 11);
	assert_int_equal(dracaddr_value(0, 0, buf, sizeof(buf)), 1);
	assert_memory_equal(buf, "0", 1);
	assert_int_equal(dracaddr_value(9223372036854775807LL, DRACKEY_NUL,
	    buf, sizeof(buf)), 20);
	assert_string_equal(buf, "9223372036854775807");
	/* CIDR changes keys only. */
	assert_int_equal(dracaddr_value(42, DRACKEY_CIDR, buf, sizeof(buf)),
	    2);
	assert_int_equal(dracaddr_value(1700000000LL, 0, buf, 10), 0);
	assert_int_equal(dracaddr_value(1700000000LL, 0, buf, 11), 10);

	assert_int_equal(dracaddr_parse_value("1700000000", 10, &v), 0);
	assert_int_equal(v, 1700000000LL);
	assert_int_equal(dracaddr_parse_value("1700000000", 11, &v), 0);
	assert_int_equal(v, 1700000000LL);
	assert_int_equal(dracaddr_parse_value("17000000009", 10, &v), 0);
	assert_int_equal(v, 1700000000LL);
	assert_int_equal(dracaddr_parse_value("9223372036854775807", 19,
	    &v), 0);
	assert_true(v == 9223372036854775807LL);
}

static void
test_value_bad(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "12x", "0x10", "1.5",
		"9223372036854775808", "99999999999999999999",
		"00000000000000000000000001",
	};
	long long v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = -7;
		if (dracaddr_parse_value(bad[i], strlen(bad[i]), &v) != -1)
			fail_msg("dracaddr_parse_value accepted \"%s\"",
			    bad[i]);
		assert_int_equal(v, -7);
	}
	assert_int_equal(dracaddr_parse_value("\0", 1, &v), -1);
}

/*
 * Only the last byte may be a NUL, as dracaddr_from_key insists for
 * keys: "1\0002" is a damaged value, not the expiry 1.
 */
static void
test_value_embedded_nul(void **state)
{
	long long v = -7;

	(void)state;
	assert_int_equal(dracaddr_parse_value("1\0" "2", 3, &v), -1);
	assert_int_equal(dracaddr_parse_value("17\0\0", 4, &v), -1);
	assert_int_equal(v, -7);
}

static void
test_prop_value_round_trip(void **state)
{
	char buf[DRAC_VALUE_MAX];
	long long v, w;
	size_t len;
	int i, flags;

	(void)state;
	for (i = 0; i < ROUNDS; i++) {
		v = (long long)(tu_rand() >> (1 + tu_below(63)));
		flags = (int)tu_below(4);
		len = dracaddr_value(v, flags, buf, sizeof(buf));
		assert_true(len > 0);
		assert_int_equal(dracaddr_parse_value(buf, len, &w), 0);
		assert_true(v == w);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_from_sockaddr),
		cmocka_unit_test(test_v4_helpers),
		cmocka_unit_test(test_unusable),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_prop_format_parse),
		cmocka_unit_test(test_prop_format_like_libc),
		cmocka_unit_test(test_prop_quad_like_inet_pton),
		cmocka_unit_test(test_key_variants),
		cmocka_unit_test(test_key_small_buffer),
		cmocka_unit_test(test_prop_key_round_trip),
		cmocka_unit_test(test_from_key_bad),
		cmocka_unit_test(test_value),
		cmocka_unit_test(test_value_bad),
		cmocka_unit_test(test_value_embedded_nul),
		cmocka_unit_test(test_prop_value_round_trip),
	};

	tu_seed("test_addr");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
