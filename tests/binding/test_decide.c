/*
 * test_decide.c: the sender-binding decision over real maps, with the
 * live logins given by a table in place of rpc.dracd (the integration
 * tests ask the real daemon).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decide.h"
#include "golden.h"
#include "testutil.h"

#define NOW	1800000000LL

static const char users_text[] =
    "hoge hoge@example.com @hoge.example\n"
    "hoge info@example.com\n"
    "shared info@example.com\n"
    "alice alice@example.org\n"
    "zq9user x@y.example\n";

static const char access_text[] =
    "10.1.2.5 relay\n"
    "10.1.3.0/24 user hoge\n"
    "2001:db8:1::/48 user alice\n";

static const struct {
	const char	*addr;
	int		 result;
	const char	*user;
	long long	 expires;
} logins[] = {
	{ "10.1.2.3", DECIDE_FOUND, "hoge", NOW + 100 },
	{ "10.1.2.6", DECIDE_FOUND, "", NOW + 100 },
	{ "10.1.2.7", DECIDE_FOUND, "hoge", NOW - 1 },
	{ "10.1.2.8", DECIDE_ERROR, NULL, 0 },
	{ "10.1.2.9", DECIDE_FOUND, "ghost", NOW + 100 },
	{ "10.1.2.10", DECIDE_FOUND, "zq9user", NOW + 100 },
	{ "2001:db8::5", DECIDE_FOUND, "alice", NOW + 100 },
};

static int lookups;

static int
table_lookup(void *arg, const struct dracaddr *a, struct decide_login *l,
    char *err, size_t errlen)
{
	struct dracaddr t;
	size_t i;

	(void)arg;
	lookups++;
	for (i = 0; i < sizeof(logins) / sizeof(logins[0]); i++) {
		assert_int_equal(dracaddr_parse(logins[i].addr, &t), 0);
		if (memcmp(t.b, a->b, 16) != 0)
			continue;
		if (logins[i].result == DECIDE_ERROR) {
			snprintf(err, errlen, "call timed out");
			return DECIDE_ERROR;
		}
		snprintf(l->user, sizeof(l->user), "%s", logins[i].user);
		l->expires = logins[i].expires;
		return DECIDE_FOUND;
	}
	return DECIDE_NOTFOUND;
}

struct fixture {
	struct usermap		*users;
	struct accessmap	*access;
};

static int
setup(void **state)
{
	struct fixture *f;
	struct tu_text errs;

	memset(&errs, 0, sizeof(errs));
	assert_non_null(f = calloc(1, sizeof(*f)));
	assert_non_null(f->users = usermap_new());
	assert_non_null(f->access = accessmap_new());
	assert_int_equal(usermap_load_buf(f->users, "users", users_text,
	    strlen(users_text), golden_collect, &errs), 0);
	assert_int_equal(accessmap_load_buf(f->access, "access", access_text,
	    strlen(access_text), golden_collect, &errs), 0);
	assert_null(errs.s);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	usermap_free(f->users);
	accessmap_free(f->access);
	free(f);
	return 0;
}

static void
run(const struct fixture *f, int empty, const char *client,
    const char *sender, struct decide_result *res)
{
	struct decide_ctx ctx;
	struct dracaddr a;

	memset(&ctx, 0, sizeof(ctx));
	ctx.users = f->users;
	ctx.access = f->access;
	ctx.empty_user = empty;
	ctx.lookup = table_lookup;
	ctx.now = NOW;
	assert_int_equal(dracaddr_parse(client, &a), 0);
	lookups = 0;
	decide_relay(&ctx, &a, sender, res);
}

static void
test_cases(void **state)
{
	static const struct {
		const char	*client, *sender;
		int		 empty, verdict, lookups;
		const char	*reply, *log;	/* substrings */
	} c[] = {
		/* REFERENCE.md's three decisions. */
		{ "10.1.2.3", "hoge@example.com", 0, DECIDE_ALLOW, 1,
		    "", "belongs to user hoge" },
		{ "10.1.2.3", "hoge@example.net", 0, DECIDE_REFUSE, 1,
		    "does not belong to the user who logged in from 10.1.2.3",
		    "not a sender of user hoge" },
		{ "10.1.2.4", "hoge@example.com", 0, DECIDE_REFUSE, 1,
		    "relaying from 10.1.2.4 needs a recent POP/IMAP login",
		    "no login is recorded" },
		/* Case, brackets, wildcards, shared addresses. */
		{ "10.1.2.3", "<HOGE@Example.COM>", 0, DECIDE_ALLOW, 1, "",
		    "" },
		{ "10.1.2.3", "anyone@hoge.example", 0, DECIDE_ALLOW, 1, "",
		    "" },
		{ "10.1.2.3", "x@sub.hoge.example", 0, DECIDE_REFUSE, 1, "",
		    "" },
		{ "10.1.2.3", "info@example.com", 0, DECIDE_ALLOW, 1, "",
		    "" },
		{ "10.1.2.3", "<>", 0, DECIDE_REFUSE, 1, "sender <>", "" },
		{ "::ffff:10.1.2.3", "hoge@example.com", 0, DECIDE_ALLOW, 1,
		    "", "client 10.1.2.3" },
		{ "10.1.2.3", "<hoge@example.com", 0, DECIDE_REFUSE, 0,
		    "malformed sender", "malformed" },
		/* Access map: relay range, user ranges. */
		{ "10.1.2.5", "whoever@example.net", 0, DECIDE_ALLOW, 0, "",
		    "access map line 1" },
		{ "10.1.2.5", "<broken", 0, DECIDE_ALLOW, 0, "", "" },
		{ "10.1.3.7", "hoge@example.com", 0, DECIDE_ALLOW, 0, "",
		    "user hoge of the range at access map line 2" },
		{ "10.1.3.7", "alice@example.org", 0, DECIDE_REFUSE, 1,
		    "sender <alice@example.org> may not relay from 10.1.3.7",
		    "access map line 2" },
		{ "2001:db8:1::77", "alice@example.org", 0, DECIDE_ALLOW, 0,
		    "", "line 3" },
		{ "2001:db8::5", "alice@example.org", 0, DECIDE_ALLOW, 1, "",
		    "" },
		/* Logins without a user, expired, failing, unknown user. */
		{ "10.1.2.6", "hoge@example.com", DECIDE_EMPTY_REFUSE,
		    DECIDE_REFUSE, 1, "does not say who logged in",
		    "DRAC 1.12" },
		{ "10.1.2.6", "hoge@example.com", DECIDE_EMPTY_PLAIN,
		    DECIDE_ALLOW, 1, "", "plain POP-before-SMTP" },
		{ "10.1.2.7", "hoge@example.com", 0, DECIDE_REFUSE, 1,
		    "needs a recent POP/IMAP login", "expired 1 s ago" },
		{ "10.1.2.8", "hoge@example.com", 0, DECIDE_TEMPFAIL, 1,
		    "try again later", "call timed out" },
		{ "10.1.2.9", "hoge@example.com", 0, DECIDE_REFUSE, 1, "",
		    "the user map has no line for that user" },
	};
	struct decide_result res;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		run(*state, c[i].empty, c[i].client, c[i].sender, &res);
		printf("%s <%s>: %s: %s | %s\n", c[i].client, c[i].sender,
		    decide_verdict_name(res.verdict), res.reply, res.log);
		assert_int_equal(res.verdict, c[i].verdict);
		assert_int_equal(lookups, c[i].lookups);
		assert_non_null(strstr(res.reply, c[i].reply));
		assert_non_null(strstr(res.log, c[i].log));
		if (res.verdict != DECIDE_ALLOW)
			assert_true(res.reply[0] != '\0');
	}
}

