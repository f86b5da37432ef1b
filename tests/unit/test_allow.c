/*
 * test_allow.c: daemon/allow.c, the dracd.allow parser and matcher.
 *
 * Golden files: every tests/golden/allow/NAME.allow is loaded and the
 * messages and resulting entries are compared with NAME.out (set
 * DRAC_GOLDEN_UPDATE=1 to rewrite them, then review the diff).
 * Property tests build random entries through the parser and flip the
 * bit just inside and just outside each prefix; DRAC_SEED repeats a run.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <ifaddrs.h>

#include <glob.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "allow.h"
#include "testutil.h"

#define ROUNDS		3000
#define LINE_LIMIT	1024	/* allow.c's longest line */
#define FMT_MAX		128

static void
collect(void *ctx, const char *msg)
{
	struct tu_text *t = ctx;

	tu_appendf(t, "%s\n", msg);
}

/* Parses text that must be one good entry. */
static void
must_parse(const char *line, struct allow_entry *e)
{
	char why[512];
	int r;

	r = allow_parse_line(line, e, why, sizeof(why));
	if (r != 1)
		fail_msg("\"%s\": expected an entry, got %d: %s", line, r,
		    r == -1 ? why : "");
}

static int
match_one(const struct allow_entry *e, const struct dracaddr *a)
{
	struct allow_list l;

	l.v = (struct allow_entry *)e;
	l.n = 1;
	return allow_match(&l, a);
}

static void
v4_text(uint32_t host, char *buf, size_t size)
{
	struct in_addr in;

	in.s_addr = htonl(host);
	assert_non_null(inet_ntop(AF_INET, &in, buf, size));
}

static void
v4_addr(uint32_t host, struct dracaddr *a)
{
	dracaddr_from_v4(htonl(host), a);
}

/* The IPv4 address as an AF_INET6 socket reports it: ::ffff:a.b.c.d. */
static void
v4_mapped_caller(uint32_t host, struct dracaddr *a)
{
	struct sockaddr_in6 sin6;

	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr.s6_addr[10] = 0xff;
	sin6.sin6_addr.s6_addr[11] = 0xff;
	host = htonl(host);
	memcpy(&sin6.sin6_addr.s6_addr[12], &host, 4);
	assert_int_equal(dracaddr_from_sockaddr((struct sockaddr *)&sin6,
	    sizeof(sin6), a), 0);
}

static uint32_t
v4_prefix(unsigned int len)
{
	return len == 0 ? 0 : 0xffffffffU << (32 - len);
}

