/*
 * wire.h: DRAC calls built byte by byte (RFC 5531, RFC 4506, rpc/drac.x)
 * and one call at a time over UDP, TCP (record marking) or, for
 * socketmap lookups, a stream of netstrings.  Nothing from libtirpc: the
 * load generator must cost the same whatever the daemon's RPC code does.
 */
#ifndef BENCH_WIRE_H
#define BENCH_WIRE_H

#include <stddef.h>
#include <stdint.h>

#define DRAC_PROG	900101
#define WIRE_MAX	9000		/* a call or reply record */

/* An XDR buffer being written, or read from p[0 .. n). */
struct xbuf {
	uint8_t		 b[WIRE_MAX];
	size_t		 n;
	size_t		 off;		/* read position */
};

void	xput_u32(struct xbuf *, uint32_t);
void	xput_u64(struct xbuf *, uint64_t);
void	xput_bytes(struct xbuf *, const void *, size_t);	/* padded */
void	xput_string(struct xbuf *, const char *);
int	xget_u32(struct xbuf *, uint32_t *);
int	xget_u64(struct xbuf *, uint64_t *);
int	xget_string(struct xbuf *, char *, size_t);

/* A call header with AUTH_NONE credentials; arguments follow. */
void	wire_call(struct xbuf *, uint32_t xid, uint32_t vers, uint32_t proc);

enum wire_kind { WIRE_UDP, WIRE_TCP, WIRE_UNIX };

struct wire {
	int		 fd;
	enum wire_kind	 kind;
	uint32_t	 xid;
	struct xbuf	 reply;
};

/* host is a numeric address; path a unix socket (WIRE_UNIX). */
int	wire_open(struct wire *, enum wire_kind, const char *host, int port,
	    const char *path, char *err, size_t errlen);
void	wire_close(struct wire *);

/*
 * Sends the call in x (whose xid is w->xid) and reads the reply to it
 * into w->reply, positioned at the results of an accepted, successful
 * call.  0, or -1 with err (timeout, error, rejected); a stream is
 * closed on error, and reopened by the caller.
 */
int	wire_rpc(struct wire *, const struct xbuf *x, int timeout_ms,
	    char *err, size_t errlen);

/* One socketmap request "name key"; the reply's text into out. */
int	wire_smap(struct wire *, const char *request, int timeout_ms,
	    char *out, size_t outlen, char *err, size_t errlen);

/*
 * One v3 STATS call.  With want == NULL every counter is printed as
 * "name=value" on standard output; else *value gets that counter.
 */
int	wire_stats(struct wire *, const char *want, unsigned long long *value,
	    char *err, size_t errlen);

#endif
