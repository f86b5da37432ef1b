/*
 * dracbench: load generator for rpc.dracd.
 *
 *	dracbench [-6T] [-c clients] [-D pid] [-d seconds] [-e ttl]
 *	    [-H host] [-l label] [-n calls] [-o offset] [-P proc] [-p port]
 *	    [-S socket] [-t timeout_ms] [-W epoch_ms] [-w warmup_ms]
 *
 * Each client process makes one call at a time to the daemon's fixed
 * port (-p, no rpcbind), UDP by default, TCP with -T, and waits for the
 * reply.  -P says which call: null (NULLPROC of version 1), v1, v2, v3
 * (ADD of that version; default v1), smap (a socketmap lookup over the
 * unix socket -S).  Every call has its own address: call number N of
 * the run (counting from -o) is 10.0.0.0/8 + N, or 2001:db8::/32 + N
 * for v2 and for v3 with -6; a v3 ADD asks for -e seconds (default 0:
 * the daemon's default lifetime).  An ADD counts as answered when the
 * daemon says it succeeded; anything else, including a timeout (-t,
 * default 1000 ms), is an error.
 *
 * The run lasts -d seconds (default 3) after -w milliseconds of warm-up
 * (default 200), or -n calls (no warm-up unless -w says so); -W counts
 * only calls started after that epoch millisecond instead.  SIGUSR1
 * ends it early.  One line goes to standard output (see load.h); -l
 * adds "key=value" text to it, -D pid the daemon's CPU time per call.
 * v3 runs also print expires_max, the latest expiry the daemon granted.
 * Exit status: 0, or 1 if a client could not run.
 */
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "load.h"
#include "wire.h"
#include "opt.h"

enum proc { P_NULL, P_V1, P_V2, P_V3, P_SMAP };

struct bench {
	enum proc	 proc;
	enum wire_kind	 kind;
	int		 six;		/* v3 with IPv6 addresses */
	const char	*host;
	int		 port;
	const char	*socket;
	int		 timeout_ms;
	uint32_t	 ttl;		/* v3 ADD */
	unsigned long long offset;
	struct wire	 w;
	struct xbuf	 x;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dracbench [-6T] [-c clients] [-D pid] "
	    "[-d seconds] [-e ttl]\n"
	    "                 [-H host] [-l label] [-n calls] [-o offset] "
	    "[-P proc] [-p port]\n"
	    "                 [-S socket] [-t timeout_ms] [-W epoch_ms] "
	    "[-w warmup_ms]\n");
	exit(1);
}


/* Call n's IPv4 address in 10.0.0.0/8, host order, never .0.0.0. */
static uint32_t
addr4(unsigned long long n)
{
	return 0x0a000000U | (uint32_t)(n % 0xfffffeULL + 1);
}

/* Call n's IPv6 address: 2001:db8::/32 with n + 1 in the low bits. */
static void
addr6(unsigned long long n, uint8_t a[16])
{
	int i;

	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	n++;
	for (i = 15; i >= 8; i--, n >>= 8)
		a[i] = (uint8_t)n;
}

static int
setup(void *ctx, int client, char *err, size_t errlen)
{
	struct bench *b = ctx;

	b->w.xid = (uint32_t)client << 24 | (uint32_t)getpid() << 8;
	return wire_open(&b->w, b->kind, b->host, b->port, b->socket, err,
	    errlen);
}

static void
encode(struct bench *b, unsigned long long n)
{
	struct xbuf *x = &b->x;
	uint8_t a[16];
	uint32_t v4;
	int i;

	switch (b->proc) {
	case P_NULL:
		wire_call(x, b->w.xid, 1, 0);
		break;
	case P_V1:
		wire_call(x, b->w.xid, 1, 1);
		xput_u32(x, addr4(n));		/* host order */
		break;
	case P_V2:
		wire_call(x, b->w.xid, 2, 1);
		addr6(n, a);
		/* As rpcgen's xdr_char sends it: sign-extended. */
		for (i = 0; i < 16; i++)
			xput_u32(x, (uint32_t)(int32_t)(int8_t)a[i]);
		break;
	case P_V3:
		wire_call(x, b->w.xid, 3, 1);
		xput_u32(x, 0);			/* auth: none */
		if (b->six) {
			addr6(n, a);
			xput_u32(x, 2);
			xput_bytes(x, a, 16);
		} else {
			v4 = htonl(addr4(n));
			xput_u32(x, 1);
			xput_bytes(x, &v4, 4);
		}
		xput_u32(x, b->ttl);
		xput_string(x, "bench");
		break;
	case P_SMAP:
		break;
	}
}

static int
check_result(struct bench *b, char *err, size_t errlen)
{
	uint64_t expires;
	uint32_t st;

	if (b->proc == P_NULL)
		return b->w.reply.off == b->w.reply.n ? 0 : 1;
	if (xget_u32(&b->w.reply, &st) != 0) {
		snprintf(err, errlen, "reply: no status");
		return 1;
	}
	if (st != 0) {
		snprintf(err, errlen, "ADD refused: status %u", st);
		return 1;
	}
	if (b->proc == P_V3 && xget_u64(&b->w.reply, &expires) == 0)
		load_note((long long)expires);
	return 0;
}

