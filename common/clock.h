/*
 * clock.h: the two clocks, and which one to read.  Expiry times are
 * moments on the wall clock: the map holds them, and the MTAs compare
 * them with their own.  Intervals and deadlines (flushes, idle
 * timeouts, pauses, retransmissions) use the monotonic clock, which a
 * step of the wall clock by NTP or by hand does not move: a step back
 * by an hour must not hold the next fdatasync back by an hour.
 */
#ifndef DRAC_CLOCK_H
#define DRAC_CLOCK_H

/* Milliseconds since the epoch. */
long long	dracclock_wall_ms(void);
/* Since some moment before the process started. */
long long	dracclock_mono_ms(void);
long long	dracclock_mono_ns(void);

#endif
