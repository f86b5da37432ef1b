/*
 * test_usermap.c: the user map parser and lookups.
 *
 * Golden files: tests/golden/binding/NAME.users are loaded; the
 * messages, the resulting entries and the answers to the lookups
 * written in the file as "#? login sender" comments must equal
 * NAME.users.out.  Property test: random maps written in random letter case
 * grant exactly what they list; DRAC_SEED repeats a run.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "golden.h"
#include "testutil.h"
#include "usermap.h"

#define ROUNDS		300
#define USERS		8
#define ADDRS		6

static void
dump_to_text(const struct usermap *m, struct tu_text *out)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp;

	assert_non_null(fp = open_memstream(&s, &len));
	usermap_dump(m, fp);
	assert_int_equal(fclose(fp), 0);
	tu_append(out, s, len);
	free(s);
}

/* Answers every "#? login sender" line of the file. */
static void
lookups(const struct usermap *m, const char *data, size_t len,
    struct tu_text *out)
{
	char line[512], user[128], sender[400], norm[400];
	const char *p = data, *end = data + len, *nl;
	size_t n;

	tu_appendf(out, "lookups:\n");
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (n > 3 && n < sizeof(line) && strncmp(p, "#? ", 3) == 0) {
			memcpy(line, p + 3, n - 3);
			line[n - 3] = '\0';
			sender[0] = '\0';
			if (sscanf(line, "%127s %399s", user, sender) >= 1) {
				if (strcmp(sender, "-") == 0)
					strcpy(sender, "<>");
				if (usermap_sender(sender, norm,
				    sizeof(norm)) == -1)
					tu_appendf(out, "%s %s: bad sender\n",
					    user, sender);
				else
					tu_appendf(out, "%s %s: %s\n", user,
					    sender, usermap_allows(m, user,
					    norm) ? "allowed" : "refused");
			}
		}
		p += n + 1;
	}
}

static void
golden_users(const char *name, const char *data, size_t len,
    struct tu_text *out)
{
	struct usermap *m;
	int bad;

	assert_non_null(m = usermap_new());
	tu_appendf(out, "messages:\n");
	bad = usermap_load_buf(m, name, data, len, golden_collect, out);
	tu_appendf(out, "bad lines: %d\nentries: %zu\n", bad,
	    usermap_count(m));
	dump_to_text(m, out);
	lookups(m, data, len, out);
	usermap_free(m);
}

static void
test_golden(void **state)
{
	(void)state;
	assert_int_equal(golden_files("users", 3, golden_users), 0);
}

static void
test_sender(void **state)
{
	static const struct {
		const char *raw, *want;	/* want NULL: refused */
	} cases[] = {
		{ "<Hoge@Example.COM>", "hoge@example.com" },
		{ "hoge@example.com", "hoge@example.com" },
		{ "  <hoge@example.com>  ", "hoge@example.com" },
		{ "<>", "" },
		{ "", "" },
		{ "<@relay.example,@b.example:hoge@example.com>",
		    "hoge@example.com" },
		{ "hoge@example.com.", "hoge@example.com" },
		{ "<hoge@example.com", NULL },
		{ "<", NULL },
		{ "hoge@exa\tmple.com", NULL },
		{ "hoge\r@example.com", NULL },
		{ "\"a b\"@example.com", "\"a b\"@example.com" },
	};
	char buf[BINDING_ADDR_MAX + 1], big[BINDING_ADDR_MAX + 16];
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		r = usermap_sender(cases[i].raw, buf, sizeof(buf));
		if (cases[i].want == NULL) {
			assert_int_equal(r, -1);
			continue;
		}
		assert_int_equal(r, 0);
		assert_string_equal(buf, cases[i].want);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[10] = '@';
	assert_int_equal(usermap_sender(big, buf, sizeof(buf)), -1);
}

static void
random_word(char *buf, size_t len)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = set[tu_below(sizeof(set) - 1)];
	buf[len] = '\0';
}

static void
random_case(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z' && tu_below(2))
			*s = (char)(*s - 'a' + 'A');
}

/*
 * USERS users with ADDRS addresses each (some shared, one @domain
 * wildcard each), written in random case: each user is granted its own
 * addresses in any case and nothing of the others.
 */
