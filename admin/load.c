/*
 * load.c: read the text that "dracdb -D" writes, one entry a line:
 *
 *	address expires [user]
 *
 * address as dracaddr_parse() takes it, expires in decimal seconds since
 * the epoch, user the rest of the line.  Blank lines and lines starting
 * with '#' are skipped.  Every bad line is reported as FILE:LINE.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dracdb.h"

#define LINE_MAX_LEN	512

/* Next whitespace-separated field of *s, NUL-terminated in place. */
static char *
field(char **s)
{
	char *p = *s, *start;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0')
		return NULL;
	start = p;
	while (*p != '\0' && *p != ' ' && *p != '\t')
		p++;
	if (*p != '\0')
		*p++ = '\0';
	while (*p == ' ' || *p == '\t')
		p++;
	*s = p;
	return start;
}

/* Fills e from one line; NULL, or the reason the line is bad. */
static const char *
parse_line(char *line, struct entry *e)
{
	char *s = line, *addr, *exp, *end;
	size_t len;

	memset(e, 0, sizeof(*e));
	e->how = HOW_ADMIN;
	if ((addr = field(&s)) == NULL)
		return "empty line";
	if (dracaddr_parse(addr, &e->addr) != 0)
		return "not an IPv4 or IPv6 address";
	if ((exp = field(&s)) == NULL)
		return "no expiry time after the address";
	if (!isdigit((unsigned char)exp[0]))
		return "expiry time is not a decimal number";
	errno = 0;
	e->expires = strtoll(exp, &end, 10);
	if (errno != 0 || *end != '\0')
		return "expiry time is not a decimal number";
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		s[--len] = '\0';
	if (len > DRACDB_USER_MAX)
		return "user name longer than 64 bytes";
	memcpy(e->user, s, len + 1);
	return NULL;
}

int
load_text(const char *path, struct elist *l, mapfile_warnfn *warn,
    char *err, size_t errlen)
{
	char line[LINE_MAX_LEN + 2], msg[LINE_MAX_LEN + 128];
	const char *why;
	struct entry e;
	FILE *fp;
	size_t len;
	long lineno = 0;
	int bad = 0, toolong = 0;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		len = strlen(line);
		if (toolong) {	/* rest of an overlong line */
			toolong = len > 0 && line[len - 1] != '\n';
			continue;
		}
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (!feof(fp)) {
			snprintf(msg, sizeof(msg), "%s:%ld: line longer than "
			    "%d bytes", path, lineno, LINE_MAX_LEN);
			warn(msg);
			bad++;
			toolong = 1;
			continue;
		}
		if (line[strspn(line, " \t")] == '\0' ||
		    line[strspn(line, " \t")] == '#')
			continue;
		if ((why = parse_line(line, &e)) != NULL) {
			snprintf(msg, sizeof(msg), "%s:%ld: %s", path, lineno,
			    why);
			warn(msg);
			bad++;
		} else if (elist_push(l, &e) != 0) {
			snprintf(err, errlen, "%s", strerror(ENOMEM));
			fclose(fp);
			return -1;
		}
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		fclose(fp);
		return -1;
	}
	fclose(fp);
	return bad;
}
