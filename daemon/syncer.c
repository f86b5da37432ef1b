/*
 * syncer.c: one thread that runs fdatasync when asked (see syncer.h).
 * It is started at the first request, after the daemon has detached,
 * and blocks every signal so that they reach the serving thread's poll.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "syncer.h"

static void *
syncer_main(void *arg)
{
	struct syncer *s = arg;
	int i, error, which;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->stop && (!s->requested || s->done))
			pthread_cond_wait(&s->wake, &s->lock);
		if (s->stop && (!s->requested || s->done))
			break;
		pthread_mutex_unlock(&s->lock);
		error = 0;
		which = 0;
		for (i = 0; i < s->nfds; i++)
			if (s->fds[i] >= 0 && fdatasync(s->fds[i]) != 0 &&
			    error == 0) {
				error = errno;
				which = i;
			}
		if (s->close_fd >= 0)
			(void)close(s->close_fd);
		pthread_mutex_lock(&s->lock);
		s->error = error;
		s->failed_fd = which;
		s->done = 1;
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

void
syncer_init(struct syncer *s)
{
	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
}

static int
start(struct syncer *s)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->thread, NULL, syncer_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	s->started = 1;
	return 0;
}

int
syncer_request(struct syncer *s, const int *fds, int n, int close_fd)
{
	if (s->requested || n > SYNCER_FDS)
		return -1;
	if (!s->started && start(s) != 0)
		return -1;
	pthread_mutex_lock(&s->lock);
	memcpy(s->fds, fds, (size_t)n * sizeof(*fds));
	s->nfds = n;
	s->close_fd = close_fd;
	s->requested = 1;
	s->done = 0;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	return 0;
}

int
syncer_collect(struct syncer *s, int *error, int *which)
{
	int done;

	if (!s->requested)
		return 0;
	pthread_mutex_lock(&s->lock);
	if ((done = s->done)) {
		*error = s->error;
		*which = s->failed_fd;
		s->requested = 0;
	}
	pthread_mutex_unlock(&s->lock);
	return done;
}

int
syncer_busy(const struct syncer *s)
{
	return s->requested;
}

void
syncer_stop(struct syncer *s)
{
	if (s->started) {
		pthread_mutex_lock(&s->lock);
		s->stop = 1;
		pthread_cond_signal(&s->wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
		s->started = 0;
	}
	s->requested = 0;
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
}
