/*
 * load.c: the client processes of a benchmark.
 *
 * Processes, not threads: each client is what a POP server process is to
 * the daemon, and no lock is shared between them.  They wait on a pipe so
 * that all start together, then fill their own slot of a shared mapping;
 * the parent only waits and merges.  Client k makes calls k, k+N, k+2N...
 * so that every call of a run has its own sequence number (address).
 */
#include <sys/mman.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "hist.h"
#include "load.h"

#define LOAD_CLIENTS_MAX	64
#define LOAD_HARD_LIMIT_MS	(600 * 1000LL)	/* whatever the options */

struct slot {
	struct hist	 h;
	long long	 calls;		/* counted (in the window) */
	long long	 errors;	/* counted calls that failed */
	long long	 all;		/* every call, warm-up included */
	long long	 end_ns;	/* when the last counted call ended */
	long long	 note;		/* largest load_note() value */
	int		 fatal;
	char		 err[160];
};

struct shared {
	volatile int	 stop;
	long long	 start_ns;	/* set before the clients are released */
	long long	 window_ns;	/* calls that start earlier not counted */
	struct slot	 slot[];
};

static struct shared *shm;
static int self = -1;		/* a client's slot, in the client */

void
load_note(long long v)
{
	if (shm != NULL && self >= 0 && v > shm->slot[self].note)
		shm->slot[self].note = v;
}

static void
on_stop(int sig)
{
	(void)sig;
	if (shm != NULL)
		shm->stop = 1;
}

static void
stop_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void __attribute__((noreturn))
client(const struct load_opts *o, const struct load_ops *ops, void *ctx,
    int k, int ready, int go)
{
	struct slot *s = &shm->slot[k];
	unsigned long long seq = (unsigned long long)k;
	long long t0, t1, deadline, limit;
	char c = 'r';
	int rc;

	self = k;
	if (ops->setup != NULL &&
	    ops->setup(ctx, k, s->err, sizeof(s->err)) != 0) {
		s->fatal = 1;
		c = 'f';
	}
	if (write(ready, &c, 1) != 1 || c == 'f')
		_exit(1);
	close(ready);
	/* Released when the parent closes its end. */
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	close(go);
	deadline = shm->start_ns + LOAD_HARD_LIMIT_MS * 1000000LL;
	if (o->duration_ms > 0)
		deadline = shm->start_ns + (o->warmup_ms + o->duration_ms) *
		    1000000LL;
	/* Each client's share of a call count, the first ones one more. */
	limit = o->calls / o->clients + (k < o->calls % o->clients);
	while (!shm->stop) {
		t0 = dracclock_mono_ns();
		if (t0 >= deadline || (o->calls > 0 && limit-- <= 0))
			break;
		rc = ops->call(ctx, k, seq, s->err, sizeof(s->err));
		t1 = dracclock_mono_ns();
		seq += (unsigned long long)o->clients;
		s->all++;
		if (rc < 0) {
			s->fatal = 1;
			break;
		}
		if (t0 < shm->window_ns)
			continue;
		s->calls++;
		s->end_ns = t1;
		if (rc == 0)
			hist_add(&s->h, (uint64_t)(t1 - t0));
		else
			s->errors++;
	}
	_exit(s->fatal);
}

/* Nanoseconds of CPU the process has used, or -1. */
static long long
cpu_ns(int pid)
{
	char path[64];
	long long ns;
	FILE *f;
	int n;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fscanf(f, "%lld", &ns);
	fclose(f);
	return n == 1 ? ns : -1;
}

