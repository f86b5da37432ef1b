/*
 * serve.c: drac-policyd's service loop: one poll() over the listening
 * socket and every Postfix connection, each with its own input buffer,
 * output buffer and idle deadline.  A request is answered as soon as it
 * is complete; a malformed one gets DUNNO, one without an end within
 * the size limit closes its connection.
 */
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"
#include "mapfile.h"
#include "policyd.h"
#include "pproto.h"

#define OUT_MAX		(4 * PPROTO_ANSWER_MAX)
#define PAUSE_SECONDS	1	/* accept() pause after EMFILE */

struct conn {
	int	fd;
	long long last;			/* monotonic ms it last did something */
	size_t	inlen;
	size_t	outlen;
	char	in[PPROTO_REQUEST_MAX];
	char	out[OUT_MAX];
};

static struct conn *conns[POLICYD_CONN_MAX];
static struct pproto_req req;

static const char *
refusal_action(void)
{
	switch (policyd.refuse) {
	case POLICYD_REFUSE_DEFER:
		return "DEFER";
	case POLICYD_REFUSE_DUNNO:
		return "DUNNO";
	}
	return "REJECT";
}

static void
answer(struct conn *c, const char *action, const char *text)
{
	size_t n;

	n = pproto_answer(c->out + c->outlen, sizeof(c->out) - c->outlen,
	    action, text);
	c->outlen += n;
}

/* The decision for one well-formed request. */
static void
handle(struct conn *c, const struct pproto_req *r)
{
	struct decide_result res;
	struct dracaddr a;
	char q[80];
	const char *rcpt = r->recipient != NULL ? r->recipient : "";
	const char *qid = r->queue_id != NULL ? r->queue_id : "";

	if (r->protocol_state == NULL ||
	    strcmp(r->protocol_state, "RCPT") != 0) {
		answer(c, "DUNNO", NULL);
		return;
	}
	if (r->client_address == NULL || r->sender == NULL) {
		log_warnx("RCPT request without %s: DUNNO",
		    r->sender == NULL ? "sender" : "client_address");
		answer(c, "DUNNO", NULL);
		return;
	}
	if (dracaddr_parse(r->client_address, &a) != 0) {
		mapfile_quote(r->client_address, q, sizeof(q));
		log_warnx("client_address \"%s\" is not an address: DUNNO",
		    q);
		answer(c, "DUNNO", NULL);
		return;
	}
	service_decide(&policyd.svc, service_lookup, &a, r->sender, &res);

	switch (res.verdict) {
	case DECIDE_ALLOW:
		log_info("%s%sallow rcpt=<%.320s>: %s", qid, *qid ? ": " : "",
		    rcpt, res.log);
		answer(c, "OK", NULL);
		break;
	case DECIDE_TEMPFAIL:
		log_warnx("%s%sdefer rcpt=<%.320s>: %s", qid,
		    *qid ? ": " : "", rcpt, res.log);
		answer(c, "451 4.3.0", res.reply);
		break;
	default:
		log_notice("%s%srefuse (%s) rcpt=<%.320s>: %s", qid,
		    *qid ? ": " : "", refusal_action(), rcpt, res.log);
		if (policyd.refuse == POLICYD_REFUSE_DUNNO)
			answer(c, "DUNNO", NULL);
		else
			answer(c, refusal_action(), res.reply);
		break;
	}
}

static void
conn_close(int i)
{
	close(conns[i]->fd);
	free(conns[i]);
	conns[i] = NULL;
}

/*
 * Answers complete requests while the output has room.  Returns 1 when
 * the output is full, 0 when more input is needed, -1 if the connection
 * must be closed.
 */
static int
process(struct conn *c)
{
	char why[256];
	size_t used;
	int r;

	while (c->outlen + PPROTO_ANSWER_MAX <= sizeof(c->out)) {
		r = pproto_parse(c->in, c->inlen, &req, &used, why,
		    sizeof(why));
		if (r == PPROTO_MORE)
			return 0;
		if (r == PPROTO_FATAL) {
			log_warnx("closing a connection: %s", why);
			return -1;
		}
		if (r == PPROTO_BAD) {
			log_warnx("malformed request: %s: DUNNO", why);
			answer(c, "DUNNO", NULL);
		} else
			handle(c, &req);
		memmove(c->in, c->in + used, c->inlen - used);
		c->inlen -= used;
	}
	return 1;
}

static int
conn_write(struct conn *c)
{
	ssize_t n;

	while (c->outlen > 0) {
		n = send(c->fd, c->out, c->outlen, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0)
			return -1;
		memmove(c->out, c->out + n, c->outlen - (size_t)n);
		c->outlen -= (size_t)n;
	}
	return 0;
}

