/*
 * statefile.c: encoding and reading the state file (statefile.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "statefile.h"

static const char magic[8] = "DRACSTA1";

#define ALIGN8(n)	(((n) + 7) & ~(size_t)7)
#define READ_CHUNK	(1024 * 1024)

static uint32_t
get32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static uint64_t
get64(const unsigned char *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static void
put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/*
 * A word at a time, the checksum field read as zero: an append costs a
 * few dozen cycles here, where a byte-wise hash cost a few hundred.
 */
static uint32_t
checksum(const unsigned char *p, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
	size_t i;

	for (i = 0; i < len; i += 8) {
		h ^= i == 0 ? get64(p) & ~(uint64_t)0xffffffff : get64(p + i);
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	h *= 0xc4ceb9fe1a85ec53ULL;
	return (uint32_t)(h ^ (h >> 29));
}

void
statefile_header(unsigned char out[STATEFILE_HEADER])
{
	memset(out, 0, STATEFILE_HEADER);
	memcpy(out, magic, sizeof(magic));
}

int
statefile_is(const unsigned char *buf, size_t len)
{
	return len >= STATEFILE_HEADER && memcmp(buf, magic, sizeof(magic)) == 0;
}

size_t
statefile_encode(const struct staterec *r, unsigned char *out)
{
	size_t ulen = 0, size;

	if (r->type == STATEREC_ADD)
		ulen = strnlen(r->user, STATE_USER_MAX);
	size = ALIGN8(STATEREC_FIXED + ulen);
	memset(out, 0, size);
	out[4] = (unsigned char)r->type;
	if (r->type == STATEREC_ADD) {
		out[5] = (unsigned char)r->how;
		out[6] = (unsigned char)ulen;
		put64(out + 24, (uint64_t)r->expires);
		put64(out + 32, (uint64_t)r->added);
		put32(out + 40, r->ttl);
		memcpy(out + STATEREC_FIXED, r->user, ulen);
	}
	memcpy(out + 8, r->addr.b, sizeof(r->addr.b));
	put32(out, checksum(out, size));
	return size;
}

/* 1 if len bytes at p are all zero. */
static int
zeros(const unsigned char *p, size_t len)
{
	while (len-- > 0)
		if (*p++ != 0)
			return 0;
	return 1;
}

/*
 * Only what statefile_encode writes passes: the fields a DROP does not
 * use and the padding must be zero, so that a record has one encoding.
 */
long
statefile_decode(const unsigned char *buf, size_t len, struct staterec *r)
{
	size_t ulen, size;
	int type;

	if (len < 8 || get64(buf) == 0)
		return 0;
	type = buf[4];
	ulen = buf[6];
	if ((type != STATEREC_ADD && type != STATEREC_DROP) || buf[7] != 0 ||
	    ulen > STATE_USER_MAX || (type == STATEREC_DROP && ulen != 0))
		return -1;
	size = ALIGN8(STATEREC_FIXED + ulen);
	if (size > len || checksum(buf, size) != get32(buf) ||
	    memchr(buf + STATEREC_FIXED, '\0', ulen) != NULL ||
	    !zeros(buf + STATEREC_FIXED + ulen, size - STATEREC_FIXED - ulen) ||
	    (type == STATEREC_DROP && (buf[5] != 0 ||
	    !zeros(buf + 24, STATEREC_FIXED - 24))))
		return -1;
	memset(r, 0, sizeof(*r));
	r->type = type;
	memcpy(r->addr.b, buf + 8, sizeof(r->addr.b));
	if (type == STATEREC_ADD) {
		r->how = buf[5];
		r->expires = (long long)get64(buf + 24);
		r->added = (long long)get64(buf + 32);
		r->ttl = get32(buf + 40);
		memcpy(r->user, buf + STATEREC_FIXED, ulen);
	}
	return (long)size;
}

/* Reads until len bytes are in buf or the file ends: bytes read, or -1. */
static ssize_t
read_full(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int
statefile_read(int fd, statefile_fn *fn, void *ctx, size_t *end,
    size_t *damaged)
{
	unsigned char *buf;
	struct staterec r;
	size_t pos = 0, fill, base = STATEFILE_HEADER;
	ssize_t n;
	long size;
	int resync = 0, rc = 0;

	*end = STATEFILE_HEADER;
	*damaged = 0;
	if ((buf = malloc(READ_CHUNK)) == NULL)
		return -1;
	if (lseek(fd, 0, SEEK_SET) != 0 ||
	    (n = read_full(fd, buf, STATEFILE_HEADER)) < 0) {
		free(buf);
		return -1;
	}
	if (!statefile_is(buf, (size_t)n)) {
		free(buf);
		return 1;
	}
	fill = 0;
	for (;;) {
		/* Keep a whole record in the buffer while the file has one. */
		if (fill - pos < STATEREC_MAX) {
			memmove(buf, buf + pos, fill - pos);
			base += pos;
			fill -= pos;
			pos = 0;
			if ((n = read_full(fd, buf + fill, READ_CHUNK - fill)) < 0) {
				rc = -1;
				break;
			}
			fill += (size_t)n;
		}
		size = statefile_decode(buf + pos, fill - pos, &r);
		if (size == 0 && (!resync || fill - pos < 8))
			break;
		if (size <= 0) {
			/* Damage, or zeros inside it: look further, by 8. */
			resync = size < 0 || resync;
			*damaged += fill - pos < 8 ? fill - pos : 8;
			pos += fill - pos < 8 ? fill - pos : 8;
			continue;
		}
		resync = 0;
		if (fn(ctx, &r, base + pos) != 0) {
			rc = -1;
			break;
		}
		pos += (size_t)size;
		*end = base + pos;
	}
	/* Bytes skipped after the last good record are not damage. */
	if (rc == 0 && *damaged > 0)
		*damaged -= base + pos - *end < *damaged ?
		    base + pos - *end : *damaged;
	free(buf);
	return rc;
}
