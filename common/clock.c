/*
 * clock.c: the wall clock and the monotonic clock (clock.h).
 */
#include <time.h>

#include "clock.h"

static long long
read_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long long
dracclock_wall_ms(void)
{
	return read_ns(CLOCK_REALTIME) / 1000000;
}

long long
dracclock_mono_ms(void)
{
	return read_ns(CLOCK_MONOTONIC) / 1000000;
}

long long
dracclock_mono_ns(void)
{
	return read_ns(CLOCK_MONOTONIC);
}
