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

#include "log.h"
#include "milter.h"
#include "opt.h"
#include "pidfile.h"

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

	if ((m = service_reload(&milter.svc)) == NULL)
		return;
	pthread_rwlock_wrlock(&milter.maps_lock);
	old = milter.svc.maps;
	milter.svc.maps = m;
	pthread_rwlock_unlock(&milter.maps_lock);
	maps_free(old);
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
	static const char *const refuse_words[] =
	    { "reject", "tempfail", NULL };
	static char default_conn[] = MILTER_SOCKET;
	char *conn = default_conn;
	const char *pidfile = NULL;
	int ch, foreground = 0;

	service_init(&milter.svc);
	milter.refuse = MILTER_REFUSE_REJECT;

	while ((ch = getopt(argc, argv, SERVICE_OPTIONS "dP:p:r:")) != -1) {
		if (service_option(&milter.svc, ch, optarg))
			continue;
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'P':
			pidfile = optarg;
			break;
		case 'p':
			conn = optarg;
			break;
		case 'r':
			/* In the order of MILTER_REFUSE_*. */
			milter.refuse = opt_keyword(optarg, refuse_words, 'r');
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_init(MILTER_NAME, LOG_TO_STDERR, 0);
	service_start(&milter.svc, MILTER_NAME);
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
	    "ranges, rpc.dracd at %s", conn,
	    usermap_count(milter.svc.maps->users),
	    accessmap_count(milter.svc.maps->access), milter.svc.servers);

	run();

	log_info("shutting down");
	if (pidfile != NULL)
		unlink(pidfile);
	service_end(&milter.svc);
	return libmilter_status == MI_SUCCESS ? 0 : 1;
}
