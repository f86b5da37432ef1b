/*
 * addr.c: parse, classify and format client addresses, and encode them
 * as map keys and values.  No allocation, no name service: this runs on
 * the daemon's hot path and inside the library.
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "defs.h"

static const uint8_t v4mapped_prefix[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

void
dracaddr_from_v4(uint32_t net, struct dracaddr *a)
{
	memcpy(a->b, v4mapped_prefix, 12);
	memcpy(a->b + 12, &net, 4);
}

void
dracaddr_from_v6(const uint8_t v6[16], struct dracaddr *a)
{
	memcpy(a->b, v6, 16);
}

int
dracaddr_is_v4(const struct dracaddr *a)
{
	return memcmp(a->b, v4mapped_prefix, 12) == 0;
}

uint32_t
dracaddr_v4(const struct dracaddr *a)
{
	uint32_t net;

	memcpy(&net, a->b + 12, 4);
	return net;
}

/*
 * A dotted quad, the form of nearly every map key, read in place: a
 * mass expiry or a start reads a million.  It takes exactly what
 * inet_pton(AF_INET) takes (four decimal parts up to 255, no leading
 * zeros), so that whatever it refuses can go on to inet_pton.
 */
static int
parse_quad(const char *s, size_t len, uint32_t *net)
{
	uint8_t q[4];
	unsigned int part = 0;
	int parts = 0, digits = 0;
	size_t i;
	char c;

	for (i = 0; i <= len; i++) {
		c = i < len ? s[i] : '.';	/* the end closes the last part */
		if (c >= '0' && c <= '9') {
			if (digits > 0 && part == 0)
				return -1;
			part = part * 10 + (unsigned int)(c - '0');
			if (part > 255)
				return -1;
			digits++;
		} else if (c == '.' && digits > 0 && parts < 4) {
			q[parts++] = (uint8_t)part;
			part = 0;
			digits = 0;
		} else
			return -1;
	}
	if (parts != 4)
		return -1;
	memcpy(net, q, 4);
	return 0;
}

/*
 * Accepts a dotted quad, IPv6 text, sendmail's "IPv6:" tag and [brackets].
 * Returns 0, or -1 for anything else (names are never resolved).
 */
int
dracaddr_parse(const char *s, struct dracaddr *a)
{
	char buf[DRACADDR_TEXT_MAX + 8];
	struct in_addr in4;
	uint32_t net;
	size_t len;

	if (parse_quad(s, strlen(s), &net) == 0) {
		dracaddr_from_v4(net, a);
		return 0;
	}
	if (strncasecmp(s, "IPv6:", 5) == 0)
		s += 5;
	len = strlen(s);
	if (len >= sizeof(buf))
		return -1;
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		memcpy(buf, s + 1, len - 2);
		buf[len - 2] = '\0';
	} else
		memcpy(buf, s, len + 1);
	if (inet_pton(AF_INET, buf, &in4) == 1) {
		dracaddr_from_v4(in4.s_addr, a);
		return 0;
	}
	if (inet_pton(AF_INET6, buf, a->b) == 1)
		return 0;
	return -1;
}

int
dracaddr_from_sockaddr(const struct sockaddr *sa, socklen_t len,
    struct dracaddr *a)
{
	const struct sockaddr_in *sin;
	const struct sockaddr_in6 *sin6;

	if (sa->sa_family == AF_INET && len >= sizeof(*sin)) {
		sin = (const struct sockaddr_in *)(const void *)sa;
		dracaddr_from_v4(sin->sin_addr.s_addr, a);
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(*sin6)) {
		sin6 = (const struct sockaddr_in6 *)(const void *)sa;
		memcpy(a->b, &sin6->sin6_addr, 16);
		return 0;
	}
	return -1;
}

/*
 * Why an address can never be an SMTP client, or NULL if it can be.
 */
const char *
dracaddr_unusable(const struct dracaddr *a)
{
	static const uint8_t zero[16];
	uint32_t v4;

	if (dracaddr_is_v4(a)) {
		v4 = ntohl(dracaddr_v4(a));
		if (v4 == 0)
			return "unspecified address";
		if (v4 == 0xffffffffU)
			return "broadcast address";
		if ((v4 >> 28) == 0xe)
			return "multicast address";
		if ((v4 >> 24) == 0)
			return "address in 0.0.0.0/8";
		return NULL;
	}
	if (memcmp(a->b, zero, 16) == 0)
		return "unspecified address";
	if (a->b[0] == 0xff)
		return "multicast address";
	return NULL;
}

/*
 * Decimal text of v, backwards from end; returns where it begins.  An
 * ADD formats two keys and a value: snprintf and inet_ntop, which calls
 * it, were most of what that cost.
 */
static char *
decimal_before(char *end, unsigned long long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	return end;
}

/* Copies len bytes of text and a NUL if they fit; 0 or -1. */
static int
put_text(char *buf, size_t size, const char *text, size_t len)
{
	if (len >= size)
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	return 0;
}

/* Dotted quad of b[0..3], backwards from end; returns where it begins. */
static char *
quad_before(char *end, const uint8_t *b)
{
	int i;

	for (i = 3; i >= 0; i--) {
		end = decimal_before(end, b[i]);
		if (i > 0)
			*--end = '.';
	}
	return end;
}

