/*
 * net.c: sockets and connections.
 *
 * Streams are non-blocking and bounded: a record larger than
 * RPC_RECORD_MAX closes the connection before anything is allocated for
 * it, a connection that has not finished a request within NET_IDLE_MS is
 * closed, and when NET_CONN_MAX are open the one closest to its deadline
 * makes room for the newcomer.  None of this can stall UDP service.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rpc/rpc.h>
#include <rpc/rpcb_clnt.h>

#include "drac_prot.h"
#include "dracd.h"
#include "log.h"
#include "net.h"
#include "socketmap.h"

#define UDP_BURST	64	/* datagrams per wake-up per socket */
#define ACCEPT_BURST	16	/* connections per wake-up per listener */
#define RPCBIND_SOCK	"/var/run/rpcbind.sock"	/* libtirpc's */
#define RPCBIND_CHECK_MS 2000
#define EMFILE_PAUSE_MS	1000

static int
set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static struct listener *
add_listener(struct net *n, int fd, enum sock_kind kind, int family)
{
	struct listener *l;

	if (n->nl == NET_LISTEN_MAX) {
		close(fd);
		return NULL;
	}
	l = &n->l[n->nl++];
	memset(l, 0, sizeof(*l));
	l->fd = fd;
	l->kind = kind;
	l->family = family;
	return l;
}

static int
bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return -1;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* Binds one inet socket; -1 with err, or -2 if the family is missing. */
static int
inet_socket(int family, int type, const void *addr, int port, char *err,
    size_t errlen)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int fd, on = 1;

	if ((fd = socket(family, type | SOCK_CLOEXEC, 0)) < 0) {
		if (errno == EAFNOSUPPORT)
			return -2;
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ss, 0, sizeof(ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		if (addr != NULL)
			memcpy(&sin->sin_addr, addr, 4);
		len = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		if (addr != NULL)
			memcpy(&sin6->sin6_addr, addr, 16);
		len = sizeof(*sin6);
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
		    sizeof(on));
	}
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (type == SOCK_DGRAM)
		(void)setsockopt(fd, family == AF_INET ? IPPROTO_IP :
		    IPPROTO_IPV6, family == AF_INET ? IP_PKTINFO :
		    IPV6_RECVPKTINFO, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) != 0) {
		if (family == AF_INET6 && errno == EADDRNOTAVAIL) {
			close(fd);
			return -2;	/* IPv6 disabled on this host */
		}
		snprintf(err, errlen, "bind %s port %d: %s",
		    family == AF_INET ? "IPv4" : "IPv6", port,
		    strerror(errno));
		close(fd);
		return -1;
	}
	if ((type == SOCK_STREAM && listen(fd, 64) != 0) ||
	    set_nonblock(fd) != 0) {
		snprintf(err, errlen, "listen: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
open_pair(struct net *n, int family, const void *addr, int port, char *err,
    size_t errlen)
{
	static const int types[] = { SOCK_DGRAM, SOCK_STREAM };
	struct listener *l;
	size_t t;
	int fd;

	for (t = 0; t < 2; t++) {
		fd = inet_socket(family, types[t], addr, port, err, errlen);
		if (fd == -2 && addr == NULL)
			return 0;	/* no IPv6 here: serve IPv4 */
		if (fd == -2)
			snprintf(err, errlen, "IPv6 unavailable");
		if (fd < 0)
			return -1;
		l = add_listener(n, fd, types[t] == SOCK_DGRAM ? SK_UDP :
		    SK_RPC_LISTEN, family);
		if (l == NULL) {
			snprintf(err, errlen, "too many sockets");
			return -1;
		}
		l->port = bound_port(fd);
	}
	return 0;
}

int
net_open_rpc(struct net *n, const struct dracaddr *addrs, int naddrs,
    int port, char *err, size_t errlen)
{
	uint32_t v4;
	int i;

	if (naddrs == 0)
		return open_pair(n, AF_INET, NULL, port, err, errlen) != 0 ||
		    open_pair(n, AF_INET6, NULL, port, err, errlen) != 0 ?
		    -1 : 0;
	for (i = 0; i < naddrs; i++) {
		if (dracaddr_is_v4(&addrs[i])) {
			v4 = dracaddr_v4(&addrs[i]);
			if (open_pair(n, AF_INET, &v4, port, err, errlen) != 0)
				return -1;
		} else if (open_pair(n, AF_INET6, addrs[i].b, port, err,
		    errlen) != 0)
			return -1;
	}
	return 0;
}

/* "/path" (unix), "127.0.0.1:PORT" or "[::1]:PORT". */
int
net_open_socketmap(struct net *n, const char *where, char *err,
    size_t errlen)
{
	struct sockaddr_un sun;
	struct dracaddr a;
	struct listener *l;
	char host[DRACADDR_TEXT_MAX + 2], *colon, *end;
	long port;
	int fd;
	mode_t old;

	if (where[0] == '/') {
		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(where) >= sizeof(sun.sun_path)) {
			snprintf(err, errlen, "-S %s: path too long", where);
			return -1;
		}
		strcpy(sun.sun_path, where);
		if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
			snprintf(err, errlen, "socket: %s", strerror(errno));
			return -1;
		}
		(void)unlink(where);
		/* MTAs run as their own users: anyone local may look up. */
		old = umask(0111);
		if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
		    listen(fd, 64) != 0 || set_nonblock(fd) != 0) {
			umask(old);
			snprintf(err, errlen, "-S %s: %s", where,
			    strerror(errno));
			close(fd);
			return -1;
		}
		umask(old);
		if ((l = add_listener(n, fd, SK_SMAP_LISTEN, AF_UNIX)) == NULL)
			return -1;
		snprintf(l->path, sizeof(l->path), "%s", where);
		return 0;
	}
	if ((colon = strrchr(where, ':')) == NULL ||
	    (size_t)(colon - where) >= sizeof(host)) {
		snprintf(err, errlen, "-S %s: want /path, ADDR:PORT or "
		    "[ADDR]:PORT", where);
		return -1;
	}
	memcpy(host, where, (size_t)(colon - where));
	host[colon - where] = '\0';
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (errno != 0 || *end != '\0' || port < 1 || port > 65535 ||
	    dracaddr_parse(host, &a) != 0) {
		snprintf(err, errlen, "-S %s: bad address or port", where);
		return -1;
	}
	if (dracaddr_is_v4(&a)) {
		uint32_t v4 = dracaddr_v4(&a);

		fd = inet_socket(AF_INET, SOCK_STREAM, &v4, (int)port, err,
		    errlen);
	} else
		fd = inet_socket(AF_INET6, SOCK_STREAM, a.b, (int)port, err,
		    errlen);
	if (fd < 0) {
		if (fd == -2)
			snprintf(err, errlen, "-S %s: IPv6 unavailable", where);
		return -1;
	}
	return add_listener(n, fd, SK_SMAP_LISTEN,
	    dracaddr_is_v4(&a) ? AF_INET : AF_INET6) == NULL ? -1 : 0;
}

