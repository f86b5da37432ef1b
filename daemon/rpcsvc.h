/*
 * rpcsvc.h: one RPC call record in, its reply out.
 */
#ifndef DRAC_RPCSVC_H
#define DRAC_RPCSVC_H

#include <stddef.h>

#include "addr.h"

struct dracd;

struct rpc_caller {
	struct dracaddr	addr;	/* where the call came from */
	unsigned int	len;	/* bytes in the record */
};

/* Largest call record accepted: a v3 ADD is about 200 bytes. */
#define RPC_RECORD_MAX	2048
/* Largest reply: fits a UDP datagram that libtirpc clients accept. */
#define RPC_REPLY_MAX	8800

/* Returns the reply's length, or 0 when the call gets no reply. */
size_t	rpcsvc_handle(struct dracd *, const struct rpc_caller *,
	    const char *in, char *out, size_t outsize);

#endif
