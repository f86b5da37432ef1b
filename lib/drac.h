/*
 * drac.h: the DRAC client library, libdrac.
 *
 * Two APIs.  The DRAC 1.12 one (dracauth and friends) keeps its exact
 * signatures and return values so existing POP/IMAP server patches relink
 * unchanged.  The drac_ one is reentrant: no static state, errors written
 * into the caller's buffer, a bounded timeout, TTL, user, drop and query,
 * IPv4 and IPv6, several servers.  The library never exits and never
 * writes to stderr or syslog.
 */
#ifndef DRAC_H
#define DRAC_H

#include <stddef.h>
#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- DRAC 1.12 API ------------------------------------------------------
 * Return 0 on success, -1 if no client could be created (server unknown,
 * not registered), -2 if the call failed (timeout, RPC error), else the
 * server's status (1 permission denied, 2 system error).  userip is in
 * network order, as inet_addr() returns it.  *errmsg, when errmsg is not
 * NULL, points to text owned by the library and valid until the calling
 * thread's next call.  The connection kept by dracconn is per thread.
 */
int	dracauth(char *server, unsigned long userip, char **errmsg);
int	dracconn(char *server, char **errmsg);
int	dracsend(unsigned long userip, char **errmsg);
int	dracdisc(char **errmsg);
int	dracauth6(char *server, unsigned char userip6[16], char **errmsg);
int	dracconn6(char *server, char **errmsg);
int	dracsend6(unsigned char userip6[16], char **errmsg);
int	dracdisc6(char **errmsg);

/* ---- reentrant API ------------------------------------------------------ */

/* Results.  Values >= 0 are the server's (they extend DRAC's addstat). */
#define DRAC_OK		0
#define DRAC_PERM	1	/* caller not allowed by the server */
#define DRAC_SYSERR	2	/* server could not store the entry */
#define DRAC_UNKNOWN	3
#define DRAC_BADADDR	4	/* address refused (multicast, ...) */
#define DRAC_NOTFOUND	5	/* drop/query: no such entry */
#define DRAC_BADAUTH	6	/* server refused our MAC */
#define DRAC_BADARG	7	/* server refused a field (user name) */
#define DRAC_ENOCLIENT	(-1)	/* no client: unknown host, not registered */
#define DRAC_ECALL	(-2)	/* call failed: timeout, RPC error */
#define DRAC_EINVAL	(-3)	/* bad argument: address text, user length */
#define DRAC_ENOTSUP	(-4)	/* server speaks only DRAC 1.12 (v1/v2) */

#define DRAC_ERRMAX	256	/* a buffer this size holds any message */

struct drac_options {
	int		 timeout_ms;	/* whole call; 0: 1500 ms */
	const char	*keyfile;	/* shared key for v3 MACs; NULL: none */
	int		 flags;
};
#define DRAC_TCP	0x01	/* use TCP instead of UDP */
#define DRAC_V3ONLY	0x02	/* never fall back to v1/v2 */
#define DRAC_V12ONLY	0x04	/* ADD with v1/v2 only, as DRAC 1.12 did */

/* What QUERY tells about an entry. */
struct drac_info {
	char		addr[46];	/* inet_ntop text */
	long long	expires;	/* epoch seconds */
	long long	added;		/* epoch seconds of the last ADD */
	unsigned int	ttl;		/* seconds granted by the last ADD */
	int		how;		/* DRAC_HOW_* */
	char		user[65];
};
#define DRAC_HOW_MAP	0	/* found in the map file */
#define DRAC_HOW_V1	1
#define DRAC_HOW_V2	2
#define DRAC_HOW_V3	3
#define DRAC_HOW_ADMIN	4

/*
 * A client: one or more servers ("host", "host:port", "[v6addr]:port",
 * comma-separated) and a connection to each, kept between calls.  With
 * a port the server is called directly; without one rpcbind is asked,
 * once, when the client is created.  A client is not shared between
 * threads without a lock; separate clients need none.
 */
struct drac_client;

struct drac_client *drac_client_new(const char *servers,
	    const struct drac_options *, char *err, size_t errlen);
void	drac_client_free(struct drac_client *);

/*
 * Each call goes to every server and returns DRAC_OK only if all of them
 * succeeded; otherwise the first failure's code, with err naming every
 * server that failed ("mx2:5000: call timed out; ...").  addr is text
 * (IPv4, IPv6, "IPv6:" tag accepted); the _sa forms take a sockaddr.
 * ttl 0 asks for the server's default; user may be NULL or "".
 */
int	drac_client_add(struct drac_client *, const char *addr,
	    unsigned int ttl, const char *user, char *err, size_t errlen);
int	drac_client_add_sa(struct drac_client *, const struct sockaddr *,
	    socklen_t, unsigned int ttl, const char *user,
	    char *err, size_t errlen);
int	drac_client_drop(struct drac_client *, const char *addr,
	    char *err, size_t errlen);
int	drac_client_drop_sa(struct drac_client *, const struct sockaddr *,
	    socklen_t, char *err, size_t errlen);
/* Query asks the first server that answers. */
int	drac_client_query(struct drac_client *, const char *addr,
	    struct drac_info *, char *err, size_t errlen);

/* One-shot forms: a client for one call. */
int	drac_add(const char *servers, const char *addr, unsigned int ttl,
	    const char *user, const struct drac_options *,
	    char *err, size_t errlen);
int	drac_drop(const char *servers, const char *addr,
	    const struct drac_options *, char *err, size_t errlen);
int	drac_query(const char *servers, const char *addr, struct drac_info *,
	    const struct drac_options *, char *err, size_t errlen);

/* Static text for a result code. */
const char *drac_strerror(int);

#ifdef __cplusplus
}
#endif

#endif
