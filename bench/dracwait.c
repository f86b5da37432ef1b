/*
 * dracwait: read rpc.dracd's counters, or wait for one to reach a value.
 *
 *	dracwait [-c counter] [-e epoch_ms] [-i interval_ms] [-n value]
 *	    [-p port] [-t seconds]
 *
 * Without -n: one v3 STATS call over UDP to 127.0.0.1:port, every
 * counter printed as "name=value".  With -n: STATS every -i ms (default
 * 5) until counter -c (default "expired") is at least -n, then
 *
 *	wait COUNTER=VALUE after_ms=MS polls=N
 *
 * where MS is the time of that answer minus -e (default: when dracwait
 * started).  Exit status: 0; 1 if the daemon did not answer or the
 * value was not reached within -t seconds (default 60).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "wire.h"
#include "opt.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dracwait [-c counter] [-e epoch_ms] "
	    "[-i interval_ms] [-n value]\n"
	    "                [-p port] [-t seconds]\n");
	exit(1);
}


int
main(int argc, char *argv[])
{
	struct wire w;
	const char *counter = "expired";
	char err[256];
	unsigned long long value = 0, target = 0;
	long long epoch, deadline, polls = 0, now;
	int ch, port = 0, waiting = 0, interval = 5, secs = 60;
	struct timespec pause;

	epoch = dracclock_wall_ms();
	while ((ch = getopt(argc, argv, "c:e:i:n:p:t:")) != -1) {
		switch (ch) {
		case 'c':
			counter = optarg;
			break;
		case 'e':
			epoch = opt_number(optarg, 1, 1LL << 50, 'e');
			break;
		case 'i':
			interval = (int)opt_number(optarg, 1, 10000, 'i');
			break;
		case 'n':
			target = (unsigned long long)opt_number(optarg, 0,
			    1LL << 50, 'n');
			waiting = 1;
			break;
		case 'p':
			port = (int)opt_number(optarg, 1, 65535, 'p');
			break;
		case 't':
			secs = (int)opt_number(optarg, 1, 3600, 't');
			break;
		default:
			usage();
		}
	}
	if (optind != argc || port == 0)
		usage();
	memset(&w, 0, sizeof(w));
	w.xid = (uint32_t)getpid() << 12;
	if (wire_open(&w, WIRE_UDP, "127.0.0.1", port, NULL, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "dracwait: %s\n", err);
		return 1;
	}
	if (!waiting) {
		if (wire_stats(&w, NULL, NULL, err, sizeof(err)) == 0)
			return 0;
		fprintf(stderr, "dracwait: %s\n", err);
		return 1;
	}
	deadline = dracclock_wall_ms() + secs * 1000LL;
	pause.tv_sec = interval / 1000;
	pause.tv_nsec = (interval % 1000) * 1000000L;
	while ((now = dracclock_wall_ms()) < deadline) {
		polls++;
		if (wire_stats(&w, counter, &value, err, sizeof(err)) == 0 &&
		    value >= target) {
			printf("wait %s=%llu after_ms=%lld polls=%lld\n",
			    counter, value, dracclock_wall_ms() - epoch, polls);
			return 0;
		}
		nanosleep(&pause, NULL);
	}
	printf("wait %s=%llu after_ms=timeout polls=%lld\n", counter, value,
	    polls);
	fprintf(stderr, "dracwait: %s did not reach %llu in %d s\n", counter,
	    target, secs);
	return 1;
}
