/*
 * drac-milter: sendmail milter for sender binding.
 *
 * milter.c: options, maps, the socket, threads and signals.
 *
 * libmilter's own signal thread takes SIGHUP as "stop", so SIGHUP never
 * reaches it here: libmilter runs in a second thread with SIGHUP,
 * SIGTERM and SIGINT blocked (its signal thread inherits that and waits
 * for them), while the main thread alone leaves SIGHUP open and reloads
 * the maps when it arrives.  A signal sent to the process goes to the
 * main thread when that thread does not block it.
 */
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "defs.h"
#include "drac.h"
#include "log.h"
#include "milter.h"
#include "opt.h"
#include "pidfile.h"
#include "query.h"

#define POLL_NS		(200 * 1000 * 1000)	/* main thread's nap */

struct milter milter;

static volatile sig_atomic_t got_hup;
static atomic_int libmilter_done;
static int libmilter_status;

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: drac-milter [-dn] [-a accessmap] "
	    "[-e plain | refuse] [-K keyfile]\n"
	    "                   [-P pidfile] [-p socket] "
	    "[-r reject | tempfail] [-s servers]\n"
	    "                   [-t milliseconds] [-u usermap]\n");
	exit(1);
}


static int
keyword(const char *arg, const char *w0, const char *w1, int flag)
{
	if (strcmp(arg, w0) == 0)
		return 0;
	if (strcmp(arg, w1) == 0)
		return 1;
	fprintf(stderr, MILTER_NAME ": -%c %s: want %s or %s\n", flag, arg,
	    w0, w1);
	exit(1);
}

static void
on_hup(int sig)
{
	(void)sig;
	got_hup = 1;
}

static void
reload(void)
{
	struct maps *m, *old;

	m = maps_load(milter.users_path, milter.access_path,
	    milter.access_optional, log_report, NULL);
	if (m == NULL) {
		log_warnx("reload failed: keeping the maps loaded before");
		return;
	}
	pthread_rwlock_wrlock(&milter.maps_lock);
	old = milter.maps;
	milter.maps = m;
	pthread_rwlock_unlock(&milter.maps_lock);
	maps_free(old);
	log_info("reloaded: %zu user map entries, %zu access map ranges",
	    usermap_count(m->users), accessmap_count(m->access));
}

static void *
run_libmilter(void *arg)
{
	(void)arg;
	libmilter_status = smfi_main();
	atomic_store(&libmilter_done, 1);
	return NULL;
}



/* Runs libmilter in its own thread; reloads on SIGHUP until it stops. */
static void
run(void)
{
	struct timespec nap = { 0, POLL_NS };
	struct sigaction sa;
	sigset_t set;
	pthread_t t;
	int e;

	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if ((e = pthread_create(&t, NULL, run_libmilter, NULL)) != 0) {
		errno = e;
		fatal("pthread_create");
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	while (!atomic_load(&libmilter_done)) {
		if (got_hup) {
			got_hup = 0;
			reload();
		}
		nanosleep(&nap, NULL);
	}
	pthread_join(t, NULL);
}

int
main(int argc, char *argv[])
{
	static char default_conn[] = MILTER_SOCKET;
	char *conn = default_conn;
	const char *pidfile = NULL;
	int ch, foreground = 0, check_only = 0;

	milter.users_path = BINDING_USERS_PATH;
	milter.access_path = BINDING_ACCESS_PATH;
	milter.access_optional = 1;
	milter.servers = DRAC_DEFAULT_SERVER;
	milter.timeout_ms = DRAC_DEFAULT_TIMEOUT_MS;
	milter.empty_user = DECIDE_EMPTY_REFUSE;
	milter.refuse = MILTER_REFUSE_REJECT;

	while ((ch = getopt(argc, argv, "a:de:K:nP:p:r:s:t:u:")) != -1) {
		switch (ch) {
		case 'a':
			milter.access_path = optarg;
			milter.access_optional = 0;
			break;
		case 'd':
			foreground = 1;
			break;
		case 'e':
			milter.empty_user = keyword(optarg, "refuse", "plain",
			    'e') == 1 ? DECIDE_EMPTY_PLAIN : DECIDE_EMPTY_REFUSE;
			break;
		case 'K':
			milter.keyfile = optarg;
			break;
		case 'n':
			check_only = 1;
			break;
		case 'P':
			pidfile = optarg;
			break;
		case 'p':
			conn = optarg;
			break;
		case 'r':
			milter.refuse = keyword(optarg, "reject", "tempfail",
			    'r') == 1 ? MILTER_REFUSE_TEMPFAIL :
			    MILTER_REFUSE_REJECT;
			break;
		case 's':
			milter.servers = optarg;
			break;
		case 't':
			milter.timeout_ms = (int)opt_number(optarg, 100, 60000, 't');
			break;
		case 'u':
			milter.users_path = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_init(MILTER_NAME, LOG_TO_STDERR, 0);
	milter.maps = maps_load(milter.users_path, milter.access_path,
	    milter.access_optional, log_report, NULL);
	if (milter.maps == NULL)
		fatalx("the maps have errors, not starting");
	if (check_only) {
		printf("%s: %zu user map entries, %zu access map ranges\n",
		    MILTER_NAME, usermap_count(milter.maps->users),
		    accessmap_count(milter.maps->access));
		maps_free(milter.maps);
		return 0;
	}
	query_probe(milter.servers, milter.keyfile, milter.timeout_ms);
	if (smfi_setconn(conn) != MI_SUCCESS)
		fatalx("-p %s: not a milter socket", conn);
	if (smfi_register(filter_desc) != MI_SUCCESS)
		fatalx("smfi_register failed");
	/* Now, so that a bad socket stops us while stderr is seen. */
	if (smfi_opensocket(1) != MI_SUCCESS)
		fatalx("-p %s: cannot open the socket", conn);
	if (!foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		log_init(MILTER_NAME, LOG_TO_SYSLOG, 0);
	}
	if (pidfile != NULL)
		pidfile_write(pidfile);
	pthread_rwlock_init(&milter.maps_lock, NULL);
	pthread_mutex_init(&milter.client_lock, NULL);
	log_info("listening on %s: %zu user map entries, %zu access map "
	    "ranges, rpc.dracd at %s", conn, usermap_count(milter.maps->users),
	    accessmap_count(milter.maps->access), milter.servers);

	run();

	log_info("shutting down");
	if (pidfile != NULL)
		unlink(pidfile);
	if (milter.client != NULL)
		drac_client_free(milter.client);
	maps_free(milter.maps);
	return libmilter_status == MI_SUCCESS ? 0 : 1;
}
