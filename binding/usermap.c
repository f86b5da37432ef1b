/*
 * usermap.c: the user map, login name -> envelope senders.
 *
 * Entries are kept as (login, pattern) pairs sorted by login, so a
 * lookup is a binary search and a short scan.  A pattern is stored in
 * lower case: "" for the null sender, "@domain", or "local@domain".
 */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "mapfile.h"
#include "usermap.h"

#define TOKENS_MAX	512	/* words on one line */

struct entry {
	char	*user;
	char	*pat;
};

struct usermap {
	struct entry	*v;
	size_t		 n;
	size_t		 cap;
};

struct usermap *
usermap_new(void)
{
	return calloc(1, sizeof(struct usermap));
}

void
usermap_free(struct usermap *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->v[i].user);
		free(m->v[i].pat);
	}
	free(m->v);
	free(m);
}

static void
lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static int
add(struct usermap *m, const char *user, const char *pat)
{
	struct entry *v;
	size_t cap;

	if (m->n == m->cap) {
		cap = m->cap == 0 ? 64 : m->cap * 2;
		if ((v = reallocarray(m->v, cap, sizeof(*v))) == NULL)
			return -1;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n].user = strdup(user);
	m->v[m->n].pat = strdup(pat);
	if (m->v[m->n].user == NULL || m->v[m->n].pat == NULL) {
		free(m->v[m->n].user);
		free(m->v[m->n].pat);
		return -1;
	}
	m->n++;
	return 0;
}

static const char *
check_user(const char *u)
{
	if (strlen(u) > BINDING_USER_MAX)
		return "longer than 64 bytes";
	if (u[0] == '@' || strcmp(u, "<>") == 0)
		return "looks like a sender address; a line is "
		    "\"login sender...\"";
	return NULL;
}

/* One label of a domain name: letters, digits, '-', '_', UTF-8. */
static const char *
check_label(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return "empty label in domain";
	if (len > 63)
		return "domain label longer than 63 bytes";
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!isalnum(c) && c != '-' && c != '_' && c < 0x80)
			return "character not allowed in a domain";
	}
	return NULL;
}

/* "[192.0.2.1]" or "[IPv6:2001:db8::1]", RFC 5321 4.1.3. */
static const char *
check_literal(const char *d, size_t len)
{
	char inner[DRACADDR_TEXT_MAX + 8];
	uint8_t buf[16];
	int af = AF_INET;
	size_t off = 1;

	if (len < 3 || d[len - 1] != ']' || len - 2 >= sizeof(inner))
		return "bad address literal in domain";
	if (strncasecmp(d + 1, "IPv6:", 5) == 0) {
		af = AF_INET6;
		off += 5;
	}
	memcpy(inner, d + off, len - off - 1);
	inner[len - off - 1] = '\0';
	if (inet_pton(af, inner, buf) != 1)
		return "bad address literal in domain";
	return NULL;
}

/* Domain in place: one trailing dot dropped, then checked. */
static const char *
check_domain(char *d)
{
	const char *why;
	char *dot;
	size_t len = strlen(d);

	if (len > 1 && d[len - 1] == '.')
		d[--len] = '\0';
	if (len == 0)
		return "empty domain";
	if (len > BINDING_DOMAIN_MAX)
		return "domain longer than 255 bytes";
	if (d[0] == '[')
		return check_literal(d, len);
	for (;;) {
		dot = strchr(d, '.');
		if ((why = check_label(d, dot != NULL ? (size_t)(dot - d) :
		    strlen(d))) != NULL)
			return why;
		if (dot == NULL)
			return NULL;
		d = dot + 1;
	}
}

/*
 * A sender pattern from the map, normalized into buf (lower case, ""
 * for <>).  Returns NULL or the reason it is not one.
 */
static const char *
check_pattern(const char *tok, char *buf, size_t size)
{
	const char *why;
	char *at;

	if (strcmp(tok, "<>") == 0) {
		buf[0] = '\0';
		return NULL;
	}
	if (strlen(tok) >= size)
		return "longer than 320 bytes";
	strcpy(buf, tok);
	if ((at = strrchr(buf, '@')) == NULL)
		return "no @domain (want local@domain, @domain or <>)";
	*at = '\0';
	if (strcmp(buf, "*") == 0)
		return "\"*\" is not a wildcard here; write @domain for every "
		    "address at a domain";
	if (strlen(buf) > BINDING_LOCAL_MAX)
		return "local part longer than 64 bytes";
	if (strpbrk(buf, "<>") != NULL)
		return "angle bracket in local part";
	if (buf[0] == '.' || (buf[0] != '\0' && buf[strlen(buf) - 1] == '.'))
		return "local part starts or ends with a dot";
	if ((why = check_domain(at + 1)) != NULL)
		return why;
	*at = '@';
	lower(buf);
	return NULL;
}

