/*
 * libcall: drive libdrac from the integration tests, both APIs, linked
 * against libdrac.so as a POP server would be.  Prints one "NAME=value"
 * line per fact (rc, msg, ms, the fields of a query) so that a test can
 * assert each one.
 *
 *   libcall [-3oP] [-k keyfile] [-s servers] [-T ms] command [arg ...]
 *
 * DRAC 1.12 API:  auth ADDR | auth6 ADDR6 | conn ADDR... | conn6 ADDR6... |
 *                 send ADDR (without conn) | threads NTHREADS NCALLS
 * drac_ API:      add ADDR [TTL [USER]] | drop ADDR | query ADDR |
 *                 add-sa ADDR [TTL [USER]] | drop-sa ADDR |
 *                 client OP:ARG... (one client; OP add, drop, query
 *                   with an address, or sleep with milliseconds) |
 *                 noerr ADDR (err NULL) | strerror CODE
 */
#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drac.h"

#define THREADS_MAX	64
#define CALLS_MAX	250

static const char *servers = "localhost";
static struct drac_options opt;

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: libcall [-3oP] [-k keyfile] [-s servers] "
	    "[-T ms] command [arg ...]\n");
	exit(2);
}

static long
num(const char *s, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || v < 0 || v > max) {
		fprintf(stderr, "libcall: bad number %s\n", s);
		exit(2);
	}
	return v;
}

static unsigned long
v4(const char *s)
{
	struct in_addr in;

	if (inet_pton(AF_INET, s, &in) != 1) {
		fprintf(stderr, "libcall: bad IPv4 address %s\n", s);
		exit(2);
	}
	return in.s_addr;	/* network order, as inet_addr() */
}

static void
v6(const char *s, unsigned char b[16])
{
	if (inet_pton(AF_INET6, s, b) != 1) {
		fprintf(stderr, "libcall: bad IPv6 address %s\n", s);
		exit(2);
	}
}

static void
result(int rc, const char *msg, long long start)
{
	printf("rc=%d\nmsg=%s\nms=%lld\n", rc, msg != NULL ? msg : "(null)",
	    now_ms() - start);
}

static void
print_info(const struct drac_info *info)
{
	printf("addr=%s\nexpires=%lld\nadded=%lld\nttl=%u\nhow=%d\nuser=%s\n",
	    info->addr, info->expires, info->added, info->ttl, info->how,
	    info->user);
}

/* A sockaddr for the _sa forms. */
static socklen_t
sockaddr_of(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(40000);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, s, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(40000);
		return sizeof(*sin6);
	}
	fprintf(stderr, "libcall: bad address %s\n", s);
	exit(2);
}

static int
old_api(int argc, char **argv)
{
	unsigned char b[16];
	char *msg = NULL;
	long long t = now_ms();
	int i, rc;

	if (strcmp(argv[0], "auth") == 0 && argc == 2) {
		rc = dracauth((char *)servers, v4(argv[1]), &msg);
		result(rc, msg, t);
	} else if (strcmp(argv[0], "auth6") == 0 && argc == 2) {
		v6(argv[1], b);
		rc = dracauth6((char *)servers, b, &msg);
		result(rc, msg, t);
	} else if (strcmp(argv[0], "send") == 0 && argc == 2) {
		rc = dracsend(v4(argv[1]), &msg);
		result(rc, msg, t);
	} else if (strcmp(argv[0], "conn") == 0 && argc >= 2) {
		rc = dracconn((char *)servers, &msg);
		result(rc, msg, t);
		for (i = 1; i < argc && rc == 0; i++) {
			t = now_ms();
			result(dracsend(v4(argv[i]), &msg), msg, t);
		}
		result(dracdisc(&msg), msg, t);
	} else if (strcmp(argv[0], "conn6") == 0 && argc >= 2) {
		rc = dracconn6((char *)servers, &msg);
		result(rc, msg, t);
		for (i = 1; i < argc && rc == 0; i++) {
			v6(argv[i], b);
			t = now_ms();
			result(dracsend6(b, &msg), msg, t);
		}
		result(dracdisc6(&msg), msg, t);
	} else
		return -1;
	return 0;
}

static int
one_op(struct drac_client *c, const char *op, const char *addr)
{
	struct drac_info info;
	char err[DRAC_ERRMAX];
	long long t = now_ms();
	int rc;

	if (strcmp(op, "sleep") == 0) {
		usleep((useconds_t)num(addr, 60000) * 1000);
		return 0;
	}
	if (strcmp(op, "add") == 0)
		rc = drac_client_add(c, addr, 0, NULL, err, sizeof(err));
	else if (strcmp(op, "drop") == 0)
		rc = drac_client_drop(c, addr, err, sizeof(err));
	else if (strcmp(op, "query") == 0) {
		rc = drac_client_query(c, addr, &info, err, sizeof(err));
		if (rc == DRAC_OK)
			print_info(&info);
	} else
		return -1;
	result(rc, err, t);
	return 0;
}

static int
client_ops(int argc, char **argv)
{
	struct drac_client *c;
	char err[DRAC_ERRMAX], *colon;
	long long t = now_ms();
	int i;

	c = drac_client_new(servers, &opt, err, sizeof(err));
	printf("new=%s\n", c != NULL ? "ok" : "null");
	result(c != NULL ? 0 : -1, err, t);
	if (c == NULL)
		return 0;
	for (i = 1; i < argc; i++) {
		if ((colon = strchr(argv[i], ':')) == NULL)
			usage();
		*colon = '\0';
		if (one_op(c, argv[i], colon + 1) != 0)
			usage();
	}
	drac_client_free(c);
	return 0;
}

