/*
 * keys.h: which address each open session belongs to, by session key
 * (Dovecot's session id, a pid).  It lets a login line without the
 * address use the one noted earlier, and a logout drop the address only
 * if that session was authorized and no other session of the same set
 * still holds it.  The table is
 * bounded: when full, the oldest entry goes.
 */
#ifndef DRAC_KEYS_H
#define DRAC_KEYS_H

#include "addr.h"

#define KEYS_MAX	4096

void	keys_put(const char *set, const char *key, const struct dracaddr *,
	    int added);
int	keys_get(const char *set, const char *key, struct dracaddr *);
int	keys_del(const char *set, const char *key, struct dracaddr *,
	    int *added);
int	keys_count(const char *set, const struct dracaddr *);
void	keys_clear(void);

#endif
