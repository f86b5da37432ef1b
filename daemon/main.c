/*
 * rpc.dracd: Dynamic Relay Authorization Control daemon.
 *
 * main.c: options, start-up, the poll loop and shutdown.  Everything that
 * can be wrong with the configuration is found before the daemon detaches,
 * while stderr still reaches whoever started it.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "defs.h"
#include "drac_prot.h"
#include "dracd.h"
#include "log.h"
#include "net.h"

#define SMAP_MAX	4
#define LISTEN_MAX	8

struct options {
	const char	*smap[SMAP_MAX];
	int		 nsmap;
	struct dracaddr	 listen[LISTEN_MAX];
	int		 nlisten;
	const char	*keyfile;
	const char	*user;
	int		 require_auth;
	int		 foreground;
	int		 truncate;
	int		 check;
	int		 port;
	int		 idle_secs;
};

static volatile sig_atomic_t got_hup, got_term, got_usr1;

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGUSR1)
		got_usr1 = 1;
	else
		got_term = 1;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: rpc.dracd [-Acdinz] [-a allowfile] [-e minutes] "
	    "[-K keyfile] [-l address]\n"
	    "                 [-m minutes] [-P pidfile] [-p port] "
	    "[-S socketmap] [-s seconds]\n"
	    "                 [-T seconds] [-t btree | hash] [-u user] "
	    "[dbfile]\n");
	exit(1);
}

/* A whole decimal number in [min, max], or exit naming the flag. */
static long
number(const char *arg, long min, long max, int flag)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	/* strtol would skip blanks and take "+5": the whole text must be
	 * the number. */
	if ((arg[0] != '-' && (arg[0] < '0' || arg[0] > '9')) ||
	    *end != '\0' || errno != 0 || v < min ||
	    v > max) {
		fprintf(stderr, "rpc.dracd: -%c %s: want a whole number from "
		    "%ld to %ld\n", flag, arg, min, max);
		exit(1);
	}
	return v;
}

