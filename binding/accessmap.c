/*
 * accessmap.c: the access map, address ranges that relay without a
 * login.  Ranges are held as 128-bit prefixes of the IPv4-mapped form,
 * the form struct dracaddr uses, so one comparison serves both
 * families.  Lookups scan the list: it is a few lines in practice, and
 * a scan keeps the first matching line, which the log names.
 */
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "accessmap.h"
#include "mapfile.h"

#define TOKENS_MAX	256	/* words on one line */

struct range {
	struct dracaddr	 net;
	unsigned	 plen;		/* of the 128-bit form */
	int		 relay;
	char		**users;
	size_t		 nusers;
	unsigned long	 line;
};

struct accessmap {
	struct range	*v;
	size_t		 n;
	size_t		 cap;
};

struct accessmap *
accessmap_new(void)
{
	return calloc(1, sizeof(struct accessmap));
}

static void
range_free(struct range *r)
{
	size_t i;

	for (i = 0; i < r->nusers; i++)
		free(r->users[i]);
	free(r->users);
}

void
accessmap_free(struct accessmap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		range_free(&m->v[i]);
	free(m->v);
	free(m);
}

static int
in_prefix(const struct dracaddr *a, const struct dracaddr *net,
    unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;
	uint8_t mask;

	if (memcmp(a->b, net->b, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a->b[full] & mask) == (net->b[full] & mask);
}

static void
clear_host_bits(struct dracaddr *a, unsigned plen)
{
	unsigned i;

	for (i = plen; i < 128; i++)
		a->b[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

/* Strict decimal prefix length: digits only, at most max. */
static int
parse_plen(const char *s, unsigned max, unsigned *plen)
{
	unsigned v = 0;
	size_t i;

	if (s[0] == '\0' || strlen(s) > 3)
		return -1;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return -1;
	*plen = v;
	return 0;
}

/* "ADDR" or "ADDR/LEN" into r; -1 with why. */
static int
parse_range(char *tok, struct range *r, char *why, size_t whylen)
{
	char q[96], fixed[DRACADDR_TEXT_MAX];
	uint8_t v6[16];
	struct in_addr v4;
	struct dracaddr masked;
	char *slash;
	unsigned max, plen;
	int is4;

	mapfile_quote(tok, q, sizeof(q));
	if ((slash = strchr(tok, '/')) != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, tok, &v4) == 1) {
		dracaddr_from_v4(v4.s_addr, &r->net);
		is4 = 1;
		max = 32;
	} else if (inet_pton(AF_INET6, tok, v6) == 1) {
		dracaddr_from_v6(v6, &r->net);
		is4 = 0;
		max = 128;
	} else {
		snprintf(why, whylen, "\"%s\": not an IPv4 or IPv6 address "
		    "(names are not looked up)", q);
		return -1;
	}
	plen = max;
	if (slash != NULL && parse_plen(slash + 1, max, &plen) == -1) {
		snprintf(why, whylen, "\"%s\": prefix length must be a whole "
		    "number from 0 to %u", q, max);
		return -1;
	}
	r->plen = is4 ? plen + 96 : plen;
	masked = r->net;
	clear_host_bits(&masked, r->plen);
	if (memcmp(masked.b, r->net.b, 16) != 0) {
		dracaddr_format(&masked, fixed, sizeof(fixed));
		snprintf(why, whylen, "\"%s\": address has bits set beyond the "
		    "prefix; perhaps you mean %s/%u", q, fixed, plen);
		return -1;
	}
	return 0;
}

static int
parse_users(struct range *r, char **tok, int n, char *why, size_t whylen)
{
	char q[96];
	int i;

	if (n <= 0) {
		snprintf(why, whylen, "\"user\" without a login name");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (strlen(tok[i]) > BINDING_USER_MAX) {
			mapfile_quote(tok[i], q, sizeof(q));
			snprintf(why, whylen, "login name \"%s\" longer than "
			    "64 bytes", q);
			return -1;
		}
	}
	if ((r->users = calloc((size_t)n, sizeof(char *))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		if ((r->users[i] = strdup(tok[i])) == NULL)
			goto nomem;
		r->nusers++;
	}
	return 0;
nomem:
	snprintf(why, whylen, "out of memory");
	return -1;
}

static int
parse_line(void *arg, unsigned long lineno, char *line, char *why,
    size_t whylen)
{
	struct accessmap *m = arg;
	struct range r, *v;
	char *tok[TOKENS_MAX], q[96];
	size_t cap;
	int n;

	memset(&r, 0, sizeof(r));
	r.line = lineno;
	if ((n = mapfile_tokens(line, tok, TOKENS_MAX)) == -1) {
		snprintf(why, whylen, "more than %d words on one line; split "
		    "it into several lines", TOKENS_MAX);
		return -1;
	}
	if (parse_range(tok[0], &r, why, whylen) == -1)
		return -1;
	if (n == 1) {
		snprintf(why, whylen, "range without an action (want "
		    "\"relay\" or \"user LOGIN...\")");
		return -1;
	}
	if (strcasecmp(tok[1], "relay") == 0) {
		if (n > 2) {
			mapfile_quote(tok[2], q, sizeof(q));
			snprintf(why, whylen, "\"relay\" takes nothing after "
			    "it, found \"%s\"", q);
			return -1;
		}
		r.relay = 1;
	} else if (strcasecmp(tok[1], "user") == 0) {
		if (parse_users(&r, tok + 2, n - 2, why, whylen) == -1) {
			range_free(&r);
			return -1;
		}
	} else {
		mapfile_quote(tok[1], q, sizeof(q));
		snprintf(why, whylen, "unknown action \"%s\" (want \"relay\" "
		    "or \"user LOGIN...\")", q);
		return -1;
	}
	if (m->n == m->cap) {
		cap = m->cap == 0 ? 16 : m->cap * 2;
		if ((v = reallocarray(m->v, cap, sizeof(*v))) == NULL) {
			range_free(&r);
			snprintf(why, whylen, "out of memory");
			return -1;
		}
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = r;
	return 0;
}

int
accessmap_load_buf(struct accessmap *m, const char *name, const char *buf,
    size_t len, binding_report_fn report, void *arg)
{
	return mapfile_parse(name, buf, len, parse_line, m, report, arg);
}

int
accessmap_load(struct accessmap *m, const char *path,
    binding_report_fn report, void *arg)
{
	char why[BINDING_WHY_MAX], *buf;
	size_t len;
	int bad;

	if (mapfile_read(path, &buf, &len, why, sizeof(why)) == -1) {
		report(arg, why);
		return -1;
	}
	bad = accessmap_load_buf(m, path, buf, len, report, arg);
	free(buf);
	return bad == 0 ? 0 : -1;
}

unsigned long
accessmap_relay(const struct accessmap *m, const struct dracaddr *a)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->v[i].relay && in_prefix(a, &m->v[i].net, m->v[i].plen))
			return m->v[i].line;
	return 0;
}

int
accessmap_users(const struct accessmap *m, const struct dracaddr *a,
    accessmap_user_fn fn, void *arg)
{
	size_t i, j;
	int r;

	for (i = 0; i < m->n; i++) {
		if (m->v[i].relay || !in_prefix(a, &m->v[i].net, m->v[i].plen))
			continue;
		for (j = 0; j < m->v[i].nusers; j++)
			if ((r = fn(arg, m->v[i].users[j], m->v[i].line)) != 0)
				return r;
	}
	return 0;
}

size_t
accessmap_count(const struct accessmap *m)
{
	return m->n;
}

/* One range per line, in file order: "net/len relay|user LOGIN...". */
void
accessmap_dump(const struct accessmap *m, FILE *fp)
{
	char text[DRACADDR_TEXT_MAX];
	const struct range *r;
	size_t i, j;
	unsigned plen;

	for (i = 0; i < m->n; i++) {
		r = &m->v[i];
		plen = r->plen;
		if (dracaddr_is_v4(&r->net) && plen >= 96) {
			dracaddr_format(&r->net, text, sizeof(text));
			plen -= 96;
		} else if (inet_ntop(AF_INET6, r->net.b, text,
		    sizeof(text)) == NULL)
			text[0] = '\0';
		fprintf(fp, "line %lu: %s/%u %s", r->line, text, plen,
		    r->relay ? "relay" : "user");
		for (j = 0; j < r->nusers; j++)
			fprintf(fp, " %s", r->users[j]);
		fputc('\n', fp);
	}
}
