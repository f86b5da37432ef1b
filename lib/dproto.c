/*
 * dproto.c: the contents of version 3 calls.  The auth block is built
 * here and nowhere else.
 */
#include <string.h>
#include <time.h>

#include "drac.h"
#include "dproto.h"
#include "mac.h"

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
 * Every version 3 call starts with this block, filled in last.  With a
 * key it is signed: the MAC (common/mac.h) covers proc, timestamp, nonce
 * and the body, which is the arguments as encoded with this block in
 * place minus the block's DRACMAC_BLOCK_LEN bytes, the same bytes the
 * daemon checks.
 */
void
dproto_auth(drac3_auth *auth, const uint8_t *key, rpcproc_t proc,
    xdrproc_t xargs, void *args)
{
	static const size_t max = 4096;
	drac3_hmac *h = &auth->drac3_auth_u.hmac;
	char buf[4096];
	XDR x;
	u_int len;

	memset(auth, 0, sizeof(*auth));
	auth->flavor = DRAC3_AUTH_NONE;
	if (key == NULL)
		return;
	auth->flavor = DRAC3_AUTH_HMAC;
	h->timestamp = (u_quad_t)time(NULL);
	dracmac_nonce((uint8_t *)h->nonce);
	xdrmem_create(&x, buf, (u_int)max, XDR_ENCODE);
	/* A body that does not encode leaves the MAC zero: refused. */
	if (xargs(&x, args) && (len = xdr_getpos(&x)) >= DRACMAC_BLOCK_LEN)
		dracmac_compute(key, DRACVERS3, (uint32_t)proc, h->timestamp,
		    (const uint8_t *)h->nonce, buf + DRACMAC_BLOCK_LEN,
		    len - DRACMAC_BLOCK_LEN, (uint8_t *)h->mac);
	xdr_destroy(&x);
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
