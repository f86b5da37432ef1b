/*
 * accessmap.h: client address ranges that need no login.
 *
 *	RANGE relay		any sender may relay from RANGE
 *	RANGE user LOGIN...	the senders of these users (user map) may
 *				relay from RANGE, logged in or not
 *
 * RANGE is an IPv4 or IPv6 address with an optional /prefix.  See
 * drac-users(5).
 */
#ifndef DRAC_ACCESSMAP_H
#define DRAC_ACCESSMAP_H

#include <stddef.h>
#include <stdio.h>

#include "addr.h"
#include "binding.h"

struct accessmap;

/* Called for each login of each matching "user" range; nonzero stops. */
typedef int	(*accessmap_user_fn)(void *arg, const char *user,
		    unsigned long line);

struct accessmap *accessmap_new(void);
void		 accessmap_free(struct accessmap *);
int		 accessmap_load_buf(struct accessmap *, const char *name,
		    const char *buf, size_t len, binding_report_fn, void *);
int		 accessmap_load(struct accessmap *, const char *path,
		    binding_report_fn, void *);
/* Line of the first "relay" range holding the address, or 0. */
unsigned long	 accessmap_relay(const struct accessmap *,
		    const struct dracaddr *);
int		 accessmap_users(const struct accessmap *,
		    const struct dracaddr *, accessmap_user_fn, void *);
size_t		 accessmap_count(const struct accessmap *);
void		 accessmap_dump(const struct accessmap *, FILE *);

#endif
