/*
 * drac-allow: authorize the client of a tcpserver(1) session, then run
 * the rest of the command line.
 *
 * Placed after checkpassword in a qmail-popup chain, it runs only once
 * the password was accepted:
 *
 *	tcpserver 0 110 qmail-popup host checkpassword \
 *	    drac-allow qmail-pop3d Maildir
 *
 * The POP session is the point of the chain, DRAC a side effect: whatever
 * happens to the call (server down, slow, refusing), the program is run.
 * Standard output is the client's connection; messages go to stderr,
 * which tcpserver hands to the log.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"
#include "drac.h"

#define EXIT_TEMP	111	/* qmail's "temporary failure" */
#define TIMEOUT_MAX_MS	60000
#define USER_MAX	64	/* longer names are sent without a user */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: drac-allow [-s servers] [-T timeout] "
	    "[-t ttl] program [arg ...]\n");
	exit(EXIT_TEMP);
}

/* Bounded decimal conversion; the message names the flag. */
static long
number(const char *s, char flag, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno == ERANGE ||
	    v < min || v > max) {
		fprintf(stderr, "drac-allow: -%c %s: want a number from "
		    "%ld to %ld\n", flag, s, min, max);
		exit(EXIT_TEMP);
	}
	return v;
}

/* Never fails: a problem is reported and the session goes on. */
static void
allow(const char *servers, unsigned int ttl, int timeout_ms)
{
	struct drac_options opt;
	char err[DRAC_ERRMAX];
	const char *ip, *user;
	int rc;

	ip = getenv("TCPREMOTEIP");
	if (ip == NULL || *ip == '\0') {
		fprintf(stderr, "drac-allow: TCPREMOTEIP is not set "
		    "(not run by tcpserver?): nothing authorized\n");
		return;
	}
	user = getenv("USER");
	if (user != NULL && (*user == '\0' || strlen(user) > USER_MAX))
		user = NULL;

	memset(&opt, 0, sizeof(opt));
	opt.timeout_ms = timeout_ms;
	err[0] = '\0';
	rc = drac_add(servers, ip, ttl, user, &opt, err, sizeof(err));
	if (rc != DRAC_OK)
		fprintf(stderr, "drac-allow: %s not authorized: %s\n", ip,
		    err[0] != '\0' ? err : drac_strerror(rc));
}

int
main(int argc, char *argv[])
{
	const char *servers = DRAC_DEFAULT_SERVER;
	unsigned int ttl = 0;
	int ch, timeout_ms = 0;

	while ((ch = getopt(argc, argv, "+s:T:t:")) != -1) {
		switch (ch) {
		case 's':
			servers = optarg;
			break;
		case 'T':
			timeout_ms = (int)number(optarg, 'T', 1,
			    TIMEOUT_MAX_MS);
			break;
		case 't':
			ttl = (unsigned int)number(optarg, 't', 0,
			    DRAC_MAX_MINUTES * 60L);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();

	allow(servers, ttl, timeout_ms);
	execvp(argv[0], argv);
	fprintf(stderr, "drac-allow: cannot run %s: %s\n", argv[0],
	    strerror(errno));
	return EXIT_TEMP;
}
