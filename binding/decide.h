/*
 * decide.h: the sender-binding decision, shared by drac-policyd and
 * drac-milter.  Pure: the live authorization comes through a lookup
 * function (rpc.dracd's v3 QUERY in the programs, a table in the tests)
 * and the clock is passed in.
 *
 * Order: an access-map "relay" range allows any sender; a "user" range
 * allows its users' senders; otherwise the login recorded for the
 * client address must be live and its user must own the sender.
 */
#ifndef DRAC_DECIDE_H
#define DRAC_DECIDE_H

#include <stddef.h>

#include "accessmap.h"
#include "addr.h"
#include "binding.h"
#include "usermap.h"

#define DECIDE_ALLOW	0
#define DECIDE_REFUSE	1
#define DECIDE_TEMPFAIL	2	/* rpc.dracd could not be asked */

/* What a login without a user name (a DRAC 1.12 client) is worth. */
#define DECIDE_EMPTY_REFUSE	0	/* nothing: the sender cannot be bound */
#define DECIDE_EMPTY_PLAIN	1	/* any sender, as plain POP-before-SMTP */

#define DECIDE_FOUND	0
#define DECIDE_NOTFOUND	1
#define DECIDE_ERROR	2

struct decide_login {
	char		user[BINDING_USER_MAX + 1];
	long long	expires;	/* epoch seconds */
};

/* Fills login and returns DECIDE_FOUND, or NOTFOUND, or ERROR with err. */
typedef int	(*decide_lookup_fn)(void *arg, const struct dracaddr *,
		    struct decide_login *login, char *err, size_t errlen);

struct decide_ctx {
	const struct usermap	*users;
	const struct accessmap	*access;
	int			 empty_user;	/* DECIDE_EMPTY_* */
	decide_lookup_fn	 lookup;
	void			*lookup_arg;
	long long		 now;		/* epoch seconds */
};

struct decide_result {
	int	verdict;			/* DECIDE_ALLOW ... */
	char	reply[BINDING_WHY_MAX];		/* for the SMTP client */
	char	log[2 * BINDING_WHY_MAX];	/* for the log: names users */
};

/*
 * sender is the envelope sender as the MTA gives it (brackets optional,
 * "" or "<>" for the null sender).  The reply text never names a login:
 * behind a NAT it would tell one user who else logged in.
 */
void	decide_relay(const struct decide_ctx *, const struct dracaddr *client,
	    const char *sender, struct decide_result *);

const char *decide_verdict_name(int);

#endif
