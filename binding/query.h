/*
 * query.h: decide_lookup_fn over libdrac: asks rpc.dracd (v3 QUERY) who
 * logged in from an address and until when.  The map stays rpc.dracd's.
 */
#ifndef DRAC_QUERY_H
#define DRAC_QUERY_H

#include <stddef.h>

#include "decide.h"

/* arg is a struct drac_client *; the caller serializes calls on it. */
int	query_login(void *arg, const struct dracaddr *,
	    struct decide_login *, char *err, size_t errlen);

/*
 * At start: a key file that cannot be read would make every decision a
 * temporary failure, so exit; rpc.dracd itself may come up later, so
 * only warn when it does not answer.
 */
void	query_probe(const char *servers, const char *keyfile,
	    int timeout_ms);

#endif
