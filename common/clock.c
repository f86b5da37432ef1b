/*
 * clock.c: the wall clock and the monotonic clock (clock.h).
 */
#include <time.h>

#include "clock.h"

static long long
read_ms(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long
dracclock_wall_ms(void)
{
	return read_ms(CLOCK_REALTIME);
}

long long
dracclock_mono_ms(void)
{
	return read_ms(CLOCK_MONOTONIC);
}

long long
dracclock_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}
