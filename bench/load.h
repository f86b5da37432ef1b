/*
 * load.h: N client processes, each making one call at a time for a fixed
 * time or number of calls, timed with CLOCK_MONOTONIC; the parent merges
 * their histograms and prints one line:
 *
 *	bench NAME clients=N [LABEL] rate=R p50_us=.. p90_us=.. p99_us=..
 *	    max_us=.. calls=N errors=N secs=S [server_cpu_us=U]
 *
 * server_cpu_us, with server_pid, is the CPU time the server used
 * (/proc/PID/schedstat) divided by every call made, warm-up included:
 * what one call costs the daemon, less disturbed by a busy machine
 * than the rate.
 *
 * SIGUSR1, SIGINT or SIGTERM to the parent stops every client at its
 * next call; the line is printed all the same.
 */
#ifndef BENCH_LOAD_H
#define BENCH_LOAD_H

#include <stddef.h>

struct load_opts {
	const char	*name;		/* "udp v1 add" */
	const char	*label;		/* extra "key=value" text, or NULL */
	int		 clients;
	long long	 duration_ms;	/* measured time; 0: no limit */
	long long	 calls;		/* all clients together; 0: no limit */
	long long	 warmup_ms;	/* calls before this are not counted */
	long long	 window_ms;	/* epoch ms; calls before not counted */
	int		 server_pid;	/* > 0: report its CPU time per call */
	const char	*note_name;	/* print the largest load_note() */
};

struct load_ops {
	/* In the child, before the clock starts; 0 or -1 with err. */
	int	(*setup)(void *ctx, int client, char *err, size_t errlen);
	/* One call: 0 answered as expected, 1 failed or timed out, -1 the
	 * client cannot go on (err says why). */
	int	(*call)(void *ctx, int client, unsigned long long seq,
		    char *err, size_t errlen);
};

/* Prints the line; 0, or 1 if a client could not start or went wrong. */
int	load_run(const struct load_opts *, const struct load_ops *, void *);

/* From a call: remember v if it is the largest so far (see note_name). */
void	load_note(long long v);


#endif
