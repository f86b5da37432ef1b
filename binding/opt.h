/*
 * opt.h: option arguments of drac-policyd and drac-milter.
 */
#ifndef DRAC_BINDING_OPT_H
#define DRAC_BINDING_OPT_H

/* A whole decimal number in [min, max], or exit 1 naming the flag. */
long	opt_number(const char *arg, long min, long max, int flag);
/* The index of arg in words (NULL-terminated), or exit 1 naming the flag. */
int	opt_keyword(const char *arg, const char *const *words, int flag);

#endif
