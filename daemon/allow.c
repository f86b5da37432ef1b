/*
 * allow.c: the list of hosts rpc.dracd trusts (dracd.allow).
 *
 * Three spellings, one representation.  DRAC's "netmask netaddr" (both
 * dotted quads, masks need not be contiguous), "addr/len" for IPv4 and
 * IPv6, and a bare address all become a 16-byte (net, mask) pair in the
 * IPv4-mapped form of addr.h.  An IPv4 mask also covers the 96-bit
 * ::ffff: prefix, so an IPv4 entry matches exactly the IPv4 callers,
 * whether they arrive on an AF_INET or an AF_INET6 socket.
 *
 * The parser never guesses: a line that could mean two things is an
 * error that says what is wrong and, when it is obvious, how to fix it.
 */
#include <sys/types.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <ifaddrs.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "allow.h"

/* Longest line accepted, newline not counted. */
#define LINE_MAX_BYTES	1024

/* Longest piece of a bad line quoted back in an error, and its buffer. */
#define QUOTE_MAX	40
#define QUOTE_SIZE	(QUOTE_MAX * 4 + 16)

/* Fields looked at on one line; more than this is already too many. */
#define FIELDS_MAX	3

struct builder {
	struct allow_list *list;
	size_t		 cap;
};

static const char *const forms =
    "expected \"netmask netaddr\", \"addr/len\" or \"addr\"";

static int
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * A bad field quoted for an error message: control characters, quotes
 * and bytes above 0x7e are escaped so a log line stays one clean line,
 * and a long field is cut short.
 */
static void
quote(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o;
	unsigned char c;

	o = 0;
	out[o++] = '"';
	for (i = 0; s[i] != '\0' && o + 8 < size; i++) {
		if (i == QUOTE_MAX) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		c = (unsigned char)s[i];
		if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0xf];
		} else
			out[o++] = (char)c;
	}
	out[o++] = '"';
	out[o] = '\0';
}

/* Dotted quad only: inet_pton refuses "10.1.2", hex, octal and padding. */
static int
parse_v4(const char *s, uint32_t *host)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1)
		return -1;
	*host = ntohl(in.s_addr);
	return 0;
}

static int
parse_v6(const char *s, struct dracaddr *a)
{
	return inet_pton(AF_INET6, s, a->b) == 1 ? 0 : -1;
}

/* An IPv4 (net, mask) in host order as a mapped entry. */
static void
entry_v4(uint32_t net, uint32_t mask, struct allow_entry *e)
{
	dracaddr_from_v4(htonl(net), &e->net);
	memset(e->mask.b, 0xff, 12);
	mask = htonl(mask);
	memcpy(e->mask.b + 12, &mask, 4);
}

static void
prefix_mask(unsigned int bits, struct dracaddr *m)
{
	unsigned int i;

	memset(m->b, 0, sizeof(m->b));
	for (i = 0; i < bits / 8; i++)
		m->b[i] = 0xff;
	if (bits % 8 != 0)
		m->b[bits / 8] = (uint8_t)(0xff00 >> (bits % 8));
}

/* Prefix length of a contiguous mask, or -1. */
static int
mask_len(const struct dracaddr *m)
{
	struct dracaddr want;
	unsigned int bits;

	for (bits = 0; bits < 128; bits++)
		if ((m->b[bits / 8] & (0x80 >> (bits % 8))) == 0)
			break;
	prefix_mask(bits, &want);
	return memcmp(want.b, m->b, 16) == 0 ? (int)bits : -1;
}

static int
contiguous_v4(uint32_t mask)
{
	return (mask & (~mask >> 1)) == 0;
}

static int
outside_mask(const struct allow_entry *e)
{
	int i;

	for (i = 0; i < 16; i++)
		if (e->net.b[i] & ~e->mask.b[i])
			return 1;
	return 0;
}

static void
apply_mask(const struct allow_entry *e, struct dracaddr *out)
{
	int i;

	for (i = 0; i < 16; i++)
		out->b[i] = e->net.b[i] & e->mask.b[i];
}

