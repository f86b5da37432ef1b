/*
 * net.h: the daemon's sockets.  RPC over UDP and TCP, socketmap lookups
 * over unix or TCP streams, all non-blocking under one poll loop.
 */
#ifndef DRAC_NET_H
#define DRAC_NET_H

#include <poll.h>
#include <stddef.h>

#include "addr.h"
#include "rpcsvc.h"

struct dracd;

#define NET_LISTEN_MAX	16
#define NET_CONN_MAX	128	/* open stream connections */
#define NET_IDLE_MS	30000	/* default time to send a whole request (-T) */
#define NET_POLL_MAX	(NET_LISTEN_MAX + NET_CONN_MAX)
#define SMAP_REQ_MAX	1024	/* socketmap request netstring */

enum sock_kind { SK_UDP, SK_RPC_LISTEN, SK_SMAP_LISTEN };

struct listener {
	int		 fd;
	enum sock_kind	 kind;
	int		 family;	/* AF_INET, AF_INET6, AF_UNIX */
	int		 port;		/* bound port, for rpcbind */
	long long	 paused_until;	/* mono ms; out of descriptors */
	char		 path[108];	/* unix socket to unlink at exit */
};

struct conn {
	int		 fd;		/* -1: free slot */
	int		 smap;		/* socketmap, not RPC */
	struct dracaddr	 peer;
	long long	 deadline;	/* mono ms: close if no request yet */
	long long	 idle_ms;
	/* RPC record marking: current fragment header and record. */
	unsigned char	 hdr[4];
	unsigned int	 hdrlen;
	unsigned int	 fragleft;
	int		 fraglast;
	unsigned int	 inlen;
	char		 in[SMAP_REQ_MAX > RPC_RECORD_MAX ?
			    SMAP_REQ_MAX + 16 : RPC_RECORD_MAX];
	/* Replies the peer has not read yet. */
	unsigned int	 outlen;
	unsigned int	 outoff;
	char		 out[2 * (RPC_REPLY_MAX + 4)];
};

struct net {
	struct listener	 l[NET_LISTEN_MAX];
	int		 nl;
	struct conn	*c[NET_CONN_MAX];
	int		 registered;
	int		 reg_warned;	/* "not registered" was logged */
	long long	 idle_ms;	/* -T */
	/* rpcbind's socket when we registered: a new one means a restart. */
	unsigned long	 rpcbind_ino;
	long long	 rpcbind_ctime;
	long long	 rpcbind_checked;	/* mono ms */
	struct pollfd	 pfd[NET_POLL_MAX];
	int		 pfdowner[NET_POLL_MAX];	/* listener i or -1-conn */
	int		 npfd;
};

/* UDP and TCP on each address (none: every address, IPv4 and IPv6). */
int	net_open_rpc(struct net *, const struct dracaddr *, int naddrs,
	    int port, char *err, size_t errlen);
int	net_open_socketmap(struct net *, const char *where, char *err,
	    size_t errlen);
int	net_register(struct net *);
/*
 * Every time here ("mono ms", now) is in milliseconds on the monotonic
 * clock (clock.h): a step of the wall clock moves no deadline.
 */
/* Registers again when rpcbind has restarted; cheap, call often. */
void	net_watch_rpcbind(struct net *, long long now);
void	net_unregister(struct net *);
/* Builds the poll set; lowers *timeout_ms to the next deadline. */
void	net_prepare(struct net *, long long now, int *timeout_ms);
void	net_events(struct net *, struct dracd *, long long now);
void	net_close(struct net *);

#endif
