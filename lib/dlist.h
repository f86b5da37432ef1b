/*
 * dlist.h: the server list of libdrac ("host", "host:port",
 * "[v6addr]:port", a bare IPv6 address, comma-separated).
 * Internal to the library; not exported from libdrac.so.
 */
#ifndef DRAC_DLIST_H
#define DRAC_DLIST_H

#include <stddef.h>

#define DLIST_HOST_MAX	256	/* a DNS name: 253 bytes + NUL, rounded */
#define DLIST_NAME_MAX	(DLIST_HOST_MAX + 8)	/* host, ":port", brackets */

struct dlist_server {
	char		host[DLIST_HOST_MAX];	/* without brackets */
	unsigned int	port;			/* 0: ask rpcbind */
	char		name[DLIST_NAME_MAX];	/* as written, for messages */
};

/*
 * Parse up to max servers from s (NULL or "" means DRAC_DEFAULT_SERVER).
 * Returns the number of servers, or -1 with the reason in err.
 */
int	dlist_parse(const char *s, struct dlist_server *v, size_t max,
	    char *err, size_t errlen);

#endif