static void
v4_text(uint32_t host, char *buf, size_t size)
{
	struct in_addr in;

	in.s_addr = htonl(host);
	if (inet_ntop(AF_INET, &in, buf, size) == NULL && size > 0)
		buf[0] = '\0';
}

/* IPv6 text of any 16 bytes, mapped ones included, for messages. */
static void
v6_text(const struct dracaddr *a, char *buf, size_t size)
{
	if (inet_ntop(AF_INET6, a->b, buf, size) == NULL && size > 0)
		buf[0] = '\0';
}

/*
 * DRAC's form: "netmask netaddr".  Upstream matched (caller & netmask)
 * == netaddr, so a netaddr with bits outside the mask could never match
 * anything: that is a mistake, most often the two fields swapped.
 */
static int
parse_drac(const char *ms, const char *ns, struct allow_entry *e,
    char *why, size_t whylen)
{
	char q[QUOTE_SIZE], t1[INET_ADDRSTRLEN], t2[INET_ADDRSTRLEN];
	struct dracaddr a6;
	uint32_t mask, net;

	if (parse_v4(ms, &mask) != 0) {
		if (parse_v6(ms, &a6) == 0 || parse_v6(ns, &a6) == 0) {
			snprintf(why, whylen, "\"netmask netaddr\" is IPv4 "
			    "only; write IPv6 entries as addr/len");
			return -1;
		}
		quote(ms, q, sizeof(q));
		snprintf(why, whylen, "bad netmask %s: not a dotted quad", q);
		return -1;
	}
	if (parse_v4(ns, &net) != 0) {
		quote(ns, q, sizeof(q));
		if (parse_v6(ns, &a6) == 0)
			snprintf(why, whylen, "\"netmask netaddr\" is IPv4 "
			    "only; write IPv6 entries as addr/len");
		else if (strchr(ns, '/') != NULL)
			snprintf(why, whylen, "bad netaddr %s: not a dotted "
			    "quad; write either \"netmask netaddr\" or "
			    "\"addr/len\"", q);
		else
			snprintf(why, whylen, "bad netaddr %s: not a dotted "
			    "quad", q);
		return -1;
	}
	if ((net & ~mask) != 0) {
		if ((mask & ~net) == 0 && contiguous_v4(net) &&
		    (mask == 0 || !contiguous_v4(mask)))
			snprintf(why, whylen, "%s has bits outside netmask "
			    "%s; the netmask comes first: did you mean "
			    "\"%s %s\"?", ns, ms, ns, ms);
		else {
			v4_text(net & mask, t1, sizeof(t1));
			v4_text(mask, t2, sizeof(t2));
			snprintf(why, whylen, "%s has bits outside netmask "
			    "%s; did you mean %s?", ns, t2, t1);
		}
		return -1;
	}
	entry_v4(net, mask, e);
	return 1;
}

/* Letters, digits, dots and dashes, with a letter no address has. */
static int
looks_like_name(const char *s)
{
	int letter = 0;

	for (; *s != '\0'; s++) {
		if ((*s >= 'g' && *s <= 'z') || (*s >= 'G' && *s <= 'Z'))
			letter = 1;
		else if (!((*s >= 'a' && *s <= 'f') ||
		    (*s >= 'A' && *s <= 'F') || (*s >= '0' && *s <= '9') ||
		    *s == '.' || *s == '-'))
			return 0;
	}
	return letter;
}

static void
bad_address(const char *addr, const char *field, char *why, size_t whylen)
{
	char q[QUOTE_SIZE];
	size_t len;

	quote(addr, q, sizeof(q));
	len = strlen(addr);
	if (len == 0) {
		quote(field, q, sizeof(q));
		snprintf(why, whylen, "missing address before the \"/\" "
		    "in %s", q);
	} else if (strchr(addr, '%') != NULL)
		snprintf(why, whylen, "bad address %s: zone indexes are not "
		    "supported", q);
	else if (strncasecmp(addr, "IPv6:", 5) == 0)
		snprintf(why, whylen, "bad address %s: write it without the "
		    "\"IPv6:\" tag", q);
	else if (addr[0] == '[' && addr[len - 1] == ']')
		snprintf(why, whylen, "bad address %s: write it without the "
		    "brackets", q);
	else if (looks_like_name(addr))
		snprintf(why, whylen, "bad address %s: host names are not "
		    "resolved; write an address", q);
	else
		snprintf(why, whylen, "bad address %s", q);
}

