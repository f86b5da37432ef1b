/*
 * drpc.h: ONC RPC transport for libdrac, every step bounded by a
 * deadline on the monotonic clock (dracclock_mono_ms): rpcbind lookups,
 * TCP connects and calls.  Internal.
 */
#ifndef DRAC_DRPC_H
#define DRAC_DRPC_H

#include <sys/socket.h>

#include <rpc/rpc.h>

#include "clock.h"

/* A copy of sa (salen bytes) with the port set. */
void	drpc_setport(const struct sockaddr *sa, socklen_t salen,
	    unsigned int port, struct sockaddr_storage *ss);

/*
 * Ask rpcbind on the host at sa (port ignored) for the port of prog,
 * vers over UDP or TCP.  Returns 1 and *port, 0 if that version is not
 * registered, -1 with err if rpcbind could not be asked.
 */
int	drpc_getport(const struct sockaddr *sa, socklen_t salen,
	    rpcprog_t prog, rpcvers_t vers, int tcp, long long deadline,
	    unsigned int *port, char *err, size_t errlen);

/* A client for sa (port set), or NULL with err. */
CLIENT	*drpc_open(const struct sockaddr *sa, socklen_t salen,
	    rpcprog_t prog, rpcvers_t vers, int tcp, long long deadline,
	    char *err, size_t errlen);

/* clnt_call with whatever time is left; TCP calls cannot raise SIGPIPE. */
enum clnt_stat	drpc_call(CLIENT *cl, int tcp, rpcproc_t proc,
	    xdrproc_t xargs, void *args, xdrproc_t xres, void *res,
	    long long deadline);

/* The RPC library's text for a failed call, with errno's when it has one. */
void	drpc_errtext(CLIENT *cl, enum clnt_stat stat, char *buf,
	    size_t size);

#endif
