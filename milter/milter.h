/*
 * milter.h: drac-milter's one state struct, shared by its start-up
 * (milter.c) and its libmilter callbacks (filter.c).
 *
 * libmilter calls the callbacks from many threads: the maps are read
 * under a read lock and swapped under the write lock on reload, and
 * the rpc.dracd client, which is not thread-safe, has its own mutex.
 */
#ifndef DRAC_MILTER_H
#define DRAC_MILTER_H

#include <pthread.h>

#include <libmilter/mfapi.h>

#include "service.h"

#define MILTER_NAME		"drac-milter"
#define MILTER_SOCKET		"unix:/run/drac-milter/drac-milter.sock"
#define MILTER_RELAY_MACRO	"{drac_relay}"

/* What a refusal turns into (-r). */
#define MILTER_REFUSE_REJECT	0	/* 550 5.7.1 */
#define MILTER_REFUSE_TEMPFAIL	1	/* 450 4.7.1 */

struct milter {
	struct service		 svc;		/* the options both share */
	int			 refuse;	/* MILTER_REFUSE_* */
	pthread_rwlock_t	 maps_lock;	/* svc.maps */
	pthread_mutex_t		 client_lock;	/* svc.client */
};

extern struct milter milter;
extern struct smfiDesc filter_desc;

#endif
