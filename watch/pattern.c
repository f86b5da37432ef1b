/*
 * pattern.c: built-in and configured patterns, and matching a line.
 *
 * Every built-in pattern is anchored at the start of the line and names
 * the program that logged it: a log line is text that clients partly
 * choose (user names, SMTP envelope addresses), and a pattern that could
 * match in the middle of a line would let a client forge a login.  For
 * the same reason no pattern matches a failed login: only the exact
 * success message of each server does.
 */
#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"
#include "log.h"

/* Syslog "Mmm dd hh:mm:ss host ", ISO 8601 (rsyslog, journalctl -o
   short-iso), a tai64n stamp (multilog), or nothing; then the tag. */
#define HDR_RE	"^(<[0-9]{1,3}>)?(([A-Z][a-z]{2} [ 0-9][0-9] " \
		"[0-9]{2}:[0-9]{2}:[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2}" \
		"[T ][0-9]{2}:[0-9]{2}:[0-9]{2}[.0-9]*" \
		"(Z|[+-][0-9]{2}:?[0-9]{2})?|@[0-9a-f]{24}) ([^ ]+ )?)?"
#define ADDR_RE	"([0-9A-Fa-f:.]+)"
#define USER_RE	"([^][[:space:]<>\"'(),;]+)"
#define KEY_RE	"([A-Za-z0-9+/=_.:-]+)"

#define PAT_RE_MAX	2048	/* a pattern after expansion */
#define PAT_SUB_MAX	64	/* subexpressions a pattern may have */

struct builtin {
	const char	*set;
	int		 action;
	const char	*re;
};

/* Order matters: the first pattern that matches a line wins. */
static const struct builtin builtins[] = {
	/* Dovecot 2: the session id ties the logout to the login. */
	{ "dovecot", PAT_ADD, "%H(dovecot(\\[[0-9]+\\])?: )?"
	    "(pop3|imap)-login: (Info: )?Login: user=<%u>, method=[^,]*, "
	    "rip=%a, lip=[^,]*(, [^,]*)*, session=<%k>$" },
	{ "dovecot", PAT_ADD, "%H(dovecot(\\[[0-9]+\\])?: )?"
	    "(pop3|imap)-login: (Info: )?Login: user=<%u>, method=[^,]*, "
	    "rip=%a(, |$)" },
	{ "dovecot", PAT_DROP, "%H(dovecot(\\[[0-9]+\\])?: )?"
	    "(pop3|imap)\\(%u\\)<[0-9]+><%k>: (Info: )?"
	    "(Logged out|Disconnected|Connection closed)" },
	/* UW ipop3d and imapd: host is "[ip]" or "name [ip]". */
	{ "uw", PAT_ADD, "%H(ipop3d|imapd)\\[[0-9]+\\]: "
	    "(Login|Auth|Authenticated) user=%u host=([^ ]+ )?\\[%a\\]" },
	{ "uw", PAT_DROP, "%H(ipop3d|imapd)\\[[0-9]+\\]: "
	    "(Logout|Autologout) user=%u host=([^ ]+ )?\\[%a\\]" },
	/* Courier: pop3d, pop3d-ssl, imapd, imapd-ssl, courierpop3login. */
	{ "courier", PAT_ADD, "%H(courier)?(pop3|imap)(d|d-ssl|login)"
	    "(\\[[0-9]+\\])?: LOGIN, user=%u, ip=\\[%a\\]" },
	{ "courier", PAT_DROP, "%H(courier)?(pop3|imap)(d|d-ssl|login)"
	    "(\\[[0-9]+\\])?: (LOGOUT|DISCONNECTED), user=%u, ip=\\[%a\\]" },
	/* Cyrus: "login: host [ip] user mech User logged in". */
	{ "cyrus", PAT_ADD, "%H(cyrus/)?(imap|imaps|imapd|pop3|pop3s|pop3d)"
	    "\\[[0-9]+\\]: login: ([^ ]+ )?\\[%a\\] %u [^ ]+ User logged in" },
	/* qpopper 4, with or without the source position at the end. */
	{ "qpopper", PAT_ADD, "%H(in\\.)?q?popper(\\[[0-9]+\\])?: "
	    "\\(v[^)]*\\) POP login by user \"%u\" at \\([^)]*\\) %a"
	    "( \\[[^]]*\\])?$" },
	{ "qpopper", PAT_DROP, "%H(in\\.)?q?popper(\\[[0-9]+\\])?: "
	    "Stats: %u [0-9]+ [0-9]+ [0-9]+ [0-9]+ [^ ]+ %a$" },
	/* popa3d logs the address and the user on two lines of one pid. */
	{ "popa3d", PAT_NOTE, "%Hpopa3d\\[%k\\]: Session from %a$" },
	{ "popa3d", PAT_ADD, "%Hpopa3d\\[%k\\]: Authentication passed for %u$" },
	/* A qmail-pop3d chain's own line; a tag, if any, names the chain. */
	{ "qmail", PAT_ADD, "%H([^ ]*(pop|qmail)[^ ]*: )?"
	    "login, user=%u, client=%a$" },
	{ NULL, 0, NULL }
};