static const char *
netid(const struct listener *l)
{
	if (l->kind == SK_UDP)
		return l->family == AF_INET ? "udp" : "udp6";
	return l->family == AF_INET ? "tcp" : "tcp6";
}

/* Registers every RPC socket and version with rpcbind, if one runs. */
int
net_register(struct net *n)
{
	struct sockaddr_storage ss;
	struct netconfig *nc;
	struct netbuf nb;
	struct stat st;
	socklen_t len;
	rpcvers_t v;
	int i, ok = 0, failed = 0;

	for (v = DRACVERS; v <= DRACVERS3; v++)
		(void)rpcb_unset(DRACPROG, v, NULL);
	for (i = 0; i < n->nl; i++) {
		const struct listener *l = &n->l[i];

		if (l->kind == SK_SMAP_LISTEN)
			continue;
		len = sizeof(ss);
		if (getsockname(l->fd, (struct sockaddr *)&ss, &len) != 0 ||
		    (nc = getnetconfigent(netid(l))) == NULL) {
			failed++;
			continue;
		}
		nb.buf = &ss;
		nb.len = nb.maxlen = len;
		for (v = DRACVERS; v <= DRACVERS3; v++) {
			if (rpcb_set(DRACPROG, v, nc, &nb))
				ok++;
			else
				failed++;
		}
		freenetconfigent(nc);
	}
	/* Say it once, not at every retry. */
	if (ok == 0 && n->reg_warned)
		failed = 0;
	n->reg_warned = ok == 0;
	n->registered = ok > 0;
	if (stat(RPCBIND_SOCK, &st) == 0) {
		n->rpcbind_ino = (unsigned long)st.st_ino;
		n->rpcbind_ctime = (long long)st.st_ctime;
	} else
		n->rpcbind_ino = 0;
	if (failed > 0 && ok == 0)
		log_warnx("not registered with rpcbind (is it running?): "
		    "clients must name the port");
	else if (failed > 0)
		log_warnx("rpcbind refused %d of %d registrations", failed,
		    failed + ok);
	return ok > 0 ? 0 : -1;
}

