/*
 * compat.c: the DRAC 1.12 API over the reentrant one.  Same signatures,
 * same return values, same messages; the static handle and message of
 * the original become per-thread, and a dead server costs at most the
 * default timeout instead of the RPC library's 25 s.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "drac.h"
#include "dclient.h"

/* What one thread keeps between calls. */
struct compat_state {
	struct drac_client *conn4;	/* dracconn */
	struct drac_client *conn6;	/* dracconn6 */
	int		 multi4, multi6;	/* ... to a list of servers */
	char		 msg[DRAC_ERRMAX];
};

static pthread_key_t	state_key;
static pthread_once_t	state_once = PTHREAD_ONCE_INIT;
static int		state_ok;

static void
state_free(void *p)
{
	struct compat_state *st = p;

	drac_client_free(st->conn4);
	drac_client_free(st->conn6);
	free(st);
}

static void
state_init(void)
{
	state_ok = pthread_key_create(&state_key, state_free) == 0;
}

/* A plugin that dlclose()s us must not leave our destructor behind. */
__attribute__((destructor)) static void
state_fini(void)
{
	if (state_ok)
		pthread_key_delete(state_key);
	state_ok = 0;
}

static struct compat_state *
state_get(void)
{
	struct compat_state *st;

	pthread_once(&state_once, state_init);
	if (!state_ok)
		return NULL;
	if ((st = pthread_getspecific(state_key)) != NULL)
		return st;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	if (pthread_setspecific(state_key, st) != 0) {
		free(st);
		return NULL;
	}
	return st;
}

static int
no_state(char **errmsg)
{
	if (errmsg != NULL)
		*errmsg = (char *)(uintptr_t)"out of memory";
	return -1;
}

/* DRAC 1.12's codes: its callers know 0..3 and the two negatives. */
static int
old_code(int rc)
{
	switch (rc) {
	case DRAC_OK:
	case DRAC_PERM:
	case DRAC_SYSERR:
	case DRAC_UNKNOWN:
	case DRAC_ECALL:
		return rc;
	case DRAC_BADAUTH:
		return DRAC_PERM;
	case DRAC_ENOCLIENT:
	case DRAC_EINVAL:
	case DRAC_ENOTSUP:
		return -1;
	}
	return DRAC_UNKNOWN;
}

static int
is_list(const char *server)
{
	return server != NULL && strchr(server, ',') != NULL;
}

/*
 * A server's answer reads as DRAC 1.12 put it, unless it came from a
 * list of servers: then the text names the servers that failed.
 */
static int
finish(struct compat_state *st, int rc, int multi, char **errmsg)
{
	static const char *const said[] = {
		[DRAC_OK] = "Server reports add succeeded",
		[DRAC_PERM] = "Server reports permission denied",
		[DRAC_SYSERR] = "Server reports system error",
		[DRAC_UNKNOWN] = "Server reports unknown error",
		[DRAC_BADADDR] = "Server reports address refused",
		[DRAC_NOTFOUND] = "Server reports no such entry",
		[DRAC_BADAUTH] = "Server reports authentication failed",
		[DRAC_BADARG] = "Server reports bad argument",
	};

	if (rc >= 0 && (size_t)rc < sizeof(said) / sizeof(said[0]) &&
	    (rc == DRAC_OK || !multi))
		strcpy(st->msg, said[rc]);
	if (errmsg != NULL)
		*errmsg = st->msg;
	return old_code(rc);
}

static int
auth_once(char *server, const struct dracaddr *a, char **errmsg)
{
	struct compat_state *st;
	struct drac_client *c;
	int rc;

	if ((st = state_get()) == NULL)
		return no_state(errmsg);
	c = dclient_make(server, NULL, 0, st->msg, sizeof(st->msg));
	if (c == NULL)
		return finish(st, DRAC_ENOCLIENT, 0, errmsg);
	rc = dclient_add(c, a, 0, NULL, st->msg, sizeof(st->msg));
	drac_client_free(c);
	return finish(st, rc, is_list(server), errmsg);
}

int
dracauth(char *server, unsigned long userip, char **errmsg)
{
	struct dracaddr a;

	dracaddr_from_v4((uint32_t)userip, &a);
	return auth_once(server, &a, errmsg);
}

int
dracauth6(char *server, unsigned char userip6[16], char **errmsg)
{
	struct dracaddr a;

	dracaddr_from_v6(userip6, &a);
	return auth_once(server, &a, errmsg);
}

static int
conn(int six, char *server, char **errmsg)
{
	struct compat_state *st;
	struct drac_client **slot;

	if ((st = state_get()) == NULL)
		return no_state(errmsg);
	slot = six ? &st->conn6 : &st->conn4;
	*(six ? &st->multi6 : &st->multi4) = is_list(server);
	drac_client_free(*slot);
	*slot = drac_client_new(server, NULL, st->msg, sizeof(st->msg));
	if (*slot == NULL)
		return finish(st, DRAC_ENOCLIENT, 0, errmsg);
	strcpy(st->msg, "Client connected");
	if (errmsg != NULL)
		*errmsg = st->msg;
	return 0;
}

static int
send_one(int six, const struct dracaddr *a, char **errmsg)
{
	struct compat_state *st;
	struct drac_client *c;

	if ((st = state_get()) == NULL)
		return no_state(errmsg);
	c = six ? st->conn6 : st->conn4;
	if (c == NULL) {
		strcpy(st->msg, six ? "Not connected: call dracconn6 first" :
		    "Not connected: call dracconn first");
		if (errmsg != NULL)
			*errmsg = st->msg;
		return -1;
	}
	return finish(st, dclient_add(c, a, 0, NULL, st->msg,
	    sizeof(st->msg)), six ? st->multi6 : st->multi4, errmsg);
}

static int
disc(int six, char **errmsg)
{
	struct compat_state *st;

	if ((st = state_get()) == NULL)
		return no_state(errmsg);
	if (six) {
		drac_client_free(st->conn6);
		st->conn6 = NULL;
	} else {
		drac_client_free(st->conn4);
		st->conn4 = NULL;
	}
	strcpy(st->msg, "Client disconnected");
	if (errmsg != NULL)
		*errmsg = st->msg;
	return 0;
}

int
dracconn(char *server, char **errmsg)
{
	return conn(0, server, errmsg);
}

int
dracconn6(char *server, char **errmsg)
{
	return conn(1, server, errmsg);
}

int
dracsend(unsigned long userip, char **errmsg)
{
	struct dracaddr a;

	dracaddr_from_v4((uint32_t)userip, &a);
	return send_one(0, &a, errmsg);
}

int
dracsend6(unsigned char userip6[16], char **errmsg)
{
	struct dracaddr a;

	dracaddr_from_v6(userip6, &a);
	return send_one(1, &a, errmsg);
}

int
dracdisc(char **errmsg)
{
	return disc(0, errmsg);
}

int
dracdisc6(char **errmsg)
{
	return disc(1, errmsg);
}
