/*
 * dracwatch: authorize POP/IMAP clients from the log of a server that
 * cannot call libdrac itself.
 *
 * It follows a log file (or reads standard input), matches each line
 * against the login and logout patterns, and sends ADD (or DROP) for the
 * address found.  It never forks: run it under the service manager.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act.h"
#include "defs.h"
#include "follow.h"
#include "pattern.h"
#include "log.h"

#define INTERVAL_DEFAULT_MS	25	/* a login relays within ~25 ms */
#define INTERVAL_MIN_MS		10
#define INTERVAL_MAX_MS		60000
#define TIMEOUT_MAX_MS		60000

struct options {
	const char	*config;	/* -f */
	const char	*sets;		/* -p */
	const char	*file;		/* NULL: standard input */
	int		 from_start;	/* -b */
	int		 check;		/* -n */
	int		 tostderr;	/* -d */
	int		 verbose;	/* -v */
	int		 interval_ms;	/* -i */
	struct act_conf	 act;
};

static volatile sig_atomic_t quit;
static volatile sig_atomic_t reload;
static struct follow follower;		/* large buffers: not on the stack */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dracwatch [-bDdNnv] [-f config] "
	    "[-i interval] [-p sets] [-s servers]\n"
	    "                 [-T timeout] [-t ttl] [file]\n");
	exit(1);
}

static long
number(const char *s, char flag, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno == ERANGE ||
	    v < min || v > max)
		fatalx("-%c %s: want a number from %ld to %ld", flag, s,
		    min, max);
	return v;
}

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		reload = 1;
	else
		quit = 1;
}

/* No SA_RESTART: a signal must end a blocking read of standard input. */
static void
signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* Built-in sets, then the configuration file; all errors reported. */
static int
load(struct patset *ps, const struct options *o)
{
	int errors;

	pattern_init(ps);
	errors = pattern_builtin(ps, o->sets);
	if (o->config != NULL)
		errors += pattern_load(ps, o->config);
	if (errors == 0 && ps->count == 0) {
		log_warnx("no patterns: -p none needs -f");
		errors++;
	}
	if (errors > 0)
		pattern_free(ps);
	return errors;
}

/* On SIGHUP: a new set replaces the old one only if it loaded whole. */
static void
do_reload(struct patset *ps, const struct options *o)
{
	struct patset fresh;
	int errors;

	if ((errors = load(&fresh, o)) > 0) {
		log_warnx("reload failed with %d error%s, keeping the "
		    "patterns in use", errors, errors == 1 ? "" : "s");
		return;
	}
	pattern_free(ps);
	*ps = fresh;
	log_info("reloaded: %d patterns", ps->count);
}

static void
parse_options(int argc, char *argv[], struct options *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->sets = "all";
	o->interval_ms = INTERVAL_DEFAULT_MS;
	o->act.servers = DRAC_DEFAULT_SERVER;
	while ((ch = getopt(argc, argv, "bDdf:i:Nnp:s:T:t:v")) != -1) {
		switch (ch) {
		case 'b':
			o->from_start = 1;
			break;
		case 'D':
			o->act.drop = 1;
			break;
		case 'd':
			o->tostderr = 1;
			break;
		case 'f':
			o->config = optarg;
			break;
		case 'i':
			o->interval_ms = (int)number(optarg, 'i',
			    INTERVAL_MIN_MS, INTERVAL_MAX_MS);
			break;
		case 'N':
			o->act.dry_run = 1;
			o->tostderr = 1;
			break;
		case 'n':
			o->check = 1;
			o->tostderr = 1;
			break;
		case 'p':
			o->sets = optarg;
			break;
		case 's':
			o->act.servers = optarg;
			break;
		case 'T':
			o->act.opt.timeout_ms = (int)number(optarg, 'T', 1,
			    TIMEOUT_MAX_MS);
			break;
		case 't':
			o->act.ttl = (unsigned int)number(optarg, 't', 0,
			    DRAC_MAX_MINUTES * 60L);
			break;
		case 'v':
			o->verbose = 1;
			break;
		default:
			usage();
		}
	}
	if (argc - optind > 1)
		usage();
	if (argc - optind == 1)
		o->file = argv[optind];
}

static void
handle(const struct patset *ps, const char *line, unsigned long lineno)
{
	struct patmatch m;

	if (!pattern_match(ps, line, &m))
		return;
	log_debug("line %lu: %s %s addr=%s user=%s key=%s", lineno,
	    m.pat->set, pattern_action_name(m.pat->action),
	    m.addr[0] ? m.addr : "-", m.user[0] ? m.user : "-",
	    m.key[0] ? m.key : "-");
	act_line(&m, lineno);
}

int
main(int argc, char *argv[])
{
	struct options o;
	struct patset ps;
	char line[FOLLOW_LINE_MAX];
	unsigned long lineno = 0;
	int rc, errors;

	parse_options(argc, argv, &o);
	log_init("dracwatch", LOG_TO_STDERR, o.verbose);
	if ((errors = load(&ps, &o)) > 0) {
		log_warnx("%d error%s in the patterns", errors,
		    errors == 1 ? "" : "s");
		return 1;
	}
	if (o.check) {
		printf("%d patterns OK\n", ps.count);
		pattern_free(&ps);
		return 0;
	}
	if (follow_open(&follower, o.file, o.from_start, o.interval_ms) == -1)
		return 1;
	signals();
	act_init(&o.act);
	if (!o.tostderr)
		log_init("dracwatch", LOG_TO_SYSLOG, o.verbose);
	log_info("following %s with %d patterns",
	    o.file != NULL ? o.file : "standard input", ps.count);
	if (o.act.dry_run)
		setvbuf(stdout, NULL, _IOLBF, 0);

	while (!quit) {
		if (reload) {
			reload = 0;
			do_reload(&ps, &o);
		}
		rc = follow_line(&follower, line, sizeof(line));
		if (rc == FOLLOW_LINE)
			handle(&ps, line, ++lineno);
		else if (rc == FOLLOW_END)
			break;
		else if (rc == FOLLOW_ERROR) {
			errors = 1;
			break;
		}
	}
	follow_close(&follower);
	act_done();
	pattern_free(&ps);
	return errors > 0 ? 1 : 0;
}
