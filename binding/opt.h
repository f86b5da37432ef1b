/*
 * opt.h: option arguments of drac-policyd and drac-milter.
 */
#ifndef DRAC_BINDING_OPT_H
#define DRAC_BINDING_OPT_H

/* A whole decimal number in [min, max], or exit 1 naming the flag. */
long	opt_number(const char *arg, long min, long max, int flag);

#endif