static void
flip(struct dracaddr *a, unsigned int bit)	/* bit 0 = most significant */
{
	a->b[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
}

/* ---- golden files ---- */

/*
 * Expected output of one file: the return of allow_load, its messages,
 * and what each good line parses to.  Lines the loader flags for NUL
 * bytes or length are left to the loader's messages.
 */
static void
golden_run(const char *name, const char *data, size_t len,
    struct tu_text *out)
{
	struct tu_text errs = { NULL, 0, 0 };
	struct allow_list list = { NULL, 0 };
	struct allow_entry e;
	char fmt[FMT_MAX], why[512], msg[1024], *line;
	size_t start, end, nent;
	unsigned long lineno;
	int r, rl;

	rl = allow_load(name, &list, collect, &errs);
	tu_appendf(out, "allow_load: %d\n", rl);
	if (errs.s != NULL)
		tu_append(out, errs.s, errs.len);

	nent = 0;
	lineno = 0;
	for (start = 0; start < len; start = end + 1) {
		for (end = start; end < len && data[end] != '\n'; end++)
			;
		lineno++;
		if (memchr(data + start, '\0', end - start) != NULL ||
		    end - start > LINE_LIMIT)
			continue;
		line = strndup(data + start, end - start);
		assert_non_null(line);
		r = allow_parse_line(line, &e, why, sizeof(why));
		free(line);
		if (r == 1) {
			allow_format(&e, fmt, sizeof(fmt));
			tu_appendf(out, "line %lu: %s\n", lineno, fmt);
			if (rl == 0) {
				assert_true(nent < list.n);
				assert_memory_equal(&list.v[nent], &e,
				    sizeof(e));
			}
			nent++;
		} else if (r == -1) {
			/* The loader must have said the same. */
			snprintf(msg, sizeof(msg), "%s:%lu: %s\n", name,
			    lineno, why);
			if (errs.s == NULL || strstr(errs.s, msg) == NULL)
				fail_msg("allow_load did not report %s", msg);
		}
	}
	if (rl == 0)
		assert_int_equal(list.n, nent);
	else
		assert_int_equal(list.n, 0);
	allow_free(&list);
	tu_text_free(&errs);
}

static void
test_golden(void **state)
{
	char cwd[4096], dir[4096], path[4096 + 16], *data, *got_s;
	struct tu_text got;
	const char *name;
	size_t i, len, olen;
	glob_t g;
	int update, failed;
	FILE *fp;

	(void)state;
	update = getenv("DRAC_GOLDEN_UPDATE") != NULL;
	snprintf(dir, sizeof(dir), "%s/tests/golden/allow", tu_top());
	/* Messages name the file as given; relative names keep them stable. */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(glob("*.allow", 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= 5);
	failed = 0;
	for (i = 0; i < g.gl_pathc; i++) {
		name = g.gl_pathv[i];
		data = tu_slurp(name, &len);
		assert_non_null(data);
		memset(&got, 0, sizeof(got));
		golden_run(name, data, len, &got);
		free(data);
		got_s = got.s;
		snprintf(path, sizeof(path), "%.*s.out",
		    (int)(strlen(name) - 6), name);
		if (update) {
			fp = fopen(path, "w");
			assert_non_null(fp);
			fputs(got_s, fp);
			assert_int_equal(fclose(fp), 0);
		}
		data = tu_slurp(path, &olen);
		if (data == NULL || olen != got.len ||
		    memcmp(data, got_s, olen) != 0) {
			printf("golden %s: output differs from %s\n"
			    "--- want\n%s--- got\n%s---\n", name, path,
			    data != NULL ? data : "(missing)\n", got_s);
			failed++;
		} else
			printf("golden %s: ok\n", name);
		free(data);
		tu_text_free(&got);
	}
	globfree(&g);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(failed, 0);
}

/* ---- files ---- */

static void
test_example(void **state)
{
	struct tu_text errs = { NULL, 0, 0 };
	struct allow_list list = { NULL, 0 };
	struct dracaddr a;
	char path[4096];

	(void)state;
	snprintf(path, sizeof(path), "%s/allow.example", tu_top());
	assert_int_equal(allow_load(path, &list, collect, &errs), 0);
	assert_null(errs.s);
	assert_true(list.n >= 8);
	/* What the comments in the example promise. */
	assert_int_equal(dracaddr_parse("127.0.0.1", &a), 0);
	assert_true(allow_match(&list, &a));
	assert_int_equal(dracaddr_parse("::1", &a), 0);
	assert_true(allow_match(&list, &a));
	assert_int_equal(dracaddr_parse("10.77.0.5", &a), 0);
	assert_true(allow_match(&list, &a));
	assert_int_equal(dracaddr_parse("10.77.1.5", &a), 0);
	assert_false(allow_match(&list, &a));
	v4_mapped_caller(0xc0000207U, &a);	/* ::ffff:192.0.2.7 */
	assert_true(allow_match(&list, &a));
	assert_int_equal(dracaddr_parse("192.0.3.7", &a), 0);
	assert_false(allow_match(&list, &a));
	assert_int_equal(dracaddr_parse("2001:db8:10:ffff::1", &a), 0);
	assert_true(allow_match(&list, &a));
	assert_int_equal(dracaddr_parse("2001:db8:11::1", &a), 0);
	assert_false(allow_match(&list, &a));
	allow_free(&list);
}

static void
test_missing_file(void **state)
{
	struct tu_text errs = { NULL, 0, 0 };
	struct allow_list list = { (struct allow_entry *)&errs, 99 };

	(void)state;
	assert_int_equal(allow_load("/nonexistent/dracd.allow", &list,
	    collect, &errs), 1);
	assert_null(errs.s);
	assert_null(list.v);
	assert_int_equal(list.n, 0);
}

/* A directory opens but cannot be read: "FILE: strerror" and -1. */
static void
test_unreadable_file(void **state)
{
	struct tu_text errs = { NULL, 0, 0 };
	struct allow_list list = { NULL, 0 };
	char dir[] = "/tmp/test_allow.XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(allow_load(dir, &list, collect, &errs), -1);
	assert_non_null(errs.s);
	assert_true(strncmp(errs.s, dir, strlen(dir)) == 0);
	assert_string_equal(errs.s + strlen(dir), ": Is a directory\n");
	assert_int_equal(list.n, 0);
	assert_int_equal(rmdir(dir), 0);
	tu_text_free(&errs);
}

/* Every bad line is reported, however many, and the load still fails. */
static void
test_every_error_reported(void **state)
{
	struct tu_text errs = { NULL, 0, 0 };
	struct allow_list list = { NULL, 0 };
	char path[] = "/tmp/test_allow.XXXXXX", want[256];
	unsigned long i, nlines, nbad;
	size_t off;
	FILE *fp;
	int fd;

	(void)state;
	nlines = 500 + tu_below(500);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	nbad = 0;
	for (i = 1; i <= nlines; i++) {
		if (tu_below(3) == 0) {
			fprintf(fp, "10.%lu.0.0/33\n", i % 256);
			nbad++;
		} else
			fprintf(fp, "10.%lu.0.0/16\n", i % 256);
	}
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(allow_load(path, &list, collect, &errs), -1);
	assert_int_equal(list.n, 0);
	assert_null(list.v);
	/* Count the messages and check they name the right lines. */
	off = 0;
	for (i = 0; errs.s != NULL && errs.s[off] != '\0'; i++) {
		assert_true(strncmp(errs.s + off, path, strlen(path)) == 0);
		off = (size_t)(strchr(errs.s + off, '\n') - errs.s) + 1;
	}
	assert_int_equal(i, nbad);
	snprintf(want, sizeof(want), ": prefix length \"33\" out of range "
	    "for IPv4 (0-32)\n");
	assert_non_null(strstr(errs.s, want));
	assert_int_equal(unlink(path), 0);
	tu_text_free(&errs);
}

static void
test_long_line(void **state)
{
	char line[LINE_LIMIT + 2], why[256];
	struct allow_entry e;

	(void)state;
	memset(line, ' ', sizeof(line));
	memcpy(line + LINE_LIMIT - 10, "10.0.0.0/8", 10);
	line[LINE_LIMIT] = '\0';
	assert_int_equal(allow_parse_line(line, &e, why, sizeof(why)), 1);
	line[LINE_LIMIT - 11] = '#';
	assert_int_equal(allow_parse_line(line, &e, why, sizeof(why)), 0);
	line[LINE_LIMIT] = ' ';
	line[LINE_LIMIT + 1] = '\0';
	assert_int_equal(allow_parse_line(line, &e, why, sizeof(why)), -1);
	assert_string_equal(why, "line too long (more than 1024 bytes)");
}

/* A small why buffer truncates the reason but never overflows. */
static void
test_small_buffers(void **state)
{
	struct allow_entry e;
	char why[8], fmt[6];

	(void)state;
	memset(why, 'x', sizeof(why));
	assert_int_equal(allow_parse_line("10.1.2.3/24", &e, why, 5), -1);
	assert_string_equal(why, "10.1");
	assert_int_equal(why[5], 'x');
	must_parse("2001:db8::/32", &e);
	memset(fmt, 'x', sizeof(fmt));
	allow_format(&e, fmt, 4);
	assert_int_equal(strlen(fmt), 3);
	assert_int_equal(fmt[4], 'x');
}

/* ---- matching properties ---- */

/*
 * Random IPv4 prefixes: a caller inside matches; flipping the last bit
 * of the prefix (just inside) loses the match, flipping the bit after
 * it (just outside) keeps it, from an AF_INET or a mapped AF_INET6
 * socket alike.  A caller that only shares the low 32 bits is IPv6 and
 * matches no IPv4 entry, not even 0.0.0.0/0.
 */
static void
test_prop_v4_prefix(void **state)
{
	char text[64], net_s[INET_ADDRSTRLEN], mask_s[INET_ADDRSTRLEN];
	char fmt[FMT_MAX];
	struct allow_entry e, d;
	struct dracaddr a, m;
	uint32_t mask, net, caller;
	unsigned int len, bit;
	int i;

	(void)state;
	for (i = 0; i < ROUNDS; i++) {
		len = tu_below(33);
		mask = v4_prefix(len);
		net = (uint32_t)tu_rand() & mask;
		v4_text(net, net_s, sizeof(net_s));
		snprintf(text, sizeof(text), "%s/%u", net_s, len);
		must_parse(text, &e);
		allow_format(&e, fmt, sizeof(fmt));
		assert_string_equal(fmt, text);

		/* DRAC's spelling of the same entry is the same entry. */
		v4_text(mask, mask_s, sizeof(mask_s));
		snprintf(text, sizeof(text), " %s\t%s ", mask_s, net_s);
		must_parse(text, &d);
		assert_memory_equal(&d, &e, sizeof(e));

		caller = net | ((uint32_t)tu_rand() & ~mask);
		v4_addr(caller, &a);
		assert_true(match_one(&e, &a));
		v4_mapped_caller(caller, &m);
		assert_memory_equal(&m, &a, sizeof(a));
		assert_true(match_one(&e, &m));
		if (len > 0) {
			v4_addr(caller ^ (1U << (32 - len)), &a);
			assert_false(match_one(&e, &a));
			v4_mapped_caller(caller ^ (1U << (32 - len)), &a);
			assert_false(match_one(&e, &a));
			bit = tu_below(len);
			v4_addr(caller ^ (1U << (31 - bit)), &a);
			assert_false(match_one(&e, &a));
		}
		if (len < 32) {
			v4_addr(caller ^ (1U << (31 - len)), &a);
			assert_true(match_one(&e, &a));
			v4_mapped_caller(caller ^ (1U << (31 - len)), &a);
			assert_true(match_one(&e, &a));
		}
		/* Any change to the ::ffff: prefix makes it IPv6. */
		v4_addr(caller, &a);
		flip(&a, tu_below(96));
		assert_false(match_one(&e, &a));
		v4_addr(caller, &a);
		flip(&a, 95);		/* just inside the 96 + len mask */
		assert_false(match_one(&e, &a));
	}
}

static void
test_prop_v6_prefix(void **state)
{
	char text[128], net_s[INET6_ADDRSTRLEN], fmt[FMT_MAX];
	struct allow_entry e;
	struct dracaddr a, net, host;
	unsigned int len, j;
	int i;

	(void)state;
	for (i = 0; i < ROUNDS; i++) {
		len = tu_below(129);
		tu_bytes(net.b, 16);
		/* Never the mapped prefix: those are tested as IPv4. */
		net.b[0] = (uint8_t)(0x20 | (net.b[0] & 0x1f));
		for (j = len; j < 128; j++)
			net.b[j / 8] &= (uint8_t)~(0x80 >> (j % 8));
		assert_non_null(inet_ntop(AF_INET6, net.b, net_s,
		    sizeof(net_s)));
		snprintf(text, sizeof(text), "%s/%u", net_s, len);
		must_parse(text, &e);
		allow_format(&e, fmt, sizeof(fmt));
		assert_string_equal(fmt, text);

		tu_bytes(host.b, 16);
		for (j = 0; j < 128; j++)
			if (j < len)
				host.b[j / 8] = (uint8_t)((host.b[j / 8] &
				    ~(0x80 >> (j % 8))) |
				    (net.b[j / 8] & (0x80 >> (j % 8))));
		assert_true(match_one(&e, &host));
		if (len > 0) {
			a = host;
			flip(&a, len - 1);
			assert_false(match_one(&e, &a));
			a = host;
			flip(&a, tu_below(len));
			assert_false(match_one(&e, &a));
		}
		if (len < 128) {
			a = host;
			flip(&a, len);
			assert_true(match_one(&e, &a));
			a = host;
			flip(&a, len + tu_below(128 - len));
			assert_true(match_one(&e, &a));
		}
		/* A bare address is the /128 host. */
		if (len == 128) {
			must_parse(net_s, &e);
			assert_true(match_one(&e, &net));
		}
	}
}

/*
 * DRAC masks need not be contiguous: (caller & mask) == net decides.
 * Flipping any bit under the mask loses the match, any other keeps it.
 */
static void
test_prop_drac_mask(void **state)
{
	char text[64], net_s[INET_ADDRSTRLEN], mask_s[INET_ADDRSTRLEN];
	char fmt[FMT_MAX], want[64];
	struct allow_entry e;
	struct dracaddr a;
	uint32_t mask, net, caller, bit;
	int i, len;

	(void)state;
	for (i = 0; i < ROUNDS; i++) {
		mask = (uint32_t)tu_rand();
		if (tu_below(4) == 0)
			mask = v4_prefix(tu_below(33)) ^ (1U << tu_below(32));
		net = (uint32_t)tu_rand() & mask;
		v4_text(mask, mask_s, sizeof(mask_s));
		v4_text(net, net_s, sizeof(net_s));
		snprintf(text, sizeof(text), "%s %s", mask_s, net_s);
		must_parse(text, &e);

		allow_format(&e, fmt, sizeof(fmt));
		for (len = 0; len <= 32; len++)
			if (v4_prefix((unsigned int)len) == mask)
				break;
		if (len <= 32)
			snprintf(want, sizeof(want), "%s/%d", net_s, len);
		else
			snprintf(want, sizeof(want), "%s %s", mask_s, net_s);
		assert_string_equal(fmt, want);

		caller = net | ((uint32_t)tu_rand() & ~mask);
		v4_addr(caller, &a);
		assert_true(match_one(&e, &a));
		v4_mapped_caller(caller, &a);
		assert_true(match_one(&e, &a));
		if (mask != 0) {
			do
				bit = 1U << tu_below(32);
			while ((bit & mask) == 0);
			v4_addr(caller ^ bit, &a);
			assert_false(match_one(&e, &a));
			v4_mapped_caller(caller ^ bit, &a);
			assert_false(match_one(&e, &a));
		}
		if (mask != 0xffffffffU) {
			do
				bit = 1U << tu_below(32);
			while ((bit & mask) != 0);
			v4_addr(caller ^ bit, &a);
			assert_true(match_one(&e, &a));
		}
		/* A netaddr with a bit outside the mask is refused. */
		if (mask != 0xffffffffU) {
			char why[512];

			v4_text(net | bit, net_s, sizeof(net_s));
			snprintf(text, sizeof(text), "%s %s", mask_s, net_s);
			assert_int_equal(allow_parse_line(text, &e, why,
			    sizeof(why)), -1);
			assert_non_null(strstr(why, "has bits outside "
			    "netmask"));
		}
	}
}

/*
 * Independent reference for a list: entries kept as the test wrote
 * them (family, prefix or DRAC mask) and matched by integer arithmetic
 * instead of byte masks.
 */
struct ref {
	int		 v6;
	unsigned int	 len;		/* prefix, or 99 for a DRAC mask */
	uint32_t	 mask4, net4;
	uint8_t		 net6[16];
};

static int
ref_match(const struct ref *r, const struct dracaddr *a)
{
	uint32_t c;
	unsigned int j;

	if (!r->v6) {
		if (!dracaddr_is_v4(a))
			return 0;
		c = ntohl(dracaddr_v4(a));
		if (r->len == 99)
			return (c & r->mask4) == r->net4;
		return r->len == 0 || (c >> (32 - r->len)) ==
		    (r->net4 >> (32 - r->len));
	}
	for (j = 0; j < r->len; j++)
		if (((a->b[j / 8] ^ r->net6[j / 8]) >> (7 - j % 8)) & 1)
			return 0;
	return 1;
}

static void
random_entry(struct ref *r, char *text, size_t size)
{
	char s[INET6_ADDRSTRLEN], m[INET_ADDRSTRLEN];
	unsigned int j;

	memset(r, 0, sizeof(*r));
	switch (tu_below(3)) {
	case 0:
		r->len = 8 + tu_below(25);
		r->net4 = (0x0a000000U | (tu_below(4) << 16) |
		    tu_below(1024)) & v4_prefix(r->len);
		v4_text(r->net4, s, sizeof(s));
		snprintf(text, size, "%s/%u", s, r->len);
		break;
	case 1:
		r->len = 99;
		r->mask4 = (uint32_t)tu_rand() | 0xff000000U;
		r->net4 = (0x0a000000U | (uint32_t)tu_rand()) & r->mask4;
		v4_text(r->mask4, m, sizeof(m));
		v4_text(r->net4, s, sizeof(s));
		snprintf(text, size, "%s %s", m, s);
		break;
	default:
		r->v6 = 1;
		r->len = 16 + tu_below(113);
		r->net6[0] = 0x20;
		r->net6[1] = 0x01;
		r->net6[2] = (uint8_t)tu_below(2);
		tu_bytes(r->net6 + 3, 13);
		for (j = r->len; j < 128; j++)
			r->net6[j / 8] &= (uint8_t)~(0x80 >> (j % 8));
		assert_non_null(inet_ntop(AF_INET6, r->net6, s, sizeof(s)));
		snprintf(text, size, "%s/%u", s, r->len);
		break;
	}
}

static void
random_caller(const struct ref *refs, size_t n, struct dracaddr *a)
{
	const struct ref *r = &refs[tu_below((uint32_t)n)];
	uint32_t c;
	int k;

	if (!r->v6) {
		c = r->net4 ^ (uint32_t)(tu_rand() & tu_rand() & tu_rand());
		if (tu_below(2))
			v4_addr(c, a);
		else
			v4_mapped_caller(c, a);
		return;
	}
	memcpy(a->b, r->net6, 16);
	for (k = tu_below(4); k > 0; k--)
		flip(a, tu_below(128));
}

static void
test_prop_list(void **state)
{
	struct ref refs[24];
	struct allow_list list;
	struct allow_entry v[24];
	struct dracaddr a;
	char text[128];
	size_t n, j;
	int i, k, want, hits;

	(void)state;
	hits = 0;
	for (i = 0; i < ROUNDS / 10; i++) {
		n = 1 + tu_below(24);
		for (j = 0; j < n; j++) {
			random_entry(&refs[j], text, sizeof(text));
			must_parse(text, &v[j]);
		}
		list.v = v;
		list.n = n;
		for (k = 0; k < 200; k++) {
			random_caller(refs, n, &a);
			want = 0;
			for (j = 0; j < n && !want; j++)
				want = ref_match(&refs[j], &a);
			hits += want;
			assert_int_equal(allow_match(&list, &a), want);
		}
	}
	/* The generator must exercise both answers. */
	assert_true(hits > ROUNDS / 10 * 20);
	assert_true(hits < ROUNDS / 10 * 180);
}

static void
test_empty_list(void **state)
{
	struct allow_list list = { NULL, 0 };
	struct dracaddr a;

	(void)state;
	assert_int_equal(dracaddr_parse("127.0.0.1", &a), 0);
	assert_false(allow_match(&list, &a));
}

/* A mapped IPv6 entry holds IPv4 callers and prints as IPv4. */
static void
test_mapped_entry(void **state)
{
	struct allow_entry e, d;
	struct dracaddr a;
	char fmt[FMT_MAX];

	(void)state;
	must_parse("::ffff:10.1.0.0/112", &e);
	must_parse("10.1.0.0/16", &d);
	assert_memory_equal(&e, &d, sizeof(e));
	allow_format(&e, fmt, sizeof(fmt));
	assert_string_equal(fmt, "10.1.0.0/16");
	assert_int_equal(dracaddr_parse("10.1.200.3", &a), 0);
	assert_true(match_one(&e, &a));
	/* A prefix shorter than the mapped one stays IPv6. */
	must_parse("::fffe:0:0/95", &e);
	allow_format(&e, fmt, sizeof(fmt));
	assert_string_equal(fmt, "::fffe:0:0/95");
	must_parse("::/0", &e);
	allow_format(&e, fmt, sizeof(fmt));
	assert_string_equal(fmt, "::/0");
	assert_true(match_one(&e, &a));
	must_parse("0.0.0.0/0", &e);
	allow_format(&e, fmt, sizeof(fmt));
	assert_string_equal(fmt, "0.0.0.0/0");
	assert_true(match_one(&e, &a));
	assert_int_equal(dracaddr_parse("2001:db8::1", &a), 0);
	assert_false(match_one(&e, &a));
}

/* ---- defaults ---- */

static void
test_defaults(void **state)
{
	struct allow_list list = { NULL, 0 };
	struct ifaddrs *ifa, *i;
	struct dracaddr a;
	socklen_t salen;
	char err[256], fmt[FMT_MAX];
	size_t j, k;
	int seen;

	(void)state;
	assert_int_equal(allow_defaults(&list, err, sizeof(err)), 0);
	assert_true(list.n >= 2);
	allow_format(&list.v[0], fmt, sizeof(fmt));
	assert_string_equal(fmt, "127.0.0.0/8");
	allow_format(&list.v[1], fmt, sizeof(fmt));
	assert_string_equal(fmt, "::1/128");
	assert_int_equal(dracaddr_parse("127.0.0.1", &a), 0);
	assert_true(allow_match(&list, &a));
	assert_int_equal(dracaddr_parse("127.254.3.9", &a), 0);
	assert_true(allow_match(&list, &a));
	assert_int_equal(dracaddr_parse("::1", &a), 0);
	assert_true(allow_match(&list, &a));
	assert_int_equal(dracaddr_parse("::2", &a), 0);
	assert_false(allow_match(&list, &a));

	/* Every interface address is in, and nothing is listed twice. */
	assert_int_equal(getifaddrs(&ifa), 0);
	seen = 0;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET)
			salen = sizeof(struct sockaddr_in);
		else if (i->ifa_addr->sa_family == AF_INET6)
			salen = sizeof(struct sockaddr_in6);
		else
			continue;
		assert_int_equal(dracaddr_from_sockaddr(i->ifa_addr, salen,
		    &a), 0);
		dracaddr_format(&a, fmt, sizeof(fmt));
		if (!allow_match(&list, &a))
			fail_msg("interface address %s not trusted", fmt);
		seen++;
	}
	freeifaddrs(ifa);
	printf("defaults: %zu entries for %d interface addresses\n",
	    list.n, seen);
	for (j = 0; j < list.n; j++) {
		allow_format(&list.v[j], fmt, sizeof(fmt));
		printf("  %s\n", fmt);
		for (k = j + 1; k < list.n; k++)
			assert_memory_not_equal(&list.v[j], &list.v[k],
			    sizeof(list.v[j]));
	}
	/* Entries past the loopback ones are single hosts. */
	for (j = 2; j < list.n; j++) {
		allow_format(&list.v[j], fmt, sizeof(fmt));
		assert_non_null(strstr(fmt, dracaddr_is_v4(&list.v[j].net) ?
		    "/32" : "/128"));
	}
	allow_free(&list);
	assert_null(list.v);
	assert_int_equal(list.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_unreadable_file),
		cmocka_unit_test(test_every_error_reported),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_small_buffers),
		cmocka_unit_test(test_prop_v4_prefix),
		cmocka_unit_test(test_prop_v6_prefix),
		cmocka_unit_test(test_prop_drac_mask),
		cmocka_unit_test(test_prop_list),
		cmocka_unit_test(test_empty_list),
		cmocka_unit_test(test_mapped_entry),
		cmocka_unit_test(test_defaults),
	};

	tu_seed("test_allow");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
