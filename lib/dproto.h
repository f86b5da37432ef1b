/*
 * dproto.h: what goes into a DRAC call and what comes back: the version
 * 3 address and auth block, and server status -> DRAC_* code.  Internal.
 */
#ifndef DRAC_DPROTO_H
#define DRAC_DPROTO_H

#include "addr.h"
#include "drac.h"
#include "drac_prot.h"

void	dproto_addr(const struct dracaddr *, drac3_addr *);
void	dproto_auth(drac3_auth *, rpcproc_t proc, xdrproc_t xargs,
	    const void *args);
int	dproto_status(int status);
void	dproto_info(const drac3_entry *, struct drac_info *);

#endif