static int
smap_call(struct bench *b, unsigned long long n, char *err, size_t errlen)
{
	char req[64], reply[128];
	struct in_addr in;

	in.s_addr = htonl(addr4(n));
	snprintf(req, sizeof(req), "drac %s", inet_ntoa(in));
	if (wire_smap(&b->w, req, b->timeout_ms, reply, sizeof(reply), err,
	    errlen) != 0)
		return 1;
	if (strncmp(reply, "OK ", 3) != 0 &&
	    strncmp(reply, "NOTFOUND", 8) != 0) {
		snprintf(err, errlen, "socketmap reply: %s", reply);
		return 1;
	}
	return 0;
}

static int
call(void *ctx, int client, unsigned long long seq, char *err,
    size_t errlen)
{
	struct bench *b = ctx;
	unsigned long long n = b->offset + seq;

	if (b->w.fd < 0 && setup(ctx, client, err, errlen) != 0)
		return 1;
	b->w.xid++;
	if (b->proc == P_SMAP)
		return smap_call(b, n, err, errlen);
	encode(b, n);
	if (wire_rpc(&b->w, &b->x, b->timeout_ms, err, errlen) != 0)
		return 1;
	return check_result(b, err, errlen);
}

static const char *
run_name(const struct bench *b, char *buf, size_t size)
{
	static const char *const procs[] = {
		[P_NULL] = "null", [P_V1] = "v1 add", [P_V2] = "v2 add",
		[P_V3] = "v3 add", [P_SMAP] = "socketmap lookup",
	};
	static const char *const kinds[] = {
		[WIRE_UDP] = "udp", [WIRE_TCP] = "tcp", [WIRE_UNIX] = "unix",
	};

	snprintf(buf, size, "%s %s%s", kinds[b->kind], procs[b->proc],
	    b->proc == P_V3 && b->six ? "6" : "");
	return buf;
}

int
main(int argc, char *argv[])
{
	static struct bench b;
	struct load_opts o;
	struct load_ops ops = { setup, call };
	char name[64];
	int ch, tcp = 0, warmup_set = 0;

	memset(&o, 0, sizeof(o));
	o.clients = 1;
	o.duration_ms = 3000;
	o.warmup_ms = 200;
	b.proc = P_V1;
	b.host = "127.0.0.1";
	b.timeout_ms = 1000;
	b.w.fd = -1;
	while ((ch = getopt(argc, argv, "6c:D:d:e:H:l:n:o:P:p:S:Tt:W:w:")) != -1) {
		switch (ch) {
		case '6':
			b.six = 1;
			break;
		case 'c':
			o.clients = (int)opt_number(optarg, 1, 64, 'c');
			break;
		case 'D':
			o.server_pid = (int)opt_number(optarg, 1, 1 << 30, 'D');
			break;
		case 'd':
			o.duration_ms = 1000 * opt_number(optarg, 0, 600, 'd');
			break;
		case 'e':
			b.ttl = (uint32_t)opt_number(optarg, 0, 1LL << 31, 'e');
			break;
		case 'H':
			b.host = optarg;
			break;
		case 'l':
			o.label = optarg;
			break;
		case 'n':
			o.calls = opt_number(optarg, 1, 1LL << 40, 'n');
			o.duration_ms = 0;
			break;
		case 'o':
			b.offset = (unsigned long long)opt_number(optarg, 0,
			    1LL << 48, 'o');
			break;
		case 'P':
			if (strcmp(optarg, "null") == 0)
				b.proc = P_NULL;
			else if (strcmp(optarg, "v1") == 0)
				b.proc = P_V1;
			else if (strcmp(optarg, "v2") == 0)
				b.proc = P_V2;
			else if (strcmp(optarg, "v3") == 0)
				b.proc = P_V3;
			else if (strcmp(optarg, "smap") == 0)
				b.proc = P_SMAP;
			else {
				fprintf(stderr, "dracbench: -P %s: want null, "
				    "v1, v2, v3 or smap\n", optarg);
				exit(1);
			}
			break;
		case 'p':
			b.port = (int)opt_number(optarg, 1, 65535, 'p');
			break;
		case 'S':
			b.socket = optarg;
			break;
		case 'T':
			tcp = 1;
			break;
		case 't':
			b.timeout_ms = (int)opt_number(optarg, 1, 60000, 't');
			break;
		case 'W':
			o.window_ms = opt_number(optarg, 1, 1LL << 50, 'W');
			break;
		case 'w':
			o.warmup_ms = opt_number(optarg, 0, 60000, 'w');
			warmup_set = 1;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	b.kind = tcp ? WIRE_TCP : WIRE_UDP;
	if (b.proc == P_SMAP) {
		if (b.socket == NULL) {
			fprintf(stderr, "dracbench: -P smap needs -S socket\n");
			exit(1);
		}
		b.kind = WIRE_UNIX;
	} else if (b.port == 0) {
		fprintf(stderr, "dracbench: -p port is needed\n");
		exit(1);
	}
	if (o.window_ms > 0 || (o.calls > 0 && !warmup_set))
		o.warmup_ms = 0;
	o.name = run_name(&b, name, sizeof(name));
	if (b.proc == P_V3)
		o.note_name = "expires_max";
	return load_run(&o, &ops, &b);
}
