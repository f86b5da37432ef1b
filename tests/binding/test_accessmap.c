/*
 * test_accessmap.c: the access map parser and range matching.
 *
 * Golden files: tests/golden/binding/NAME.access are loaded; the
 * messages, the ranges and the answers to the "#? address" comment
 * lines must equal NAME.access.out.  Property test: for random ranges, the bit
 * just inside the prefix decides, the bits after it do not (IPv4 and
 * IPv6); DRAC_SEED repeats a run.
 */
#include <arpa/inet.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accessmap.h"
#include "golden.h"
#include "testutil.h"

#define ROUNDS	5000

static int
print_user(void *arg, const char *user, unsigned long line)
{
	tu_appendf(arg, " %s(line %lu)", user, line);
	return 0;
}

static void
lookups(const struct accessmap *m, const char *data, size_t len,
    struct tu_text *out)
{
	char line[128];
	const char *p = data, *end = data + len, *nl;
	struct dracaddr a;
	unsigned long relay;
	size_t n;

	tu_appendf(out, "lookups:\n");
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 3 && n < sizeof(line) && strncmp(p, "#? ", 3) == 0) {
			memcpy(line, p + 3, n - 3);
			line[n - 3] = '\0';
			if (dracaddr_parse(line, &a) != 0)
				tu_appendf(out, "%s: not an address\n", line);
			else {
				relay = accessmap_relay(m, &a);
				tu_appendf(out, "%s: relay %s, users:", line,
				    relay ? "yes" : "no");
				accessmap_users(m, &a, print_user, out);
				tu_appendf(out, "\n");
			}
		}
		p += n + 1;
	}
}

static void
golden_access(const char *name, const char *data, size_t len,
    struct tu_text *out)
{
	struct accessmap *m;
	char *s = NULL;
	size_t slen = 0;
	FILE *fp;
	int bad;

	assert_non_null(m = accessmap_new());
	tu_appendf(out, "messages:\n");
	bad = accessmap_load_buf(m, name, data, len, golden_collect, out);
	tu_appendf(out, "bad lines: %d\nranges: %zu\n", bad,
	    accessmap_count(m));
	assert_non_null(fp = open_memstream(&s, &slen));
	accessmap_dump(m, fp);
	assert_int_equal(fclose(fp), 0);
	tu_append(out, s, slen);
	free(s);
	lookups(m, data, len, out);
	accessmap_free(m);
}

static void
test_golden(void **state)
{
	(void)state;
	assert_int_equal(golden_files("access", 2, golden_access), 0);
}

static void
flip(uint8_t *b, unsigned bit)
{
	b[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
}

static void
clear_after(uint8_t *b, unsigned plen, unsigned bits)
{
	unsigned i;

	for (i = plen; i < bits; i++)
		b[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

static int
stop_at_first(void *arg, const char *user, unsigned long line)
{
	(void)line;
	snprintf(arg, 16, "%s", user);
	return 1;
}

static void
to_addr(const uint8_t *b, int v4, struct dracaddr *a)
{
	uint32_t net;

	if (v4) {
		memcpy(&net, b, 4);
		dracaddr_from_v4(net, a);
	} else
		dracaddr_from_v6(b, a);
}

/* One random range, as "relay" or as "user", checked around its edge. */
static void
one_range(int v4)
{
	char text[128], net[INET6_ADDRSTRLEN], got[16];
	uint8_t b[16], probe[16];
	struct accessmap *m;
	struct tu_text errs;
	struct dracaddr a;
	unsigned bits = v4 ? 32 : 128, plen = tu_below(bits + 1);
	int relay = tu_below(2);

	tu_bytes(b, sizeof(b));
	clear_after(b, plen, bits);
	inet_ntop(v4 ? AF_INET : AF_INET6, b, net, sizeof(net));
	snprintf(text, sizeof(text), "%s/%u %s\n", net, plen,
	    relay ? "relay" : "user someone");
	memset(&errs, 0, sizeof(errs));
	assert_non_null(m = accessmap_new());
	assert_int_equal(accessmap_load_buf(m, "random", text, strlen(text),
	    golden_collect, &errs), 0);
	assert_null(errs.s);

	/* Any host bits: inside. */
	memcpy(probe, b, 16);
	if (plen < bits)
		flip(probe, plen + tu_below(bits - plen));
	to_addr(probe, v4, &a);
	got[0] = '\0';
	assert_int_equal(accessmap_relay(m, &a) != 0, relay);
	assert_int_equal(accessmap_users(m, &a, stop_at_first, got), !relay);
	/* The last prefix bit flipped: outside. */
	if (plen > 0) {
		memcpy(probe, b, 16);
		flip(probe, plen - 1);
		to_addr(probe, v4, &a);
		assert_int_equal(accessmap_relay(m, &a), 0);
		assert_int_equal(accessmap_users(m, &a, stop_at_first, got),
		    0);
	}
	accessmap_free(m);
}

static void
test_property(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < ROUNDS; i++)
		one_range(i % 2);
}

/* An IPv4 range never matches an IPv6 address outside ::ffff:0:0/96. */
static void
test_families(void **state)
{
	static const char text[] = "0.0.0.0/0 relay\n2001:db8::/32 user v6\n";
	struct tu_text errs;
	struct accessmap *m;
	struct dracaddr a;
	char got[16];

	(void)state;
	assert_non_null(m = accessmap_new());
	memset(&errs, 0, sizeof(errs));
	assert_int_equal(accessmap_load_buf(m, "families", text,
	    strlen(text), golden_collect, &errs), 0);
	assert_int_equal(dracaddr_parse("10.1.2.3", &a), 0);
	assert_int_equal(accessmap_relay(m, &a), 1);
	assert_int_equal(dracaddr_parse("2001:db8::1", &a), 0);
	assert_int_equal(accessmap_relay(m, &a), 0);
	assert_int_equal(accessmap_users(m, &a, stop_at_first, got), 1);
	assert_string_equal(got, "v6");
	assert_int_equal(dracaddr_parse("2001:db9::1", &a), 0);
	assert_int_equal(accessmap_relay(m, &a), 0);
	assert_int_equal(accessmap_users(m, &a, stop_at_first, got), 0);
	accessmap_free(m);
}

static void
test_garbage(void **state)
{
	char buf[1024];
	struct accessmap *m;
	struct tu_text errs;
	struct dracaddr a;
	size_t len, i;
	int r;

	(void)state;
	for (r = 0; r < 2000; r++) {
		len = tu_below(sizeof(buf));
		tu_bytes(buf, len);
		for (i = 0; i < len; i++)
			if (tu_below(8) != 0)
				buf[i] = " \n/.:0123456789abcdefrelayuser#"
				    [tu_below(31)];
		memset(&errs, 0, sizeof(errs));
		assert_non_null(m = accessmap_new());
		accessmap_load_buf(m, "garbage", buf, len, golden_collect,
		    &errs);
		tu_text_free(&errs);
		tu_bytes(a.b, sizeof(a.b));
		accessmap_relay(m, &a);
		accessmap_free(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_garbage),
	};

	tu_seed("test_accessmap");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