static const char *const action_names[] = { "?", "add", "drop", "note" };

const char *
pattern_action_name(int action)
{
	if (action < PAT_ADD || action > PAT_NOTE)
		return action_names[0];
	return action_names[action];
}

void
pattern_init(struct patset *ps)
{
	ps->head = ps->tail = NULL;
	ps->count = 0;
}

void
pattern_free(struct patset *ps)
{
	struct pattern *p, *next;

	for (p = ps->head; p != NULL; p = next) {
		next = p->next;
		regfree(&p->re);
		free(p->where);
		free(p);
	}
	pattern_init(ps);
}

/* s points at '['; returns the character after the bracket expression. */
static const char *
skip_bracket(const char *s)
{
	const char *p = s + 1;
	char kind;

	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p != '\0') {
		if (*p == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			kind = p[1];
			for (p += 2; *p != '\0'; p++)
				if (p[0] == kind && p[1] == ']')
					break;
			if (*p == '\0')
				return NULL;
			p += 2;
			continue;
		}
		if (*p == ']')
			return p + 1;
		p++;
	}
	return NULL;
}

/* Subexpressions opened in s: "(" outside brackets and escapes. */
static size_t
count_open(const char *s)
{
	size_t n = 0;

	while (*s != '\0') {
		if (*s == '\\' && s[1] != '\0')
			s += 2;
		else if (*s == '[' && skip_bracket(s) != NULL)
			s = skip_bracket(s);
		else if (*s++ == '(')
			n++;
	}
	return n;
}

struct expansion {
	char	 out[PAT_RE_MAX];
	size_t	 len;
	size_t	 open;		/* subexpressions so far */
	char	 err[128];
};

static int
put(struct expansion *x, const char *s, size_t n)
{
	if (x->len + n >= sizeof(x->out)) {
		snprintf(x->err, sizeof(x->err), "pattern longer than %d "
		    "bytes after expansion", PAT_RE_MAX - 1);
		return -1;
	}
	memcpy(x->out + x->len, s, n);
	x->len += n;
	x->out[x->len] = '\0';
	return 0;
}

