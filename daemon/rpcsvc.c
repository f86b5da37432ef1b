/*
 * rpcsvc.c: one ONC RPC call in, one reply out.
 *
 * The daemon decodes calls itself instead of through svc_dg/svc_vc: the
 * XDR stream covers exactly the bytes received, so a short argument is
 * GARBAGE_ARGS instead of the leftovers of an earlier datagram, trailing
 * bytes are refused too, and nothing is allocated per call.  The same
 * function serves UDP, TCP and the fuzzer.
 *
 * Every handler starts from refusal and passes its checks in order:
 * arguments decode, the MAC (v3), the caller is allowed, the values are
 * sane; only then is state touched.
 */
#include <arpa/inet.h>

#include <string.h>

#include <rpc/rpc.h>

#include "drac_prot.h"
#include "dracd.h"
#include "log.h"
#include "rpcsvc.h"

#define CRED_MAX	MAX_AUTH_BYTES

/* What one call produced, for the reply. */
struct reply {
	enum accept_stat stat;
	xdrproc_t	 proc;
	void		*res;
};

union results {
	enum addstat	 add;
	drac3_add_res	 add3;
	drac3_status	 status3;
	drac3_query_res	 query3;
	drac3_list_res	 list3;
	drac3_stats_res	 stats3;
};

/* Per-call scratch space: static because calls never nest. */
static struct {
	char		 user[DRAC3_USER_MAX + 1];
	char		 cred[CRED_MAX], verf[CRED_MAX];
	drac3_entry	 entries[DRAC3_LIST_MAX];
	char		 users[DRAC3_LIST_MAX][DRAC3_USER_MAX + 1];
	drac3_counter	 counters[ST_COUNT + 2];
	union results	 res;
	const char	*in;		/* the record */
	unsigned int	 args;		/* where its arguments start */
} scratch;

/* xdr_void takes no arguments, which xdrproc_t casts warn about. */
static bool_t
xdr_nothing(XDR *x, void *p)
{
	(void)x;
	(void)p;
	return TRUE;
}

static const char *
proc_name(u_long vers, u_long proc)
{
	static const char *const v3[] = {
		"NULL", "ADD", "DROP", "QUERY", "LIST", "STATS"
	};

	if (vers == DRACVERS3 && proc < sizeof(v3) / sizeof(v3[0]))
		return v3[proc];
	return proc == 0 ? "NULL" : "ADD";
}

static int
caller_allowed(struct dracd *d, const struct rpc_caller *c, u_long vers,
    u_long proc)
{
	char text[DRACADDR_TEXT_MAX];

	if (allow_match(&d->allow, &c->addr))
		return 1;
	dracaddr_format(&c->addr, text, sizeof(text));
	log_warnx("untrusted caller %s: v%lu %s refused", text, vers,
	    proc_name(vers, proc));
	d->stats[ST_PERM]++;
	return 0;
}

/* v2's 16 XDR ints: each one a byte, possibly sign-extended. */
static bool_t
decode_ip6(XDR *x, uint8_t out[16])
{
	int i, v;

	for (i = 0; i < 16; i++) {
		if (!xdr_int(x, &v) || v < -128 || v > 255)
			return FALSE;
		out[i] = (uint8_t)v;
	}
	return TRUE;
}

static int
addr_from_v3(const drac3_addr *in, struct dracaddr *a)
{
	uint32_t v4;

	switch (in->family) {
	case DRAC3_INET:
		memcpy(&v4, in->drac3_addr_u.v4, 4);
		dracaddr_from_v4(v4, a);
		return 0;
	case DRAC3_INET6:
		dracaddr_from_v6((const uint8_t *)in->drac3_addr_u.v6, a);
		return 0;
	}
	return -1;
}

static void
addr_to_v3(const struct dracaddr *a, drac3_addr *out)
{
	uint32_t v4;

	if (dracaddr_is_v4(a)) {
		out->family = DRAC3_INET;
		v4 = dracaddr_v4(a);
		memcpy(out->drac3_addr_u.v4, &v4, 4);
	} else {
		out->family = DRAC3_INET6;
		memcpy(out->drac3_addr_u.v6, a->b, 16);
	}
}