static void
parse_options(int argc, char *argv[], struct dracd *d, struct options *o)
{
	long max_minutes = -1;
	int ch;

	while ((ch = getopt(argc, argv, "Aa:cde:iK:l:m:nP:p:S:s:T:t:u:z")) !=
	    -1) {
		switch (ch) {
		case 'A':
			o->require_auth = 1;
			break;
		case 'a':
			d->allowpath = optarg;
			break;
		case 'c':
			d->keyflags |= DRACKEY_CIDR;
			break;
		case 'd':
			o->foreground = 1;
			break;
		case 'e':
			d->default_ttl = 60 *
			    number(optarg, 1, DRAC_MAX_MINUTES, 'e');
			break;
		case 'i':
			o->truncate = 1;
			break;
		case 'K':
			o->keyfile = optarg;
			break;
		case 'l':
			if (o->nlisten == LISTEN_MAX ||
			    dracaddr_parse(optarg, &o->listen[o->nlisten]) != 0) {
				fprintf(stderr, "rpc.dracd: -l %s: want an IPv4 "
				    "or IPv6 address (at most %d)\n", optarg,
				    LISTEN_MAX);
				exit(1);
			}
			o->nlisten++;
			break;
		case 'm':
			max_minutes = number(optarg, 1, DRAC_MAX_MINUTES, 'm');
			break;
		case 'n':
			o->check = 1;
			break;
		case 'P':
			d->pidpath = optarg;
			break;
		case 'p':
			o->port = (int)number(optarg, 1, 65535, 'p');
			break;
		case 'S':
			if (o->nsmap == SMAP_MAX) {
				fprintf(stderr, "rpc.dracd: -S: at most %d "
				    "socketmap listeners\n", SMAP_MAX);
				exit(1);
			}
			o->smap[o->nsmap++] = optarg;
			break;
		case 's':
			d->sync_secs = (unsigned int)number(optarg, 0, 3600, 's');
			break;
		case 'T':
			o->idle_secs = (int)number(optarg, 1, 3600, 'T');
			break;
		case 't':
			if (strcmp(optarg, "btree") == 0)
				d->dbtype = MAPDB_BTREE;
			else if (strcmp(optarg, "hash") == 0)
				d->dbtype = MAPDB_HASH;
			else {
				fprintf(stderr, "rpc.dracd: -t %s: want btree "
				    "or hash\n", optarg);
				exit(1);
			}
			break;
		case 'u':
			o->user = optarg;
			break;
		case 'z':
			d->keyflags |= DRACKEY_NUL;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage();
	if (argc == 1)
		d->dbpath = argv[0];
	/* The longest TTL is never shorter than the default lifetime. */
	d->max_ttl = max_minutes > 0 ? (unsigned int)max_minutes * 60 :
	    DRAC_DEFAULT_MAX_MINUTES * 60;
	if (d->max_ttl < d->default_ttl)
		d->max_ttl = d->default_ttl;
}

/*
 * Loads the allow list into *list: the file, or the defaults when there
 * is none.  Returns 0, or -1 after every problem has been logged.
 */
static int
load_allow(const char *path, struct allow_list *list, int *is_default)
{
	char err[256];
	int rc;

	rc = allow_load(path, list, log_report, NULL);
	if (rc < 0)
		return -1;
	*is_default = rc == 1;
	if (rc == 1 && allow_defaults(list, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		return -1;
	}
	return 0;
}

static void
reload_allow(struct dracd *d)
{
	struct allow_list fresh;
	int is_default;

	if (load_allow(d->allowpath, &fresh, &is_default) != 0) {
		d->stats[ST_RELOAD_FAILURES]++;
		log_warnx("%s: not reloaded, keeping the previous allow list "
		    "(%zu entries)", d->allowpath, d->allow.n);
		return;
	}
	allow_free(&d->allow);
	d->allow = fresh;
	d->allow_is_default = is_default;
	d->stats[ST_RELOADS]++;
	log_info("%s: reloaded, %zu entries%s", d->allowpath, d->allow.n,
	    is_default ? " (no file: loopback and local addresses)" : "");
}

static void
show_config(const struct dracd *d, const struct options *o)
{
	char line[128];
	size_t i;

	printf("map %s (%s%s%s), lifetime %u s, longest TTL %u s\n",
	    d->dbpath, d->dbtype == MAPDB_HASH ? "hash" : "btree",
	    d->keyflags & DRACKEY_CIDR ? ", CIDR keys" : "",
	    d->keyflags & DRACKEY_NUL ? ", NUL-terminated" : "",
	    d->default_ttl, d->max_ttl);
	printf("calls: %s\n", o->require_auth ? "signed v3 only (-A)" :
	    o->keyfile != NULL ? "signed or unsigned" : "unsigned");
	printf("allow %s%s:\n", d->allowpath, d->allow_is_default ?
	    " (absent: loopback and local addresses)" : "");
	for (i = 0; i < d->allow.n; i++) {
		allow_format(&d->allow.v[i], line, sizeof(line));
		printf("\t%s\n", line);
	}
}

/*
 * The pid file doubles as the single-instance lock: it stays open and
 * flock()ed for the daemon's life.
 */
static int
open_pidfile(const char *path)
{
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0) {
		log_warn("%s", path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		log_warnx("%s: locked: another rpc.dracd is running", path);
		close(fd);
		return -1;
	}
	return fd;
}

static int
write_pid(int fd, const char *path)
{
	char buf[32];
	int n;

	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, buf, (size_t)n, 0) != n) {
		log_warn("%s", path);
		return -1;
	}
	return 0;
}

/* Forks; the parent exits 0, the child goes on without a terminal. */
static void
detach(void)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) < 0)
		fatal("fork");
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		fatal("setsid");
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, STDIN_FILENO);
		(void)dup2(fd, STDOUT_FILENO);
		(void)dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (chdir("/") != 0)
		log_warn("chdir /");
}

/*
 * -u: the map, its state file and the pid file go to the user, so the
 * daemon keeps writing them (and finds them again after a restart)
 * without root; then root is dropped for good.
 */
