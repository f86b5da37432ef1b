/*
 * mac.c: key files and MACs for authenticated v3 calls.  The crypto is
 * libsodium's; this file only decides which bytes it covers.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "mac.h"

/*
 * A key file holds the key as 64 hexadecimal digits (32 bytes), an
 * optional newline, nothing else, and is readable by its owner only.
 */
int
dracmac_load_key(const char *path, uint8_t key[DRACMAC_KEY_LEN], char *err,
    size_t errlen)
{
	char buf[DRACMAC_KEY_LEN * 2 + 3];
	struct stat st;
	size_t binlen;
	ssize_t n;
	int fd;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to initialize");
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		snprintf(err, errlen, "%s: mode %03o lets others read the key; "
		    "chmod 600 it", path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return -1;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n != DRACMAC_KEY_LEN * 2 ||
	    sodium_hex2bin(key, DRACMAC_KEY_LEN, buf, (size_t)n, NULL, &binlen,
	    NULL) != 0 || binlen != DRACMAC_KEY_LEN) {
		snprintf(err, errlen, "%s: want %d hexadecimal digits "
		    "(e.g. from: openssl rand -hex 32)", path,
		    DRACMAC_KEY_LEN * 2);
		sodium_memzero(buf, sizeof(buf));
		return -1;
	}
	sodium_memzero(buf, sizeof(buf));
	return 0;
}

static void
put_be(uint8_t *p, uint64_t v, int bytes)
{
	int i;

	for (i = bytes - 1; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

void
dracmac_compute(const uint8_t key[DRACMAC_KEY_LEN], uint32_t vers,
    uint32_t proc, uint64_t timestamp, const uint8_t nonce[DRACMAC_NONCE_LEN],
    const void *body, size_t bodylen, uint8_t mac[DRACMAC_LEN])
{
	crypto_auth_hmacsha256_state st;
	uint8_t head[5 + 4 + 4 + 8];

	memcpy(head, "DRAC3", 5);
	put_be(head + 5, vers, 4);
	put_be(head + 9, proc, 4);
	put_be(head + 13, timestamp, 8);
	crypto_auth_hmacsha256_init(&st, key, DRACMAC_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, head, sizeof(head));
	crypto_auth_hmacsha256_update(&st, nonce, DRACMAC_NONCE_LEN);
	crypto_auth_hmacsha256_update(&st, body, bodylen);
	crypto_auth_hmacsha256_final(&st, mac);
}

int
dracmac_equal(const uint8_t a[DRACMAC_LEN], const uint8_t b[DRACMAC_LEN])
{
	return crypto_verify_32(a, b) == 0;
}

void
dracmac_nonce(uint8_t nonce[DRACMAC_NONCE_LEN])
{
	randombytes_buf(nonce, DRACMAC_NONCE_LEN);
}
