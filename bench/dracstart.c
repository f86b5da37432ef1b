/*
 * dracstart: time a daemon's start-up and read its memory.
 *
 *	dracstart [-l label] [-o logfile] [-p port] [-t seconds]
 *	    command [argument ...]
 *
 * Runs the command (rpc.dracd -d ... -p PORT) with its output appended
 * to -o (default /dev/null), sends NULLPROC over UDP to 127.0.0.1:PORT
 * every millisecond from the moment of the fork, and at the first reply
 * prints
 *
 *	startup LABEL ms=MS cpu_ms=MS rss_kib=N hwm_kib=N pid=PID
 *
 * (CPU time the daemon used until then from /proc/PID/schedstat, a
 * figure that a busy machine disturbs less than ms; VmRSS and VmHWM
 * from /proc/PID/status).  The daemon keeps running:
 * the caller stops it.  Exit status: 0; 1 if it exited or did not answer
 * within -t seconds (default 30), in which case it is killed.
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "wire.h"

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dracstart [-l label] [-o logfile] [-p port] "
	    "[-t seconds]\n"
	    "                 command [argument ...]\n");
	exit(1);
}

/* A "Name:   1234 kB" line of /proc/PID/status, or -1. */
static long
status_kib(pid_t pid, const char *name)
{
	char path[64], line[256];
	size_t len = strlen(name);
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, name, len) == 0 && line[len] == ':') {
			v = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* CPU time the process has used so far, in ms; -1 if unknown. */
static double
cpu_ms(pid_t pid)
{
	char path[64];
	unsigned long long ns;
	FILE *f;
	int n;

	snprintf(path, sizeof(path), "/proc/%ld/schedstat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fscanf(f, "%llu", &ns);
	fclose(f);
	return n == 1 ? (double)ns / 1e6 : -1;
}

static pid_t
spawn(char *argv[], const char *log)
{
	pid_t pid;
	int fd;

	if ((pid = fork()) != 0)
		return pid;
	if ((fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644)) >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "dracstart: %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int
main(int argc, char *argv[])
{
	struct wire w;
	struct xbuf x;
	const char *label = "", *log = "/dev/null";
	char err[256], *end;
	struct timespec ts;
	long long t0, t1, deadline;
	int ch, port = 0, secs = 30, status;
	pid_t pid;

	while ((ch = getopt(argc, argv, "+l:o:p:t:")) != -1) {
		switch (ch) {
		case 'l':
			label = optarg;
			break;
		case 'o':
			log = optarg;
			break;
		case 'p':
			port = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || port < 1 || port > 65535) {
				fprintf(stderr, "dracstart: -p %s: want a "
				    "port from 1 to 65535\n", optarg);
				exit(1);
			}
			break;
		case 't':
			secs = (int)strtol(optarg, &end, 10);
			if (*end != '\0' || secs < 1 || secs > 600) {
				fprintf(stderr, "dracstart: -t %s: want 1 to "
				    "600 seconds\n", optarg);
				exit(1);
			}
			break;
		default:
			usage();
		}
	}
	if (optind == argc || port == 0)
		usage();
	memset(&w, 0, sizeof(w));
	if (wire_open(&w, WIRE_UDP, "127.0.0.1", port, NULL, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "dracstart: %s\n", err);
		return 1;
	}
	fflush(stdout);
	t0 = dracclock_mono_ns();
	if ((pid = spawn(argv + optind, log)) < 0) {
		perror("dracstart: fork");
		return 1;
	}
	deadline = t0 + secs * 1000000000LL;
	while ((t1 = dracclock_mono_ns()) < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "dracstart: %s exited (status %d) "
			    "before answering\n", argv[optind], status);
			return 1;
		}
		wire_call(&x, ++w.xid, 1, 0);
		/* A refused send (nobody bound yet) is the same as silence. */
		if (wire_rpc(&w, &x, 1, err, sizeof(err)) == 0) {
			printf("startup %s ms=%.1f cpu_ms=%.1f rss_kib=%ld "
			    "hwm_kib=%ld pid=%ld\n", label,
			    (double)(dracclock_mono_ns() - t0) / 1e6, cpu_ms(pid),
			    status_kib(pid, "VmRSS"), status_kib(pid, "VmHWM"),
			    (long)pid);
			return 0;
		}
		/* A refused datagram fails at once: no busy loop. */
		t1 += 1000000 - dracclock_mono_ns();
		if (t1 > 0) {
			ts.tv_sec = 0;
			ts.tv_nsec = (long)t1;
			nanosleep(&ts, NULL);
		}
	}
	fprintf(stderr, "dracstart: no answer on port %d within %d s\n",
	    port, secs);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return 1;
}
