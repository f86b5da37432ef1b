/*
 * act.h: what dracwatch does with a matched line: ADD or DROP through
 * libdrac, or with -N print the decision instead of sending it.
 */
#ifndef DRAC_ACT_H
#define DRAC_ACT_H

#include "drac.h"
#include "pattern.h"

struct act_conf {
	const char		*servers;
	struct drac_options	 opt;
	unsigned int		 ttl;		/* 0: the server's default */
	int			 drop;		/* -D: DROP on logout lines */
	int			 dry_run;	/* -N */
};

void	act_init(const struct act_conf *);
void	act_line(const struct patmatch *, unsigned long);
void	act_done(void);

#endif