static void
report(const struct load_opts *o, struct hist *all, long long server_ns)
{
	long long calls = 0, errors = 0, end = 0, made = 0, note = 0;
	double secs;
	int k;

	for (k = 0; k < o->clients; k++) {
		struct slot *s = &shm->slot[k];

		hist_merge(all, &s->h);
		calls += s->calls;
		errors += s->errors;
		made += s->all;
		if (s->note > note)
			note = s->note;
		if (s->end_ns > end)
			end = s->end_ns;
	}
	secs = end > shm->window_ns ? (double)(end - shm->window_ns) / 1e9 :
	    0.0;
	printf("bench %s clients=%d%s%s rate=%.0f p50_us=%llu p90_us=%llu "
	    "p99_us=%llu max_us=%llu calls=%lld errors=%lld secs=%.2f",
	    o->name, o->clients, o->label ? " " : "", o->label ? o->label : "",
	    secs > 0 ? (double)all->count / secs : 0.0,
	    (unsigned long long)hist_quantile_us(all, 0.50),
	    (unsigned long long)hist_quantile_us(all, 0.90),
	    (unsigned long long)hist_quantile_us(all, 0.99),
	    (unsigned long long)(all->max_ns / 1000), calls, errors, secs);
	if (o->note_name != NULL)
		printf(" %s=%lld", o->note_name, note);
	if (server_ns >= 0 && made > 0)
		printf(" server_cpu_us=%.1f", (double)server_ns / 1e3 /
		    (double)made);
	printf("\n");
	fflush(stdout);
}

/* Waits for every child; 0 if all of them exited 0. */
static int
reap(pid_t *pids, int n)
{
	int status, bad = 0, k;

	for (k = 0; k < n; k++) {
		if (pids[k] <= 0)
			continue;
		while (waitpid(pids[k], &status, 0) < 0)
			if (errno != EINTR) {
				bad = 1;
				break;
			}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			bad = 1;
	}
	return bad;
}

int
load_run(const struct load_opts *o, const struct load_ops *ops, void *ctx)
{
	static struct hist all;
	pid_t pids[LOAD_CLIENTS_MAX];
	int ready[2], go[2], k, bad, started = 0;
	long long cpu0, cpu1;
	size_t size;
	char c;

	if (o->clients < 1 || o->clients > LOAD_CLIENTS_MAX) {
		fprintf(stderr, "load: %d clients: want 1 to %d\n",
		    o->clients, LOAD_CLIENTS_MAX);
		return 1;
	}
	size = sizeof(struct shared) + (size_t)o->clients * sizeof(struct slot);
	shm = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (shm == MAP_FAILED) {
		perror("load: mmap");
		return 1;
	}
	if (pipe(ready) != 0 || pipe(go) != 0) {
		perror("load: pipe");
		return 1;
	}
	memset(&all, 0, sizeof(all));
	stop_signals();
	fflush(stdout);
	for (k = 0; k < o->clients; k++) {
		if ((pids[k] = fork()) < 0) {
			perror("load: fork");
			break;
		}
		if (pids[k] == 0) {
			close(ready[0]);
			close(go[1]);
			client(o, ops, ctx, k, ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	while (started < k && read(ready[0], &c, 1) == 1 && c == 'r')
		started++;
	shm->start_ns = dracclock_mono_ns();
	shm->window_ns = shm->start_ns + o->warmup_ms * 1000000LL;
	if (o->window_ms > 0)
		shm->window_ns = shm->start_ns +
		    (o->window_ms - dracclock_wall_ms()) * 1000000LL;
	if (started < o->clients)
		shm->stop = 1;
	cpu0 = cpu_ns(o->server_pid);
	close(go[1]);		/* go */
	bad = reap(pids, k);
	cpu1 = cpu_ns(o->server_pid);
	close(ready[0]);
	for (k = 0; k < o->clients; k++)
		if (shm->slot[k].err[0] != '\0')
			fprintf(stderr, "%s: client %d: %s\n", o->name, k,
			    shm->slot[k].err);
	if (started == o->clients)
		report(o, &all, cpu0 >= 0 && cpu1 >= 0 ? cpu1 - cpu0 : -1);
	munmap(shm, size);
	shm = NULL;
	return bad || started < o->clients;
}
