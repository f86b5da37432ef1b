/*
 * opt.h: option arguments of the bench tools.
 */
#ifndef DRAC_BENCH_OPT_H
#define DRAC_BENCH_OPT_H

/* A whole decimal number in [min, max], or exit 1 naming the flag. */
long long	opt_number(const char *arg, long long min, long long max,
		    int flag);

#endif