/* Strict decimal prefix length: digits only, at most max. */
static int
parse_len(const char *s, unsigned int max, unsigned int *len,
    const char *family, char *why, size_t whylen)
{
	char q[QUOTE_SIZE];
	unsigned int v;
	size_t i;

	quote(s, q, sizeof(q));
	if (*s == '\0') {
		snprintf(why, whylen, "missing prefix length after \"/\"");
		return -1;
	}
	v = 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9') {
			snprintf(why, whylen, "bad prefix length %s: not a "
			    "decimal number", q);
			return -1;
		}
		if (v <= max)
			v = v * 10 + (unsigned int)(s[i] - '0');
	}
	if (v > max) {
		snprintf(why, whylen, "prefix length %s out of range for %s "
		    "(0-%u)", q, family, max);
		return -1;
	}
	*len = v;
	return 0;
}

/* "addr/len" or a bare address (a host: /32 or /128). */
static int
parse_cidr(const char *field, struct allow_entry *e, char *why,
    size_t whylen)
{
	char addr[LINE_MAX_BYTES + 1], t[INET6_ADDRSTRLEN];
	const char *slash, *family;
	struct dracaddr fixed;
	unsigned int len, max, offset;
	uint32_t v4;

	slash = strchr(field, '/');
	if (slash == NULL)
		slash = field + strlen(field);
	if ((size_t)(slash - field) >= sizeof(addr)) {
		snprintf(why, whylen, "line too long");
		return -1;
	}
	memcpy(addr, field, (size_t)(slash - field));
	addr[slash - field] = '\0';

	if (parse_v4(addr, &v4) == 0) {
		dracaddr_from_v4(htonl(v4), &e->net);
		family = "IPv4";
		max = 32;
		offset = 96;
	} else if (parse_v6(addr, &e->net) == 0) {
		family = "IPv6";
		max = 128;
		offset = 0;
	} else {
		bad_address(addr, field, why, whylen);
		return -1;
	}
	len = max;
	if (*slash == '/' &&
	    parse_len(slash + 1, max, &len, family, why, whylen) != 0)
		return -1;
	prefix_mask(offset + len, &e->mask);
	if (outside_mask(e)) {
		/* An IPv6 entry gets IPv6 advice, even a mapped one. */
		apply_mask(e, &fixed);
		if (offset == 96)
			dracaddr_format(&fixed, t, sizeof(t));
		else
			v6_text(&fixed, t, sizeof(t));
		snprintf(why, whylen, "%s has bits outside the /%u prefix; "
		    "perhaps %s/%u", addr, len, t, len);
		return -1;
	}
	return 1;
}

/* An address, with or without a "/len" after it. */
static int
looks_like_addr(const char *field)
{
	char addr[INET6_ADDRSTRLEN + 1];
	struct dracaddr a;
	size_t len;

	len = strcspn(field, "/");
	if (len >= sizeof(addr))
		return 0;
	memcpy(addr, field, len);
	addr[len] = '\0';
	return parse_v6(addr, &a) == 0 || inet_pton(AF_INET, addr, &a) == 1;
}

