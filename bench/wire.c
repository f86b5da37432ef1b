/*
 * wire.c: the load generator's side of the protocol.
 *
 * Two system calls per call: one send, one receive that blocks with
 * SO_RCVTIMEO as the timeout (no poll), so that the client costs as
 * little CPU as possible next to a daemon pinned to the same CPU.
 * Streams are read through a buffer: a whole reply usually arrives in
 * one read.
 */
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wire.h"

#define WIRE_NAME_MAX	32	/* counter names, drac.x */
#define STALE_MAX	64	/* old replies skipped before giving up */

static uint8_t	inbuf[2 * WIRE_MAX];	/* stream bytes not yet used */
static size_t	inlen;
static int	rcvtimeo = -1;		/* ms set on the socket */

void
xput_u32(struct xbuf *x, uint32_t v)
{
	if (x->n + 4 > sizeof(x->b))
		return;
	x->b[x->n++] = (uint8_t)(v >> 24);
	x->b[x->n++] = (uint8_t)(v >> 16);
	x->b[x->n++] = (uint8_t)(v >> 8);
	x->b[x->n++] = (uint8_t)v;
}

void
xput_u64(struct xbuf *x, uint64_t v)
{
	xput_u32(x, (uint32_t)(v >> 32));
	xput_u32(x, (uint32_t)v);
}

void
xput_bytes(struct xbuf *x, const void *p, size_t len)
{
	size_t padded = (len + 3) & ~(size_t)3;

	if (x->n + padded > sizeof(x->b))
		return;
	memcpy(x->b + x->n, p, len);
	memset(x->b + x->n + len, 0, padded - len);
	x->n += padded;
}

void
xput_string(struct xbuf *x, const char *s)
{
	size_t len = strlen(s);

	xput_u32(x, (uint32_t)len);
	xput_bytes(x, s, len);
}

int
xget_u32(struct xbuf *x, uint32_t *v)
{
	const uint8_t *p = x->b + x->off;

	if (x->off + 4 > x->n)
		return -1;
	*v = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	x->off += 4;
	return 0;
}

int
xget_u64(struct xbuf *x, uint64_t *v)
{
	uint32_t hi, lo;

	if (xget_u32(x, &hi) != 0 || xget_u32(x, &lo) != 0)
		return -1;
	*v = (uint64_t)hi << 32 | lo;
	return 0;
}

int
xget_string(struct xbuf *x, char *out, size_t size)
{
	uint32_t len;

	if (xget_u32(x, &len) != 0 || len >= size ||
	    x->off + ((len + 3) & ~3U) > x->n)
		return -1;
	memcpy(out, x->b + x->off, len);
	out[len] = '\0';
	x->off += (len + 3) & ~3U;
	return 0;
}

void
wire_call(struct xbuf *x, uint32_t xid, uint32_t vers, uint32_t proc)
{
	x->n = 0;
	x->off = 0;
	xput_u32(x, xid);
	xput_u32(x, 0);		/* CALL */
	xput_u32(x, 2);		/* RPC version */
	xput_u32(x, DRAC_PROG);
	xput_u32(x, vers);
	xput_u32(x, proc);
	xput_u32(x, 0);		/* credentials: AUTH_NONE, empty */
	xput_u32(x, 0);
	xput_u32(x, 0);		/* verifier: AUTH_NONE, empty */
	xput_u32(x, 0);
}

int
wire_open(struct wire *w, enum wire_kind kind, const char *host, int port,
    const char *path, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	struct sockaddr_un *sun = (struct sockaddr_un *)&ss;
	socklen_t len;
	int on = 1;

	memset(&ss, 0, sizeof(ss));
	if (kind == WIRE_UNIX) {
		sun->sun_family = AF_UNIX;
		if (strlen(path) >= sizeof(sun->sun_path)) {
			snprintf(err, errlen, "%s: path too long", path);
			return -1;
		}
		strcpy(sun->sun_path, path);
		len = sizeof(*sun);
	} else if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		len = sizeof(*sin6);
	} else {
		snprintf(err, errlen, "%s: not a numeric address", host);
		return -1;
	}
	w->kind = kind;
	w->fd = socket(ss.ss_family, (kind == WIRE_UDP ? SOCK_DGRAM :
	    SOCK_STREAM) | SOCK_CLOEXEC, 0);
	if (w->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (kind == WIRE_TCP)
		(void)setsockopt(w->fd, IPPROTO_TCP, TCP_NODELAY, &on,
		    sizeof(on));
	if (connect(w->fd, (struct sockaddr *)&ss, len) != 0) {
		snprintf(err, errlen, "connect %s: %s", kind == WIRE_UNIX ?
		    path : host, strerror(errno));
		close(w->fd);
		w->fd = -1;
		return -1;
	}
	inlen = 0;
	rcvtimeo = -1;
	return 0;
}

