/*
 * decide.c: may this client relay mail from this envelope sender?
 * Every outcome carries two texts: one for the SMTP client, which never
 * names a login, and one for the log, which does.
 */
#include <stdio.h>
#include <string.h>

#include "decide.h"
#include "mapfile.h"

#define QUOTED_MAX	(BINDING_ADDR_MAX + 8)

struct range_hit {
	const struct usermap	*users;
	const char		*sender;
	const char		*user;		/* who owns the sender */
	unsigned long		 line;
	unsigned long		 any_line;	/* a user range matched */
};

static int
try_range_user(void *arg, const char *user, unsigned long line)
{
	struct range_hit *h = arg;

	if (h->any_line == 0)
		h->any_line = line;
	if (!usermap_allows(h->users, user, h->sender))
		return 0;
	h->user = user;
	h->line = line;
	return 1;
}

static void
verdict(struct decide_result *res, int v)
{
	res->verdict = v;
	res->reply[0] = '\0';
	res->log[0] = '\0';
}

/* No usable login: what to tell, given whether a user range matched. */
static void
refuse_unbound(struct decide_result *res, const char *addr,
    const char *qs, const struct range_hit *h, const char *why)
{
	verdict(res, DECIDE_REFUSE);
	if (h->any_line != 0) {
		snprintf(res->reply, sizeof(res->reply), "sender <%s> may not "
		    "relay from %s", qs, addr);
		snprintf(res->log, sizeof(res->log), "client %s, sender <%s>: "
		    "no user of the range at access map line %lu owns the "
		    "sender, and %s", addr, qs, h->any_line, why);
		return;
	}
	snprintf(res->reply, sizeof(res->reply), "relaying from %s needs a "
	    "recent POP/IMAP login", addr);
	snprintf(res->log, sizeof(res->log), "client %s, sender <%s>: %s",
	    addr, qs, why);
}

static void
judge_login(const struct decide_ctx *ctx, const struct decide_login *l,
    const char *addr, const char *sender, const char *qs,
    struct decide_result *res)
{
	char qu[BINDING_USER_MAX * 4 + 1];

	if (l->user[0] == '\0') {
		if (ctx->empty_user == DECIDE_EMPTY_PLAIN) {
			verdict(res, DECIDE_ALLOW);
			snprintf(res->log, sizeof(res->log), "client %s, sender "
			    "<%s>: login without a user name, allowed as "
			    "plain POP-before-SMTP", addr, qs);
			return;
		}
		verdict(res, DECIDE_REFUSE);
		snprintf(res->reply, sizeof(res->reply), "the login from %s "
		    "does not say who logged in, so sender <%s> cannot be "
		    "checked", addr, qs);
		snprintf(res->log, sizeof(res->log), "client %s, sender <%s>: "
		    "login without a user name (a DRAC 1.12 client), refused",
		    addr, qs);
		return;
	}
	mapfile_quote(l->user, qu, sizeof(qu));
	if (usermap_allows(ctx->users, l->user, sender)) {
		verdict(res, DECIDE_ALLOW);
		snprintf(res->log, sizeof(res->log), "client %s, sender <%s>: "
		    "belongs to user %s, logged in from there", addr, qs, qu);
		return;
	}
	verdict(res, DECIDE_REFUSE);
	snprintf(res->reply, sizeof(res->reply), "sender <%s> does not belong "
	    "to the user who logged in from %s", qs, addr);
	snprintf(res->log, sizeof(res->log), "client %s, sender <%s>: not a "
	    "sender of user %s, who logged in from there%s", addr, qs, qu,
	    usermap_has_user(ctx->users, l->user) ? "" :
	    " (the user map has no line for that user)");
}

void
decide_relay(const struct decide_ctx *ctx, const struct dracaddr *client,
    const char *raw_sender, struct decide_result *res)
{
	struct range_hit hit;
	struct decide_login login;
	char addr[DRACADDR_TEXT_MAX], sender[BINDING_ADDR_MAX + 1];
	char qs[QUOTED_MAX], err[BINDING_WHY_MAX], why[BINDING_WHY_MAX];
	unsigned long line;
	int malformed, r;

	dracaddr_format(client, addr, sizeof(addr));
	malformed = usermap_sender(raw_sender, sender, sizeof(sender)) == -1;
	mapfile_quote(malformed ? raw_sender : sender, qs, sizeof(qs));
	if ((line = accessmap_relay(ctx->access, client)) != 0) {
		verdict(res, DECIDE_ALLOW);
		snprintf(res->log, sizeof(res->log), "client %s, sender <%s>: "
		    "relay range at access map line %lu", addr, qs, line);
		return;
	}
	if (malformed) {
		verdict(res, DECIDE_REFUSE);
		snprintf(res->reply, sizeof(res->reply), "malformed sender "
		    "address");
		snprintf(res->log, sizeof(res->log), "client %s: malformed "
		    "sender \"%s\"", addr, qs);
		return;
	}

	memset(&hit, 0, sizeof(hit));
	hit.users = ctx->users;
	hit.sender = sender;
	if (accessmap_users(ctx->access, client, try_range_user, &hit)) {
		verdict(res, DECIDE_ALLOW);
		snprintf(res->log, sizeof(res->log), "client %s, sender <%s>: "
		    "belongs to user %s of the range at access map line %lu",
		    addr, qs, hit.user, hit.line);
		return;
	}

	memset(&login, 0, sizeof(login));
	err[0] = '\0';
	r = ctx->lookup(ctx->lookup_arg, client, &login, err, sizeof(err));
	if (r == DECIDE_ERROR) {
		verdict(res, DECIDE_TEMPFAIL);
		snprintf(res->reply, sizeof(res->reply), "cannot check the "
		    "login from %s now, try again later", addr);
		snprintf(res->log, sizeof(res->log), "client %s, sender <%s>: "
		    "asking rpc.dracd failed: %s", addr, qs, err);
		return;
	}
	if (r == DECIDE_NOTFOUND) {
		refuse_unbound(res, addr, qs, &hit, "no login is recorded "
		    "for the address");
		return;
	}
	login.user[sizeof(login.user) - 1] = '\0';
	if (login.expires <= ctx->now) {
		snprintf(why, sizeof(why), "the login expired %lld s ago",
		    ctx->now - login.expires);
		refuse_unbound(res, addr, qs, &hit, why);
		return;
	}
	judge_login(ctx, &login, addr, sender, qs, res);
}

const char *
decide_verdict_name(int v)
{
	switch (v) {
	case DECIDE_ALLOW:
		return "allow";
	case DECIDE_REFUSE:
		return "refuse";
	case DECIDE_TEMPFAIL:
		return "tempfail";
	}
	return "unknown";
}