void
net_watch_rpcbind(struct net *n, long long now)
{
	struct stat st;

	if (now - n->rpcbind_checked < RPCBIND_CHECK_MS)
		return;
	n->rpcbind_checked = now;
	if (stat(RPCBIND_SOCK, &st) != 0) {
		if (n->registered)
			log_warnx("rpcbind went away: will register again "
			    "when it is back");
		n->registered = 0;
		n->rpcbind_ino = 0;
		return;
	}
	if (n->registered && (unsigned long)st.st_ino == n->rpcbind_ino &&
	    (long long)st.st_ctime == n->rpcbind_ctime)
		return;
	if (net_register(n) == 0)
		log_info("registered with rpcbind again");
}

void
net_unregister(struct net *n)
{
	rpcvers_t v;

	if (!n->registered)
		return;
	for (v = DRACVERS; v <= DRACVERS3; v++)
		(void)rpcb_unset(DRACPROG, v, NULL);
	n->registered = 0;
}

static void
conn_close(struct net *n, int i)
{
	close(n->c[i]->fd);
	free(n->c[i]);
	n->c[i] = NULL;
}

/* A free slot, making one by closing the connection nearest its end. */
static int
conn_slot(struct net *n)
{
	int i, victim = -1;

	for (i = 0; i < NET_CONN_MAX; i++) {
		if (n->c[i] == NULL)
			return i;
		if (victim < 0 || n->c[i]->deadline < n->c[victim]->deadline)
			victim = i;
	}
	log_warnx("%d connections open: closing the oldest idle one",
	    NET_CONN_MAX);
	conn_close(n, victim);
	return victim;
}

/* Returns 0 when there was nothing (more) to accept. */
static int
accept_one(struct net *n, struct dracd *d, struct listener *l, long long now)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	struct conn *c;
	int fd, i;

	fd = accept4(l->fd, (struct sockaddr *)&ss, &len,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0) {
		if (errno == EMFILE || errno == ENFILE) {
			log_warn("accept");
			l->paused_until = now + EMFILE_PAUSE_MS;
		}
		return 0;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warnx("out of memory for a connection");
		close(fd);
		return 0;
	}
	c->fd = fd;
	c->smap = l->kind == SK_SMAP_LISTEN;
	if (l->family == AF_UNIX)
		dracaddr_parse("127.0.0.1", &c->peer);
	else
		(void)dracaddr_from_sockaddr((struct sockaddr *)&ss, len,
		    &c->peer);
	c->idle_ms = n->idle_ms;
	c->deadline = now + c->idle_ms;
	if (c->smap && l->family != AF_UNIX &&
	    !allow_match(&d->allow, &c->peer)) {
		char text[DRACADDR_TEXT_MAX];

		dracaddr_format(&c->peer, text, sizeof(text));
		log_warnx("untrusted caller %s: socketmap connection refused",
		    text);
		d->stats[ST_PERM]++;
		close(fd);
		free(c);
		return 1;
	}
	i = conn_slot(n);
	n->c[i] = c;
	return 1;
}

static void
accept_burst(struct net *n, struct dracd *d, struct listener *l,
    long long now)
{
	int i;

	for (i = 0; i < ACCEPT_BURST && accept_one(n, d, l, now); i++)
		;
}

/*
 * Replies leave from the address the call was sent to: on a host with
 * several addresses a client on a connected socket, or a firewall,
 * would drop a reply from any other.  The kernel tells it (pktinfo) and
 * sendmsg takes it back.
 */
union pktinfo_buf {
	char		buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	struct cmsghdr	align;
};

static void
udp_reply(int fd, const char *out, size_t len, struct msghdr *in_msg)
{
	union pktinfo_buf ctl;
	struct cmsghdr *c, *oc;
	struct msghdr m;
	struct iovec iov;

	memset(&m, 0, sizeof(m));
	iov.iov_base = (void *)(uintptr_t)out;
	iov.iov_len = len;
	m.msg_name = in_msg->msg_name;
	m.msg_namelen = in_msg->msg_namelen;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	for (c = CMSG_FIRSTHDR(in_msg); c != NULL; c = CMSG_NXTHDR(in_msg, c)) {
		if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) ||
		    (c->cmsg_level == IPPROTO_IPV6 &&
		    c->cmsg_type == IPV6_PKTINFO)) {
			memset(&ctl, 0, sizeof(ctl));
			m.msg_control = ctl.buf;
			m.msg_controllen = CMSG_SPACE(c->cmsg_len - CMSG_LEN(0));
			oc = CMSG_FIRSTHDR(&m);
			memcpy(oc, c, c->cmsg_len);
			if (c->cmsg_level == IPPROTO_IP) {
				struct in_pktinfo *pi = (void *)CMSG_DATA(oc);

				/* Answer from the address that was called. */
				pi->ipi_spec_dst = pi->ipi_addr;
				pi->ipi_ifindex = 0;
			}
			break;
		}
	}
	(void)sendmsg(fd, &m, 0);
}

