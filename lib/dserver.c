/*
 * dserver.c: talk to one server.  Finds it (rpcbind once, or the port
 * given), speaks version 3, and falls back to DRAC 1.12's versions 1
 * and 2 for ADD when the server does not know version 3, remembering
 * that until the server is looked up again.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "drac_prot.h"
#include "dproto.h"
#include "drpc.h"
#include "dserver.h"

#define OPEN_ATTEMPTS	4	/* a call (re)opens at most this often */

void
dserver_init(struct dserver *s, const struct dlist_server *spec, int flags)
{
	memset(s, 0, sizeof(*s));
	s->spec = *spec;
	s->tcp = (flags & DRAC_TCP) != 0;
	s->v3only = (flags & DRAC_V3ONLY) != 0;
	s->v12only = (flags & DRAC_V12ONLY) != 0;
	s->old = s->v12only;
}

void
dserver_close(struct dserver *s)
{
	if (s->cl != NULL)
		clnt_destroy(s->cl);
	s->cl = NULL;
}

void
dserver_free(struct dserver *s)
{
	dserver_close(s);
	if (s->ai != NULL)
		freeaddrinfo(s->ai);
	s->ai = NULL;
	s->cur = NULL;
}

static int
resolve(struct dserver *s, char *err, size_t errlen)
{
	struct addrinfo hints;
	int r;

	if (s->ai != NULL)
		return 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = s->tcp ? SOCK_STREAM : SOCK_DGRAM;
	r = getaddrinfo(s->spec.host, NULL, &hints, &s->ai);
	if (r != 0) {
		snprintf(err, errlen, "cannot resolve host: %s",
		    r == EAI_SYSTEM ? strerror(errno) : gai_strerror(r));
		s->ai = NULL;
		return -1;
	}
	s->cur = s->ai;
	return 0;
}

/*
 * Which version the server at ai registered: 3, else 2, else 1 (a DRAC
 * 1.12 server).  Returns the version with *port, 0 if none is, -1 if
 * rpcbind could not be asked.
 */
static int
lookup(struct dserver *s, const struct addrinfo *ai, long long deadline,
    unsigned int *port, char *err, size_t errlen)
{
	rpcvers_t v;
	int r;

	for (v = s->v12only ? DRACVERS6 : DRACVERS3; v >= DRACVERS; v--) {
		r = drpc_getport(ai->ai_addr, ai->ai_addrlen, DRACPROG, v,
		    s->tcp, deadline, port, err, errlen);
		if (r != 0)
			return r < 0 ? -1 : (int)v;
	}
	snprintf(err, errlen, "%s", clnt_sperrno(RPC_PROGNOTREGISTERED));
	return 0;
}

/* Open a client to the first address of the host that works. */
int
dserver_open(struct dserver *s, long long deadline, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct addrinfo *ai;
	unsigned int port;
	int v;

	if (s->cl != NULL)
		return DRAC_OK;
	if (resolve(s, err, errlen) != 0)
		return DRAC_ENOCLIENT;
	for (ai = s->cur; ai != NULL; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		v = s->v12only ? DRACVERS : DRACVERS3;
		port = s->spec.port;
		if (port == 0) {
			if ((v = lookup(s, ai, deadline, &port, err,
			    errlen)) <= 0)
				continue;
			s->old = s->v12only || v < DRACVERS3;
			s->nov2 = v < DRACVERS6;
		}
		drpc_setport(ai->ai_addr, ai->ai_addrlen, port, &ss);
		s->cl = drpc_open((struct sockaddr *)&ss, ai->ai_addrlen,
		    DRACPROG, (rpcvers_t)v, s->tcp, deadline, err, errlen);
		if (s->cl != NULL) {
			s->cur = ai;
			s->clvers = (rpcvers_t)v;
			return DRAC_OK;
		}
	}
	s->cur = s->ai;		/* start over next time */
	return DRAC_ENOCLIENT;
}