static void
log_refused_addr(const struct rpc_caller *c, const struct dracaddr *a,
    u_long vers)
{
	char from[DRACADDR_TEXT_MAX], what[DRACADDR_TEXT_MAX];

	dracaddr_format(&c->addr, from, sizeof(from));
	dracaddr_format(a, what, sizeof(what));
	log_warnx("caller %s: v%lu ADD of %s refused: %s", from, vers, what,
	    dracaddr_unusable(a));
}

static int
count_status(struct dracd *d, int status)
{
	static const int ids[] = {
		[DRAC3_OK] = ST_OK, [DRAC3_PERM] = ST_PERM,
		[DRAC3_SYSERR] = ST_SYSERR, [DRAC3_BADADDR] = ST_BADADDR,
		[DRAC3_NOTFOUND] = ST_NOTFOUND, [DRAC3_BADAUTH] = ST_BADAUTH,
	};

	if (status >= 0 && status < (int)(sizeof(ids) / sizeof(ids[0])) &&
	    (status == DRAC3_OK || ids[status] != 0))
		d->stats[ids[status]]++;
	return status;
}

/* Versions 1 and 2: decode, check, add. */
static void
old_add(struct dracd *d, const struct rpc_caller *c, u_long vers, XDR *x,
    struct reply *r)
{
	struct dracaddr a;
	uint8_t v6[16];
	u_int host;
	long long expires;
	int st;

	d->stats[vers == DRACVERS ? ST_V1_ADD : ST_V2_ADD]++;
	if (vers == DRACVERS) {
		if (!xdr_u_int(x, &host))
			return;
		dracaddr_from_v4(htonl(host), &a);
	} else {
		if (!decode_ip6(x, v6))
			return;
		dracaddr_from_v6(v6, &a);
	}
	if (xdr_getpos(x) != c->len)
		return;
	r->stat = SUCCESS;
	r->proc = (xdrproc_t)xdr_addstat;
	r->res = &scratch.res.add;
	scratch.res.add = ADD_PERM;
	if (d->authn.required) {
		char text[DRACADDR_TEXT_MAX];

		dracaddr_format(&c->addr, text, sizeof(text));
		log_warnx("caller %s: v%lu ADD refused: -A requires signed "
		    "v3 calls", text, vers);
		d->stats[ST_BADAUTH]++;
		return;
	}
	if (!caller_allowed(d, c, vers, DRACPROC_ADD))
		return;
	st = count_status(d, grant_add(d, &a, 0, "",
	    vers == DRACVERS ? DRAC3_HOW_V1 : DRAC3_HOW_V2, &expires));
	if (st == DRAC3_BADADDR)
		log_refused_addr(c, &a, vers);
	scratch.res.add = st == DRAC3_OK ? ADD_SUCCESS :
	    st == DRAC3_SYSERR ? ADD_SYSERR : ADD_UNKOWN;
}

