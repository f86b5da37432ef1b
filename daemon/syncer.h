/*
 * syncer.h: fdatasync off the serving thread.  Flushing a map with
 * thousands of dirty pages takes tens of milliseconds; a thread of its
 * own does it while the loop keeps answering.  The files' pages are
 * already in the page cache: this only protects against a power loss.
 */
#ifndef DRAC_SYNCER_H
#define DRAC_SYNCER_H

#include <pthread.h>

#define SYNCER_FDS	3

struct syncer {
	pthread_t	 thread;
	pthread_mutex_t	 lock;
	pthread_cond_t	 wake;
	int		 started;
	int		 fds[SYNCER_FDS];	/* what to flush */
	int		 nfds;
	int		 close_fd;	/* then closed, -1: none */
	int		 requested;	/* a flush is wanted or running */
	int		 done;		/* it finished; result below */
	int		 error;		/* errno of the first failure, or 0 */
	int		 failed_fd;	/* index into fds of that failure */
	int		 stop;
};

void	syncer_init(struct syncer *);
/*
 * Starts a flush of the n (at most SYNCER_FDS) files fds, after which
 * the thread closes close_fd unless it is -1: closing the last
 * descriptor of a large unlinked file frees its blocks, tens of
 * milliseconds for a hundred megabytes.  0, or -1 if a flush is still
 * running.
 */
int	syncer_request(struct syncer *, const int *fds, int n, int close_fd);
/*
 * 1 if the flush requested last has finished (*error, *which: its
 * errno and the index of the file that failed), 0 if it is running or
 * none was asked for.
 */
int	syncer_collect(struct syncer *, int *error, int *which);
int	syncer_busy(const struct syncer *);
/* Waits for a running flush and ends the thread. */
void	syncer_stop(struct syncer *);

#endif