/* The version this request needs, or a DRAC_* error with err. */
static int
pick_version(struct dserver *s, const struct dserver_req *req,
    rpcvers_t *v, char *err, size_t errlen)
{
	const char *why;

	if (!s->old) {
		*v = DRACVERS3;
		return DRAC_OK;
	}
	if (s->v12only && req->op != DSERVER_ADD) {
		snprintf(err, errlen, "drop and query need version 3, "
		    "not DRAC 1.12's versions 1 and 2");
		return DRAC_ENOTSUP;
	}
	if (s->v3only || req->op != DSERVER_ADD) {
		snprintf(err, errlen, "%s", drac_strerror(DRAC_ENOTSUP));
		return DRAC_ENOTSUP;
	}
	/* DRAC 1.12 would store these; a version 3 server refuses them. */
	if ((why = dracaddr_unusable(&req->addr)) != NULL) {
		snprintf(err, errlen, "%s (not sent)", why);
		return DRAC_BADADDR;
	}
	if (dracaddr_is_v4(&req->addr)) {
		*v = DRACVERS;
		return DRAC_OK;
	}
	if (s->nov2) {
		snprintf(err, errlen, "server speaks only DRAC 1.12 "
		    "without IPv6 (version 1)");
		return DRAC_ENOTSUP;
	}
	*v = DRACVERS6;
	return DRAC_OK;
}

static enum clnt_stat
call_v3(struct dserver *s, struct dserver_req *req, long long deadline,
    int *status)
{
	drac3_add_args add;
	drac3_addr_args aa;
	drac3_add_res ares;
	drac3_query_res qres;
	drac3_status st;
	enum clnt_stat stat;

	switch (req->op) {
	case DSERVER_ADD:
		memset(&add, 0, sizeof(add));
		memset(&ares, 0, sizeof(ares));
		dproto_addr(&req->addr, &add.addr);
		add.ttl = req->ttl;
		add.user = (char *)(uintptr_t)req->user;
		dproto_auth(&add.auth, s->key, DRAC3PROC_ADD,
		    (xdrproc_t)xdr_drac3_add_args, &add);
		stat = drpc_call(s->cl, s->tcp, DRAC3PROC_ADD,
		    (xdrproc_t)xdr_drac3_add_args, &add,
		    (xdrproc_t)xdr_drac3_add_res, &ares, deadline);
		*status = ares.status;
		req->expires = ares.expires;
		return stat;
	case DSERVER_DROP:
		memset(&aa, 0, sizeof(aa));
		st = DRAC3_UNKNOWN;
		dproto_addr(&req->addr, &aa.addr);
		dproto_auth(&aa.auth, s->key, DRAC3PROC_DROP,
		    (xdrproc_t)xdr_drac3_addr_args, &aa);
		stat = drpc_call(s->cl, s->tcp, DRAC3PROC_DROP,
		    (xdrproc_t)xdr_drac3_addr_args, &aa,
		    (xdrproc_t)xdr_drac3_status, &st, deadline);
		*status = st;
		return stat;
	case DSERVER_QUERY:
		memset(&aa, 0, sizeof(aa));
		memset(&qres, 0, sizeof(qres));
		dproto_addr(&req->addr, &aa.addr);
		dproto_auth(&aa.auth, s->key, DRAC3PROC_QUERY,
		    (xdrproc_t)xdr_drac3_addr_args, &aa);
		stat = drpc_call(s->cl, s->tcp, DRAC3PROC_QUERY,
		    (xdrproc_t)xdr_drac3_addr_args, &aa,
		    (xdrproc_t)xdr_drac3_query_res, &qres, deadline);
		if (stat != RPC_SUCCESS)
			return stat;
		*status = qres.status;
		if (qres.status == DRAC3_OK && req->info != NULL)
			dproto_info(&qres.entry, req->info);
		clnt_freeres(s->cl, (xdrproc_t)xdr_drac3_query_res,
		    (caddr_t)&qres);
		return stat;
	}
	return RPC_CANTENCODEARGS;
}