/* The client is never told which user logged in from its address. */
static void
test_reply_hides_login(void **state)
{
	static const char *senders[] = { "a@b.example", "<>", "x@y.example.",
	    "zq9user@elsewhere.example", "<oops" };
	struct decide_result res;
	size_t i;

	for (i = 0; i < sizeof(senders) / sizeof(senders[0]); i++) {
		run(*state, 0, "10.1.2.10", senders[i], &res);
		if (strstr(senders[i], "zq9user") == NULL)
			assert_null(strstr(res.reply, "zq9user"));
	}
	run(*state, 0, "10.1.2.10", "x@y.example", &res);
	assert_int_equal(res.verdict, DECIDE_ALLOW);
}

/* Senders of every shape: a verdict, texts that end, no crash. */
static void
test_garbage(void **state)
{
	static const char *clients[] = { "10.1.2.3", "10.1.2.4", "10.1.3.7",
	    "10.1.2.6", "10.1.2.8" };
	char sender[600];
	struct decide_result res;
	size_t len, i;
	int r;

	for (r = 0; r < 3000; r++) {
		len = tu_below(sizeof(sender));
		tu_bytes(sender, len);
		for (i = 0; i < len; i++)
			if (sender[i] == '\0' || tu_below(4) != 0)
				sender[i] = "<>@.hoge%\"\\ :,"[tu_below(15)];
		sender[len] = '\0';
		run(*state, (int)tu_below(2), clients[tu_below(5)], sender,
		    &res);
		assert_true(res.verdict >= DECIDE_ALLOW &&
		    res.verdict <= DECIDE_TEMPFAIL);
		assert_true(strlen(res.reply) < sizeof(res.reply));
		assert_true(strlen(res.log) < sizeof(res.log));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_cases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_hides_login, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup,
		    teardown),
	};

	tu_seed("test_decide");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
