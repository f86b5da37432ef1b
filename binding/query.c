/*
 * query.c: the live authorization of an address, from rpc.dracd.
 */
#include <stdio.h>
#include <string.h>

#include "drac.h"
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
