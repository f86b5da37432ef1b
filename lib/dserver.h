/*
 * dserver.h: one DRAC server as libdrac sees it: where it is, which
 * protocol versions it speaks, and the RPC client kept between calls.
 * Internal.
 */
#ifndef DRAC_DSERVER_H
#define DRAC_DSERVER_H

#include <netdb.h>
#include <stdint.h>

#include <rpc/rpc.h>

#include "addr.h"
#include "dlist.h"
#include "drac.h"

struct dserver {
	struct dlist_server spec;
	int		 tcp;
	int		 v3only;
	int		 v12only;	/* asked to speak DRAC 1.12 */
	int		 old;		/* speaks only versions 1 and 2 */
	int		 nov2;		/* ... and not even 2 */
	struct addrinfo	*ai;		/* the host's addresses */
	struct addrinfo	*cur;		/* the one in use */
	CLIENT		*cl;		/* NULL: open on the next call */
	const uint8_t	*key;		/* sign v3 calls; NULL: do not */
	rpcvers_t	 clvers;
};

enum dserver_op { DSERVER_ADD, DSERVER_DROP, DSERVER_QUERY };

struct dserver_req {
	enum dserver_op	 op;
	struct dracaddr	 addr;
	unsigned int	 ttl;
	const char	*user;		/* "" for none */
	struct drac_info *info;		/* QUERY: filled on DRAC_OK */
	long long	 expires;	/* ADD over version 3: the server's */
};

void	dserver_init(struct dserver *, const struct dlist_server *, int flags);
int	dserver_open(struct dserver *, long long deadline, char *, size_t);
int	dserver_call(struct dserver *, struct dserver_req *, long long deadline,
	    char *err, size_t errlen);
void	dserver_close(struct dserver *);
void	dserver_free(struct dserver *);

#endif
