/*
 * output.c: the formats dracdb(8) documents.  Changing one breaks the
 * admins' scripts that parse it.
 *
 * List, one entry a line, fields separated by one space:
 *	address expires-local seconds-left how user
 * expires-local is strftime "%Y-%m-%dT%H:%M:%S%z"; user is "-" when
 * none is known and is always last (it may hold spaces); bytes that are
 * not printable ASCII, and the backslash, are written as \ooo.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dracdb.h"

static void
local_time(long long t, char *buf, size_t size)
{
	struct tm tm;
	time_t tt = (time_t)t;

	if (localtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%S%z", &tm) == 0)
		snprintf(buf, size, "@%lld", t);
}

static void
put_visible(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x80 && isprint(*p) && *p != '\\')
			putchar(*p);
		else
			printf("\\%03o", *p);
	}
}

void
out_entry(const struct entry *e, long long now)
{
	char addr[DRACADDR_TEXT_MAX], when[40];

	dracaddr_format(&e->addr, addr, sizeof(addr));
	local_time(e->expires, when, sizeof(when));
	printf("%s %s %lld %s ", addr, when,
	    e->expires > now ? e->expires - now : 0, how_name(e->how));
	if (e->user[0] == '\0')
		putchar('-');
	else
		put_visible(e->user);
	putchar('\n');
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

/* A JSON string; bytes that are not UTF-8 become U+0080..U+00FF. */
static void
put_json_string(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	putchar('"');
	while (*p != '\0') {
		if (*p == '"' || *p == '\\') {
			printf("\\%c", *p++);
			continue;
		}
		if (*p < 0x20 || *p == 0x7f || (n = utf8_len(p)) == 0) {
			printf("\\u%04x", *p++);
			continue;
		}
		fwrite(p, 1, n, stdout);
		p += n;
	}
	putchar('"');
}

static void
put_json_entry(const struct entry *e, long long now)
{
	char addr[DRACADDR_TEXT_MAX], when[40];

	dracaddr_format(&e->addr, addr, sizeof(addr));
	local_time(e->expires, when, sizeof(when));
	printf("{\"address\":\"%s\",\"expires\":%lld,\"expires_local\":\"%s\","
	    "\"seconds_left\":%lld,", addr, e->expires, when,
	    e->expires > now ? e->expires - now : 0);
	if (e->added != 0)
		printf("\"added\":%lld,", e->added);
	else
		printf("\"added\":null,");
	if (e->ttl != 0)
		printf("\"ttl\":%u,", e->ttl);
	else
		printf("\"ttl\":null,");
	printf("\"how\":\"%s\",\"user\":", how_name(e->how));
	if (e->user[0] == '\0')
		printf("null");
	else
		put_json_string(e->user);
	putchar('}');
}

void
out_entries_json(const struct elist *l, long long now)
{
	size_t i;

	putchar('[');
	for (i = 0; i < l->n; i++) {
		printf("%s\n  ", i == 0 ? "" : ",");
		put_json_entry(&l->v[i], now);
	}
	printf("%s]\n", l->n > 0 ? "\n" : "");
}

/* The user as one line: control characters cannot be loaded back. */
static void
put_line_safe(const char *s)
{
	for (; *s != '\0'; s++)
		putchar((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s);
}

/* What load_text() reads back; only live entries. */
void
out_dump(const struct elist *l, long long now)
{
	char addr[DRACADDR_TEXT_MAX];
	size_t i;

	printf("# dracdb dump: address expires [user]\n");
	for (i = 0; i < l->n; i++) {
		if (l->v[i].expires <= now)
			continue;
		dracaddr_format(&l->v[i].addr, addr, sizeof(addr));
		printf("%s %lld", addr, l->v[i].expires);
		if (l->v[i].user[0] != '\0') {
			putchar(' ');
			put_line_safe(l->v[i].user);
		}
		putchar('\n');
	}
}

void
out_counters(const struct clist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		printf("%s %llu\n", l->v[i].name, l->v[i].value);
}

void
out_counters_json(const struct clist *l)
{
	size_t i;

	putchar('{');
	for (i = 0; i < l->n; i++) {
		printf("%s\n  ", i == 0 ? "" : ",");
		put_json_string(l->v[i].name);
		printf(":%llu", l->v[i].value);
	}
	printf("%s}\n", l->n > 0 ? "\n" : "");
}
