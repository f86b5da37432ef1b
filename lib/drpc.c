/*
 * drpc.c: the RPC plumbing of libdrac.  libtirpc's own helpers
 * (clnt_create, rpcb_getaddr) use fixed timeouts of tens of seconds and
 * a blocking connect(); a POP server must not hang on a dead dracd, so
 * this file opens sockets itself and hands libtirpc connected ones.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rpc/rpc.h>
#include <rpc/rpcb_prot.h>

#include "drpc.h"

#define RPCBIND_PORT	111
#define RETRY_MIN_MS	100	/* first UDP retransmission, at least */
#define RETRY_MAX_MS	1000

static struct timeval
ms_to_tv(long long ms)
{
	struct timeval tv;

	tv.tv_sec = (time_t)(ms / 1000);
	tv.tv_usec = (suseconds_t)(ms % 1000) * 1000;
	return tv;
}

void
drpc_setport(const struct sockaddr *sa, socklen_t salen, unsigned int port,
    struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, sa, salen);
	if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)(void *)ss)->sin6_port =
		    htons((uint16_t)port);
	else
		((struct sockaddr_in *)(void *)ss)->sin_port =
		    htons((uint16_t)port);
}

/* Non-blocking connect bounded by the deadline; the socket ends blocking. */
static int
connect_by(int fd, const struct sockaddr *sa, socklen_t salen,
    long long deadline)
{
	struct pollfd pfd;
	long long left;
	socklen_t len;
	int flags, soerr, r;

	if ((flags = fcntl(fd, F_GETFL)) == -1 ||
	    fcntl(fd, F_SETFL, flags | O_NONBLOCK) == -1)
		return -1;
	if (connect(fd, sa, salen) == -1) {
		if (errno != EINPROGRESS)
			return -1;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		for (;;) {
			left = deadline - dracclock_mono_ms();
			if (left <= 0) {
				errno = ETIMEDOUT;
				return -1;
			}
			r = poll(&pfd, 1, (int)left);
			if (r > 0)
				break;
			if (r == -1 && errno != EINTR)
				return -1;
		}
		len = sizeof(soerr);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == -1)
			return -1;
		if (soerr != 0) {
			errno = soerr;
			return -1;
		}
	}
	return fcntl(fd, F_SETFL, flags);
}

/*
 * libtirpc notices an ICMP "port unreachable" on an unconnected UDP
 * socket only for IPv4.  A connected socket fails the next receive with
 * ECONNREFUSED, so for ::1 a dead local server costs no time.  Only
 * there: a server answers from the address its route picks (a call to
 * 127.0.0.2 is answered from 127.0.0.1, a multi-homed host may answer
 * from another address), and a connected socket drops such replies.
 */
static int
udp_connect_local(int fd, const struct sockaddr *sa, socklen_t salen)
{
	const struct sockaddr_in6 *sin6;

	if (sa->sa_family != AF_INET6)
		return 0;
	sin6 = (const struct sockaddr_in6 *)(const void *)sa;
	if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
		return 0;
	return connect(fd, sa, salen);
}

/*
 * libtirpc's authnone_create() tests its singleton outside its lock, so
 * two threads creating their first clients at once each allocate one
 * and one leaks.  Create it once before any client does.
 */
static pthread_once_t	authnone_once = PTHREAD_ONCE_INIT;

static void
authnone_init(void)
{
	(void)authnone_create();
}

CLIENT *
drpc_open(const struct sockaddr *sa, socklen_t salen, rpcprog_t prog,
    rpcvers_t vers, int tcp, long long deadline, char *err, size_t errlen)
{
	struct netbuf nb;
	CLIENT *cl;
	int fd, e;

	pthread_once(&authnone_once, authnone_init);
	fd = socket(sa->sa_family, (tcp ? SOCK_STREAM : SOCK_DGRAM) |
	    SOCK_CLOEXEC, 0);
	if (fd == -1) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return NULL;
	}
	if ((tcp ? connect_by(fd, sa, salen, deadline) :
	    udp_connect_local(fd, sa, salen)) == -1) {
		e = errno;
		close(fd);
		snprintf(err, errlen, "connect: %s", strerror(e));
		return NULL;
	}
	nb.buf = (void *)(uintptr_t)sa;
	nb.len = nb.maxlen = salen;
	cl = tcp ? clnt_vc_create(fd, &nb, prog, vers, 0, 0) :
	    clnt_dg_create(fd, &nb, prog, vers, 0, 0);
	if (cl == NULL) {
		close(fd);
		snprintf(err, errlen, "%s", clnt_sperrno(rpc_createerr.cf_stat));
		return NULL;
	}
	clnt_control(cl, CLSET_FD_CLOSE, NULL);
	return cl;
}

/*
 * A TCP write to a peer that went away raises SIGPIPE, which would kill
 * the POP server calling us: block it in this thread for the call and
 * swallow one that the call itself raised.
 */
