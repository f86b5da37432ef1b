/*
 * test_pproto.c: the policy delegation protocol parser and answers.
 *
 * Golden files: each tests/golden/binding/NAME.policy is a byte stream
 * as Postfix (or an attacker) could send it; the parser is run over it
 * request after request and what it finds must equal NAME.policy.out.
 * Robustness: seeded random and mutated requests, a bounded number of
 * them, must each get a defined result; DRAC_SEED repeats a run.
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
#include "pproto.h"
#include "testutil.h"

#define FUZZ_ROUNDS	20000

static const char good[] =
    "request=smtpd_access_policy\n"
    "protocol_state=RCPT\n"
    "protocol_name=ESMTP\n"
    "client_address=10.1.2.3\n"
    "client_name=unknown\n"
    "helo_name=client.example\n"
    "sender=hoge@example.com\n"
    "recipient=user@remote.example\n"
    "recipient_count=0\n"
    "queue_id=\n"
    "instance=1a2b.5f3c.9d1e.0\n"
    "size=0\n"
    "\n";

static struct pproto_req req;

static const char *
show(const char *s)
{
	return s != NULL ? s : "(none)";
}

static void
golden_policy(const char *name, const char *data, size_t len,
    struct tu_text *out)
{
	char why[256];
	size_t off = 0, used;
	int r, n = 0;

	(void)name;
	while (off < len && n++ < 100) {
		used = 0;
		r = pproto_parse(data + off, len - off, &req, &used, why,
		    sizeof(why));
		switch (r) {
		case PPROTO_MORE:
			tu_appendf(out, "MORE: %zu bytes without an end\n",
			    len - off);
			return;
		case PPROTO_FATAL:
			tu_appendf(out, "FATAL: %s\n", why);
			return;
		case PPROTO_BAD:
			tu_appendf(out, "BAD (%zu bytes): %s\n", used, why);
			break;
		default:
			tu_appendf(out, "OK (%zu bytes): %u attributes, "
			    "state=%s client=%s sender=%s recipient=%s "
			    "queue_id=%s\n", used, req.nattr,
			    show(req.protocol_state),
			    show(req.client_address), show(req.sender),
			    show(req.recipient), show(req.queue_id));
		}
		assert_true(used > 0 && used <= len - off);
		off += used;
	}
	tu_appendf(out, "end of input\n");
}

static void
test_golden(void **state)
{
	(void)state;
	assert_int_equal(golden_files("policy", 4, golden_policy), 0);
}

/* Every proper prefix asks for more; the whole request is one. */
static void
test_prefixes(void **state)
{
	char why[256];
	size_t i, used, len = strlen(good);

	(void)state;
	for (i = 0; i < len; i++)
		assert_int_equal(pproto_parse(good, i, &req, &used, why,
		    sizeof(why)), PPROTO_MORE);
	assert_int_equal(pproto_parse(good, len, &req, &used, why,
	    sizeof(why)), PPROTO_OK);
	assert_int_equal(used, len);
	assert_string_equal(req.sender, "hoge@example.com");
	assert_string_equal(req.client_address, "10.1.2.3");
	assert_string_equal(req.queue_id, "");
}

/* The size limit holds exactly at PPROTO_REQUEST_MAX. */
static void
test_limits(void **state)
{
	char *buf, why[256];
	size_t used, fill;

	(void)state;
	assert_non_null(buf = malloc(PPROTO_REQUEST_MAX + 10));
	/* "request=smtpd_access_policy\nx=...\n\n" of exactly the limit */
	fill = PPROTO_REQUEST_MAX - strlen("request=smtpd_access_policy\n") -
	    strlen("x=\n\n");
	memcpy(buf, "request=smtpd_access_policy\nx=", 30);
	memset(buf + 30, 'v', fill);
	memcpy(buf + 30 + fill, "\n\n", 2);
	assert_int_equal(pproto_parse(buf, PPROTO_REQUEST_MAX, &req, &used,
	    why, sizeof(why)), PPROTO_OK);
	assert_int_equal(used, PPROTO_REQUEST_MAX);
	/* One byte more and the end is out of reach. */
	memset(buf + 30, 'v', fill + 1);
	memcpy(buf + 30 + fill + 1, "\n\n", 2);
	assert_int_equal(pproto_parse(buf, PPROTO_REQUEST_MAX + 1, &req,
	    &used, why, sizeof(why)), PPROTO_FATAL);
	assert_int_equal(pproto_parse(buf, PPROTO_REQUEST_MAX - 1, &req,
	    &used, why, sizeof(why)), PPROTO_MORE);
	free(buf);
}

static void
test_answer(void **state)
{
	char out[PPROTO_ANSWER_MAX], longtext[2000];
	size_t n;

	(void)state;
	n = pproto_answer(out, sizeof(out), "DUNNO", NULL);
	assert_string_equal(out, "action=DUNNO\n\n");
	assert_int_equal(n, strlen(out));
	pproto_answer(out, sizeof(out), "REJECT", "bad\nsender \x01<>");
	assert_string_equal(out, "action=REJECT bad?sender ?<>\n\n");
	memset(longtext, 'x', sizeof(longtext) - 1);
	longtext[sizeof(longtext) - 1] = '\0';
	n = pproto_answer(out, sizeof(out), "451 4.3.0", longtext);
	assert_int_equal(n, strlen("action=451 4.3.0 ") + PPROTO_TEXT_MAX + 2);
	assert_int_equal(pproto_answer(out, 10, "REJECT", "text"), 0);
}

static void
check_result(const char *buf, size_t len)
{
	char why[256];
	size_t used = 0;
	int r;

	r = pproto_parse(buf, len, &req, &used, why, sizeof(why));
	assert_true(r >= PPROTO_MORE && r <= PPROTO_FATAL);
	if (r == PPROTO_OK || r == PPROTO_BAD) {
		assert_true(used > 0 && used <= len &&
		    used <= PPROTO_REQUEST_MAX);
		assert_true(buf[used - 1] == '\n');
	}
	if (r == PPROTO_OK) {
		assert_non_null(req.request);
		assert_string_equal(req.request, "smtpd_access_policy");
		assert_true(req.nattr <= PPROTO_ATTR_MAX);
	}
	if (r == PPROTO_BAD || r == PPROTO_FATAL)
		assert_true(why[0] != '\0');
}

/* Random bytes, and the good request with random damage. */
static void
test_fuzz(void **state)
{
	static char buf[PPROTO_REQUEST_MAX * 2];
	size_t len, i, n, at;

	(void)state;
	for (i = 0; i < FUZZ_ROUNDS; i++) {
		if (i % 3 == 0) {
			len = tu_below(i % 30 == 0 ? sizeof(buf) : 512);
			tu_bytes(buf, len);
			for (n = 0; n < len; n++)
				if (tu_below(4) != 0)
					buf[n] = "=\n\nab_request=smtpd_access"
					    "_policy"[tu_below(32)];
		} else {
			len = strlen(good);
			memcpy(buf, good, len);
			for (n = tu_below(6); n > 0; n--) {
				at = tu_below((uint32_t)len);
				switch (tu_below(3)) {
				case 0:
					buf[at] = (char)tu_rand();
					break;
				case 1:
					memmove(buf + at, buf + at + 1,
					    len - at - 1);
					len--;
					break;
				default:
					buf[at] = "=\n"[tu_below(2)];
				}
			}
		}
		check_result(buf, len);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_fuzz),
	};

	tu_seed("test_pproto");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