/*
 * Answers and sends until the input holds no complete request or the
 * peer stops taking answers (then POLLOUT resumes).  -1: close.
 */
static int
pump(struct conn *c)
{
	int r;

	while ((r = process(c)) == 1) {
		if (conn_write(c) == -1)
			return -1;
		if (c->outlen > 0)
			return 0;
	}
	if (r == -1)
		return -1;
	return conn_write(c);
}

/* Returns -1 when the peer is gone or broke the protocol. */
static int
conn_read(struct conn *c)
{
	ssize_t n;

	if (c->inlen == sizeof(c->in))	/* pump has judged it already */
		return pump(c);
	n = recv(c->fd, c->in + c->inlen, sizeof(c->in) - c->inlen, 0);
	if (n == -1 && (errno == EINTR || errno == EAGAIN ||
	    errno == EWOULDBLOCK))
		return 0;
	if (n <= 0) {
		/* Answer what came before the close, as far as it goes. */
		pump(c);
		return -1;
	}
	c->inlen += (size_t)n;
	c->last = dracclock_mono_ms();
	return pump(c);
}

/* Returns -1 if accepting should pause (out of descriptors). */
static int
conn_accept(void)
{
	struct conn *c;
	int fd, i;

	fd = accept4(policyd.listen_fd, NULL, NULL,
	    SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd == -1) {
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
		    errno == ENOMEM) {
			log_warn("accept");
			return -1;
		}
		return 0;
	}
	for (i = 0; i < POLICYD_CONN_MAX && conns[i] != NULL; i++)
		;
	if (i == POLICYD_CONN_MAX || (c = malloc(sizeof(*c))) == NULL) {
		log_warnx("too many connections, closing a new one");
		close(fd);
		return 0;
	}
	c->fd = fd;
	c->inlen = 0;
	c->outlen = 0;
	c->last = dracclock_mono_ms();
	conns[i] = c;
	return 0;
}

void
serve_reload(void)
{
	struct maps *m;

	if ((m = service_reload(&policyd.svc)) != NULL) {
		maps_free(policyd.svc.maps);
		policyd.svc.maps = m;
	}
}

static void
close_idle(long long now)
{
	int i;

	for (i = 0; i < POLICYD_CONN_MAX; i++)
		if (conns[i] != NULL &&
		    now - conns[i]->last > POLICYD_IDLE_SECONDS * 1000LL)
			conn_close(i);
}

void
serve_loop(void)
{
	struct pollfd pfd[POLICYD_CONN_MAX + 1];
	int slot[POLICYD_CONN_MAX + 1];
	long long now, paused_until = 0;
	int i, n, nfd;

	while (!policyd.got_term) {
		if (policyd.got_hup) {
			policyd.got_hup = 0;
			serve_reload();
		}
		now = dracclock_mono_ms();
		close_idle(now);
		nfd = 0;
		n = 0;
		for (i = 0; i < POLICYD_CONN_MAX; i++)
			n += conns[i] != NULL;
		if (now >= paused_until && n < POLICYD_CONN_MAX) {
			pfd[nfd].fd = policyd.listen_fd;
			pfd[nfd].events = POLLIN;
			slot[nfd++] = -1;
		}
		for (i = 0; i < POLICYD_CONN_MAX; i++) {
			if (conns[i] == NULL)
				continue;
			pfd[nfd].fd = conns[i]->fd;
			pfd[nfd].events = conns[i]->outlen > 0 ? POLLOUT :
			    POLLIN;
			slot[nfd++] = i;
		}
		n = poll(pfd, (nfds_t)nfd, 1000);
		if (n == -1) {
			if (errno != EINTR)
				fatal("poll");
			continue;
		}
		for (i = 0; i < nfd; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (slot[i] == -1) {
				if (conn_accept() == -1)
					paused_until = dracclock_mono_ms() +
					    PAUSE_SECONDS * 1000LL;
				continue;
			}
			if (pfd[i].revents & POLLOUT) {
				if (conn_write(conns[slot[i]]) == -1 ||
				    (conns[slot[i]]->outlen == 0 &&
				    pump(conns[slot[i]]) == -1))
					conn_close(slot[i]);
			} else if (conn_read(conns[slot[i]]) == -1)
				conn_close(slot[i]);
		}
	}
	for (i = 0; i < POLICYD_CONN_MAX; i++)
		if (conns[i] != NULL)
			conn_close(i);
}
