/*
 * dproto.h: what goes into a DRAC call and what comes back: the version
 * 3 address and auth block, and server status -> DRAC_* code.  Internal.
 */
#ifndef DRAC_DPROTO_H
#define DRAC_DPROTO_H

#include <stdint.h>

#include "addr.h"
#include "drac.h"
#include "drac_prot.h"

void	dproto_addr(const struct dracaddr *, drac3_addr *);
/* key: DRACMAC_KEY_LEN bytes, or NULL for an unsigned call. */
void	dproto_auth(drac3_auth *, const uint8_t *key, rpcproc_t proc,
	    xdrproc_t xargs, void *args);
int	dproto_status(int status);
void	dproto_info(const drac3_entry *, struct drac_info *);

#endif
