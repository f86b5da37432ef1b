/*
 * socketmap.c: one socketmap lookup.  Requests and replies are
 * netstrings ("12:drac 10.1.2.3,"); the map name is not checked, so any
 * K name or socketmap: table name works.  The key may be any text form
 * of the address, sendmail's "IPv6:" tag included.
 */
#include <stdio.h>
#include <string.h>

#include "dracd.h"
#include "net.h"
#include "socketmap.h"

static size_t
netstring(char *out, size_t size, const char *text)
{
	int n = snprintf(out, size, "%zu:%s,", strlen(text), text);

	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

int
socketmap_request(struct dracd *d, const char *buf, size_t len,
    size_t *used, char *out, size_t outsize, size_t *outlen)
{
	char key[SMAP_REQ_MAX + 1], reply[SMAP_REPLY_MAX];
	const char *sp;
	struct dracaddr a;
	struct entry *e;
	size_t i, n = 0;

	*outlen = 0;
	for (i = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		n = n * 10 + (size_t)(buf[i] - '0');
		if (n > SMAP_REQ_MAX)
			goto bad;
	}
	if (i == len)
		return i > 5 ? -1 : 0;
	if (i == 0 || buf[i] != ':')
		goto bad;
	if (len < i + 1 + n + 1)
		return 0;
	if (buf[i + 1 + n] != ',')
		goto bad;
	*used = i + 1 + n + 1;
	sp = memchr(buf + i + 1, ' ', n);
	if (sp == NULL || memchr(buf + i + 1, '\0', n) != NULL)
		goto bad;
	memcpy(key, sp + 1, (size_t)(buf + i + 1 + n - sp - 1));
	key[buf + i + 1 + n - sp - 1] = '\0';
	d->stats[ST_SOCKETMAP]++;
	if (dracaddr_parse(key, &a) == 0 &&
	    (e = table_find(&d->table, &a)) != NULL &&
	    e->expires > dracclock_wall_ms() / 1000) {
		snprintf(reply, sizeof(reply), "OK %lld", e->expires);
		*outlen = netstring(out, outsize, reply);
	} else
		*outlen = netstring(out, outsize, "NOTFOUND ");
	return 1;
bad:
	*outlen = netstring(out, outsize, "PERM malformed request");
	return -1;
}
