/*
 * hist.c: latency histogram.  A bucket array instead of a list of
 * samples: a client at 100k calls/s for minutes would otherwise need
 * hundreds of MiB, and merging would need a sort.
 */
#include "hist.h"

static uint32_t
bucket_of(uint64_t us)
{
	uint64_t i;

	if (us < HIST_FINE_US)
		return (uint32_t)us;
	i = (us - HIST_FINE_US) / HIST_COARSE_US;
	if (i >= HIST_COARSE_N)
		i = HIST_COARSE_N - 1;
	return (uint32_t)(HIST_FINE_US + i);
}

/* The upper end of a bucket, in us: what a quantile reports. */
static uint64_t
bucket_top(uint32_t b)
{
	if (b < HIST_FINE_US)
		return b;
	return HIST_FINE_US + (uint64_t)(b - HIST_FINE_US + 1) *
	    HIST_COARSE_US;
}

void
hist_add(struct hist *h, uint64_t ns)
{
	h->bucket[bucket_of(ns / 1000)]++;
	h->count++;
	h->sum_ns += ns;
	if (ns > h->max_ns)
		h->max_ns = ns;
}

void
hist_merge(struct hist *to, const struct hist *from)
{
	uint32_t i;

	for (i = 0; i < HIST_N; i++)
		to->bucket[i] += from->bucket[i];
	to->count += from->count;
	to->sum_ns += from->sum_ns;
	if (from->max_ns > to->max_ns)
		to->max_ns = from->max_ns;
}

uint64_t
hist_quantile_us(const struct hist *h, double q)
{
	uint64_t rank, seen = 0, top;
	uint32_t i;

	if (h->count == 0)
		return 0;
	rank = (uint64_t)(q * (double)h->count);
	if ((double)rank < q * (double)h->count)
		rank++;
	if (rank == 0)
		rank = 1;
	for (i = 0; i < HIST_N; i++) {
		seen += h->bucket[i];
		if (seen >= rank) {
			top = bucket_top(i);
			/* Never above the largest value actually seen. */
			return top > h->max_ns / 1000 ? h->max_ns / 1000 : top;
		}
	}
	return h->max_ns / 1000;
}