static int
user_ok(const char *user)
{
	const unsigned char *p;

	for (p = (const unsigned char *)user; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

/*
 * The checks every v3 call passes before its handler runs.  Returns
 * DRAC3_OK or the status to reply.
 */
static int
v3_gate(struct dracd *d, const struct rpc_caller *c, u_long proc,
    const drac3_auth *auth)
{
	unsigned int body;
	const char *why;

	/* The body is what follows the auth block: its size is fixed. */
	body = scratch.args + (auth->flavor == DRAC3_AUTH_HMAC ?
	    DRACMAC_BLOCK_LEN : 4);
	why = authn_check(&d->authn, DRACVERS3, proc, auth, scratch.in + body,
	    c->len - body, dracclock_wall_ms() / 1000);
	if (why != NULL) {
		char text[DRACADDR_TEXT_MAX];

		dracaddr_format(&c->addr, text, sizeof(text));
		log_warnx("caller %s: v3 %s refused: %s", text,
		    proc_name(DRACVERS3, proc), why);
		d->stats[ST_BADAUTH]++;
		return DRAC3_BADAUTH;
	}
	if (!caller_allowed(d, c, DRACVERS3, proc))
		return DRAC3_PERM;
	return DRAC3_OK;
}

/* The state file holds what a v3 entry carries of its user. */
_Static_assert(STATE_USER_MAX == DRAC3_USER_MAX, "user name lengths differ");

static void
fill_entry(const struct staterec *r, drac3_entry *out, char *userbuf)
{
	addr_to_v3(&r->addr, &out->addr);
	out->expires = r->expires;
	out->added = r->added;
	out->ttl = r->ttl;
	out->how = (drac3_how)r->how;
	memcpy(userbuf, r->user, sizeof(r->user));
	out->user = userbuf;
}

static void
v3_add(struct dracd *d, const struct rpc_caller *c, XDR *x, struct reply *r)
{
	drac3_add_args args;
	drac3_add_res *res = &scratch.res.add3;
	struct dracaddr a;
	long long expires = 0;

	d->stats[ST_V3_ADD]++;
	memset(&args, 0, sizeof(args));
	args.user = scratch.user;
	if (!xdr_drac3_add_args(x, &args) || xdr_getpos(x) != c->len ||
	    addr_from_v3(&args.addr, &a) != 0)
		return;
	r->stat = SUCCESS;
	r->proc = (xdrproc_t)xdr_drac3_add_res;
	r->res = res;
	res->expires = 0;
	if ((res->status = v3_gate(d, c, DRAC3PROC_ADD, &args.auth)) !=
	    DRAC3_OK)
		return;
	if (!user_ok(args.user)) {
		res->status = DRAC3_BADARG;
		return;
	}
	res->status = count_status(d, grant_add(d, &a, args.ttl, args.user,
	    DRAC3_HOW_V3, &expires));
	res->expires = expires;
	if (res->status == DRAC3_BADADDR)
		log_refused_addr(c, &a, DRACVERS3);
}

static void
v3_addr_call(struct dracd *d, const struct rpc_caller *c, u_long proc,
    XDR *x, struct reply *r)
{
	drac3_addr_args args;
	struct dracaddr a;
	struct staterec found;

	d->stats[proc == DRAC3PROC_DROP ? ST_V3_DROP : ST_V3_QUERY]++;
	memset(&args, 0, sizeof(args));
	if (!xdr_drac3_addr_args(x, &args) || xdr_getpos(x) != c->len ||
	    addr_from_v3(&args.addr, &a) != 0)
		return;
	r->stat = SUCCESS;
	if (proc == DRAC3PROC_DROP) {
		drac3_status *st = &scratch.res.status3;

		r->proc = (xdrproc_t)xdr_drac3_status;
		r->res = st;
		if ((*st = v3_gate(d, c, proc, &args.auth)) == DRAC3_OK)
			*st = count_status(d, dracaddr_unusable(&a) != NULL ?
			    DRAC3_BADADDR : grant_drop(d, &a));
		return;
	}
	drac3_query_res *q = &scratch.res.query3;

	memset(q, 0, sizeof(*q));
	r->proc = (xdrproc_t)xdr_drac3_query_res;
	r->res = q;
	addr_to_v3(&a, &q->entry.addr);
	q->entry.user = scratch.users[0];
	scratch.users[0][0] = '\0';
	if ((q->status = v3_gate(d, c, proc, &args.auth)) != DRAC3_OK)
		return;
	q->status = count_status(d, dracaddr_unusable(&a) != NULL ?
	    DRAC3_BADADDR : grant_query(d, &a, &found));
	if (q->status == DRAC3_OK)
		fill_entry(&found, &q->entry, scratch.users[0]);
}

/*
 * LIST walks the dense entry array; the cursor is the next index + 1.
 * Entries added or removed meanwhile may be missed or seen twice.
 */
static void
v3_list(struct dracd *d, const struct rpc_caller *c, XDR *x, size_t room,
    struct reply *r)
{
	drac3_list_args args;
	drac3_list_res *res = &scratch.res.list3;
	struct staterec st;
	uint64_t i;
	u_int n = 0, max;
	size_t used = 64;

	d->stats[ST_V3_LIST]++;
	memset(&args, 0, sizeof(args));
	if (!xdr_drac3_list_args(x, &args) || xdr_getpos(x) != c->len)
		return;
	r->stat = SUCCESS;
	r->proc = (xdrproc_t)xdr_drac3_list_res;
	r->res = res;
	memset(res, 0, sizeof(*res));
	res->entries.entries_val = scratch.entries;
	if ((res->status = v3_gate(d, c, DRAC3PROC_LIST, &args.auth)) !=
	    DRAC3_OK)
		return;
	max = args.max == 0 || args.max > DRAC3_LIST_MAX ?
	    DRAC3_LIST_MAX : args.max;
	i = args.cursor == 0 ? 0 : args.cursor - 1;
	/* An entry encodes in at most 64 + 4 + DRAC3_USER_MAX bytes. */
	for (; i < d->table.n && n < max &&
	    used + 68 + DRAC3_USER_MAX <= room; i++, n++) {
		grant_info(d, &d->table.v[i], &st);
		fill_entry(&st, &scratch.entries[n], scratch.users[n]);
		used += 48 + 4 + ((strlen(scratch.users[n]) + 3) & ~3U) + 20;
	}
	res->entries.entries_len = n;
	res->cursor = i < d->table.n ? i + 1 : 0;
	res->status = DRAC3_OK;
}

static void
v3_stats(struct dracd *d, const struct rpc_caller *c, XDR *x,
    struct reply *r)
{
	drac3_stats_args args;
	drac3_stats_res *res = &scratch.res.stats3;
	u_int n = 0;
	int i;

	d->stats[ST_V3_STATS]++;
	memset(&args, 0, sizeof(args));
	if (!xdr_drac3_stats_args(x, &args) || xdr_getpos(x) != c->len)
		return;
	r->stat = SUCCESS;
	r->proc = (xdrproc_t)xdr_drac3_stats_res;
	r->res = res;
	memset(res, 0, sizeof(*res));
	res->counters.counters_val = scratch.counters;
	if ((res->status = v3_gate(d, c, DRAC3PROC_STATS, &args.auth)) !=
	    DRAC3_OK)
		return;
	for (i = 0; i < ST_COUNT; i++) {
		scratch.counters[n].name = (char *)grant_stat_name(i);
		scratch.counters[n++].value = d->stats[i];
	}
	scratch.counters[n].name = "live";
	scratch.counters[n++].value = d->table.n;
	scratch.counters[n].name = "start_time";
	scratch.counters[n++].value = (uint64_t)d->started;
	res->counters.counters_len = n;
}

static size_t
encode_reply(const struct rpc_msg *call, const struct reply *r,
    const struct rpc_msg *denied, char *out, size_t outsize)
{
	struct rpc_msg reply;
	XDR x;
	size_t len;

	if (denied != NULL)
		reply = *denied;
	else {
		memset(&reply, 0, sizeof(reply));
		reply.rm_direction = REPLY;
		reply.rm_reply.rp_stat = MSG_ACCEPTED;
		reply.acpted_rply.ar_verf = _null_auth;
		reply.acpted_rply.ar_stat = r->stat;
		if (r->stat == SUCCESS) {
			reply.acpted_rply.ar_results.where = r->res;
			reply.acpted_rply.ar_results.proc = r->proc;
		} else if (r->stat == PROG_MISMATCH) {
			reply.acpted_rply.ar_vers.low = DRACVERS;
			reply.acpted_rply.ar_vers.high = DRACVERS3;
		} else {
			reply.acpted_rply.ar_results.where = NULL;
			reply.acpted_rply.ar_results.proc =
			    (xdrproc_t)xdr_nothing;
		}
	}
	reply.rm_xid = call->rm_xid;
	xdrmem_create(&x, out, (u_int)outsize, XDR_ENCODE);
	if (!xdr_replymsg(&x, &reply)) {
		log_warnx("reply does not fit in %zu bytes", outsize);
		len = 0;
	} else
		len = xdr_getpos(&x);
	xdr_destroy(&x);
	return len;
}

/* A CALL whose RPC version is not 2; *xid is set for the reply. */
static int
rpc_version_mismatch(const char *in, unsigned int len, uint32_t *xid)
{
	uint32_t w[3];

	if (len < sizeof(w))
		return 0;
	memcpy(w, in, sizeof(w));
	*xid = ntohl(w[0]);
	return ntohl(w[1]) == CALL && ntohl(w[2]) != RPC_MSG_VERSION;
}

size_t
rpcsvc_handle(struct dracd *d, const struct rpc_caller *c, const char *in,
    char *out, size_t outsize)
{
	struct rpc_msg call, denied;
	struct reply r = { GARBAGE_ARGS, NULL, NULL };
	u_long vers, proc;
	XDR x;
	size_t len = 0;

	memset(&call, 0, sizeof(call));
	call.rm_call.cb_cred.oa_base = scratch.cred;
	call.rm_call.cb_verf.oa_base = scratch.verf;
	memset(&denied, 0, sizeof(denied));
	denied.rm_direction = REPLY;
	denied.rm_reply.rp_stat = MSG_DENIED;
	xdrmem_create(&x, (char *)(uintptr_t)in, (u_int)c->len, XDR_DECODE);
	if (!xdr_callmsg(&x, &call) || call.rm_direction != CALL) {
		d->stats[ST_MALFORMED]++;
		xdr_destroy(&x);
		/* xdr_callmsg refuses other RPC versions: answer those. */
		if (rpc_version_mismatch(in, c->len, &call.rm_xid)) {
			denied.rjcted_rply.rj_stat = RPC_MISMATCH;
			denied.rjcted_rply.rj_vers.low = RPC_MSG_VERSION;
			denied.rjcted_rply.rj_vers.high = RPC_MSG_VERSION;
			return encode_reply(&call, &r, &denied, out, outsize);
		}
		return 0;	/* no sane header: nobody to answer */
	}
	scratch.in = in;
	scratch.args = xdr_getpos(&x);
	if (call.rm_call.cb_cred.oa_flavor != AUTH_NONE &&
	    call.rm_call.cb_cred.oa_flavor != AUTH_SYS) {
		denied.rjcted_rply.rj_stat = AUTH_ERROR;
		denied.rjcted_rply.rj_why = AUTH_REJECTEDCRED;
		goto deny;
	}
	vers = call.rm_call.cb_vers;
	proc = call.rm_call.cb_proc;
	if (call.rm_call.cb_prog != DRACPROG)
		r.stat = PROG_UNAVAIL;
	else if (vers < DRACVERS || vers > DRACVERS3)
		r.stat = PROG_MISMATCH;
	else if (proc == NULLPROC) {
		d->stats[ST_NULL]++;
		if (xdr_getpos(&x) == c->len) {
			r.stat = SUCCESS;
			r.proc = (xdrproc_t)xdr_nothing;
		}
	} else if (vers != DRACVERS3 && proc == DRACPROC_ADD)
		old_add(d, c, vers, &x, &r);
	else if (vers == DRACVERS3 && proc == DRAC3PROC_ADD)
		v3_add(d, c, &x, &r);
	else if (vers == DRACVERS3 &&
	    (proc == DRAC3PROC_DROP || proc == DRAC3PROC_QUERY))
		v3_addr_call(d, c, proc, &x, &r);
	else if (vers == DRACVERS3 && proc == DRAC3PROC_LIST)
		v3_list(d, c, &x, outsize, &r);
	else if (vers == DRACVERS3 && proc == DRAC3PROC_STATS)
		v3_stats(d, c, &x, &r);
	else
		r.stat = PROC_UNAVAIL;
	if (r.stat == GARBAGE_ARGS) {
		char text[DRACADDR_TEXT_MAX];

		d->stats[ST_MALFORMED]++;
		dracaddr_format(&c->addr, text, sizeof(text));
		log_warnx("caller %s: malformed v%lu %s arguments (%u bytes)",
		    text, vers, proc_name(vers, proc), c->len);
	}
	len = encode_reply(&call, &r, NULL, out, outsize);
	xdr_destroy(&x);
	return len;
deny:
	len = encode_reply(&call, &r, &denied, out, outsize);
	xdr_destroy(&x);
	return len;
}
