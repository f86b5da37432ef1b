/*
 * dlist.c: parse libdrac's server list.  Strict: an empty element, a
 * port outside 1..65535, a stray bracket or a name too long is an error
 * that quotes the element, never a guess.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "defs.h"
#include "dlist.h"

/* "1".."65535", digits only.  Returns the port or 0. */
static unsigned int
parse_port(const char *s, size_t len)
{
	unsigned int port = 0;
	size_t i;

	if (len == 0 || len > 5)
		return 0;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
		port = port * 10 + (unsigned int)(s[i] - '0');
	}
	return port <= 65535 ? port : 0;
}

#define QUOTE_MAX	60	/* of a bad element, in a message */

static int
bad(char *err, size_t errlen, const char *s, size_t len, const char *why)
{
	snprintf(err, errlen, "server \"%.*s%s\": %s", (int)(len > QUOTE_MAX ?
	    QUOTE_MAX : len), s, len > QUOTE_MAX ? "..." : "", why);
	return -1;
}

/* One element s[0..len), no comma in it. */
static int
parse_one(const char *s, size_t len, struct dlist_server *sv,
    char *err, size_t errlen)
{
	const char *host = s, *colon, *close;
	size_t hostlen = len, i;

	if (len == 0)
		return bad(err, errlen, s, len, "empty server name");
	if (len >= DLIST_NAME_MAX)
		return bad(err, errlen, s, len, "name too long");
	sv->port = 0;
	if (s[0] == '[') {
		close = memchr(s, ']', len);
		if (close == NULL)
			return bad(err, errlen, s, len, "missing ']'");
		host = s + 1;
		hostlen = (size_t)(close - host);
		if (close + 1 < s + len) {
			if (close[1] != ':')
				return bad(err, errlen, s, len,
				    "expected ':port' after ']'");
			sv->port = parse_port(close + 2,
			    (size_t)(s + len - close - 2));
			if (sv->port == 0)
				return bad(err, errlen, s, len,
				    "port must be a number from 1 to 65535");
		}
		if (memchr(host, ':', hostlen) == NULL)
			return bad(err, errlen, s, len,
			    "brackets are for IPv6 addresses");
	} else {
		colon = memchr(s, ':', len);
		/* Two colons or more: a bare IPv6 address, no port. */
		if (colon != NULL && memchr(colon + 1, ':',
		    (size_t)(s + len - colon - 1)) == NULL) {
			hostlen = (size_t)(colon - s);
			sv->port = parse_port(colon + 1,
			    (size_t)(s + len - colon - 1));
			if (sv->port == 0)
				return bad(err, errlen, s, len,
				    "port must be a number from 1 to 65535");
		}
	}
	if (hostlen == 0)
		return bad(err, errlen, s, len, "empty host name");
	for (i = 0; i < hostlen; i++) {
		if (!isgraph((unsigned char)host[i]) || host[i] == '[' ||
		    host[i] == ']')
			return bad(err, errlen, s, len,
			    "bad character in host name");
	}
	memcpy(sv->host, host, hostlen);
	sv->host[hostlen] = '\0';
	memcpy(sv->name, s, len);
	sv->name[len] = '\0';
	return 0;
}

int
dlist_parse(const char *s, struct dlist_server *v, size_t max,
    char *err, size_t errlen)
{
	const char *end;
	size_t n = 0, len;

	if (s == NULL || *s == '\0')
		s = DRAC_DEFAULT_SERVER;
	for (;;) {
		end = strchr(s, ',');
		len = end != NULL ? (size_t)(end - s) : strlen(s);
		if (n == max) {
			snprintf(err, errlen, "more than %zu servers", max);
			return -1;
		}
		if (parse_one(s, len, &v[n], err, errlen) != 0)
			return -1;
		n++;
		if (end == NULL)
			return (int)n;
		s = end + 1;
	}
}