void
wire_close(struct wire *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	inlen = 0;
}

static void
set_timeout(struct wire *w, int ms)
{
	struct timeval tv;

	if (ms == rcvtimeo)
		return;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	(void)setsockopt(w->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	rcvtimeo = ms;
}

static int
io_error(struct wire *w, const char *what, char *err, size_t errlen)
{
	if (errno == EAGAIN || errno == EWOULDBLOCK)
		snprintf(err, errlen, "%s: timed out", what);
	else if (errno == 0)
		snprintf(err, errlen, "%s: connection closed", what);
	else
		snprintf(err, errlen, "%s: %s", what, strerror(errno));
	if (w->kind != WIRE_UDP)
		wire_close(w);
	return -1;
}

/* Until inbuf holds at least need bytes. */
static int
fill(struct wire *w, size_t need)
{
	ssize_t got;

	while (inlen < need) {
		got = recv(w->fd, inbuf + inlen, sizeof(inbuf) - inlen, 0);
		if (got == 0)
			errno = 0;
		if (got <= 0) {
			if (got < 0 && errno == EINTR)
				continue;
			return -1;
		}
		inlen += (size_t)got;
	}
	return 0;
}

static void
consume(size_t n)
{
	memmove(inbuf, inbuf + n, inlen - n);
	inlen -= n;
}

/* One record (all its fragments) into w->reply. */
static int
read_record(struct wire *w, char *err, size_t errlen)
{
	uint32_t mark, len;
	int last = 0;

	w->reply.n = 0;
	while (!last) {
		if (fill(w, 4) != 0)
			return io_error(w, "read", err, errlen);
		mark = (uint32_t)inbuf[0] << 24 | (uint32_t)inbuf[1] << 16 |
		    (uint32_t)inbuf[2] << 8 | inbuf[3];
		last = (mark & 0x80000000U) != 0;
		len = mark & 0x7fffffffU;
		if (len > sizeof(w->reply.b) - w->reply.n) {
			errno = EMSGSIZE;
			return io_error(w, "read", err, errlen);
		}
		if (fill(w, 4 + (size_t)len) != 0)
			return io_error(w, "read", err, errlen);
		memcpy(w->reply.b + w->reply.n, inbuf + 4, len);
		w->reply.n += len;
		consume(4 + (size_t)len);
	}
	return 0;
}

/* Reads the reply to xid; 1 if it was an older call's. */
static int
receive(struct wire *w, char *err, size_t errlen)
{
	ssize_t got;
	uint32_t xid;

	if (w->kind == WIRE_UDP) {
		got = recv(w->fd, w->reply.b, sizeof(w->reply.b), 0);
		if (got < 0)
			return io_error(w, "recv", err, errlen);
		w->reply.n = (size_t)got;
	} else if (read_record(w, err, errlen) != 0)
		return -1;
	w->reply.off = 0;
	if (xget_u32(&w->reply, &xid) != 0 || xid != w->xid)
		return 1;
	return 0;
}

/* Checks the reply header; leaves the reader at the results. */
static int
accepted(struct xbuf *r, char *err, size_t errlen)
{
	uint32_t mtype, rstat, flavor, vlen, astat;

	if (xget_u32(r, &mtype) != 0 || mtype != 1 ||
	    xget_u32(r, &rstat) != 0) {
		snprintf(err, errlen, "reply: not an RPC reply");
		return -1;
	}
	if (rstat != 0) {
		snprintf(err, errlen, "reply: call denied");
		return -1;
	}
	if (xget_u32(r, &flavor) != 0 || xget_u32(r, &vlen) != 0 ||
	    vlen > 400 || r->off + ((vlen + 3) & ~3U) > r->n) {
		snprintf(err, errlen, "reply: bad verifier");
		return -1;
	}
	r->off += (vlen + 3) & ~3U;
	if (xget_u32(r, &astat) != 0 || astat != 0) {
		snprintf(err, errlen, "reply: accept status %u", astat);
		return -1;
	}
	return 0;
}

int
wire_rpc(struct wire *w, const struct xbuf *x, int timeout_ms, char *err,
    size_t errlen)
{
	uint8_t rec[WIRE_MAX + 4];
	const void *out = x->b;
	size_t outlen = x->n;
	int stale, rc;

	if (w->fd < 0) {
		snprintf(err, errlen, "not connected");
		return -1;
	}
	set_timeout(w, timeout_ms);
	if (w->kind != WIRE_UDP) {
		uint32_t mark = htonl(0x80000000U | (uint32_t)x->n);

		memcpy(rec, &mark, 4);
		memcpy(rec + 4, x->b, x->n);
		out = rec;
		outlen = x->n + 4;
	}
	if (send(w->fd, out, outlen, MSG_NOSIGNAL) != (ssize_t)outlen)
		return io_error(w, "send", err, errlen);
	for (stale = 0; stale < STALE_MAX; stale++) {
		if ((rc = receive(w, err, errlen)) < 0)
			return -1;
		if (rc == 0)
			return accepted(&w->reply, err, errlen);
	}
	snprintf(err, errlen, "no reply with xid %u", w->xid);
	return -1;
}

int
wire_smap(struct wire *w, const char *request, int timeout_ms, char *out,
    size_t outlen, char *err, size_t errlen)
{
	char req[600];
	size_t i, len = 0;
	int n;

	n = snprintf(req, sizeof(req), "%zu:%s,", strlen(request), request);
	if (n < 0 || (size_t)n >= sizeof(req)) {
		snprintf(err, errlen, "request too long");
		return -1;
	}
	set_timeout(w, timeout_ms);
	if (send(w->fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		return io_error(w, "send", err, errlen);
	/* "LEN:" then LEN bytes and a comma. */
	for (i = 0;; i++) {
		if (fill(w, i + 1) != 0)
			return io_error(w, "read", err, errlen);
		if (inbuf[i] == ':')
			break;
		if (inbuf[i] < '0' || inbuf[i] > '9' || i > 5) {
			snprintf(err, errlen, "reply: not a netstring");
			return -1;
		}
		len = len * 10 + (size_t)(inbuf[i] - '0');
	}
	if (len >= outlen) {
		snprintf(err, errlen, "reply: %zu bytes, too long", len);
		return -1;
	}
	if (fill(w, i + 1 + len + 1) != 0)
		return io_error(w, "read", err, errlen);
	memcpy(out, inbuf + i + 1, len);
	out[len] = '\0';
	consume(i + 1 + len + 1);
	return 0;
}

/*
 * One STATS call.  With want == NULL every counter is printed; else
 * *value gets that counter.  0, or -1 with err.
 */
int
wire_stats(struct wire *w, const char *want, unsigned long long *value,
    char *err, size_t errlen)
{
	struct xbuf x;
	char name[WIRE_NAME_MAX + 1];
	uint32_t st = 0, n, i;
	uint64_t v;
	int found = 0;

	w->xid++;
	wire_call(&x, w->xid, 3, 5);
	xput_u32(&x, 0);		/* auth: none */
	if (wire_rpc(w, &x, 1000, err, errlen) != 0)
		return -1;
	if (xget_u32(&w->reply, &st) != 0 || st != 0 ||
	    xget_u32(&w->reply, &n) != 0) {
		snprintf(err, errlen, "STATS refused or short (status %u)", st);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (xget_string(&w->reply, name, sizeof(name)) != 0 ||
		    xget_u64(&w->reply, &v) != 0) {
			snprintf(err, errlen, "STATS reply cut at counter %u",
			    i);
			return -1;
		}
		if (want == NULL)
			printf("%s=%llu\n", name, (unsigned long long)v);
		else if (strcmp(name, want) == 0) {
			*value = v;
			found = 1;
		}
	}
	if (want != NULL && !found) {
		snprintf(err, errlen, "no counter named %s", want);
		return -1;
	}
	return 0;
}