static void
udp_input(struct dracd *d, struct listener *l)
{
	static char in[RPC_RECORD_MAX + 1], out[RPC_REPLY_MAX];
	union pktinfo_buf ctl;
	struct sockaddr_storage ss;
	struct rpc_caller caller;
	struct msghdr m;
	struct iovec iov;
	ssize_t got;
	size_t outlen;
	int i;

	for (i = 0; i < UDP_BURST; i++) {
		memset(&m, 0, sizeof(m));
		iov.iov_base = in;
		iov.iov_len = sizeof(in);
		m.msg_name = &ss;
		m.msg_namelen = sizeof(ss);
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		m.msg_control = ctl.buf;
		m.msg_controllen = sizeof(ctl.buf);
		got = recvmsg(l->fd, &m, 0);
		if (got < 0)
			return;
		if ((m.msg_flags & MSG_TRUNC) || got > RPC_RECORD_MAX ||
		    dracaddr_from_sockaddr((struct sockaddr *)&ss,
		    m.msg_namelen, &caller.addr) != 0) {
			d->stats[ST_MALFORMED]++;
			continue;
		}
		caller.len = (unsigned int)got;
		outlen = rpcsvc_handle(d, &caller, in, out, sizeof(out));
		if (outlen > 0)
			udp_reply(l->fd, out, outlen, &m);
	}
}

/* Queues bytes for the peer; -1 if it stopped reading long ago. */
static int
conn_queue(struct conn *c, const char *buf, size_t len)
{
	ssize_t w;

	if (c->outlen == c->outoff) {
		c->outlen = c->outoff = 0;
		w = write(c->fd, buf, len);
		if (w == (ssize_t)len)
			return 0;
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return -1;
		if (w < 0)
			w = 0;
		buf += w;
		len -= (size_t)w;
	}
	if (len > sizeof(c->out) - c->outlen)
		return -1;
	memcpy(c->out + c->outlen, buf, len);
	c->outlen += (unsigned int)len;
	return 0;
}

