/*
 * act.c: turn a matched line into an ADD or a DROP.
 *
 * One libdrac client is kept for the life of the program: its
 * connections and the rpcbind answer are reused.  After a failed call
 * it is made anew, so a rpc.dracd restarted on another port is found.
 * A server that is down is reported when it starts failing and when it
 * answers again, not for every login in between.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "act.h"
#include "addr.h"
#include "keys.h"
#include "log.h"

#define USER_MAX	64	/* what rpc.dracd keeps; longer: no user */

static struct act_conf conf;
static struct drac_client *client;
static int failing;

void
act_init(const struct act_conf *c)
{
	conf = *c;
	keys_clear();
}

void
act_done(void)
{
	if (client != NULL)
		drac_client_free(client);
	client = NULL;
}

/*
 * A line that matched but gives nothing to send, and why.  A session
 * seen only half (dracwatch started in the middle of it) is normal and
 * logged with -v only; a bad address means a pattern takes too much.
 */
static void __attribute__((format(printf, 4, 5)))
skip(const struct pattern *p, unsigned long lineno, int warn,
    const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (conf.dry_run)
		printf("%lu: %s skip: %s\n", lineno, p->set, msg);
	else if (warn)
		log_warnx("%s line: %s (%s)", p->set, msg, p->where);
	else
		log_debug("%s line: %s", p->set, msg);
}

/* The user name as rpc.dracd will take it, or NULL for none. */
static const char *
user_ok(const char *user)
{
	const unsigned char *s;

	if (user[0] == '\0' || strlen(user) > USER_MAX)
		return NULL;
	for (s = (const unsigned char *)user; *s != '\0'; s++)
		if (*s < 0x20 || *s == 0x7f)
			return NULL;
	return user;
}

static void
result(const char *what, const char *addr, int rc, const char *err)
{
	if (rc == DRAC_OK) {
		if (failing)
			log_info("%s answers again", conf.servers);
		failing = 0;
		return;
	}
	if (rc < 0) {
		drac_client_free(client);
		client = NULL;
	}
	if (failing) {
		log_debug("%s %s failed: %s", what, addr, err);
		return;
	}
	failing = 1;
	log_warnx("%s %s failed: %s (not repeated until %s answers again)",
	    what, addr, err, conf.servers);
}

static int
get_client(char *err, size_t errlen)
{
	if (client == NULL)
		client = drac_client_new(conf.servers, &conf.opt, err, errlen);
	return client == NULL ? -1 : 0;
}

static void
send_add(const struct pattern *p, unsigned long lineno,
    const struct dracaddr *a, const char *user)
{
	char text[DRACADDR_TEXT_MAX], err[DRAC_ERRMAX];
	int rc;

	dracaddr_format(a, text, sizeof(text));
	if (conf.dry_run) {
		printf("%lu: %s add %s %s\n", lineno, p->set, text,
		    user != NULL ? user : "-");
		return;
	}
	err[0] = '\0';
	if (get_client(err, sizeof(err)) == -1)
		rc = DRAC_ENOCLIENT;
	else
		rc = drac_client_add(client, text, conf.ttl, user, err,
		    sizeof(err));
	result("add", text, rc, err);
	if (rc == DRAC_OK)
		log_info("added %s user %s (%s)", text,
		    user != NULL ? user : "-", p->set);
}

static void
send_drop(const struct pattern *p, unsigned long lineno,
    const struct dracaddr *a)
{
	char text[DRACADDR_TEXT_MAX], err[DRAC_ERRMAX];
	int rc;

	dracaddr_format(a, text, sizeof(text));
	if (conf.dry_run) {
		printf("%lu: %s drop %s\n", lineno, p->set, text);
		return;
	}
	err[0] = '\0';
	if (get_client(err, sizeof(err)) == -1)
		rc = DRAC_ENOCLIENT;
	else
		rc = drac_client_drop(client, text, err, sizeof(err));
	if (rc == DRAC_NOTFOUND)	/* expired already: fine */
		rc = DRAC_OK;
	result("drop", text, rc, err);
	if (rc == DRAC_OK)
		log_info("dropped %s (%s)", text, p->set);
}

static void
do_add(const struct patmatch *m, unsigned long lineno, struct dracaddr *a,
    int have)
{
	const struct pattern *p = m->pat;

	if (!have) {
		if (keys_get(p->set, m->key, a) == -1) {
			skip(p, lineno, 0, "no address noted for session %s",
			    m->key);
			return;
		}
	}
	if (m->key[0] != '\0')
		keys_put(p->set, m->key, a, 1);
	send_add(p, lineno, a, user_ok(m->user));
}

/*
 * A logout with a session key ends that session only: the address is
 * dropped when no other session of the same server still holds it.
 */
static void
do_drop(const struct patmatch *m, unsigned long lineno, struct dracaddr *a,
    int have)
{
	const struct pattern *p = m->pat;
	struct dracaddr noted;
	int others, added = 0;

	if (m->key[0] != '\0') {
		if (keys_del(p->set, m->key, &noted, &added) == -1) {
			if (conf.drop)
				skip(p, lineno, 0, "no login seen for session %s",
				    m->key);
			return;
		}
		/* Noted but never logged in: it authorized nothing. */
		if (!added)
			return;
		if (!have)
			*a = noted;
		others = keys_count(p->set, a);
		if (others > 0 && conf.drop) {
			char text[DRACADDR_TEXT_MAX];

			dracaddr_format(a, text, sizeof(text));
			if (conf.dry_run)
				printf("%lu: %s keep %s (%d open)\n", lineno,
				    p->set, text, others);
			return;
		}
	}
	if (conf.drop)
		send_drop(p, lineno, a);
}

void
act_line(const struct patmatch *m, unsigned long lineno)
{
	const struct pattern *p = m->pat;
	struct dracaddr a;
	const char *why;
	int have = 0;

	memset(&a, 0, sizeof(a));
	if (m->addr[0] != '\0') {
		if (dracaddr_parse(m->addr, &a) == -1) {
			skip(p, lineno, 1, "bad address \"%s\"", m->addr);
			return;
		}
		if ((why = dracaddr_unusable(&a)) != NULL) {
			skip(p, lineno, 1, "%s: %s", m->addr, why);
			return;
		}
		have = 1;
	}
	switch (p->action) {
	case PAT_NOTE:
		keys_put(p->set, m->key, &a, 0);
		if (conf.dry_run) {
			char text[DRACADDR_TEXT_MAX];

			dracaddr_format(&a, text, sizeof(text));
			printf("%lu: %s note %s session %s\n", lineno, p->set,
			    text, m->key);
		}
		break;
	case PAT_ADD:
		do_add(m, lineno, &a, have);
		break;
	case PAT_DROP:
		do_drop(m, lineno, &a, have);
		break;
	}
}