static enum clnt_stat
call_nosigpipe(CLIENT *cl, rpcproc_t proc, xdrproc_t xargs, void *args,
    xdrproc_t xres, void *res, struct timeval tv)
{
	static const struct timespec zero;
	sigset_t pipe_set, old, pending;
	enum clnt_stat stat;
	int was_pending;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	stat = clnt_call(cl, proc, xargs, args, xres, res, tv);
	if (!was_pending) {
		sigpending(&pending);
		if (sigismember(&pending, SIGPIPE))
			sigtimedwait(&pipe_set, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return stat;
}

enum clnt_stat
drpc_call(CLIENT *cl, int tcp, rpcproc_t proc, xdrproc_t xargs, void *args,
    xdrproc_t xres, void *res, long long deadline)
{
	struct timeval tv;
	long long left, retry;

	left = deadline - dracclock_mono_ms();
	if (left <= 0)
		return RPC_TIMEDOUT;	/* clnt_call would send and not wait */
	if (tcp)
		return call_nosigpipe(cl, proc, xargs, args, xres, res,
		    ms_to_tv(left));
	retry = left / 4;
	if (retry < RETRY_MIN_MS)
		retry = RETRY_MIN_MS;
	if (retry > RETRY_MAX_MS)
		retry = RETRY_MAX_MS;
	tv = ms_to_tv(retry);
	clnt_control(cl, CLSET_RETRY_TIMEOUT, (char *)&tv);
	return clnt_call(cl, proc, xargs, args, xres, res, ms_to_tv(left));
}

void
drpc_errtext(CLIENT *cl, enum clnt_stat stat, char *buf, size_t size)
{
	struct rpc_err re;
	char ebuf[128];

	memset(&re, 0, sizeof(re));
	if (cl != NULL && stat != RPC_TIMEDOUT)
		clnt_geterr(cl, &re);
	if ((stat == RPC_CANTSEND || stat == RPC_CANTRECV) && re.re_errno != 0)
		snprintf(buf, size, "%s; errno = %s", clnt_sperrno(stat),
		    strerror_r(re.re_errno, ebuf, sizeof(ebuf)));
	else if (stat == RPC_PROGVERSMISMATCH)
		snprintf(buf, size, "%s; low version = %lu, high version = %lu",
		    clnt_sperrno(stat), (unsigned long)re.re_vers.low,
		    (unsigned long)re.re_vers.high);
	else
		snprintf(buf, size, "%s", clnt_sperrno(stat));
}

/* "h1.h2.h3.h4.p1.p2" or "v6text.p1.p2": only the port matters. */
static int
uaddr_port(const char *uaddr, unsigned int *port)
{
	const char *lo, *hi;
	char *end;
	unsigned long p1, p2;

	if ((lo = strrchr(uaddr, '.')) == NULL || lo == uaddr)
		return -1;
	for (hi = lo - 1; hi > uaddr && *hi != '.'; hi--)
		continue;
	if (*hi != '.')
		return -1;
	errno = 0;
	p1 = strtoul(hi + 1, &end, 10);
	if (end != lo || errno != 0 || p1 > 255)
		return -1;
	p2 = strtoul(lo + 1, &end, 10);
	if (*end != '\0' || end == lo + 1 || errno != 0 || p2 > 255)
		return -1;
	*port = (unsigned int)(p1 * 256 + p2);
	return *port != 0 ? 0 : -1;
}

/*
 * rpcbind answers GETADDR for the transport the question came over, so
 * the question goes over the transport we want the answer for.
 */
int
drpc_getport(const struct sockaddr *sa, socklen_t salen, rpcprog_t prog,
    rpcvers_t vers, int tcp, long long deadline, unsigned int *port,
    char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	char netid[8], empty[1] = "", why[160];
	RPCB parms;
	CLIENT *cl;
	char *uaddr = NULL;
	enum clnt_stat stat;
	int r;

	drpc_setport(sa, salen, RPCBIND_PORT, &ss);
	cl = drpc_open((struct sockaddr *)&ss, salen, RPCBPROG, RPCBVERS, tcp,
	    deadline, why, sizeof(why));
	if (cl == NULL) {
		snprintf(err, errlen, "rpcbind: %s", why);
		return -1;
	}
	snprintf(netid, sizeof(netid), "%s%s", tcp ? "tcp" : "udp",
	    sa->sa_family == AF_INET6 ? "6" : "");
	memset(&parms, 0, sizeof(parms));
	parms.r_prog = prog;
	parms.r_vers = vers;
	parms.r_netid = netid;
	parms.r_addr = empty;
	parms.r_owner = empty;
	stat = drpc_call(cl, tcp, RPCBPROC_GETADDR, (xdrproc_t)xdr_rpcb,
	    &parms, (xdrproc_t)xdr_wrapstring, &uaddr, deadline);
	if (stat != RPC_SUCCESS) {
		drpc_errtext(cl, stat, why, sizeof(why));
		snprintf(err, errlen, "rpcbind: %s", why);
		clnt_destroy(cl);
		return -1;
	}
	if (uaddr == NULL || *uaddr == '\0')
		r = 0;
	else if (uaddr_port(uaddr, port) == 0)
		r = 1;
	else {
		snprintf(err, errlen, "rpcbind: bad address \"%.60s\"", uaddr);
		r = -1;
	}
	clnt_freeres(cl, (xdrproc_t)xdr_wrapstring, (caddr_t)&uaddr);
	clnt_destroy(cl);
	return r;
}
