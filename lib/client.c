/*
 * client.c: the reentrant libdrac API.  Everything a call needs lives
 * in the caller's struct drac_client and on the stack; results and
 * messages go back through return values and the caller's buffer.
 *
 * Time: every public call is bounded by the client's timeout.  With
 * several servers each gets an equal share of what is left when its
 * turn comes, so one dead server cannot starve the others.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "defs.h"
#include "drac.h"
#include "dclient.h"
#include "dlist.h"
#include "drac_prot.h"
#include "drpc.h"
#include "dserver.h"
#include "mac.h"

#define TIMEOUT_MAX_MS	(10 * 60 * 1000)

struct drac_client {
	int		 timeout_ms;
	int		 has_key;
	uint8_t		 key[DRACMAC_KEY_LEN];
	size_t		 n;
	struct dserver	 sv[];
};

/* A caller may pass err NULL; write into scratch space then. */
struct errbuf {
	char	*p;
	size_t	 len;
	char	 scratch[DRAC_ERRMAX];
};

static void
errbuf_init(struct errbuf *e, char *err, size_t errlen)
{
	if (err == NULL || errlen == 0) {
		e->p = e->scratch;
		e->len = sizeof(e->scratch);
	} else {
		e->p = err;
		e->len = errlen;
	}
	e->p[0] = '\0';
}

/* Append "; name: why" to the message, truncating quietly. */
static void
errbuf_add(struct errbuf *e, const char *name, const char *why)
{
	size_t used = strlen(e->p);

	if (used + 1 >= e->len)
		return;
	snprintf(e->p + used, e->len - used, "%s%s: %s",
	    used > 0 ? "; " : "", name, why);
}

static int
check_options(const struct drac_options *o, char *err, size_t errlen)
{
	if (o == NULL)
		return 0;
	if (o->timeout_ms < 0 || o->timeout_ms > TIMEOUT_MAX_MS) {
		snprintf(err, errlen, "timeout %d ms out of range 0..%d",
		    o->timeout_ms, TIMEOUT_MAX_MS);
		return -1;
	}
	if (o->flags & ~(DRAC_TCP | DRAC_V3ONLY | DRAC_V12ONLY)) {
		snprintf(err, errlen, "unknown flags 0x%x", (unsigned)o->flags);
		return -1;
	}
	if ((o->flags & DRAC_V3ONLY) && (o->flags & DRAC_V12ONLY)) {
		snprintf(err, errlen, "DRAC_V3ONLY and DRAC_V12ONLY exclude "
		    "each other");
		return -1;
	}
	/* DRAC 1.12's versions cannot be signed. */
	if (o->keyfile != NULL && (o->flags & DRAC_V12ONLY)) {
		snprintf(err, errlen, "a key file signs version 3 calls; "
		    "DRAC_V12ONLY cannot use one");
		return -1;
	}
	return 0;
}

static long long
deadline_for(const struct drac_client *c)
{
	return dracclock_mono_ms() + c->timeout_ms;
}

/* Server i of n gets an equal share of the time left. */
static long long
share(long long deadline, size_t i, size_t n)
{
	long long now = dracclock_mono_ms(), left = deadline - now;

	if (left <= 0)
		return now;
	return now + left / (long long)(n - i);
}

struct drac_client *
dclient_make(const char *servers, const struct drac_options *o, int connect,
    char *err, size_t errlen)
{
	struct dlist_server spec[DRAC_MAX_SERVERS];
	struct drac_client *c;
	struct errbuf e;
	char why[DRAC_ERRMAX];
	long long deadline;
	size_t i, up;
	int n, flags;

	errbuf_init(&e, err, errlen);
	if (check_options(o, e.p, e.len) != 0)
		return NULL;
	n = dlist_parse(servers, spec, DRAC_MAX_SERVERS, e.p, e.len);
	if (n <= 0)
		return NULL;
	c = calloc(1, sizeof(*c) + (size_t)n * sizeof(c->sv[0]));
	if (c == NULL) {
		snprintf(e.p, e.len, "out of memory");
		return NULL;
	}
	c->timeout_ms = o != NULL && o->timeout_ms > 0 ? o->timeout_ms :
	    DRAC_DEFAULT_TIMEOUT_MS;
	c->n = (size_t)n;
	flags = o != NULL ? o->flags : 0;
	if (o != NULL && o->keyfile != NULL) {
		if (dracmac_load_key(o->keyfile, c->key, e.p, e.len) != 0) {
			free(c);
			return NULL;
		}
		c->has_key = 1;
		/* Never fall back to versions that cannot be signed. */
		flags |= DRAC_V3ONLY;
	}
	for (i = 0; i < c->n; i++) {
		dserver_init(&c->sv[i], &spec[i], flags);
		c->sv[i].key = c->has_key ? c->key : NULL;
	}
	if (!connect)
		return c;
	deadline = deadline_for(c);
	for (i = up = 0; i < c->n; i++) {
		if (dserver_open(&c->sv[i], share(deadline, i, c->n), why,
		    sizeof(why)) == DRAC_OK)
			up++;
		else
			errbuf_add(&e, c->sv[i].spec.name, why);
	}
	if (up == 0) {
		drac_client_free(c);
		return NULL;
	}
	return c;
}

