/*
 * service.c: the options, maps and rpc.dracd client that drac-policyd
 * and drac-milter share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "defs.h"
#include "drac.h"
#include "log.h"
#include "opt.h"
#include "query.h"
#include "service.h"

void
service_init(struct service *s)
{
	memset(s, 0, sizeof(*s));
	s->users_path = BINDING_USERS_PATH;
	s->access_path = BINDING_ACCESS_PATH;
	s->access_optional = 1;
	s->servers = DRAC_DEFAULT_SERVER;
	s->timeout_ms = DRAC_DEFAULT_TIMEOUT_MS;
	s->empty_user = DECIDE_EMPTY_REFUSE;
}

int
service_option(struct service *s, int ch, const char *arg)
{
	/* In the order of DECIDE_EMPTY_REFUSE and DECIDE_EMPTY_PLAIN. */
	static const char *const empty_words[] = { "refuse", "plain", NULL };

	switch (ch) {
	case 'a':
		s->access_path = arg;
		s->access_optional = 0;
		break;
	case 'e':
		s->empty_user = opt_keyword(arg, empty_words, 'e');
		break;
	case 'K':
		s->keyfile = arg;
		break;
	case 'n':
		s->check_only = 1;
		break;
	case 's':
		s->servers = arg;
		break;
	case 't':
		s->timeout_ms = (int)opt_number(arg, 100, 60000, 't');
		break;
	case 'u':
		s->users_path = arg;
		break;
	default:
		return 0;
	}
	return 1;
}

static struct maps *
load(const struct service *s)
{
	return maps_load(s->users_path, s->access_path, s->access_optional,
	    log_report, NULL);
}

void
service_start(struct service *s, const char *prog)
{
	if ((s->maps = load(s)) == NULL)
		fatalx("the maps have errors, not starting");
	if (s->check_only) {
		printf("%s: %zu user map entries, %zu access map ranges\n",
		    prog, usermap_count(s->maps->users),
		    accessmap_count(s->maps->access));
		maps_free(s->maps);
		exit(0);
	}
	query_probe(s->servers, s->keyfile, s->timeout_ms);
}

struct maps *
service_reload(const struct service *s)
{
	struct maps *m;

	if ((m = load(s)) == NULL) {
		log_warnx("reload failed: keeping the maps loaded before");
		return NULL;
	}
	log_info("reloaded: %zu user map entries, %zu access map ranges",
	    usermap_count(m->users), accessmap_count(m->access));
	return m;
}

int
service_lookup(void *arg, const struct dracaddr *a, struct decide_login *l,
    char *err, size_t errlen)
{
	struct service *s = arg;
	struct drac_options o;
	int r;

	if (s->client == NULL) {
		memset(&o, 0, sizeof(o));
		o.timeout_ms = s->timeout_ms;
		o.keyfile = s->keyfile;
		s->client = drac_client_new(s->servers, &o, err, errlen);
		if (s->client == NULL)
			return DECIDE_ERROR;
	}
	r = query_login(s->client, a, l, err, errlen);
	if (r == DECIDE_ERROR) {
		/* rpc.dracd may have restarted on another port. */
		drac_client_free(s->client);
		s->client = NULL;
	}
	return r;
}

void
service_decide(struct service *s, decide_lookup_fn lookup,
    const struct dracaddr *client, const char *sender,
    struct decide_result *res)
{
	struct decide_ctx ctx;

	memset(&ctx, 0, sizeof(ctx));
	ctx.users = s->maps->users;
	ctx.access = s->maps->access;
	ctx.empty_user = s->empty_user;
	ctx.lookup = lookup;
	ctx.lookup_arg = s;
	ctx.now = (long long)time(NULL);
	decide_relay(&ctx, client, sender, res);
}

void
service_end(struct service *s)
{
	if (s->client != NULL)
		drac_client_free(s->client);
	s->client = NULL;
	maps_free(s->maps);
	s->maps = NULL;
}
