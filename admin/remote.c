/*
 * remote.c: talk to the running rpc.dracd through RPC version 3 over
 * TCP (a LIST reply of 256 entries does not fit a UDP datagram).  The
 * rpcgen XDR routines encode; the calls are plain clnt_call()s so that
 * every procedure, LIST and STATS included, goes the same way.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <time.h>

#include <rpc/rpc.h>

#include "drac_prot.h"
#include "dracdb.h"
#include "mac.h"

/* Bounds the pages of one listing: DRAC3_LIST_MAX entries each. */
#define LIST_PAGES_MAX	(1 << 20)
#define BODY_MAX	512	/* encoded arguments of any call but LIST's */

struct remote {
	CLIENT		*cl;
	char		 host[256];
	int		 has_key;
	uint8_t		 key[DRACMAC_KEY_LEN];
};

static const char *const statnames[] = {
	"success", "permission denied (this host is not in the allow file)",
	"system error (the map could not be written)", "unknown address",
	"address refused", "not in the map", "authentication refused",
	"argument refused"
};

static const char *
status_text(int st)
{
	if (st < 0 || (size_t)st >= sizeof(statnames) / sizeof(statnames[0]))
		return "unknown status";
	return statnames[st];
}

/*
 * Splits "host", "host:port", "[addr]:port" and a bare IPv6 address
 * (two colons or more); port is "" when absent.
 */
int
remote_split_host(const char *spec, char *host, size_t hlen, char *port,
    size_t plen)
{
	const char *colon, *end;
	size_t n;

	port[0] = '\0';
	if (spec[0] == '[') {
		if ((end = strchr(spec, ']')) == NULL)
			return -1;
		n = (size_t)(end - spec - 1);
		if (end[1] == ':')
			snprintf(port, plen, "%s", end + 2);
		else if (end[1] != '\0')
			return -1;
	} else if ((colon = strchr(spec, ':')) != NULL &&
	    strchr(colon + 1, ':') == NULL) {
		n = (size_t)(colon - spec);
		snprintf(port, plen, "%s", colon + 1);
	} else
		n = strlen(spec);
	if (n == 0 || n >= hlen)
		return -1;
	memcpy(host, spec + (spec[0] == '['), n);
	host[n] = '\0';
	return 0;
}

/* A TCP connection that gives up after DRACDB_TIMEOUT seconds. */
static int
connect_bounded(const struct addrinfo *ai)
{
	struct pollfd pfd;
	socklen_t len;
	int fd, soerr, fl;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
	    ai->ai_protocol);
	if (fd == -1)
		return -1;
	fl = fcntl(fd, F_GETFL);
	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		goto fail;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == -1) {
		if (errno != EINPROGRESS)
			goto fail;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (poll(&pfd, 1, DRACDB_TIMEOUT * 1000) != 1) {
			errno = ETIMEDOUT;
			goto fail;
		}
		len = sizeof(soerr);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
			goto fail;
		if (soerr != 0) {
			errno = soerr;
			goto fail;
		}
	}
	if (fcntl(fd, F_SETFL, fl) == -1)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* host:port: no rpcbind involved, like rpc.dracd -p. */
static CLIENT *
open_port(const char *host, const char *port, char *err, size_t errlen)
{
	struct addrinfo hints, *res, *ai;
	struct netbuf nb;
	CLIENT *cl = NULL;
	int fd = -1, rc, saved = 0;

	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
		snprintf(err, errlen, "%s port %s: %s", host, port,
		    gai_strerror(rc));
		return NULL;
	}
	for (ai = res; ai != NULL && cl == NULL; ai = ai->ai_next) {
		if ((fd = connect_bounded(ai)) == -1) {
			saved = errno;
			continue;
		}
		nb.maxlen = nb.len = ai->ai_addrlen;
		nb.buf = ai->ai_addr;
		cl = clnt_vc_create(fd, &nb, DRACPROG, DRACVERS3, 0, 0);
		if (cl == NULL) {
			close(fd);
			saved = 0;
		} else
			clnt_control(cl, CLSET_FD_CLOSE, NULL);
	}
	freeaddrinfo(res);
	if (cl == NULL)
		snprintf(err, errlen, "%s port %s: %s", host, port, saved ?
		    strerror(saved) : clnt_spcreateerror("cannot create client"));
	return cl;
}

