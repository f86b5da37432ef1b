/*
 * policyd.h: drac-policyd's one state struct, shared by its start-up
 * (policyd.c) and its service loop (serve.c).
 */
#ifndef DRAC_POLICYD_H
#define DRAC_POLICYD_H

#include <signal.h>

#include "service.h"

#define POLICYD_NAME		"drac-policyd"
#define POLICYD_LISTEN		"/var/spool/postfix/private/drac-policyd"
#define POLICYD_CONN_MAX	256	/* Postfix keeps one per smtpd */
#define POLICYD_IDLE_SECONDS	600	/* a quiet connection is closed */

/* What a refusal turns into (-r). */
#define POLICYD_REFUSE_REJECT	0
#define POLICYD_REFUSE_DEFER	1
#define POLICYD_REFUSE_DUNNO	2

struct policyd {
	struct service		 svc;		/* the options both share */
	int			 refuse;	/* POLICYD_REFUSE_* */
	int			 listen_fd;
	volatile sig_atomic_t	 got_hup;
	volatile sig_atomic_t	 got_term;
};

extern struct policyd policyd;

void	serve_loop(void);
void	serve_reload(void);

#endif