static void
test_property(void **state)
{
	char addr[USERS][ADDRS][64], user[USERS][16], wild[USERS][32];
	char text[USERS * ADDRS * 80], tmp[400], local[12], word[8];
	char norm[400];
	struct usermap *m;
	struct tu_text errs;
	size_t o;
	int r, u, a, v, owner;

	(void)state;
	for (r = 0; r < ROUNDS; r++) {
		o = 0;
		for (u = 0; u < USERS; u++) {
			snprintf(user[u], sizeof(user[u]), "u%d", u);
			random_word(word, 6);
			snprintf(wild[u], sizeof(wild[u]), "w%d%s.example", u,
			    word);
			o += (size_t)snprintf(text + o, sizeof(text) - o, "%s",
			    user[u]);
			for (a = 0; a < ADDRS; a++) {
				random_word(local, 1 + tu_below(10));
				snprintf(addr[u][a], sizeof(addr[u][a]),
				    "%s@d%u.example", local, tu_below(3));
				strcpy(tmp, addr[u][a]);
				random_case(tmp);
				o += (size_t)snprintf(text + o,
				    sizeof(text) - o, "%s%s", tu_below(2) ?
				    " " : "\t", tmp);
			}
			strcpy(tmp, wild[u]);
			random_case(tmp);
			o += (size_t)snprintf(text + o, sizeof(text) - o,
			    " @%s\n", tmp);
		}
		memset(&errs, 0, sizeof(errs));
		assert_non_null(m = usermap_new());
		assert_int_equal(usermap_load_buf(m, "random", text, o,
		    golden_collect, &errs), 0);
		assert_null(errs.s);
		for (u = 0; u < USERS; u++) {
			for (a = 0; a < ADDRS; a++) {
				strcpy(tmp, addr[u][a]);
				random_case(tmp);
				assert_int_equal(usermap_sender(tmp, norm,
				    sizeof(norm)), 0);
				assert_true(usermap_allows(m, user[u], norm));
				/* Another user has it only if listed too. */
				v = (u + 1 + (int)tu_below(USERS - 1)) % USERS;
				owner = 0;
				while (owner < ADDRS && strcmp(addr[v][owner],
				    addr[u][a]) != 0)
					owner++;
				assert_int_equal(usermap_allows(m, user[v],
				    norm), owner < ADDRS);
			}
			random_word(local, 8);
			snprintf(tmp, sizeof(tmp), "<%s@%s>", local, wild[u]);
			random_case(tmp);
			assert_int_equal(usermap_sender(tmp, norm,
			    sizeof(norm)), 0);
			assert_true(usermap_allows(m, user[u], norm));
			assert_false(usermap_allows(m, "nobody", norm));
			/* A subdomain is not the domain. */
			snprintf(tmp, sizeof(tmp), "x@sub.%s", wild[u]);
			assert_false(usermap_allows(m, user[u], tmp));
			/* Login names compare exactly. */
			strcpy(tmp, user[u]);
			tmp[0] = 'U';
			assert_false(usermap_allows(m, tmp, norm));
		}
		usermap_free(m);
	}
}

/* Whatever the bytes, the parser returns and the map stays usable. */
static void
test_garbage(void **state)
{
	char buf[2048], norm[400];
	struct usermap *m;
	struct tu_text errs;
	size_t len, i;
	int r;

	(void)state;
	for (r = 0; r < 2000; r++) {
		len = tu_below(sizeof(buf));
		tu_bytes(buf, len);
		/* Mostly text, so some lines get deep into the parser. */
		for (i = 0; i < len; i++)
			if (tu_below(8) != 0)
				buf[i] = " \t\n@<>.#abcAB1-_"[tu_below(16)];
		memset(&errs, 0, sizeof(errs));
		assert_non_null(m = usermap_new());
		usermap_load_buf(m, "garbage", buf, len, golden_collect,
		    &errs);
		tu_text_free(&errs);
		tu_bytes(norm, 20);
		norm[20] = '\0';
		usermap_allows(m, "a", norm);
		usermap_free(m);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_sender),
		cmocka_unit_test(test_property),
		cmocka_unit_test(test_garbage),
	};

	tu_seed("test_usermap");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