struct remote *
remote_open(const char *spec, const char *keyfile, char *err, size_t errlen)
{
	struct timeval tv = { DRACDB_TIMEOUT, 0 };
	struct remote *r;
	char host[256], port[16];

	if (remote_split_host(spec, host, sizeof(host), port,
	    sizeof(port)) != 0) {
		snprintf(err, errlen, "bad host '%s': want host, host:port "
		    "or [address]:port", spec);
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	snprintf(r->host, sizeof(r->host), "%s", spec);
	if (keyfile != NULL) {
		if (dracmac_load_key(keyfile, r->key, err, errlen) != 0) {
			free(r);
			return NULL;
		}
		r->has_key = 1;
	}
	if (port[0] != '\0')
		r->cl = open_port(host, port, err, errlen);
	else {
		r->cl = clnt_create_timed(host, DRACPROG, DRACVERS3,
		    "circuit_v", &tv);
		if (r->cl == NULL)
			snprintf(err, errlen, "%s", clnt_spcreateerror(host));
	}
	if (r->cl == NULL) {
		free(r);
		return NULL;
	}
	clnt_control(r->cl, CLSET_TIMEOUT, (char *)&tv);
	return r;
}

void
remote_close(struct remote *r)
{
	if (r == NULL)
		return;
	clnt_destroy(r->cl);
	explicit_bzero(r->key, sizeof(r->key));
	free(r);
}

/*
 * With a key, the auth block (the first member of every v3 argument)
 * becomes an HMAC over the encoded arguments that follow it, as
 * common/mac.h describes; without one it stays flavor NONE.
 */
static int
sign(struct remote *r, u_long proc, xdrproc_t xargs, void *args,
    drac3_auth *auth, char *err, size_t errlen)
{
	char body[BODY_MAX];
	uint8_t nonce[DRACMAC_NONCE_LEN];
	drac3_hmac *h;
	u_int len;
	XDR x;

	memset(auth, 0, sizeof(*auth));
	auth->flavor = DRAC3_AUTH_NONE;
	if (!r->has_key)
		return 0;
	xdrmem_create(&x, body, sizeof(body), XDR_ENCODE);
	if (!xargs(&x, args, 0)) {
		xdr_destroy(&x);
		snprintf(err, errlen, "arguments too long to sign");
		return -1;
	}
	len = xdr_getpos(&x);
	xdr_destroy(&x);
	h = &auth->drac3_auth_u.hmac;
	h->timestamp = (u_quad_t)time(NULL);
	dracmac_nonce(nonce);
	memcpy(h->nonce, nonce, sizeof(nonce));
	/* The NONE block is 4 bytes: the body starts after it. */
	dracmac_compute(r->key, DRACVERS3, (uint32_t)proc, h->timestamp,
	    nonce, body + 4, len - 4, (uint8_t *)h->mac);
	auth->flavor = DRAC3_AUTH_HMAC;
	return 0;
}

static int
call(struct remote *r, u_long proc, xdrproc_t xargs, void *args,
    xdrproc_t xres, void *res, char *err, size_t errlen)
{
	struct timeval tv = { DRACDB_TIMEOUT, 0 };
	enum clnt_stat cs;

	/* Every v3 argument struct starts with its auth block. */
	if (sign(r, proc, xargs, args, (drac3_auth *)args, err, errlen) != 0)
		return -1;
	cs = clnt_call(r->cl, proc, xargs, args, xres, res, tv);
	if (cs != RPC_SUCCESS) {
		snprintf(err, errlen, "%s", clnt_sperror(r->cl, r->host));
		return -1;
	}
	return 0;
}

static void
to_wire(const struct dracaddr *a, drac3_addr *w)
{
	memset(w, 0, sizeof(*w));
	if (dracaddr_is_v4(a)) {
		w->family = DRAC3_INET;
		memcpy(w->drac3_addr_u.v4, a->b + 12, 4);
	} else {
		w->family = DRAC3_INET6;
		memcpy(w->drac3_addr_u.v6, a->b, 16);
	}
}

static int
from_wire(const drac3_entry *w, struct entry *e)
{
	uint32_t v4;

	memset(e, 0, sizeof(*e));
	if (w->addr.family == DRAC3_INET) {
		memcpy(&v4, w->addr.drac3_addr_u.v4, 4);
		dracaddr_from_v4(v4, &e->addr);
	} else if (w->addr.family == DRAC3_INET6)
		dracaddr_from_v6((const uint8_t *)w->addr.drac3_addr_u.v6,
		    &e->addr);
	else
		return -1;
	e->expires = w->expires;
	e->added = w->added;
	e->ttl = w->ttl;
	e->how = w->how;
	if (w->user != NULL)
		snprintf(e->user, sizeof(e->user), "%s", w->user);
	return 0;
}

static int
status_err(int st, char *err, size_t errlen)
{
	if (st == DRAC3_OK)
		return 0;
	snprintf(err, errlen, "%s", status_text(st));
	return -1;
}

int
remote_add(struct remote *r, const struct dracaddr *a, unsigned int ttl,
    const char *user, long long *expires, char *err, size_t errlen)
{
	drac3_add_args args;
	drac3_add_res res;

	memset(&args, 0, sizeof(args));
	memset(&res, 0, sizeof(res));
	to_wire(a, &args.addr);
	args.ttl = ttl;
	args.user = (char *)(user != NULL ? user : "");
	if (call(r, DRAC3PROC_ADD, (xdrproc_t)xdr_drac3_add_args, &args,
	    (xdrproc_t)xdr_drac3_add_res, &res, err, errlen) != 0)
		return -1;
	*expires = res.expires;
	return status_err(res.status, err, errlen);
}

int
remote_drop(struct remote *r, const struct dracaddr *a, char *err,
    size_t errlen)
{
	drac3_addr_args args;
	drac3_status res = DRAC3_SYSERR;

	memset(&args, 0, sizeof(args));
	to_wire(a, &args.addr);
	if (call(r, DRAC3PROC_DROP, (xdrproc_t)xdr_drac3_addr_args, &args,
	    (xdrproc_t)xdr_drac3_status, &res, err, errlen) != 0)
		return -1;
	return status_err(res, err, errlen);
}

int
remote_query(struct remote *r, const struct dracaddr *a, struct entry *e,
    char *err, size_t errlen)
{
	drac3_addr_args args;
	drac3_query_res res;
	int rc;

	memset(&args, 0, sizeof(args));
	memset(&res, 0, sizeof(res));
	to_wire(a, &args.addr);
	if (call(r, DRAC3PROC_QUERY, (xdrproc_t)xdr_drac3_addr_args, &args,
	    (xdrproc_t)xdr_drac3_query_res, &res, err, errlen) != 0)
		return -1;
	rc = status_err(res.status, err, errlen);
	if (rc == 0 && from_wire(&res.entry, e) != 0) {
		snprintf(err, errlen, "server sent a bad address family");
		rc = -1;
	}
	clnt_freeres(r->cl, (xdrproc_t)xdr_drac3_query_res, (char *)&res);
	return rc;
}

/* One page: appends its entries, sets *cursor to the next one. */
static int
list_page(struct remote *r, struct elist *l, u_quad_t *cursor, char *err,
    size_t errlen)
{
	drac3_list_args args;
	drac3_list_res res;
	struct entry e;
	u_int i;
	int rc;

	memset(&args, 0, sizeof(args));
	memset(&res, 0, sizeof(res));
	args.cursor = *cursor;
	args.max = DRAC3_LIST_MAX;
	if (call(r, DRAC3PROC_LIST, (xdrproc_t)xdr_drac3_list_args, &args,
	    (xdrproc_t)xdr_drac3_list_res, &res, err, errlen) != 0)
		return -1;
	rc = status_err(res.status, err, errlen);
	for (i = 0; rc == 0 && i < res.entries.entries_len; i++) {
		if (from_wire(&res.entries.entries_val[i], &e) != 0) {
			snprintf(err, errlen, "server sent a bad address "
			    "family");
			rc = -1;
		} else if (elist_push(l, &e) != 0) {
			snprintf(err, errlen, "%s", strerror(ENOMEM));
			rc = -1;
		}
	}
	if (rc == 0 && res.cursor != 0 && res.cursor == *cursor) {
		snprintf(err, errlen, "server returned the same cursor %llu",
		    (unsigned long long)res.cursor);
		rc = -1;
	}
	*cursor = res.cursor;
	clnt_freeres(r->cl, (xdrproc_t)xdr_drac3_list_res, (char *)&res);
	return rc;
}

int
remote_list(struct remote *r, struct elist *l, char *err, size_t errlen)
{
	u_quad_t cursor = 0;
	long pages;

	for (pages = 0; pages < LIST_PAGES_MAX; pages++) {
		if (list_page(r, l, &cursor, err, errlen) != 0)
			return -1;
		if (cursor == 0)
			return 0;
	}
	snprintf(err, errlen, "listing did not end after %d pages",
	    LIST_PAGES_MAX);
	return -1;
}

int
remote_stats(struct remote *r, struct clist *l, char *err, size_t errlen)
{
	drac3_stats_args args;
	drac3_stats_res res;
	drac3_counter *c;
	u_int i;
	int rc;

	memset(&args, 0, sizeof(args));
	memset(&res, 0, sizeof(res));
	if (call(r, DRAC3PROC_STATS, (xdrproc_t)xdr_drac3_stats_args, &args,
	    (xdrproc_t)xdr_drac3_stats_res, &res, err, errlen) != 0)
		return -1;
	rc = status_err(res.status, err, errlen);
	for (i = 0; rc == 0 && i < res.counters.counters_len; i++) {
		c = &res.counters.counters_val[i];
		if (clist_push(l, c->name != NULL ? c->name : "?",
		    c->value) != 0) {
			snprintf(err, errlen, "%s", strerror(ENOMEM));
			rc = -1;
		}
	}
	clnt_freeres(r->cl, (xdrproc_t)xdr_drac3_stats_res, (char *)&res);
	return rc;
}