/* Splits at blanks up to a '#'; returns the number of fields seen. */
static size_t
split(char *line, char *f[FIELDS_MAX])
{
	size_t n;
	char *p;

	if ((p = strchr(line, '#')) != NULL)
		*p = '\0';
	n = 0;
	p = line;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			return n;
		if (n < FIELDS_MAX)
			f[n] = p;
		n++;
		while (*p != '\0' && !is_blank(*p))
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

int
allow_parse_line(const char *line, struct allow_entry *e, char *why,
    size_t whylen)
{
	char buf[LINE_MAX_BYTES + 1], q[QUOTE_SIZE], q0[QUOTE_SIZE];
	char q1[QUOTE_SIZE], *f[FIELDS_MAX];
	size_t len, n, want;

	len = strlen(line);
	if (len > LINE_MAX_BYTES) {
		snprintf(why, whylen, "line too long (more than %d bytes)",
		    LINE_MAX_BYTES);
		return -1;
	}
	memcpy(buf, line, len + 1);
	n = split(buf, f);
	if (n == 0)
		return 0;
	/*
	 * An address followed by something that is no address is a host
	 * with a comment lacking its '#', not a netmask and a netaddr.
	 */
	if (n == 1 || strchr(f[0], '/') != NULL ||
	    (looks_like_addr(f[0]) && !looks_like_addr(f[1])))
		want = 1;
	else
		want = 2;
	if (n > want) {
		quote(f[want], q, sizeof(q));
		quote(f[0], q0, sizeof(q0));
		if (want == 2)
			quote(f[1], q1, sizeof(q1));
		snprintf(why, whylen, "too many fields: %s after %s%s%s; "
		    "%s (comments start with #)", q, q0,
		    want == 2 ? " " : "", want == 2 ? q1 : "", forms);
		return -1;
	}
	if (n == 1)
		return parse_cidr(f[0], e, why, whylen);
	return parse_drac(f[0], f[1], e, why, whylen);
}

static int
builder_add(struct builder *bl, const struct allow_entry *e)
{
	struct allow_list *l = bl->list;
	struct allow_entry *v;
	size_t cap;

	if (l->n == bl->cap) {
		cap = bl->cap == 0 ? 16 : bl->cap * 2;
		v = reallocarray(l->v, cap, sizeof(*v));
		if (v == NULL)
			return -1;
		l->v = v;
		bl->cap = cap;
	}
	l->v[l->n++] = *e;
	return 0;
}

/*
 * One line into buf, newline removed.  Returns 1 for a line, 0 at end of
 * file, -1 on a read error.  A line too long is consumed to its end but
 * only flagged; so is a NUL byte, which a C string would hide.
 */
static int
read_line(FILE *fp, char *buf, size_t size, int *toolong, int *nul)
{
	size_t len;
	int c;

	len = 0;
	*toolong = *nul = 0;
	while ((c = getc(fp)) != EOF && c != '\n') {
		if (c == '\0')
			*nul = 1;
		if (len + 1 < size)
			buf[len++] = (char)c;
		else
			*toolong = 1;
	}
	buf[len] = '\0';
	if (ferror(fp))
		return -1;
	if (c == EOF && len == 0 && !*toolong && !*nul)
		return 0;
	return 1;
}

static void
report(allow_errfn *errfn, void *ctx, const char *path, unsigned long line,
    const char *why)
{
	char msg[2048];

	if (line > 0)
		snprintf(msg, sizeof(msg), "%s:%lu: %s", path, line, why);
	else
		snprintf(msg, sizeof(msg), "%s: %s", path, why);
	errfn(ctx, msg);
}

int
allow_load(const char *path, struct allow_list *list, allow_errfn *errfn,
    void *ctx)
{
	char buf[LINE_MAX_BYTES + 2], why[512];
	struct builder bl = { list, 0 };
	struct allow_entry e;
	unsigned long lineno;
	int bad, nul, r, rc, toolong;
	FILE *fp;

	list->v = NULL;
	list->n = 0;
	if ((fp = fopen(path, "r")) == NULL) {
		if (errno == ENOENT)
			return 1;
		report(errfn, ctx, path, 0, strerror(errno));
		return -1;
	}
	bad = 0;
	lineno = 0;
	while ((r = read_line(fp, buf, sizeof(buf), &toolong, &nul)) == 1) {
		lineno++;
		if (nul) {
			snprintf(why, sizeof(why), "NUL byte in line");
			rc = -1;
		} else if (toolong || strlen(buf) > LINE_MAX_BYTES) {
			snprintf(why, sizeof(why), "line too long (more than "
			    "%d bytes)", LINE_MAX_BYTES);
			rc = -1;
		} else
			rc = allow_parse_line(buf, &e, why, sizeof(why));
		if (rc == -1) {
			report(errfn, ctx, path, lineno, why);
			bad++;
		} else if (rc == 1 && !bad && builder_add(&bl, &e) != 0) {
			report(errfn, ctx, path, 0, strerror(ENOMEM));
			fclose(fp);
			allow_free(list);
			return -1;
		}
	}
	if (r == -1) {
		report(errfn, ctx, path, 0, strerror(errno));
		bad++;
	}
	fclose(fp);
	if (bad) {
		allow_free(list);
		return -1;
	}
	return 0;
}

static int
add_host(struct builder *bl, const struct dracaddr *a)
{
	struct allow_entry e;

	if (allow_match(bl->list, a))
		return 0;
	e.net = *a;
	memset(e.mask.b, 0xff, sizeof(e.mask.b));
	return builder_add(bl, &e);
}

int
allow_defaults(struct allow_list *list, char *err, size_t errlen)
{
	static const uint8_t lo6[16] = { [15] = 1 };
	struct builder bl = { list, 0 };
	struct ifaddrs *ifa, *i;
	struct allow_entry e;
	struct dracaddr a;
	socklen_t salen;

	list->v = NULL;
	list->n = 0;
	entry_v4(0x7f000000U, 0xff000000U, &e);
	if (builder_add(&bl, &e) != 0)
		goto nomem;
	dracaddr_from_v6(lo6, &a);
	if (add_host(&bl, &a) != 0)
		goto nomem;
	if (getifaddrs(&ifa) != 0) {
		snprintf(err, errlen, "getifaddrs: %s", strerror(errno));
		allow_free(list);
		return -1;
	}
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET)
			salen = sizeof(struct sockaddr_in);
		else if (i->ifa_addr->sa_family == AF_INET6)
			salen = sizeof(struct sockaddr_in6);
		else
			continue;
		if (dracaddr_from_sockaddr(i->ifa_addr, salen, &a) != 0)
			continue;
		if (add_host(&bl, &a) != 0) {
			freeifaddrs(ifa);
			goto nomem;
		}
	}
	freeifaddrs(ifa);
	return 0;
