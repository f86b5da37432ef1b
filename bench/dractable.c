/*
 * dractable: what rpc.dracd's table costs a single change while it
 * grows, the moments its index doubles included.
 *
 *	dractable [-n entries]
 *
 * Puts -n (default 2000000) distinct addresses into an empty table
 * (daemon/table.c, as the daemon links it), timing each put, then
 * deletes them all in the order they were added, timing each delete:
 *
 *	table put entries=N total_ms=MS max_us=US over_1ms=N
 *	table del entries=N total_ms=MS max_us=US over_1ms=N
 *
 * max_us is the longest single call: an ADD or an expiry waits that
 * long.  Exit status 0, or 1.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "clock.h"
#include "opt.h"
#include "table.h"

struct cost {
	long long	total_ns;
	long long	max_ns;
	long		over_1ms;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dractable [-n entries]\n");
	exit(1);
}

static void
account(struct cost *c, long long ns)
{
	c->total_ns += ns;
	if (ns > c->max_ns)
		c->max_ns = ns;
	if (ns > 1000000)
		c->over_1ms++;
}

static void
report(const char *what, long n, const struct cost *c)
{
	printf("table %s entries=%ld total_ms=%.1f max_us=%.1f over_1ms=%ld\n",
	    what, n, c->total_ns / 1e6, c->max_ns / 1e3, c->over_1ms);
}

/* Address i: spread like a busy server's clients, never repeated. */
static void
addr_of(long i, struct dracaddr *a)
{
	dracaddr_from_v4(htonl(0x0a000000U + (uint32_t)i * 2654435761U), a);
}

int
main(int argc, char *argv[])
{
	struct cost put = { 0, 0, 0 }, del = { 0, 0, 0 };
	struct dracaddr a;
	struct table t;
	struct entry *e;
	long long t0;
	long i, n = 2000000;
	int ch;

	while ((ch = getopt(argc, argv, "n:")) != -1) {
		switch (ch) {
		case 'n':
			n = (long)opt_number(optarg, 1, 100000000, 'n');
			break;
		default:
			usage();
		}
	}
	if (optind != argc || table_init(&t, 1024) != 0)
		usage();
	for (i = 0; i < n; i++) {
		addr_of(i, &a);
		t0 = dracclock_mono_ns();
		e = table_put(&t, &a, 1800000000LL + i, NULL);
		account(&put, dracclock_mono_ns() - t0);
		if (e == NULL) {
			fprintf(stderr, "dractable: out of memory at %ld\n", i);
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		addr_of(i, &a);
		if ((e = table_find(&t, &a)) == NULL) {
			fprintf(stderr, "dractable: entry %ld lost\n", i);
			return 1;
		}
		t0 = dracclock_mono_ns();
		table_del(&t, e);
		account(&del, dracclock_mono_ns() - t0);
	}
	report("put", n, &put);
	report("del", n, &del);
	table_free(&t);
	return 0;
}
