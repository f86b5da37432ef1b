/*
 * binding.h: the contract shared by drac-policyd, drac-milter and their
 * tests: default files, limits of the user map and the access map, and
 * how a loader reports a bad line.
 *
 * Sender binding ("slightly safer POP-before-SMTP"): a client may relay
 * only mail whose envelope sender belongs to the user who logged in from
 * its address, as rpc.dracd remembers it, unless the access map says
 * otherwise.  See drac-users(5).
 */
#ifndef DRAC_BINDING_H
#define DRAC_BINDING_H

#include <stddef.h>

#define BINDING_USERS_PATH	"/etc/mail/drac-users"
#define BINDING_ACCESS_PATH	"/etc/mail/drac-access"

#define BINDING_LINE_MAX	4096	/* bytes of one map line */
#define BINDING_FILE_MAX	(64L * 1024 * 1024)	/* bytes of one map */
#define BINDING_USER_MAX	64	/* = DRAC3_USER_MAX */
#define BINDING_LOCAL_MAX	64	/* RFC 5321 4.5.3.1.1 */
#define BINDING_DOMAIN_MAX	255	/* RFC 5321 4.5.3.1.2 */
#define BINDING_ADDR_MAX	(BINDING_LOCAL_MAX + 1 + BINDING_DOMAIN_MAX)
#define BINDING_WHY_MAX		512	/* a reason, with the value quoted */

/*
 * A loader calls this once per bad line with "FILE:LINE: reason"; the
 * line parsers themselves only return the reason.
 */
typedef void	(*binding_report_fn)(void *arg, const char *msg);

#endif
