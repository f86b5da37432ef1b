/*
 * authn.h: authenticated v3 calls (-K keyfile, -A).  A call carries a
 * timestamp, a nonce and an HMAC (common/mac.h); a nonce seen within the
 * timestamp window is a replay.
 */
#ifndef DRAC_AUTHN_H
#define DRAC_AUTHN_H

#include <stddef.h>
#include <stdint.h>

#include "mac.h"

#define AUTHN_SLOTS	65536	/* nonces remembered: a power of two */

struct authn_seen {
	uint8_t		nonce[DRACMAC_NONCE_LEN];
	long long	timestamp;
};

struct authn {
	int		 has_key;
	int		 required;	/* -A: refuse v1, v2, unsigned v3 */
	uint8_t		 key[DRACMAC_KEY_LEN];
	struct authn_seen *seen;
};

struct drac3_auth;

int	authn_init(struct authn *, const char *keyfile, int required,
	    char *err, size_t errlen);
void	authn_free(struct authn *);
/* NULL if the call may proceed, else why it may not. */
const char *authn_check(struct authn *, unsigned long vers,
	    unsigned long proc, const struct drac3_auth *, const void *body,
	    size_t bodylen, long long now);

#endif
