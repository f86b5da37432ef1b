/*
 * opt.c: option arguments of drac-policyd and drac-milter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "opt.h"

long
opt_number(const char *arg, long min, long max, int flag)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	/* strtol would skip blanks and take a sign: digits only. */
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    v < min || v > max) {
		fprintf(stderr, "%s: -%c %s: want a whole number from %ld to "
		    "%ld\n", program_invocation_short_name, flag, arg, min, max);
		exit(1);
	}
	return v;
}