/* DRAC 1.12: version 1 takes the IPv4 address in host order. */
static enum clnt_stat
call_old(struct dserver *s, struct dserver_req *req, long long deadline,
    int *status)
{
	addstat st = ADD_UNKOWN;
	enum clnt_stat stat;
	u_int ip;

	if (s->clvers == DRACVERS) {
		ip = ntohl(dracaddr_v4(&req->addr));
		stat = drpc_call(s->cl, s->tcp, DRACPROC_ADD,
		    (xdrproc_t)xdr_u_int, &ip, (xdrproc_t)xdr_addstat, &st,
		    deadline);
	} else
		stat = drpc_call(s->cl, s->tcp, DRACPROC_ADD6,
		    (xdrproc_t)xdr_drac_ip6, req->addr.b,
		    (xdrproc_t)xdr_addstat, &st, deadline);
	*status = st;
	return stat;
}

/* A server's answer other than success, as text. */
static int
server_says(int status, char *err, size_t errlen)
{
	int rc = dproto_status(status);

	snprintf(err, errlen, "server reports %s", drac_strerror(rc));
	return rc;
}

/*
 * After PROG_MISMATCH: the server lacks the version we used.  Returns 1
 * if another version is worth a try.
 */
static int
mismatch(struct dserver *s, rpcvers_t used)
{
	struct rpc_err re;

	clnt_geterr(s->cl, &re);
	if (used == DRACVERS3) {
		s->old = 1;
		s->nov2 = re.re_vers.high < DRACVERS6;
		return 1;
	}
	if (used == DRACVERS6) {
		s->nov2 = 1;
		return 1;
	}
	return 0;
}

/*
 * Transport errors worth another try: a kept connection gone stale (the
 * daemon restarted: TCP reset, UDP port now closed) or, on a fresh one,
 * an address of the host where nothing listens.  Not a timeout: that
 * would spend the time of the servers after this one.
 */
static int
transport_error(enum clnt_stat stat)
{
	return stat == RPC_CANTSEND || stat == RPC_CANTRECV;
}

static int
refused(CLIENT *cl)
{
	struct rpc_err re;

	clnt_geterr(cl, &re);
	return re.re_errno == ECONNREFUSED || re.re_errno == ENETUNREACH ||
	    re.re_errno == EHOSTUNREACH || re.re_errno == EADDRNOTAVAIL;
}

int
dserver_call(struct dserver *s, struct dserver_req *req, long long deadline,
    char *err, size_t errlen)
{
	enum clnt_stat stat;
	rpcvers_t v;
	int i, rc, status, fresh;

	for (i = 0; i < OPEN_ATTEMPTS; i++) {
		fresh = s->cl == NULL;
		if ((rc = dserver_open(s, deadline, err, errlen)) != DRAC_OK)
			return rc;
		if ((rc = pick_version(s, req, &v, err, errlen)) != DRAC_OK)
			return rc;
		if (s->clvers != v) {
			clnt_control(s->cl, CLSET_VERS, (char *)&v);
			s->clvers = v;
		}
		status = DRAC3_UNKNOWN;
		stat = v == DRACVERS3 ? call_v3(s, req, deadline, &status) :
		    call_old(s, req, deadline, &status);
		if (stat == RPC_SUCCESS)
			return status == DRAC3_OK ? DRAC_OK :
			    server_says(status, err, errlen);
		if (stat == RPC_PROGVERSMISMATCH && mismatch(s, v))
			continue;
		drpc_errtext(s->cl, stat, err, errlen);
		if (transport_error(stat) && dracclock_mono_ms() < deadline) {
			if (!fresh) {
				/* Look it up and connect again. */
				dserver_close(s);
				continue;
			}
			if (refused(s->cl) && s->cur->ai_next != NULL) {
				s->cur = s->cur->ai_next;
				dserver_close(s);
				continue;
			}
		}
		dserver_close(s);
		s->cur = s->ai;
		return DRAC_ECALL;
	}
	return DRAC_ECALL;
}