static int
sa_api(int argc, char **argv)
{
	struct sockaddr_storage ss;
	struct drac_client *c;
	char err[DRAC_ERRMAX];
	long long t = now_ms();
	socklen_t len;
	int rc;

	if (argc < 2 || argc > 4)
		usage();
	len = sockaddr_of(argv[1], &ss);
	if ((c = drac_client_new(servers, &opt, err, sizeof(err))) == NULL) {
		result(DRAC_ENOCLIENT, err, t);
		return 0;
	}
	if (strcmp(argv[0], "add-sa") == 0)
		rc = drac_client_add_sa(c, (struct sockaddr *)&ss, len,
		    argc > 2 ? (unsigned int)num(argv[2], 0x7fffffff) : 0,
		    argc > 3 ? argv[3] : NULL, err, sizeof(err));
	else
		rc = drac_client_drop_sa(c, (struct sockaddr *)&ss, len, err,
		    sizeof(err));
	result(rc, err, t);
	drac_client_free(c);
	return 0;
}

static int
new_api(int argc, char **argv)
{
	struct drac_info info;
	char err[DRAC_ERRMAX];
	long long t = now_ms();
	int rc;

	if (strcmp(argv[0], "add") == 0 && argc >= 2 && argc <= 4) {
		rc = drac_add(servers, argv[1], argc > 2 ?
		    (unsigned int)num(argv[2], 0x7fffffff) : 0,
		    argc > 3 ? argv[3] : NULL, &opt, err, sizeof(err));
	} else if (strcmp(argv[0], "drop") == 0 && argc == 2) {
		rc = drac_drop(servers, argv[1], &opt, err, sizeof(err));
	} else if (strcmp(argv[0], "query") == 0 && argc == 2) {
		rc = drac_query(servers, argv[1], &info, &opt, err,
		    sizeof(err));
		if (rc == DRAC_OK)
			print_info(&info);
	} else if (strcmp(argv[0], "noerr") == 0 && argc == 2) {
		rc = drac_add(servers, argv[1], 0, NULL, &opt, NULL, 0);
		snprintf(err, sizeof(err), "-");
	} else if (strcmp(argv[0], "strerror") == 0 && argc == 2) {
		rc = (int)strtol(argv[1], NULL, 10);
		snprintf(err, sizeof(err), "%s", drac_strerror(rc));
	} else if (strcmp(argv[0], "client") == 0)
		return client_ops(argc, argv);
	else if (strcmp(argv[0], "add-sa") == 0 ||
	    strcmp(argv[0], "drop-sa") == 0)
		return sa_api(argc, argv);
	else
		return -1;
	result(rc, err, t);
	return 0;
}

/*
 * threads: each thread adds its own addresses through dracauth and a
 * dracconn connection of its own, and checks that the message it gets
 * is its own (per-thread storage) and says what happened.
 */
struct worker {
	pthread_t	 tid;
	int		 n, calls, bad;
	char		*msgp;
};

static void *
work(void *arg)
{
	struct worker *w = arg;
	char addr[32], *msg;
	int i;

	if (dracconn((char *)servers, &msg) != 0) {
		w->bad = w->calls * 2;
		return NULL;
	}
	for (i = 0; i < w->calls; i++) {
		snprintf(addr, sizeof(addr), "10.77.%d.%d", w->n, i + 1);
		if (dracauth((char *)servers, inet_addr(addr), &msg) != 0 ||
		    strcmp(msg, "Server reports add succeeded") != 0)
			w->bad++;
		w->msgp = msg;
		snprintf(addr, sizeof(addr), "10.78.%d.%d", w->n, i + 1);
		if (dracsend(inet_addr(addr), &msg) != 0 ||
		    strcmp(msg, "Server reports add succeeded") != 0)
			w->bad++;
	}
	dracdisc(&msg);
	return NULL;
}

static int
threads(int argc, char **argv)
{
	struct worker w[THREADS_MAX];
	int n, calls, i, j, bad = 0, shared = 0;

	if (argc != 3)
		usage();
	n = (int)num(argv[1], THREADS_MAX);
	calls = (int)num(argv[2], CALLS_MAX);
	memset(w, 0, sizeof(w));
	for (i = 0; i < n; i++) {
		w[i].n = i;
		w[i].calls = calls;
		if (pthread_create(&w[i].tid, NULL, work, &w[i]) != 0) {
			fprintf(stderr, "libcall: pthread_create failed\n");
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		pthread_join(w[i].tid, NULL);
		bad += w[i].bad;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			shared += w[i].msgp != NULL && w[i].msgp == w[j].msgp;
	printf("calls=%d\nbad=%d\nshared_msg=%d\n", n * calls * 2, bad, shared);
	return 0;
}

int
main(int argc, char **argv)
{
	int ch;

	while ((ch = getopt(argc, argv, "+3k:oPs:T:")) != -1) {
		switch (ch) {
		case '3':
			opt.flags |= DRAC_V3ONLY;
			break;
		case 'k':
			opt.keyfile = optarg;
			break;
		case 'o':
			opt.flags |= DRAC_V12ONLY;
			break;
		case 'P':
			opt.flags |= DRAC_TCP;
			break;
		case 's':
			servers = optarg;
			break;
		case 'T':
			opt.timeout_ms = (int)num(optarg, 600000);
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[0], "threads") == 0)
		return threads(argc, argv);
	if (old_api(argc, argv) == 0 || new_api(argc, argv) == 0)
		return 0;
	usage();
}
