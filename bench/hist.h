/*
 * hist.h: a latency histogram that lives in shared memory, so that the
 * forked clients of a benchmark fill one each and the parent merges them.
 * Exact to the microsecond up to HIST_FINE_US, then 10 ms wide buckets up
 * to 10 s; the largest value is also kept exactly.
 */
#ifndef BENCH_HIST_H
#define BENCH_HIST_H

#include <stdint.h>

#define HIST_FINE_US	100000		/* 1 us buckets below this */
#define HIST_COARSE_US	10000		/* bucket width above it */
#define HIST_COARSE_N	1000		/* up to 10.1 s, then the last one */
#define HIST_N		(HIST_FINE_US + HIST_COARSE_N)

struct hist {
	uint64_t	count;
	uint64_t	max_ns;
	uint64_t	sum_ns;
	uint32_t	bucket[HIST_N];
};

void		hist_add(struct hist *, uint64_t ns);
void		hist_merge(struct hist *, const struct hist *);
/* The smallest value (us) that at least q (0..1) of the samples reach. */
uint64_t	hist_quantile_us(const struct hist *, double q);

#endif