static int
placeholder(struct expansion *x, char c, struct pattern *p)
{
	const char *ins;
	size_t *slot = NULL;

	switch (c) {
	case 'a':
		ins = ADDR_RE;
		slot = &p->g_addr;
		break;
	case 'u':
		ins = USER_RE;
		slot = &p->g_user;
		break;
	case 'k':
		ins = KEY_RE;
		slot = &p->g_key;
		break;
	case 'H':
		if (x->len != 0) {
			snprintf(x->err, sizeof(x->err),
			    "%%H must start the pattern");
			return -1;
		}
		ins = HDR_RE;
		break;
	case '%':
		ins = "%";
		break;
	default:
		snprintf(x->err, sizeof(x->err), "unknown placeholder %%%c "
		    "(want %%a, %%u, %%k, %%H or %%%%)", c);
		return -1;
	}
	if (slot != NULL) {
		if (*slot != 0) {
			snprintf(x->err, sizeof(x->err), "%%%c appears twice",
			    c);
			return -1;
		}
		*slot = x->open + 1;
	}
	x->open += count_open(ins);
	return put(x, ins, strlen(ins));
}

/* Expands the placeholders outside bracket expressions. */
static int
expand(const char *src, struct pattern *p, struct expansion *x)
{
	const char *s = src, *e;

	x->len = 0;
	x->open = 0;
	x->out[0] = '\0';
	while (*s != '\0') {
		if (*s == '\\' && s[1] != '\0') {
			e = s + 2;
		} else if (*s == '[') {
			if ((e = skip_bracket(s)) == NULL) {
				snprintf(x->err, sizeof(x->err),
				    "unmatched [ in pattern");
				return -1;
			}
		} else if (*s == '%') {
			if (s[1] == '\0') {
				snprintf(x->err, sizeof(x->err),
				    "%% at the end of the pattern");
				return -1;
			}
			if (placeholder(x, s[1], p) == -1)
				return -1;
			s += 2;
			continue;
		} else {
			if (*s == '(')
				x->open++;
			e = s + 1;
		}
		if (put(x, s, (size_t)(e - s)) == -1)
			return -1;
		s = e;
	}
	return 0;
}

static const char *
needs(const struct pattern *p)
{
	switch (p->action) {
	case PAT_ADD:
	case PAT_DROP:
		if (p->g_addr == 0 && p->g_key == 0)
			return "needs %a, or %k of a session noted before";
		break;
	case PAT_NOTE:
		if (p->g_addr == 0 || p->g_key == 0)
			return "needs both %a and %k";
		break;
	}
	return NULL;
}

/*
 * POSIX leaves a duplication symbol right after another ("a++", "a*{2}")
 * undefined, and glibc's regcomp() copies the subexpression for each one
 * until memory runs out: refuse it, and intervals above 255, before
 * compiling.  Bracket expressions and escaped characters are skipped.
 */
static const char *
stacked_repetition(const char *re)
{
	const char *s;
	int after_dup = 0;
	long bound;
	char *end;

	for (s = re; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0') {
			s++;
			after_dup = 0;
			continue;
		}
		if (*s == '[') {
			/* An unclosed bracket is regcomp's to report. */
			if ((s = skip_bracket(s)) == NULL)
				return NULL;
			s--;
			after_dup = 0;
			continue;
		}
		if (*s == '*' || *s == '+' || *s == '?' || *s == '{') {
			if (after_dup)
				return "repetition operators in a row "
				    "(undefined in POSIX regular expressions)";
			if (*s == '{') {
				for (end = (char *)(uintptr_t)s + 1;
				    *end != '\0' && *end != '}'; end++)
					if (*end >= '0' && *end <= '9') {
						bound = strtol(end, &end, 10);
						if (bound > 255)
							return "repetition count "
							    "above 255";
						end--;
					}
				if (*end == '\0')
					break;
				s = end;
			}
			after_dup = 1;
			continue;
		}
		after_dup = 0;
	}
	return NULL;
}

/*
 * Compiles one pattern and appends it to ps.  Returns 0, or -1 with the
 * reason in err.
 */
