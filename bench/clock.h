/*
 * clock.h: the two clocks of the bench tools.  Durations use the
 * monotonic one; moments agreed between processes (a start time given
 * on the command line, the daemon's expiry) use the wall clock.
 */
#ifndef DRAC_BENCH_CLOCK_H
#define DRAC_BENCH_CLOCK_H

long long	bench_mono_ns(void);
long long	bench_epoch_ms(void);

#endif
