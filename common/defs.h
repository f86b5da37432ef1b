/*
 * defs.h: the contract between rpc.dracd, libdrac, the tools and the tests.
 * Paths, tunables and the map's key and value encodings live here and
 * nowhere else.
 */
#ifndef DRAC_DEFS_H
#define DRAC_DEFS_H

/*
 * Default files; the sendmail map name is DRAC_DB_PATH without ".db".
 * A packager may set others with -D; every program then agrees.
 */
#ifndef DRAC_DB_PATH
#define DRAC_DB_PATH		"/etc/mail/dracd.db"
#endif
#ifndef DRAC_ALLOW_PATH
#define DRAC_ALLOW_PATH		"/etc/mail/dracd.allow"
#endif
#ifndef DRAC_PID_PATH
#define DRAC_PID_PATH		"/run/rpc.dracd.pid"
#endif

/*
 * Side file next to the map: DB path + this suffix.  It holds what the
 * map's value cannot (user, TTL, when and how added), so that the map
 * itself stays exactly as DRAC 1.12 wrote it (common/statefile.h).
 */
#define DRAC_STATE_SUFFIX	".state"
/* Its successor while rpc.dracd compacts it: state path + this suffix. */
#define DRAC_NEW_SUFFIX		".new"
/* The journal of the state file earlier versions wrote (stateconv.h). */
#define DRAC_JOURNAL_SUFFIX	".journal"
/* Written at a clean shutdown; without it the next start verifies. */
#define DRAC_CLEAN_SUFFIX	".clean"

/*
 * The map: key is the address as text (dotted quad for IPv4, inet_ntop()
 * for IPv6), value the expiry as decimal seconds since the epoch; neither
 * has a trailing NUL.  Variants chosen at run time: "/32" or "/128" after
 * the key (CIDR keys) and a NUL after key and value.
 */
#define DRAC_KEY_MAX		48	/* inet_ntop text + "/128" + NUL */
#define DRAC_VALUE_MAX		24	/* decimal int64 + NUL */

/* Lifetimes. */
#define DRAC_DEFAULT_MINUTES	30	/* -e: DRAC's default */
#define DRAC_MAX_MINUTES	(366 * 24 * 60)	/* upper bound of -e, -m */
#define DRAC_DEFAULT_MAX_MINUTES (24 * 60)	/* -m: longest v3 TTL */

/* Client side. */
#define DRAC_DEFAULT_SERVER	"localhost"
#define DRAC_DEFAULT_TIMEOUT_MS	1500	/* whole call, all retries */
#define DRAC_MAX_SERVERS	16

#endif
