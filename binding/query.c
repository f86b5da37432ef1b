/*
 * query.c: the live authorization of an address, from rpc.dracd.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "drac.h"
#include "log.h"
#include "query.h"

int
query_login(void *arg, const struct dracaddr *a, struct decide_login *l,
    char *err, size_t errlen)
{
	struct drac_client *c = arg;
	struct drac_info info;
	char text[DRACADDR_TEXT_MAX];
	int r;

	dracaddr_format(a, text, sizeof(text));
	memset(&info, 0, sizeof(info));
	err[0] = '\0';
	r = drac_client_query(c, text, &info, err, errlen);
	if (r == DRAC_NOTFOUND)
		return DECIDE_NOTFOUND;
	if (r != DRAC_OK) {
		if (err[0] == '\0')
			snprintf(err, errlen, "%s", drac_strerror(r));
		return DECIDE_ERROR;
	}
	info.user[sizeof(info.user) - 1] = '\0';
	snprintf(l->user, sizeof(l->user), "%s", info.user);
	l->expires = info.expires;
	return DECIDE_FOUND;
}

void
query_probe(const char *servers, const char *keyfile, int timeout_ms)
{
	struct drac_options o;
	struct drac_client *c;
	char err[DRAC_ERRMAX];

	if (keyfile != NULL && access(keyfile, R_OK) == -1)
		fatal("-K %s", keyfile);
	memset(&o, 0, sizeof(o));
	o.timeout_ms = timeout_ms;
	o.keyfile = keyfile;
	if ((c = drac_client_new(servers, &o, err, sizeof(err))) == NULL) {
		log_warnx("rpc.dracd at %s: %s; asking again at each "
		    "relay attempt", servers, err);
		return;
	}
	drac_client_free(c);
}