/*
 * IPv6 text exactly as glibc's inet_ntop writes it: lowercase hex
 * groups, the first longest run of two or more zero groups as "::", and
 * an IPv4-compatible address (::a.b.c.d) with its dotted quad.  A v2 ADD
 * formats two keys, and inet_ntop costs 150 ns a call on sprintf.
 */
static size_t
format_v6(const uint8_t *b, char *out)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int w[8];
	int i, run = -1, runlen = 0, cur = -1, shift;
	char *o = out, quad[16], *q;

	for (i = 0; i < 8; i++)
		w[i] = (unsigned int)b[2 * i] << 8 | b[2 * i + 1];
	for (i = 0; i <= 8; i++) {
		if (i < 8 && w[i] == 0) {
			if (cur < 0)
				cur = i;
		} else if (cur >= 0) {
			if (i - cur > runlen) {
				run = cur;
				runlen = i - cur;
			}
			cur = -1;
		}
	}
	if (runlen < 2)
		run = -1;
	for (i = 0; i < 8; i++) {
		if (run >= 0 && i >= run && i < run + runlen) {
			if (i == run)
				*o++ = ':';
			continue;
		}
		if (i != 0)
			*o++ = ':';
		if (i == 6 && run == 0 && runlen == 6) {
			q = quad_before(quad + sizeof(quad), b + 12);
			memcpy(o, q, (size_t)(quad + sizeof(quad) - q));
			o += quad + sizeof(quad) - q;
			break;
		}
		for (shift = 12; shift > 0 && (w[i] >> shift) == 0; shift -= 4)
			;
		for (; shift >= 0; shift -= 4)
			*o++ = hex[(w[i] >> shift) & 15];
	}
	if (run >= 0 && run + runlen == 8)
		*o++ = ':';
	return (size_t)(o - out);
}

/* Text form: dotted quad for IPv4 (mapped or not), inet_ntop's IPv6. */
void
dracaddr_format(const struct dracaddr *a, char *buf, size_t size)
{
	char text[DRACADDR_TEXT_MAX], *end = text + sizeof(text), *p;
	size_t n;

	if (dracaddr_is_v4(a)) {
		p = quad_before(end, a->b + 12);
		n = (size_t)(end - p);
	} else
		n = format_v6(a->b, p = text);
	if (put_text(buf, size, p, n) != 0 && size > 0)
		buf[0] = '\0';
}

/*
 * Map key for the variant in flags; returns its length in bytes, the
 * NUL included when DRACKEY_NUL asks for one, or 0 if it does not fit.
 */
size_t
dracaddr_key(const struct dracaddr *a, int flags, char *buf, size_t size)
{
	const char *suffix = dracaddr_is_v4(a) ? "/32" : "/128";
	char text[DRACADDR_TEXT_MAX + sizeof("/128")];
	size_t n;

	dracaddr_format(a, text, DRACADDR_TEXT_MAX);
	n = strlen(text);
	if (flags & DRACKEY_CIDR) {
		memcpy(text + n, suffix, strlen(suffix));
		n += strlen(suffix);
	}
	if (put_text(buf, size, text, n) != 0)
		return 0;
	return n + ((flags & DRACKEY_NUL) ? 1 : 0);
}

/*
 * Reverse of dracaddr_key: accepts the key with or without the CIDR
 * suffix and trailing NUL, whatever the flags, so a map written with
 * another variant still loads.  Returns 0 or -1.
 */
int
dracaddr_from_key(const char *key, size_t len, int flags,
    struct dracaddr *a)
{
	char buf[DRAC_KEY_MAX];
	char *slash;
	uint32_t net;

	(void)flags;
	if (len > 0 && key[len - 1] == '\0')
		len--;
	if (parse_quad(key, len, &net) == 0) {
		dracaddr_from_v4(net, a);
		return 0;
	}
	if (len == 0 || len >= sizeof(buf) || memchr(key, '\0', len) != NULL)
		return -1;
	memcpy(buf, key, len);
	buf[len] = '\0';
	if ((slash = strchr(buf, '/')) != NULL) {
		*slash = '\0';
		if (dracaddr_parse(buf, a) != 0)
			return -1;
		return strcmp(slash + 1,
		    dracaddr_is_v4(a) ? "32" : "128") == 0 ? 0 : -1;
	}
	if (strchr(buf, '[') != NULL || strncasecmp(buf, "IPv6:", 5) == 0)
		return -1;
	return dracaddr_parse(buf, a);
}

/* Map value: decimal expiry. */
size_t
dracaddr_value(long long expires, int flags, char *buf, size_t size)
{
	char text[24], *end = text + sizeof(text), *p;

	if (expires < 0) {
		p = decimal_before(end, 0ULL - (unsigned long long)expires);
		*--p = '-';
	} else
		p = decimal_before(end, (unsigned long long)expires);
	if (put_text(buf, size, p, (size_t)(end - p)) != 0)
		return 0;
	return (size_t)(end - p) + ((flags & DRACKEY_NUL) ? 1 : 0);
}

int
dracaddr_parse_value(const char *val, size_t len, long long *expires)
{
	char buf[DRAC_VALUE_MAX];
	char *end;
	long long v;

	if (len > 0 && val[len - 1] == '\0')
		len--;
	if (len == 0 || len >= sizeof(buf) || memchr(val, '\0', len) != NULL)
		return -1;
	memcpy(buf, val, len);
	buf[len] = '\0';
	if (buf[0] < '0' || buf[0] > '9')
		return -1;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*expires = v;
	return 0;
}
