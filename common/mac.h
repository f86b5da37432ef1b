/*
 * mac.h: the MAC of authenticated v3 calls, shared by rpc.dracd and
 * libdrac so both sides compute it from the same bytes.
 *
 * HMAC-SHA-256 (libsodium) over
 *	"DRAC3" vers(4) proc(4) timestamp(8) nonce(16) body
 * where body is the XDR encoding of the call's arguments that follow
 * the auth block.  Integers are big-endian.
 */
#ifndef DRAC_MAC_H
#define DRAC_MAC_H

#include <stddef.h>
#include <stdint.h>

#define DRACMAC_KEY_LEN		32
#define DRACMAC_NONCE_LEN	16
#define DRACMAC_LEN		32
#define DRACMAC_WINDOW		120	/* seconds a timestamp may be off */
/* An HMAC auth block in XDR: flavor, timestamp, nonce, mac. */
#define DRACMAC_BLOCK_LEN	(4 + 8 + DRACMAC_NONCE_LEN + DRACMAC_LEN)

int	dracmac_load_key(const char *path, uint8_t key[DRACMAC_KEY_LEN],
	    char *err, size_t errlen);
void	dracmac_compute(const uint8_t key[DRACMAC_KEY_LEN], uint32_t vers,
	    uint32_t proc, uint64_t timestamp,
	    const uint8_t nonce[DRACMAC_NONCE_LEN], const void *body,
	    size_t bodylen, uint8_t mac[DRACMAC_LEN]);
int	dracmac_equal(const uint8_t a[DRACMAC_LEN], const uint8_t b[DRACMAC_LEN]);
void	dracmac_nonce(uint8_t nonce[DRACMAC_NONCE_LEN]);

#endif