struct drac_client *
drac_client_new(const char *servers, const struct drac_options *o,
    char *err, size_t errlen)
{
	return dclient_make(servers, o, 1, err, errlen);
}

void
drac_client_free(struct drac_client *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		dserver_free(&c->sv[i]);
	explicit_bzero(c->key, sizeof(c->key));
	free(c);
}

/*
 * Send req to every server; DRAC_OK only if all succeeded, else the
 * first failure's code.  With first_answer (QUERY) stop at the first
 * server that answers with a status of its own.
 */
static int
each_server(struct drac_client *c, struct dserver_req *req,
    int first_answer, struct errbuf *e)
{
	char why[DRAC_ERRMAX];
	long long deadline = deadline_for(c);
	size_t i;
	int rc, first = DRAC_OK;

	for (i = 0; i < c->n; i++) {
		rc = dserver_call(&c->sv[i], req, share(deadline, i, c->n),
		    why, sizeof(why));
		if (first_answer && rc >= 0) {
			e->p[0] = '\0';
			if (rc != DRAC_OK)
				errbuf_add(e, c->sv[i].spec.name, why);
			return rc;
		}
		if (rc == DRAC_OK)
			continue;
		errbuf_add(e, c->sv[i].spec.name, why);
		if (first == DRAC_OK)
			first = rc;
	}
	return first;
}

static int
parse_addr(const char *text, struct dracaddr *a, struct errbuf *e)
{
	if (text != NULL && dracaddr_parse(text, a) == 0)
		return 0;
	snprintf(e->p, e->len, "bad address \"%.64s\": not an IPv4 or "
	    "IPv6 address", text != NULL ? text : "(null)");
	return -1;
}

static int
sa_addr(const struct sockaddr *sa, socklen_t len, struct dracaddr *a,
    struct errbuf *e)
{
	if (sa != NULL && dracaddr_from_sockaddr(sa, len, a) == 0)
		return 0;
	snprintf(e->p, e->len, "bad address: not an AF_INET or AF_INET6 "
	    "sockaddr");
	return -1;
}

static int
bad_client(struct errbuf *e)
{
	snprintf(e->p, e->len, "no client (NULL)");
	return DRAC_EINVAL;
}

int
dclient_add(struct drac_client *c, const struct dracaddr *a,
    unsigned int ttl, const char *user, char *err, size_t errlen)
{
	struct dserver_req req;
	struct errbuf e;

	errbuf_init(&e, err, errlen);
	if (c == NULL)
		return bad_client(&e);
	if (user == NULL)
		user = "";
	if (strlen(user) > DRAC3_USER_MAX) {
		snprintf(e.p, e.len, "user name longer than %d bytes",
		    DRAC3_USER_MAX);
		return DRAC_EINVAL;
	}
	memset(&req, 0, sizeof(req));
	req.op = DSERVER_ADD;
	req.addr = *a;
	req.ttl = ttl;
	req.user = user;
	return each_server(c, &req, 0, &e);
}

int
drac_client_add(struct drac_client *c, const char *addr, unsigned int ttl,
    const char *user, char *err, size_t errlen)
{
	struct dracaddr a;
	struct errbuf e;

	errbuf_init(&e, err, errlen);
	if (parse_addr(addr, &a, &e) != 0)
		return DRAC_EINVAL;
	return dclient_add(c, &a, ttl, user, err, errlen);
}

