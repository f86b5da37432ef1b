/*
 * dproto.c: the contents of version 3 calls.  The auth block is built
 * here and nowhere else, so that signing calls with a shared key is a
 * change to one function.
 */
#include <string.h>

#include "drac.h"
#include "dproto.h"

void
dproto_addr(const struct dracaddr *a, drac3_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (dracaddr_is_v4(a)) {
		out->family = DRAC3_INET;
		memcpy(out->drac3_addr_u.v4, a->b + 12, 4);
	} else {
		out->family = DRAC3_INET6;
		memcpy(out->drac3_addr_u.v6, a->b, 16);
	}
}

/*
 * Every version 3 call starts with this block, filled in last.  Unsigned
 * for now.  A keyed MAC (common/mac.h) will cover proc and the body:
 * args encoded with xargs while the block is still flavor NONE, minus
 * that block's 4 bytes.
 */
void
dproto_auth(drac3_auth *auth, rpcproc_t proc, xdrproc_t xargs,
    const void *args)
{
	(void)proc;
	(void)xargs;
	(void)args;
	memset(auth, 0, sizeof(*auth));
	auth->flavor = DRAC3_AUTH_NONE;
}

/* Version 3 statuses are DRAC_* codes; anything newer is "unknown". */
int
dproto_status(int status)
{
	if (status >= DRAC3_OK && status <= DRAC3_BADARG)
		return status;
	return DRAC_UNKNOWN;
}

void
dproto_info(const drac3_entry *e, struct drac_info *info)
{
	struct dracaddr a;
	uint32_t v4;

	memset(info, 0, sizeof(*info));
	if (e->addr.family == DRAC3_INET) {
		memcpy(&v4, e->addr.drac3_addr_u.v4, 4);
		dracaddr_from_v4(v4, &a);
	} else
		dracaddr_from_v6((const uint8_t *)e->addr.drac3_addr_u.v6,
		    &a);
	dracaddr_format(&a, info->addr, sizeof(info->addr));
	info->expires = e->expires;
	info->added = e->added;
	info->ttl = e->ttl;
	info->how = (int)e->how;
	if (e->user != NULL) {
		strncpy(info->user, e->user, sizeof(info->user) - 1);
		info->user[sizeof(info->user) - 1] = '\0';
	}
}