static int
compile(struct patset *ps, const char *set, int action, const char *src,
    const char *where, char *err, size_t errlen)
{
	struct expansion x;
	struct pattern *p;
	const char *why;
	int rc;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(p->set, sizeof(p->set), "%s", set);
	p->action = action;
	if (expand(src, p, &x) == -1) {
		snprintf(err, errlen, "%s", x.err);
		free(p);
		return -1;
	}
	if ((why = needs(p)) != NULL) {
		snprintf(err, errlen, "%s %s", pattern_action_name(action), why);
		free(p);
		return -1;
	}
	if ((why = stacked_repetition(x.out)) != NULL) {
		snprintf(err, errlen, "%s", why);
		free(p);
		return -1;
	}
	if ((rc = regcomp(&p->re, x.out, REG_EXTENDED)) != 0) {
		char msg[128];

		regerror(rc, &p->re, msg, sizeof(msg));
		snprintf(err, errlen, "bad regular expression: %s", msg);
		free(p);
		return -1;
	}
	if (p->re.re_nsub >= PAT_SUB_MAX || p->g_addr > p->re.re_nsub ||
	    p->g_user > p->re.re_nsub || p->g_key > p->re.re_nsub) {
		snprintf(err, errlen, "more than %d subexpressions",
		    PAT_SUB_MAX - 1);
		regfree(&p->re);
		free(p);
		return -1;
	}
	if ((p->where = strdup(where)) == NULL) {
		snprintf(err, errlen, "out of memory");
		regfree(&p->re);
		free(p);
		return -1;
	}
	if (ps->tail == NULL)
		ps->head = p;
	else
		ps->tail->next = p;
	ps->tail = p;
	ps->count++;
	return 0;
}

static int
builtin_known(const char *name)
{
	const struct builtin *b;

	for (b = builtins; b->set != NULL; b++)
		if (strcmp(b->set, name) == 0)
			return 1;
	return 0;
}

static int
builtin_add(struct patset *ps, const char *name)
{
	const struct builtin *b;
	char err[256], where[64];

	for (b = builtins; b->set != NULL; b++) {
		if (strcmp(name, "all") != 0 && strcmp(b->set, name) != 0)
			continue;
		snprintf(where, sizeof(where), "built-in %s", b->set);
		if (compile(ps, b->set, b->action, b->re, where, err,
		    sizeof(err)) == -1) {
			log_warnx("%s: %s", where, err);	/* our bug */
			return -1;
		}
	}
	return 0;
}

/*
 * Adds the built-in sets named in a comma-separated list ("all", "none",
 * or set names).  Returns the number of errors, each one reported.
 */
int
pattern_builtin(struct patset *ps, const char *list)
{
	char buf[256], *name, *save = NULL;
	int errors = 0;

	if (strlen(list) >= sizeof(buf)) {
		log_warnx("-p %s: list too long", list);
		return 1;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (name = strtok_r(buf, ",", &save); name != NULL;
	    name = strtok_r(NULL, ",", &save)) {
		if (strcmp(name, "none") == 0)
			continue;
		if (strcmp(name, "all") != 0 && !builtin_known(name)) {
			log_warnx("-p: unknown pattern set \"%s\" (want all, "
			    "none, dovecot, uw, courier, cyrus, qpopper, "
			    "popa3d or qmail)", name);
			errors++;
			continue;
		}
		if (builtin_add(ps, name) == -1)
			errors++;
	}
	return errors;
}

static int
parse_action(const char *word)
{
	if (strcmp(word, "add") == 0)
		return PAT_ADD;
	if (strcmp(word, "drop") == 0)
		return PAT_DROP;
	if (strcmp(word, "note") == 0)
		return PAT_NOTE;
	return 0;
}

static int
valid_name(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len >= PAT_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '.')
			return 0;
	return 1;
}

/* Splits off the next blank-separated word; *s moves past it. */
static size_t
word(char **s, char **start)
{
	char *p = *s;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	*start = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	n = (size_t)(p - *start);
	while (*p == ' ' || *p == '\t')
		p++;
	*s = p;
	return n;
}

