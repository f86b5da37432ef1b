/*
 * opt.c: option arguments of the bench tools.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "opt.h"

long long
opt_number(const char *arg, long long min, long long max, int flag)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (arg[0] == '\0' || *end != '\0' || errno != 0 || v < min ||
	    v > max) {
		fprintf(stderr, "%s: -%c %s: want a whole number from %lld "
		    "to %lld\n", program_invocation_short_name, flag, arg, min,
		    max);
		exit(1);
	}
	return v;
}
