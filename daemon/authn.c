/*
 * authn.c: checks the MAC, the timestamp and the nonce of a v3 call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "authn.h"
#include "drac_prot.h"

#define PROBES	8

int
authn_init(struct authn *a, const char *keyfile, int required, char *err,
    size_t errlen)
{
	memset(a, 0, sizeof(*a));
	a->required = required;
	if (keyfile == NULL) {
		if (required) {
			snprintf(err, errlen, "-A needs a key file (-K)");
			return -1;
		}
		return 0;
	}
	if (dracmac_load_key(keyfile, a->key, err, errlen) != 0)
		return -1;
	if ((a->seen = calloc(AUTHN_SLOTS, sizeof(*a->seen))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	a->has_key = 1;
	return 0;
}

void
authn_free(struct authn *a)
{
	sodium_memzero(a->key, sizeof(a->key));
	free(a->seen);
	a->seen = NULL;
	a->has_key = 0;
}

/*
 * Remembers a nonce; 0, or -1 if it was seen within the window.  When
 * every probed slot holds a live nonce the oldest gives way: only a
 * flood of correctly keyed calls can cause that.
 */
static int
remember(struct authn *a, const uint8_t *nonce, long long ts, long long now)
{
	struct authn_seen *s, *victim = NULL;
	uint32_t h;
	int i;

	memcpy(&h, nonce, sizeof(h));	/* the nonce is random already */
	for (i = 0; i < PROBES; i++) {
		s = &a->seen[(h + (uint32_t)i) & (AUTHN_SLOTS - 1)];
		if (s->timestamp != 0 &&
		    memcmp(s->nonce, nonce, DRACMAC_NONCE_LEN) == 0 &&
		    s->timestamp > now - 2 * DRACMAC_WINDOW)
			return -1;
		if (victim == NULL || s->timestamp < victim->timestamp)
			victim = s;
	}
	memcpy(victim->nonce, nonce, DRACMAC_NONCE_LEN);
	victim->timestamp = ts;
	return 0;
}

const char *
authn_check(struct authn *a, unsigned long vers, unsigned long proc,
    const struct drac3_auth *auth, const void *body, size_t bodylen,
    long long now)
{
	const drac3_hmac *h;
	uint8_t mac[DRACMAC_LEN];
	long long ts;

	if (auth->flavor == DRAC3_AUTH_NONE)
		return a->required ? "unsigned call, but -A requires a MAC" :
		    NULL;
	if (auth->flavor != DRAC3_AUTH_HMAC)
		return "unknown auth flavor";
	if (!a->has_key)
		return "signed call, but no key is configured (-K)";
	h = &auth->drac3_auth_u.hmac;
	ts = (long long)h->timestamp;
	if (ts < now - DRACMAC_WINDOW || ts > now + DRACMAC_WINDOW)
		return "timestamp outside the allowed window";
	dracmac_compute(a->key, (uint32_t)vers, (uint32_t)proc,
	    h->timestamp, (const uint8_t *)h->nonce, body, bodylen, mac);
	if (!dracmac_equal(mac, (const uint8_t *)h->mac))
		return "wrong MAC";
	if (remember(a, (const uint8_t *)h->nonce, ts, now) != 0)
		return "replayed nonce";
	return NULL;
}
