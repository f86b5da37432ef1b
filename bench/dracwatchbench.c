/*
 * dracwatchbench: the log watcher's delay, from a login line written to
 * the entry in the map.
 *
 *	dracwatchbench [-g gap_ms] [-l label] [-n lines] [-p port] logfile
 *
 * Appends -n (default 50) Dovecot login lines, each for its own address
 * in 12.0.0.0/8, to logfile, which dracwatch follows.  After each line
 * it asks rpc.dracd (v3 STATS on 127.0.0.1:port) every millisecond
 * until the counter "ok" has grown: the daemon answers STATS only after
 * the ADD before it was written to the map, so that is when an MTA sees
 * the entry.  Lines are -g ms apart at most (random, default 100), so
 * that they fall anywhere in the watcher's polling interval.  Prints
 *
 *	watch LABEL lines=N p50_ms=.. p90_ms=.. p99_ms=.. max_ms=.. errors=N
 *
 * An entry not seen within 5 s is an error.  Exit status 0, or 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "hist.h"
#include "wire.h"
#include "opt.h"

#define SEEN_TIMEOUT_NS	5000000000LL

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dracwatchbench [-g gap_ms] [-l label] "
	    "[-n lines] [-p port] logfile\n");
	exit(1);
}


static void
sleep_ms(long ms)
{
	struct timespec ts;

	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	nanosleep(&ts, NULL);
}

static int
login_line(char *buf, size_t size, long i)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", &tm);
	return snprintf(buf, size, "%s mail dovecot: pop3-login: Login: "
	    "user=<bench%ld>, method=PLAIN, rip=12.%ld.%ld.%ld, "
	    "lip=192.0.2.1, mpid=%ld, TLS, session=<bench%08ld>\n", stamp, i,
	    (i >> 16) & 255, (i >> 8) & 255, (i & 255) + 1, 1000 + i, i);
}

/* Nanoseconds until "ok" exceeds before, or -1 after 5 s. */
static long long
wait_seen(struct wire *w, unsigned long long before, long long t0)
{
	unsigned long long ok;
	char err[256];
	long long t;

	while ((t = dracclock_mono_ns()) - t0 < SEEN_TIMEOUT_NS) {
		if (wire_stats(w, "ok", &ok, err, sizeof(err)) == 0 &&
		    ok > before)
			return dracclock_mono_ns() - t0;
		sleep_ms(1);
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	static struct hist h;
	struct wire w;
	const char *label = "";
	char line[512], err[256];
	unsigned long long before;
	unsigned int seed = 1;
	long n = 50, gap = 100, i, errors = 0;
	long long t0, d;
	int ch, fd, port = 0, len;

	while ((ch = getopt(argc, argv, "g:l:n:p:")) != -1) {
		switch (ch) {
		case 'g':
			gap = opt_number(optarg, 1, 10000, 'g');
			break;
		case 'l':
			label = optarg;
			break;
		case 'n':
			n = opt_number(optarg, 1, 100000, 'n');
			break;
		case 'p':
			port = (int)opt_number(optarg, 1, 65535, 'p');
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1 || port == 0)
		usage();
	if ((fd = open(argv[optind], O_WRONLY | O_APPEND | O_CREAT, 0644)) < 0) {
		fprintf(stderr, "dracwatchbench: %s: %s\n", argv[optind],
		    strerror(errno));
		return 1;
	}
	memset(&w, 0, sizeof(w));
	w.xid = (uint32_t)getpid() << 12;
	if (wire_open(&w, WIRE_UDP, "127.0.0.1", port, NULL, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "dracwatchbench: %s\n", err);
		return 1;
	}
	for (i = 0; i < n; i++) {
		sleep_ms((long)(rand_r(&seed) % (unsigned int)gap));
		if (wire_stats(&w, "ok", &before, err, sizeof(err)) != 0) {
			fprintf(stderr, "dracwatchbench: %s\n", err);
			return 1;
		}
		len = login_line(line, sizeof(line), i);
		t0 = dracclock_mono_ns();
		if (write(fd, line, (size_t)len) != len) {
			fprintf(stderr, "dracwatchbench: %s: %s\n",
			    argv[optind], strerror(errno));
			return 1;
		}
		if ((d = wait_seen(&w, before, t0)) < 0)
			errors++;
		else
			hist_add(&h, (uint64_t)d);
	}
	printf("watch %s lines=%ld p50_ms=%.1f p90_ms=%.1f p99_ms=%.1f "
	    "max_ms=%.1f errors=%ld\n", label, n,
	    (double)hist_quantile_us(&h, 0.50) / 1000,
	    (double)hist_quantile_us(&h, 0.90) / 1000,
	    (double)hist_quantile_us(&h, 0.99) / 1000,
	    (double)h.max_ns / 1e6, errors);
	return 0;
}