int
drac_client_add_sa(struct drac_client *c, const struct sockaddr *sa,
    socklen_t len, unsigned int ttl, const char *user, char *err,
    size_t errlen)
{
	struct dracaddr a;
	struct errbuf e;

	errbuf_init(&e, err, errlen);
	if (sa_addr(sa, len, &a, &e) != 0)
		return DRAC_EINVAL;
	return dclient_add(c, &a, ttl, user, err, errlen);
}

static int
drop(struct drac_client *c, const struct dracaddr *a, struct errbuf *e)
{
	struct dserver_req req;

	if (c == NULL)
		return bad_client(e);
	memset(&req, 0, sizeof(req));
	req.op = DSERVER_DROP;
	req.addr = *a;
	return each_server(c, &req, 0, e);
}

int
drac_client_drop(struct drac_client *c, const char *addr, char *err,
    size_t errlen)
{
	struct dracaddr a;
	struct errbuf e;

	errbuf_init(&e, err, errlen);
	if (parse_addr(addr, &a, &e) != 0)
		return DRAC_EINVAL;
	return drop(c, &a, &e);
}

int
drac_client_drop_sa(struct drac_client *c, const struct sockaddr *sa,
    socklen_t len, char *err, size_t errlen)
{
	struct dracaddr a;
	struct errbuf e;

	errbuf_init(&e, err, errlen);
	if (sa_addr(sa, len, &a, &e) != 0)
		return DRAC_EINVAL;
	return drop(c, &a, &e);
}

int
drac_client_query(struct drac_client *c, const char *addr,
    struct drac_info *info, char *err, size_t errlen)
{
	struct dserver_req req;
	struct drac_info scratch;
	struct errbuf e;

	errbuf_init(&e, err, errlen);
	if (c == NULL)
		return bad_client(&e);
	memset(&req, 0, sizeof(req));
	if (parse_addr(addr, &req.addr, &e) != 0)
		return DRAC_EINVAL;
	req.op = DSERVER_QUERY;
	req.info = info != NULL ? info : &scratch;
	memset(req.info, 0, sizeof(*req.info));
	return each_server(c, &req, 1, &e);
}

/* One-shot forms: look up and call within one timeout. */
int
drac_add(const char *servers, const char *addr, unsigned int ttl,
    const char *user, const struct drac_options *o, char *err,
    size_t errlen)
{
	struct drac_client *c;
	int rc;

	if ((c = dclient_make(servers, o, 0, err, errlen)) == NULL)
		return DRAC_EINVAL;
	rc = drac_client_add(c, addr, ttl, user, err, errlen);
	drac_client_free(c);
	return rc;
}

int
drac_drop(const char *servers, const char *addr,
    const struct drac_options *o, char *err, size_t errlen)
{
	struct drac_client *c;
	int rc;

	if ((c = dclient_make(servers, o, 0, err, errlen)) == NULL)
		return DRAC_EINVAL;
	rc = drac_client_drop(c, addr, err, errlen);
	drac_client_free(c);
	return rc;
}

int
drac_query(const char *servers, const char *addr, struct drac_info *info,
    const struct drac_options *o, char *err, size_t errlen)
{
	struct drac_client *c;
	int rc;

	if ((c = dclient_make(servers, o, 0, err, errlen)) == NULL)
		return DRAC_EINVAL;
	rc = drac_client_query(c, addr, info, err, errlen);
	drac_client_free(c);
	return rc;
}

const char *
drac_strerror(int rc)
{
	switch (rc) {
	case DRAC_OK:		return "success";
	case DRAC_PERM:		return "permission denied";
	case DRAC_SYSERR:	return "system error";
	case DRAC_UNKNOWN:	return "unknown error";
	case DRAC_BADADDR:	return "address refused";
	case DRAC_NOTFOUND:	return "no such entry";
	case DRAC_BADAUTH:	return "authentication failed";
	case DRAC_BADARG:	return "bad argument";
	case DRAC_ENOCLIENT:	return "no client: server unknown or not "
				    "registered";
	case DRAC_ECALL:	return "call failed";
	case DRAC_EINVAL:	return "invalid argument";
	case DRAC_ENOTSUP:	return "server speaks only DRAC 1.12 "
				    "(versions 1 and 2)";
	}
	return "unknown result code";
}