static int
conn_flush(struct conn *c)
{
	ssize_t w;

	while (c->outoff < c->outlen) {
		w = write(c->fd, c->out + c->outoff, c->outlen - c->outoff);
		if (w < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		c->outoff += (unsigned int)w;
	}
	c->outlen = c->outoff = 0;
	return 0;
}

static int
rpc_record(struct dracd *d, struct conn *c, long long now)
{
	static char out[RPC_REPLY_MAX + 4];
	struct rpc_caller caller;
	size_t len;
	uint32_t mark;

	caller.addr = c->peer;
	caller.len = c->inlen;
	len = rpcsvc_handle(d, &caller, c->in, out + 4, sizeof(out) - 4);
	c->inlen = 0;
	c->deadline = now + c->idle_ms;
	if (len == 0)
		return 0;
	mark = htonl(0x80000000U | (uint32_t)len);
	memcpy(out, &mark, 4);
	return conn_queue(c, out, len + 4);
}

/* Feeds received bytes through RPC record marking; -1 closes. */
static int
rpc_stream(struct dracd *d, struct conn *c, const unsigned char *p,
    size_t n, long long now)
{
	uint32_t v;
	size_t take;

	while (n > 0) {
		if (c->hdrlen < 4) {
			c->hdr[c->hdrlen++] = *p++;
			n--;
			if (c->hdrlen < 4)
				continue;
			memcpy(&v, c->hdr, 4);
			v = ntohl(v);
			c->fraglast = (v & 0x80000000U) != 0;
			c->fragleft = v & 0x7fffffffU;
			/* Refuse oversized records before reading them. */
			if (c->fragleft > RPC_RECORD_MAX - c->inlen) {
				d->stats[ST_MALFORMED]++;
				return -1;
			}
		}
		take = n < c->fragleft ? n : c->fragleft;
		memcpy(c->in + c->inlen, p, take);
		c->inlen += (unsigned int)take;
		c->fragleft -= (unsigned int)take;
		p += take;
		n -= take;
		if (c->fragleft > 0)
			continue;
		c->hdrlen = 0;
		if (c->fraglast && rpc_record(d, c, now) != 0)
			return -1;
	}
	return 0;
}

static int
smap_stream(struct dracd *d, struct conn *c, const unsigned char *p,
    size_t n, long long now)
{
	char out[SMAP_REPLY_MAX];
	size_t used, outlen;
	int rc;

	if (n > sizeof(c->in) - c->inlen)
		return -1;
	memcpy(c->in + c->inlen, p, n);
	c->inlen += (unsigned int)n;
	while (c->inlen > 0) {
		rc = socketmap_request(d, c->in, c->inlen, &used, out,
		    sizeof(out), &outlen);
		if (rc == 0)
			return 0;	/* incomplete */
		if (outlen > 0 && conn_queue(c, out, outlen) != 0)
			return -1;
		if (rc < 0)
			return -1;
		memmove(c->in, c->in + used, c->inlen - used);
		c->inlen -= (unsigned int)used;
		c->deadline = now + c->idle_ms;
	}
	return 0;
}

/* Returns -1 when the connection is to be closed. */
static int
conn_input(struct dracd *d, struct conn *c, long long now)
{
	unsigned char buf[4096];
	ssize_t got;

	got = read(c->fd, buf, sizeof(buf));
	if (got == 0)
		return -1;
	if (got < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	if (c->smap)
		return smap_stream(d, c, buf, (size_t)got, now);
	return rpc_stream(d, c, buf, (size_t)got, now);
}

void
net_prepare(struct net *n, long long now, int *timeout_ms)
{
	struct pollfd *p;
	long long wait;
	int i;

	n->npfd = 0;
	for (i = 0; i < n->nl; i++) {
		if (n->l[i].paused_until > now) {
			wait = n->l[i].paused_until - now;
			if (*timeout_ms < 0 || wait < *timeout_ms)
				*timeout_ms = (int)wait;
			continue;
		}
		p = &n->pfd[n->npfd];
		p->fd = n->l[i].fd;
		p->events = POLLIN;
		n->pfdowner[n->npfd++] = i;
	}
	for (i = 0; i < NET_CONN_MAX; i++) {
		struct conn *c = n->c[i];

		if (c == NULL)
			continue;
		p = &n->pfd[n->npfd];
		p->fd = c->fd;
		/* While replies wait, read nothing more from this peer. */
		p->events = c->outoff < c->outlen ? POLLOUT : POLLIN;
		n->pfdowner[n->npfd++] = -1 - i;
		wait = c->deadline > now ? c->deadline - now : 0;
		if (*timeout_ms < 0 || wait < *timeout_ms)
			*timeout_ms = (int)wait;
	}
}

void
net_events(struct net *n, struct dracd *d, long long now)
{
	struct conn *c;
	int i, j, close_it;

	for (j = 0; j < n->npfd; j++) {
		struct pollfd *p = &n->pfd[j];

		if (n->pfdowner[j] >= 0) {
			struct listener *l = &n->l[n->pfdowner[j]];

			if ((p->revents & POLLIN) == 0)
				continue;
			if (l->kind == SK_UDP)
				udp_input(d, l);
			else
				accept_burst(n, d, l, now);
			continue;
		}
		i = -1 - n->pfdowner[j];
		if ((c = n->c[i]) == NULL || c->fd != p->fd)
			continue;
		close_it = 0;
		if (p->revents & POLLOUT)
			close_it = conn_flush(c) != 0;
		else if (p->revents & (POLLIN | POLLHUP | POLLERR))
			close_it = conn_input(d, c, now) != 0;
		if (close_it)
			conn_close(n, i);
	}
	/* Reap connections past their deadline. */
	for (i = 0; i < NET_CONN_MAX; i++)
		if (n->c[i] != NULL && n->c[i]->deadline <= now)
			conn_close(n, i);
}

void
net_close(struct net *n)
{
	int i;

	for (i = 0; i < NET_CONN_MAX; i++)
		if (n->c[i] != NULL)
			conn_close(n, i);
	for (i = 0; i < n->nl; i++) {
		close(n->l[i].fd);
		if (n->l[i].path[0] != '\0')
			(void)unlink(n->l[i].path);
	}
	n->nl = 0;
}
