/*
 * fuzz_rpc.c: a call record in, through the real dispatch, a reply out.
 * The first input byte picks the caller: even trusted, odd untrusted.
 * The map and its state file live in a temporary directory for the
 * whole run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drac_prot.h"
#include "dracd.h"
#include "log.h"
#include "rpcsvc.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct dracd d;
static char dir[] = "/tmp/drac-fuzz.XXXXXX";

static void
cleanup(void)
{
	char cmd[64];

	grant_close(&d);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	(void)system(cmd);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static char path[64];
	struct allow_entry e;
	char err[64];

	(void)argc;
	(void)argv;
	log_init("fuzz_rpc", LOG_TO_NOWHERE, 0);
	if (mkdtemp(dir) == NULL)
		abort();
	atexit(cleanup);
	snprintf(path, sizeof(path), "%s/dracd.db", dir);
	d.dbpath = path;
	d.default_ttl = 1800;
	d.max_ttl = 86400;
	d.sync_secs = 3600;
	if (table_init(&d.table, 1024) != 0 || grant_open(&d, 1) != 0)
		abort();
	d.allow.v = calloc(1, sizeof(*d.allow.v));
	if (d.allow.v == NULL || allow_parse_line("127.0.0.0/8", &e, err,
	    sizeof(err)) != 1)
		abort();
	d.allow.v[0] = e;
	d.allow.n = 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[RPC_RECORD_MAX], out[RPC_REPLY_MAX];
	struct rpc_caller c;
	int more;

	if (size < 1 || size - 1 > sizeof(in))
		return 0;
	dracaddr_parse(data[0] & 1 ? "192.0.2.1" : "127.0.0.1", &c.addr);
	c.len = (unsigned int)(size - 1);
	memcpy(in, data + 1, size - 1);
	(void)rpcsvc_handle(&d, &c, in, out, sizeof(out));
	/* Keep the table small: expire everything now and then. */
	if (d.table.n > 5000)
		(void)grant_expire(&d, 1LL << 62, &more);
	return 0;
}