static void
drop_privileges(const struct passwd *pw, const struct dracd *d, int pidfd)
{
	int i;

	if (fchown(pidfd, pw->pw_uid, pw->pw_gid) != 0 ||
	    chown(d->db.path, pw->pw_uid, pw->pw_gid) != 0)
		fatal("chown to %s", pw->pw_name);
	for (i = 0; i < 2; i++)
		if (d->state.f[i].fd >= 0 &&
		    fchown(d->state.f[i].fd, pw->pw_uid, pw->pw_gid) != 0)
			fatal("chown %s to %s", d->state.f[i].path,
			    pw->pw_name);
	if (setgroups(1, &pw->pw_gid) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0)
		fatal("dropping privileges to %s", pw->pw_name);
	if (pw->pw_uid != 0 && setuid(0) == 0)
		fatalx("could regain root after dropping it");
}

/* Entries to make room for: the map holds one per 64 bytes at most. */
static uint32_t
table_hint(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || st.st_size < 64 * 1024)
		return 1024;
	return st.st_size / 64 > (1 << 24) ? 1 << 24 :
	    (uint32_t)(st.st_size / 64);
}

static int
open_files(struct dracd *d, int truncate)
{
	if (grant_open(d, truncate) != 0) {
		table_free(&d->table);
		if (table_init(&d->table, table_hint(d->dbpath)) != 0)
			fatalx("out of memory");
		return -1;
	}
	return 0;
}

static void
signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll sees EINTR */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

/* How often a running flush is checked for its end. */
#define SYNC_POLL_MS	20

/*
 * Milliseconds until the next thing the loop must do by itself: the
 * next expiry is on the wall clock, the next flush on the monotonic one.
 */
static int
next_timeout(const struct dracd *d, long long wall, long long mono,
    long long next_expiry, int more)
{
	long long t = -1, sync = -1;

	if (more)
		return 0;
	if (next_expiry >= 0)
		t = next_expiry > wall ? next_expiry - wall : 0;
	if (flush_running(d))	/* to collect its result */
		sync = SYNC_POLL_MS;
	else if (flush_unsynced(d)) {
		sync = d->last_sync_ms + d->sync_secs * 1000LL - mono;
		if (sync < 0)
			sync = 0;
	}
	if (sync >= 0 && (t < 0 || sync < t))
		t = sync;
	/* Wake now and then to notice a restarted rpcbind. */
	if (t < 0 || t > 2000)
		t = 2000;
	return (int)t;
}

/*
 * The map's locks are kept while calls keep coming (mapdb.c), given up
 * as soon as the loop finds no call waiting, and after LOCK_HOLD_MS of
 * calls in a row, with a short pause then that lets a waiting reader in
 * before the next call locks again.  Giving them up by a timer instead,
 * a millisecond after the last call, armed a timer at every wait in
 * poll, and the 97th to 99th percentiles of a TCP ADD were 3 to 13 us
 * longer for it on the machine of docs/BENCHMARKS.md.
 */
#define LOCK_HOLD_MS	10
#define READERS_TURN_NS	50000

static void
hold_limit(struct mapdb *db)
{
	struct timespec pause = { 0, READERS_TURN_NS };

	if (mapdb_locked_for(db) >= LOCK_HOLD_MS) {
		mapdb_release(db);
		nanosleep(&pause, NULL);
	}
}

/* poll(2); the locks go before it waits. */
static int
wait_for_work(struct net *n, struct mapdb *db, int timeout)
{
	int ready;

	if (timeout != 0 && mapdb_locked_for(db) >= 0) {
		if ((ready = poll(n->pfd, (nfds_t)n->npfd, 0)) != 0)
			return ready;
		mapdb_release(db);	/* idle: readers' turn */
	}
	return poll(n->pfd, (nfds_t)n->npfd, timeout);
}

static void
serve(struct dracd *d, struct net *n)
{
	long long wall, mono, next;
	int timeout, more;

	while (!got_term) {
		if (got_hup) {
			got_hup = 0;
			reload_allow(d);
		}
		if (got_usr1) {
			got_usr1 = 0;
			grant_log_stats(d);
		}
		wall = dracclock_wall_ms();
		mono = dracclock_mono_ms();
		next = grant_expire(d, wall, &more);
		grant_compact(d, &more);
		flush_start(d, mono);
		net_watch_rpcbind(n, mono);
		timeout = next_timeout(d, wall, mono, next, more);
		net_prepare(n, mono, &timeout);
		hold_limit(&d->db);
		if (wait_for_work(n, &d->db, timeout) < 0) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		net_events(n, d, dracclock_mono_ms());
	}
}

