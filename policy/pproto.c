/*
 * pproto.c: parse policy delegation requests, format answers.
 *
 * Postfix sends one request, waits for the answer, and may then send
 * the next one on the same connection.  Every request is checked as a
 * whole before anything in it is used: one bad line makes the whole
 * request bad, and a bad request is skipped and answered, never acted on.
 */
#include <stdio.h>
#include <string.h>

#include "mapfile.h"
#include "pproto.h"

#define QUOTE_MAX	80

/* Offset just past the request's empty line, or 0 if there is none. */
static size_t
find_end(const char *buf, size_t len)
{
	const char *nl;
	size_t p = 0;

	while (p < len) {
		if (buf[p] == '\n')
			return p + 1;
		nl = memchr(buf + p, '\n', len - p);
		if (nl == NULL)
			return 0;
		p = (size_t)(nl - buf) + 1;
	}
	return 0;
}

static int
bad(char *why, size_t whylen, const char *fmt, const char *arg)
{
	char q[QUOTE_MAX];

	mapfile_quote(arg, q, sizeof(q));
	snprintf(why, whylen, fmt, q);
	return PPROTO_BAD;
}

static const char **
slot(struct pproto_req *req, const char *name)
{
	if (strcmp(name, "request") == 0)
		return &req->request;
	if (strcmp(name, "protocol_state") == 0)
		return &req->protocol_state;
	if (strcmp(name, "client_address") == 0)
		return &req->client_address;
	if (strcmp(name, "sender") == 0)
		return &req->sender;
	if (strcmp(name, "recipient") == 0)
		return &req->recipient;
	if (strcmp(name, "queue_id") == 0)
		return &req->queue_id;
	return NULL;
}

/* One "name=value" line, NUL-terminated in req->buf. */
static int
parse_attr(struct pproto_req *req, char *line, size_t len, char *why,
    size_t whylen)
{
	const char **s;
	char *eq;
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c < 0x20 || c == 0x7f) {
			snprintf(why, whylen, "control character 0x%02x in "
			    "attribute", c);
			return PPROTO_BAD;
		}
	}
	if ((eq = strchr(line, '=')) == NULL)
		return bad(why, whylen, "line \"%s\" is not name=value", line);
	if (eq == line)
		return bad(why, whylen, "attribute without a name: \"%s\"",
		    line);
	*eq = '\0';
	if (++req->nattr > PPROTO_ATTR_MAX) {
		snprintf(why, whylen, "more than %d attributes",
		    PPROTO_ATTR_MAX);
		return PPROTO_BAD;
	}
	if ((s = slot(req, line)) == NULL)
		return PPROTO_OK;	/* an attribute we do not use */
	if (*s != NULL)
		return bad(why, whylen, "attribute \"%s\" given twice", line);
	*s = eq + 1;
	return PPROTO_OK;
}

static void
clear(struct pproto_req *req)
{
	req->request = NULL;
	req->protocol_state = NULL;
	req->client_address = NULL;
	req->sender = NULL;
	req->recipient = NULL;
	req->queue_id = NULL;
	req->nattr = 0;
}

int
pproto_parse(const char *buf, size_t len, struct pproto_req *req,
    size_t *used, char *why, size_t whylen)
{
	size_t end, body, p, q;
	char *nl;
	int r;

	clear(req);
	why[0] = '\0';
	end = find_end(buf, len < PPROTO_REQUEST_MAX ? len :
	    PPROTO_REQUEST_MAX);
	if (end == 0) {
		if (len < PPROTO_REQUEST_MAX)
			return PPROTO_MORE;
		snprintf(why, whylen, "no end of request within %d bytes",
		    PPROTO_REQUEST_MAX);
		return PPROTO_FATAL;
	}
	*used = end;
	body = end - 1;		/* without the empty line */
	if (body == 0) {
		snprintf(why, whylen, "empty request");
		return PPROTO_BAD;
	}
	memcpy(req->buf, buf, body);
	req->buf[body] = '\0';
	for (p = 0; p < body; p = q + 1) {
		nl = memchr(req->buf + p, '\n', body - p);
		q = (size_t)(nl - req->buf);	/* body ends in '\n' */
		*nl = '\0';
		if (memchr(req->buf + p, '\0', q - p) != NULL) {
			snprintf(why, whylen, "NUL byte in attribute");
			return PPROTO_BAD;
		}
		if ((r = parse_attr(req, req->buf + p, q - p, why, whylen)) !=
		    PPROTO_OK)
			return r;
	}
	if (req->request == NULL) {
		snprintf(why, whylen, "no \"request\" attribute");
		return PPROTO_BAD;
	}
	if (strcmp(req->request, "smtpd_access_policy") != 0)
		return bad(why, whylen, "unknown request \"%s\"",
		    req->request);
	return PPROTO_OK;
}

size_t
pproto_answer(char *out, size_t size, const char *action, const char *text)
{
	char clean[PPROTO_TEXT_MAX + 1];
	size_t i;
	int n;

	for (i = 0; text != NULL && text[i] != '\0' &&
	    i < PPROTO_TEXT_MAX; i++) {
		unsigned char c = (unsigned char)text[i];

		clean[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	clean[i] = '\0';
	if (i > 0)
		n = snprintf(out, size, "action=%s %s\n\n", action, clean);
	else
		n = snprintf(out, size, "action=%s\n\n", action);
	if (n < 0 || (size_t)n >= size)
		return 0;
	return (size_t)n;
}
