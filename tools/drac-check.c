/*
 * drac-check: the SMTP side of DRAC for qmail and other tcpserver(1)
 * chains.  Run before qmail-smtpd, it looks up $TCPREMOTEIP in the map
 * rpc.dracd writes; if the entry is there and not expired it sets
 * RELAYCLIENT (empty), then it always executes the rest of its command
 * line.  Mail must keep flowing whatever happens to the map, so a
 * missing, unreadable, locked or corrupt map only costs the client its
 * relay permission: every path ends in the same execve(), and a timer
 * takes that path too should Berkeley DB ever hang on a damaged file.
 */
#include <sys/stat.h>

#include <db.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "defs.h"
#include "maplock.h"

#define CHECK_TIMEOUT	2	/* seconds for the whole lookup */
#define LOCK_TRIES	50	/* shared lock attempts ... */
#define LOCK_PAUSE_MS	20	/* ... this far apart: 1 s at most */
#define EXIT_USAGE	100	/* qmail: permanent error */
#define EXIT_EXEC	111	/* qmail: temporary error */

extern char **environ;

/* What the SIGALRM handler needs to exec without further work. */
static char	 progpath[PATH_MAX];
static char	**progargv;
static int	 verbose;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: drac-check [-cvz] [-f dbfile] program [arg ...]\n");
	exit(EXIT_USAGE);
}

static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	va_list ap;

	fputs("drac-check: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Async-signal-safe: only execve and _exit. */
static void
on_alarm(int sig)
{
	static const char msg[] = "drac-check: map lookup timed out\n";
	ssize_t n;

	(void)sig;
	n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
	(void)n;	/* nowhere to report a failed write */
	execve(progpath, progargv, environ);
	_exit(EXIT_EXEC);
}

/*
 * The PATH search is done up front, as execvp would do it, so that the
 * timer can use plain execve.  A name not found is left as it is, for
 * execve to report; -1 only if a path does not fit.
 */
static int
resolve(const char *name)
{
	const char *path, *p, *end;
	size_t dirlen;
	int n;

	if (strchr(name, '/') != NULL)
		path = "";
	else if ((path = getenv("PATH")) == NULL)
		path = "/usr/bin:/bin";
	for (p = path; *p != '\0'; p = *end == ':' ? end + 1 : end) {
		end = strchr(p, ':');
		if (end == NULL)
			end = p + strlen(p);
		dirlen = (size_t)(end - p);
		/* An empty element is the current directory. */
		n = snprintf(progpath, sizeof(progpath), "%.*s%s%s",
		    (int)dirlen, p, dirlen > 0 ? "/" : "", name);
		if (n > 0 && (size_t)n < sizeof(progpath) &&
		    access(progpath, X_OK) == 0)
			return 0;
	}
	n = snprintf(progpath, sizeof(progpath), "%s", name);
	return n > 0 && (size_t)n < sizeof(progpath) ? 0 : -1;
}

static void __attribute__((noreturn))
run(void)
{
	alarm(0);
	execve(progpath, progargv, environ);
	say("cannot execute %s: %s", progpath, strerror(errno));
	exit(EXIT_EXEC);
}

static void
db_error(const DB_ENV *env, const char *pfx, const char *msg)
{
	(void)env;
	say("%s: %s", pfx, msg);
}

/*
 * Looks key up in both forms, the one named first by nulfirst; returns
 * 1 with *expires set, 0 if absent, -1 on error.
 */
static int
lookup(DB *db, const char *file, const char *key, size_t len, int nulfirst,
    long long *expires)
{
	DBT k, v;
	size_t klen;
	int i, ret;

	for (i = 0; i < 2; i++) {
		/* len counts the NUL; the plain form is one byte shorter. */
		klen = (i == 0) == (nulfirst != 0) ? len : len - 1;
		memset(&k, 0, sizeof(k));
		memset(&v, 0, sizeof(v));
		k.data = (void *)(uintptr_t)key;
		k.size = (u_int32_t)klen;
		ret = db->get(db, NULL, &k, &v, 0);
		if (ret == DB_NOTFOUND)
			continue;
		if (ret != 0) {
			say("%s: %s", file, db_strerror(ret));
			return -1;
		}
		if (dracaddr_parse_value(v.data, v.size, expires) != 0) {
			say("%s: key %s: value is not an expiry time", file,
			    key);
			return -1;
		}
		return 1;
	}
	return 0;
}

/* 1: the client may relay; 0: it may not, or the map failed. */
static int
authorized(const char *file, const char *ip, int keyflags)
{
	char key[DRAC_KEY_MAX];
	struct dracaddr a;
	struct stat st;
	long long expires = 0;
	size_t len;
	DB *db = NULL;
	int fd, ret, found = 0;

	if (dracaddr_parse(ip, &a) != 0) {
		say("TCPREMOTEIP %s is not an address", ip);
		return 0;
	}
	len = dracaddr_key(&a, keyflags | DRACKEY_NUL, key, sizeof(key));
	if (len < 2)
		return 0;
	if ((fd = open(file, O_RDONLY | O_NOCTTY | O_NONBLOCK)) == -1) {
		say("%s: %s", file, strerror(errno));
		return 0;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		say("%s: not a regular file", file);
		goto out;
	}
	if (dracmap_lock_shared(fd, LOCK_TRIES, LOCK_PAUSE_MS) != 0) {
		say("%s: no shared lock: %s", file, strerror(errno));
		goto out;
	}
	if ((ret = db_create(&db, NULL, 0)) != 0) {
		say("db_create: %s", db_strerror(ret));
		db = NULL;
		goto out;
	}
	db->set_errcall(db, db_error);
	db->set_errpfx(db, file);
	if ((ret = db->open(db, NULL, file, NULL, DB_UNKNOWN, DB_RDONLY,
	    0)) != 0) {
		say("%s: %s", file, db_strerror(ret));
		goto out;
	}
	ret = lookup(db, file, key, len, keyflags & DRACKEY_NUL, &expires);
	if (ret == 1 && expires > (long long)time(NULL))
		found = 1;
	if (verbose)
		say("%s: %s", ip, ret == 1 ? (found ? "relay allowed" :
		    "expired") : ret == 0 ? "not in the map" : "map error");
out:
	if (db != NULL)
		db->close(db, 0);
	close(fd);
	return found;
}

int
main(int argc, char *argv[])
{
	const char *file = DRAC_DB_PATH, *ip;
	struct sigaction sa;
	int ch, keyflags = 0;

	/* "+": the options end where the program's own begin. */
	while ((ch = getopt(argc, argv, "+cf:vz")) != -1) {
		switch (ch) {
		case 'c':
			keyflags |= DRACKEY_CIDR;
			break;
		case 'f':
			if (*optarg == '\0')
				usage();
			file = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'z':
			keyflags |= DRACKEY_NUL;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	progargv = argv;
	if (resolve(argv[0]) != 0) {
		say("%s: name too long", argv[0]);
		exit(EXIT_EXEC);
	}

	if (getenv("RELAYCLIENT") != NULL ||
	    (ip = getenv("TCPREMOTEIP")) == NULL || *ip == '\0')
		run();

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) == 0)
		alarm(CHECK_TIMEOUT);
	if (authorized(file, ip, keyflags) &&
	    setenv("RELAYCLIENT", "", 1) != 0)
		say("setenv: %s", strerror(errno));
	run();
}
