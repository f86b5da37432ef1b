/*
 * dracauth: add, drop or query DRAC authorizations from the command
 * line, through libdrac.  One line on stderr per failure, naming the
 * address and every server that failed; exit 0 only if every address
 * succeeded on every server.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "defs.h"
#include "drac.h"

#define LINE_MAX_LEN	256	/* an address read from stdin */
#define TTL_MAX		(DRAC_MAX_MINUTES * 60)
#define TIMEOUT_MAX	(10 * 60 * 1000)

enum mode { ADD, DROP, QUERY };

struct job {
	struct drac_client *c;
	enum mode	 mode;
	unsigned int	 ttl;
	const char	*user;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dracauth [-oPqx] [-K keyfile] "
	    "[-s host[:port][,...]] [-T timeout]\n"
	    "                [-t ttl] [-u user] address ...\n");
	exit(2);
}

/* Decimal digits only, within [min, max]; otherwise a usage error. */
static long long
number(const char *s, long long min, long long max, int flag)
{
	long long v;
	char *end;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 ||
	    v < min || v > max) {
		fprintf(stderr, "dracauth: -%c %s: not a number from %lld "
		    "to %lld\n", flag, s, min, max);
		exit(2);
	}
	return v;
}

static const char *
how_text(int how)
{
	switch (how) {
	case DRAC_HOW_MAP:	return "map";
	case DRAC_HOW_V1:	return "v1";
	case DRAC_HOW_V2:	return "v2";
	case DRAC_HOW_V3:	return "v3";
	case DRAC_HOW_ADMIN:	return "admin";
	}
	return "unknown";
}

static void
print_info(const struct drac_info *info)
{
	char when[64];
	struct tm tm;
	time_t t = (time_t)info->expires;
	long long left = info->expires - (long long)time(NULL);

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S %z", &tm) == 0)
		snprintf(when, sizeof(when), "@%lld", info->expires);
	printf("%s expires %s (%lld s left) user %s how %s ttl %u\n",
	    info->addr, when, left > 0 ? left : 0,
	    info->user[0] != '\0' ? info->user : "-", how_text(info->how),
	    info->ttl);
}

/* Returns 0 on success, 1 after saying what failed. */
static int
one(const struct job *j, const char *addr)
{
	struct drac_info info;
	char err[DRAC_ERRMAX * 4];
	int rc;

	switch (j->mode) {
	case ADD:
		rc = drac_client_add(j->c, addr, j->ttl, j->user, err,
		    sizeof(err));
		break;
	case DROP:
		rc = drac_client_drop(j->c, addr, err, sizeof(err));
		break;
	case QUERY:
		rc = drac_client_query(j->c, addr, &info, err, sizeof(err));
		if (rc == DRAC_OK)
			print_info(&info);
		break;
	default:
		return 1;
	}
	if (rc == DRAC_OK)
		return 0;
	if (rc == DRAC_EINVAL)
		fprintf(stderr, "dracauth: %s\n", err);
	else
		fprintf(stderr, "dracauth: %s: %s\n", addr, err);
	return 1;
}

/* "-": one address per line; blank lines and # comments skipped. */
static int
from_stdin(const struct job *j)
{
	char line[LINE_MAX_LEN + 2], *s, *e;
	unsigned long lineno = 0;
	int failed = 0, c;

	while (fgets(line, sizeof(line), stdin) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(stdin)) {
			fprintf(stderr, "dracauth: stdin:%lu: line longer "
			    "than %d bytes\n", lineno, LINE_MAX_LEN);
			while ((c = getchar()) != EOF && c != '\n')
				continue;
			failed = 1;
			continue;
		}
		for (s = line; *s == ' ' || *s == '\t'; s++)
			continue;
		e = s + strlen(s);
		while (e > s && strchr(" \t\r\n", e[-1]) != NULL)
			*--e = '\0';
		if (*s == '\0' || *s == '#')
			continue;
		failed |= one(j, s);
	}
	if (ferror(stdin)) {
		fprintf(stderr, "dracauth: stdin: %s\n", strerror(errno));
		failed = 1;
	}
	return failed;
}

int
main(int argc, char *argv[])
{
	struct drac_options opt;
	struct job j;
	char err[DRAC_ERRMAX * 4];
	const char *servers = DRAC_DEFAULT_SERVER;
	int ch, i, failed = 0, nstdin = 0;

	memset(&opt, 0, sizeof(opt));
	memset(&j, 0, sizeof(j));
	j.mode = ADD;
	while ((ch = getopt(argc, argv, "K:oPqs:T:t:u:x")) != -1) {
		switch (ch) {
		case 'K':
			opt.keyfile = optarg;
			break;
		case 'o':
			opt.flags |= DRAC_V12ONLY;
			break;
		case 'P':
			opt.flags |= DRAC_TCP;
			break;
		case 'q':
			if (j.mode == DROP)
				usage();
			j.mode = QUERY;
			break;
		case 's':
			servers = optarg;
			break;
		case 'T':
			opt.timeout_ms = (int)number(optarg, 1, TIMEOUT_MAX,
			    ch);
			break;
		case 't':
			j.ttl = (unsigned int)number(optarg, 0, TTL_MAX, ch);
			break;
		case 'u':
			if (strlen(optarg) > 64) {
				fprintf(stderr, "dracauth: -u: user name "
				    "longer than 64 bytes\n");
				exit(2);
			}
			j.user = optarg;
			break;
		case 'x':
			if (j.mode == QUERY)
				usage();
			j.mode = DROP;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		usage();
	for (i = 0; i < argc; i++)
		nstdin += strcmp(argv[i], "-") == 0;
	if (nstdin > 1)
		usage();
	if ((j.c = drac_client_new(servers, &opt, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dracauth: %s\n", err);
		return 1;
	}
	for (i = 0; i < argc; i++)
		failed |= strcmp(argv[i], "-") == 0 ? from_stdin(&j) :
		    one(&j, argv[i]);
	drac_client_free(j.c);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "dracauth: stdout: %s\n", strerror(errno));
		failed = 1;
	}
	return failed;
}
