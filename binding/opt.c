/*
 * opt.c: option arguments of drac-policyd and drac-milter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int
opt_keyword(const char *arg, const char *const *words, int flag)
{
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(arg, words[i]) == 0)
			return i;
	fprintf(stderr, "%s: -%c %s: want", program_invocation_short_name,
	    flag, arg);
	for (i = 0; words[i] != NULL; i++)
		fprintf(stderr, "%s %s", i == 0 ? "" : (words[i + 1] == NULL ?
		    " or" : ","), words[i]);
	fprintf(stderr, "\n");
	exit(1);
}
