/*
 * dracauthbench: dracauth() as POP and IMAP servers call it.
 *
 *	dracauthbench [-1k] [-c clients] [-d seconds] [-o offset] server
 *
 * Each call is dracauth(server, address, &errmsg) from libdrac, which
 * makes a new client for the one call (rpcbind lookup included when the
 * server names no port), exactly as a POP server does after a login.
 * With -k each client keeps one connection instead, as a server sending
 * many addresses does: dracconn once, then dracsend per call.
 * Addresses are 11.0.0.0/8 + call number, counting from -o.  Prints the
 * line of load.h with the name "libdrac dracauth" or "libdrac dracsend".
 *
 * With -1: one call, then "dracauth rc=N elapsed_ms=MS msg=TEXT", for
 * a server that is down or stopped.  Exit status: 0; 1 if a client
 * could not run (-1: if the call did not return).
 */
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drac.h"
#include "clock.h"
#include "load.h"
#include "opt.h"

struct authbench {
	char			*server;
	unsigned long long	 offset;
	int			 keep;	/* -k: dracconn, then dracsend */
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dracauthbench [-1k] [-c clients] [-d seconds] "
	    "[-o offset] server\n");
	exit(1);
}


/* Call n's address, network order as inet_addr() gives it. */
static unsigned long
address(unsigned long long n)
{
	return htonl(0x0b000000U | (uint32_t)(n % 0xfffffeULL + 1));
}

static int
call(void *ctx, int client, unsigned long long seq, char *err,
    size_t errlen)
{
	struct authbench *a = ctx;
	char *msg = NULL;
	int rc;

	(void)client;
	if (a->keep)
		rc = dracsend(address(a->offset + seq), &msg);
	else
		rc = dracauth(a->server, address(a->offset + seq), &msg);
	if (rc == 0)
		return 0;
	snprintf(err, errlen, "%s: %d: %s", a->keep ? "dracsend" : "dracauth",
	    rc, msg ? msg : "");
	return 1;
}

static int
conn(void *ctx, int client, char *err, size_t errlen)
{
	struct authbench *a = ctx;
	char *msg = NULL;

	(void)client;
	if (dracconn(a->server, &msg) == 0)
		return 0;
	snprintf(err, errlen, "dracconn: %s", msg ? msg : "");
	return -1;
}

static int
once(struct authbench *a)
{
	char *msg = NULL;
	long long t0;
	int rc;

	t0 = dracclock_mono_ns();
	rc = dracauth(a->server, address(a->offset), &msg);
	printf("dracauth rc=%d elapsed_ms=%.1f msg=\"%s\"\n", rc,
	    (double)(dracclock_mono_ns() - t0) / 1e6, msg ? msg : "");
	return 0;
}

int
main(int argc, char *argv[])
{
	struct authbench a;
	struct load_opts o;
	struct load_ops ops = { NULL, call };
	int ch, one = 0;

	memset(&a, 0, sizeof(a));
	memset(&o, 0, sizeof(o));
	o.name = "libdrac dracauth";
	o.clients = 1;
	o.duration_ms = 3000;
	o.warmup_ms = 200;
	while ((ch = getopt(argc, argv, "1c:d:ko:")) != -1) {
		switch (ch) {
		case '1':
			one = 1;
			break;
		case 'k':
			a.keep = 1;
			ops.setup = conn;
			o.name = "libdrac dracsend";
			break;
		case 'c':
			o.clients = (int)opt_number(optarg, 1, 64, 'c');
			break;
		case 'd':
			o.duration_ms = 1000 * opt_number(optarg, 1, 600, 'd');
			break;
		case 'o':
			a.offset = (unsigned long long)opt_number(optarg, 0,
			    1LL << 48, 'o');
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	a.server = argv[optind];
	if (one)
		return once(&a);
	return load_run(&o, &ops, &a);
}