nomem:
	snprintf(err, errlen, "%s", strerror(ENOMEM));
	allow_free(list);
	return -1;
}

int
allow_match(const struct allow_list *l, const struct dracaddr *a)
{
	const struct allow_entry *e;
	size_t i;
	int j;

	for (i = 0; i < l->n; i++) {
		e = &l->v[i];
		for (j = 0; j < 16; j++)
			if ((a->b[j] & e->mask.b[j]) != e->net.b[j])
				break;
		if (j == 16)
			return 1;
	}
	return 0;
}

/*
 * An entry as the file would spell it: addr/len when the mask is
 * contiguous, DRAC's "netmask netaddr" otherwise.  IPv4 when the mask
 * covers the ::ffff: prefix and the address has it, IPv6 text for
 * everything else.
 */
void
allow_format(const struct allow_entry *e, char *buf, size_t size)
{
	static const uint8_t ones[12] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff
	};
	char n[INET6_ADDRSTRLEN], m[INET6_ADDRSTRLEN];
	uint32_t mask;
	int len;

	if (memcmp(e->mask.b, ones, 12) == 0 && dracaddr_is_v4(&e->net)) {
		memcpy(&mask, e->mask.b + 12, 4);
		mask = ntohl(mask);
		v4_text(ntohl(dracaddr_v4(&e->net)), n, sizeof(n));
		if (contiguous_v4(mask)) {
			snprintf(buf, size, "%s/%d", n,
			    mask_len(&e->mask) - 96);
			return;
		}
		v4_text(mask, m, sizeof(m));
		snprintf(buf, size, "%s %s", m, n);
		return;
	}
	v6_text(&e->net, n, sizeof(n));
	if ((len = mask_len(&e->mask)) >= 0) {
		snprintf(buf, size, "%s/%d", n, len);
		return;
	}
	v6_text(&e->mask, m, sizeof(m));
	snprintf(buf, size, "%s %s", m, n);
}

void
allow_free(struct allow_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
