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
#include <limits.h>
#include <poll.h>
#include <signal.h>
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
	fprintf(stderr, "usage: rpc.dracd [-cdinz] [-a allowfile] "
	    "[-e minutes] [-m minutes] [-P pidfile]\n"
	    "                 [-p port] [-S socketmap] [-s seconds] "
	    "[-t btree | hash] [dbfile]\n");
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
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || v < min ||
	    v > max) {
		fprintf(stderr, "rpc.dracd: -%c %s: want a whole number from "
		    "%ld to %ld\n", flag, arg, min, max);
		exit(1);
	}
	return v;
}

static void
print_allow_error(void *ctx, const char *msg)
{
	(void)ctx;
	log_warnx("%s", msg);
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

	rc = allow_load(path, list, print_allow_error, NULL);
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
show_config(const struct dracd *d)
{
	char line[128];
	size_t i;

	printf("map %s (%s%s%s), lifetime %u s, longest TTL %u s\n",
	    d->dbpath, d->dbtype == MAPDB_HASH ? "hash" : "btree",
	    d->keyflags & DRACKEY_CIDR ? ", CIDR keys" : "",
	    d->keyflags & DRACKEY_NUL ? ", NUL-terminated" : "",
	    d->default_ttl, d->max_ttl);
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
write_pidfile(const char *path)
{
	char buf[32];
	int fd, n;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_warn("%s", path);
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		log_warnx("%s: locked: another rpc.dracd is running", path);
		close(fd);
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || write(fd, buf, (size_t)n) != n) {
		log_warn("%s", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* Forks; the parent exits 0 once the child holds its pid file. */
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
	(void)chdir("/");
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

static void
serve(struct dracd *d, struct net *n)
{
	long long now, next, wait;
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
		now = now_ms();
		next = grant_expire(d, now, &more);
		grant_sync(d, now);
		timeout = -1;
		if (more)
			timeout = 0;
		else if (next >= 0)
			timeout = next - now > INT_MAX ? INT_MAX :
			    (int)(next - now);
		if (d->db.unsynced) {
			wait = d->last_sync_ms + d->sync_secs * 1000LL - now;
			if (wait < 0)
				wait = 0;
			if (timeout < 0 || wait < timeout)
				timeout = (int)wait;
		}
		net_prepare(n, now, &timeout);
		if (poll(n->pfd, (nfds_t)n->npfd, timeout) < 0) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		net_events(n, d, now_ms());
	}
}

int
main(int argc, char *argv[])
{
	static struct dracd d;
	static struct net n;
	const char *smap[SMAP_MAX];
	char err[512];
	int ch, foreground = 0, truncate = 0, check = 0, nsmap = 0, i;
	int port = 0, pidfd = -1;
	long max_minutes = -1;

	d.dbpath = DRAC_DB_PATH;
	d.allowpath = DRAC_ALLOW_PATH;
	d.pidpath = DRAC_PID_PATH;
	d.default_ttl = DRAC_DEFAULT_MINUTES * 60;
	d.sync_secs = 1;
	d.dbtype = MAPDB_BTREE;

	while ((ch = getopt(argc, argv, "a:cde:im:nP:p:S:s:t:z")) != -1) {
		switch (ch) {
		case 'a':
			d.allowpath = optarg;
			break;
		case 'c':
			d.keyflags |= DRACKEY_CIDR;
			break;
		case 'd':
			foreground = 1;
			break;
		case 'e':
			d.default_ttl = 60 *
			    number(optarg, 1, DRAC_MAX_MINUTES, 'e');
			break;
		case 'i':
			truncate = 1;
			break;
		case 'm':
			max_minutes = number(optarg, 1, DRAC_MAX_MINUTES, 'm');
			break;
		case 'n':
			check = 1;
			break;
		case 'P':
			d.pidpath = optarg;
			break;
		case 'p':
			port = (int)number(optarg, 1, 65535, 'p');
			break;
		case 'S':
			if (nsmap == SMAP_MAX) {
				fprintf(stderr, "rpc.dracd: -S: at most %d "
				    "socketmap listeners\n", SMAP_MAX);
				exit(1);
			}
			smap[nsmap++] = optarg;
			break;
		case 's':
			d.sync_secs = number(optarg, 0, 3600, 's');
			break;
		case 't':
			if (strcmp(optarg, "btree") == 0)
				d.dbtype = MAPDB_BTREE;
			else if (strcmp(optarg, "hash") == 0)
				d.dbtype = MAPDB_HASH;
			else {
				fprintf(stderr, "rpc.dracd: -t %s: want btree "
				    "or hash\n", optarg);
				exit(1);
			}
			break;
		case 'z':
			d.keyflags |= DRACKEY_NUL;
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
		d.dbpath = argv[0];
	/* The longest TTL is never shorter than the default lifetime. */
	d.max_ttl = max_minutes > 0 ? (unsigned int)max_minutes * 60 :
	    DRAC_DEFAULT_MAX_MINUTES * 60;
	if (d.max_ttl < d.default_ttl)
		d.max_ttl = d.default_ttl;

	log_init(1);
	if (load_allow(d.allowpath, &d.allow, &d.allow_is_default) != 0) {
		log_warnx("%s: errors above; not starting", d.allowpath);
		exit(1);
	}
	if (check) {
		show_config(&d);
		allow_free(&d.allow);
		printf("configuration OK\n");
		exit(0);
	}
	umask(022);
	if (mapdb_open(&d.db, d.dbpath, d.dbtype, d.keyflags, truncate, err,
	    sizeof(err)) != 0)
		fatalx("%s", err);
	if (table_init(&d.table, 1024) != 0)
		fatalx("out of memory");
	if (grant_load(&d, truncate) != 0)
		fatalx("%s: cannot load the map", d.dbpath);
	if (net_open_rpc(&n, port, err, sizeof(err)) != 0)
		fatalx("%s", err);
	for (i = 0; i < nsmap; i++)
		if (net_open_socketmap(&n, smap[i], err, sizeof(err)) != 0)
			fatalx("%s", err);
	(void)net_register(&n);
	if (!foreground) {
		detach();
		log_init(0);
	}
	if ((pidfd = write_pidfile(d.pidpath)) < 0) {
		net_unregister(&n);
		exit(1);
	}
	signals();
	d.started = now_ms() / 1000;
	d.last_sync_ms = now_ms();
	log_info("serving %s: %u entries, lifetime %u s, %s", d.dbpath,
	    d.table.n, d.default_ttl, n.registered ?
	    "registered with rpcbind" : "not registered with rpcbind");

	serve(&d, &n);

	log_info("shutting down on signal");
	net_unregister(&n);
	net_close(&n);
	mapdb_close(&d.db);
	table_free(&d.table);
	allow_free(&d.allow);
	(void)unlink(d.pidpath);
	close(pidfd);
	return 0;
}