int
main(int argc, char *argv[])
{
	static struct dracd d;
	static struct net n;
	struct options o;
	struct passwd *pw = NULL;
	char err[512];
	int i, pidfd, clean;

	memset(&o, 0, sizeof(o));
	o.idle_secs = NET_IDLE_MS / 1000;
	d.dbpath = DRAC_DB_PATH;
	d.allowpath = DRAC_ALLOW_PATH;
	d.pidpath = DRAC_PID_PATH;
	d.default_ttl = DRAC_DEFAULT_MINUTES * 60;
	d.sync_secs = 1;
	d.dbtype = MAPDB_BTREE;
	parse_options(argc, argv, &d, &o);

	log_init("rpc.dracd", LOG_TO_STDERR, 0);
	if (o.user != NULL && (pw = getpwnam(o.user)) == NULL) {
		log_warnx("-u %s: no such user", o.user);
		exit(1);
	}
	if (authn_init(&d.authn, o.keyfile, o.require_auth, err,
	    sizeof(err)) != 0) {
		log_warnx("%s", err);
		exit(1);
	}
	if (load_allow(d.allowpath, &d.allow, &d.allow_is_default) != 0) {
		log_warnx("%s: errors above; not starting", d.allowpath);
		exit(1);
	}
	if (o.check) {
		show_config(&d, &o);
		allow_free(&d.allow);
		authn_free(&d.authn);
		printf("configuration OK\n");
		exit(0);
	}
	umask(022);
	if ((pidfd = open_pidfile(d.pidpath)) < 0)
		exit(1);
	clean = mapdb_was_clean(d.dbpath);
	if (!clean && !o.truncate &&
	    mapdb_repair(d.dbpath, d.dbtype, d.keyflags,
	    "no clean shutdown recorded") != 0)
		fatalx("%s: damaged and could not be repaired", d.dbpath);
	if (table_init(&d.table, table_hint(d.dbpath)) != 0)
		fatalx("out of memory");
	if (open_files(&d, o.truncate) != 0) {
		/* A map that cannot be read gets one repair, then one try. */
		if (mapdb_repair(d.dbpath, d.dbtype, d.keyflags,
		    "it could not be loaded") != 0 ||
		    open_files(&d, 0) != 0)
			fatalx("%s: cannot open or load the map", d.dbpath);
	}
	n.idle_ms = o.idle_secs * 1000LL;
	if (net_open_rpc(&n, o.listen, o.nlisten, o.port, err,
	    sizeof(err)) != 0)
		fatalx("%s", err);
	for (i = 0; i < o.nsmap; i++)
		if (net_open_socketmap(&n, o.smap[i], err, sizeof(err)) != 0)
			fatalx("%s", err);
	if (!o.foreground) {
		detach();
		log_init("rpc.dracd", LOG_TO_SYSLOG, 0);
	}
	if (write_pid(pidfd, d.pidpath) != 0)
		exit(1);
	if (pw != NULL)
		drop_privileges(pw, &d, pidfd);
	/* After the drop, so that the same user may unregister at exit. */
	(void)net_register(&n);
	signals();
	d.started = dracclock_wall_ms() / 1000;
	d.last_sync_ms = dracclock_mono_ms();
	log_info("serving %s: %u entries, lifetime %u s, %s", d.dbpath,
	    d.table.n, d.default_ttl, n.registered ?
	    "registered with rpcbind" : "not registered with rpcbind");

	serve(&d, &n);

	log_info("shutting down on signal");
	net_unregister(&n);
	net_close(&n);
	grant_close(&d);
	table_free(&d.table);
	allow_free(&d.allow);
	authn_free(&d.authn);
	/* Without root the directory may not let us remove the pid file. */
	if (unlink(d.pidpath) != 0 && ftruncate(pidfd, 0) != 0)
		log_warn("%s", d.pidpath);
	close(pidfd);
	return 0;
}