static int
parse_line(void *arg, unsigned long lineno, char *line, char *why,
    size_t whylen)
{
	struct usermap *m = arg;
	char *tok[TOKENS_MAX], q[BINDING_WHY_MAX / 4];
	char pat[BINDING_ADDR_MAX + 2];
	const char *bad;
	int i, n;

	(void)lineno;
	if ((n = mapfile_tokens(line, tok, TOKENS_MAX)) == -1) {
		snprintf(why, whylen, "more than %d senders on one line; "
		    "split it into several lines", TOKENS_MAX - 1);
		return -1;
	}
	mapfile_quote(tok[0], q, sizeof(q));
	if ((bad = check_user(tok[0])) != NULL) {
		snprintf(why, whylen, "login name \"%s\": %s", q, bad);
		return -1;
	}
	if (n == 1) {
		snprintf(why, whylen, "login name \"%s\" without any sender "
		    "address", q);
		return -1;
	}
	for (i = 1; i < n; i++) {
		if ((bad = check_pattern(tok[i], pat, sizeof(pat))) != NULL) {
			mapfile_quote(tok[i], q, sizeof(q));
			snprintf(why, whylen, "sender \"%s\": %s", q, bad);
			return -1;
		}
	}
	/* Only a line that is good as a whole adds anything. */
	for (i = 1; i < n; i++) {
		check_pattern(tok[i], pat, sizeof(pat));
		if (add(m, tok[0], pat) == -1) {
			snprintf(why, whylen, "out of memory");
			return -1;
		}
	}
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if ((c = strcmp(x->user, y->user)) != 0)
		return c;
	return strcmp(x->pat, y->pat);
}

/* Sorts and drops repeated pairs, so lookups can search. */
static void
finish(struct usermap *m)
{
	size_t i, o;

	if (m->n == 0)
		return;
	qsort(m->v, m->n, sizeof(*m->v), cmp_entry);
	for (i = 1, o = 1; i < m->n; i++) {
		if (cmp_entry(&m->v[i], &m->v[o - 1]) == 0) {
			free(m->v[i].user);
			free(m->v[i].pat);
			continue;
		}
		m->v[o++] = m->v[i];
	}
	m->n = o;
}

int
usermap_load_buf(struct usermap *m, const char *name, const char *buf,
    size_t len, binding_report_fn report, void *arg)
{
	int bad;

	bad = mapfile_parse(name, buf, len, parse_line, m, report, arg);
	finish(m);
	return bad;
}

int
usermap_load(struct usermap *m, const char *path, binding_report_fn report,
    void *arg)
{
	char why[BINDING_WHY_MAX], *buf;
	size_t len;
	int bad;

	if (mapfile_read(path, &buf, &len, why, sizeof(why)) == -1) {
		report(arg, why);
		return -1;
	}
	bad = usermap_load_buf(m, path, buf, len, report, arg);
	free(buf);
	return bad == 0 ? 0 : -1;
}

/* Index of the first entry of user, or m->n. */
static size_t
first_of(const struct usermap *m, const char *user)
{
	size_t lo = 0, hi = m->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(m->v[mid].user, user) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < m->n && strcmp(m->v[lo].user, user) == 0)
		return lo;
	return m->n;
}

int
usermap_has_user(const struct usermap *m, const char *user)
{
	return first_of(m, user) < m->n;
}

/* sender must come from usermap_sender. */
int
usermap_allows(const struct usermap *m, const char *user,
    const char *sender)
{
	const char *at = strrchr(sender, '@');
	const char *p;
	size_t i;

	for (i = first_of(m, user); i < m->n &&
	    strcmp(m->v[i].user, user) == 0; i++) {
		p = m->v[i].pat;
		if (p[0] == '@') {
			if (at != NULL && at != sender &&
			    strcmp(at + 1, p + 1) == 0)
				return 1;
		} else if (strcmp(sender, p) == 0)
			return 1;
	}
	return 0;
}

size_t
usermap_count(const struct usermap *m)
{
	return m->n;
}

void
usermap_dump(const struct usermap *m, FILE *fp)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		fprintf(fp, "%s %s\n", m->v[i].user,
		    m->v[i].pat[0] == '\0' ? "<>" : m->v[i].pat);
}

int
usermap_sender(const char *raw, char *buf, size_t size)
{
	const char *s = raw, *e, *colon;
	size_t len, i;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e > s && *s == '<') {
		if (e[-1] != '>' || e - s < 2)
			return -1;
		s++;
		e--;
	}
	/* RFC 5321 source route "@a,@b:user@domain": only the mailbox. */
	if (*s == '@' && (colon = memchr(s, ':', (size_t)(e - s))) != NULL)
		s = colon + 1;
	len = (size_t)(e - s);
	if (len > 1 && s[len - 1] == '.' && memchr(s, '@', len) != NULL)
		len--;
	if (len > BINDING_ADDR_MAX || len >= size)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return -1;
		buf[i] = (char)c;
	}
	buf[len] = '\0';
	lower(buf);
	return 0;
}