/* One configuration line; returns -1 with the reason in err. */
static int
load_line(struct patset *ps, char *line, const char *where, char *err,
    size_t errlen)
{
	char *s = line, *w, set[PAT_NAME_MAX], act[8];
	size_t n;
	int action = 0;

	if ((n = word(&s, &w)) == 0)
		return 0;
	if (n < sizeof(act)) {
		memcpy(act, w, n);
		act[n] = '\0';
		action = parse_action(act);
	}
	if (action == 0) {
		snprintf(err, errlen, "unknown action \"%.*s\" "
		    "(want add, drop or note)", (int)(n < 40 ? n : 40), w);
		return -1;
	}
	n = word(&s, &w);
	if (n == 0) {
		snprintf(err, errlen, "missing set name and pattern");
		return -1;
	}
	if (!valid_name(w, n)) {
		snprintf(err, errlen, "bad set name \"%.*s\" (at most %d "
		    "letters, digits, '-', '_' or '.')",
		    (int)(n < 40 ? n : 40), w, PAT_NAME_MAX - 1);
		return -1;
	}
	snprintf(set, sizeof(set), "%.*s", (int)n, w);
	if (*s == '\0') {
		snprintf(err, errlen, "missing pattern after \"%s\"", set);
		return -1;
	}
	return compile(ps, set, action, s, where, err, errlen);
}

/*
 * Appends the patterns of a configuration file.  Every error is reported
 * as FILE:LINE: reason; returns their number (0: all loaded).
 */
int
pattern_load(struct patset *ps, const char *path)
{
	char *line = NULL, where[512], err[256];
	size_t cap = 0, len;
	unsigned long lineno = 0;
	ssize_t got;
	int errors = 0;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		log_warn("%s", path);
		return 1;
	}
	while ((got = getline(&line, &cap, f)) != -1) {
		lineno++;
		len = (size_t)got;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r' || line[len - 1] == ' ' ||
		    line[len - 1] == '\t'))
			line[--len] = '\0';
		snprintf(where, sizeof(where), "%s:%lu", path, lineno);
		if (strlen(line) != len) {
			log_warnx("%s: NUL byte in line", where);
			errors++;
			continue;
		}
		if (len > PAT_RE_MAX) {
			log_warnx("%s: line longer than %d bytes", where,
			    PAT_RE_MAX);
			errors++;
			continue;
		}
		if (line[strspn(line, " \t")] == '#')
			continue;
		if (load_line(ps, line, where, err, sizeof(err)) == -1) {
			log_warnx("%s: %s", where, err);
			errors++;
		}
	}
	if (ferror(f)) {
		log_warn("%s: read error after line %lu", path, lineno);
		errors++;
	}
	free(line);
	fclose(f);
	return errors;
}

static int
field(const char *line, const regmatch_t *m, size_t g, char *out,
    size_t outlen)
{
	size_t n;

	out[0] = '\0';
	if (g == 0 || m[g].rm_so < 0)
		return 0;
	n = (size_t)(m[g].rm_eo - m[g].rm_so);
	if (n >= outlen)
		return -1;
	memcpy(out, line + m[g].rm_so, n);
	out[n] = '\0';
	return 0;
}

/* Returns 1 and fills *pm for the first pattern that takes the line. */
int
pattern_match(const struct patset *ps, const char *line, struct patmatch *pm)
{
	regmatch_t m[PAT_SUB_MAX];
	const struct pattern *p;

	for (p = ps->head; p != NULL; p = p->next) {
		if (regexec(&p->re, line, p->re.re_nsub + 1, m, 0) != 0)
			continue;
		/* An over-long address or key is no address or key. */
		if (field(line, m, p->g_addr, pm->addr, sizeof(pm->addr)) ||
		    field(line, m, p->g_key, pm->key, sizeof(pm->key)))
			continue;
		if (field(line, m, p->g_user, pm->user, sizeof(pm->user)))
			pm->user[0] = '\0';
		pm->pat = p;
		return 1;
	}
	return 0;
}
