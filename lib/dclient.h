/*
 * dclient.h: the parts of client.c that compat.c builds on.  Internal.
 */
#ifndef DRAC_DCLIENT_H
#define DRAC_DCLIENT_H

#include "addr.h"
#include "drac.h"

/* connect: look every server up now (drac_client_new) or on first use. */
struct drac_client *dclient_make(const char *servers,
	    const struct drac_options *, int connect, char *err, size_t errlen);
int	dclient_add(struct drac_client *, const struct dracaddr *,
	    unsigned int ttl, const char *user, char *err, size_t errlen);

#endif
