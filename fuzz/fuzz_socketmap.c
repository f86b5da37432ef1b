/*
 * fuzz_socketmap.c: a byte stream of socketmap requests, consumed as
 * the daemon consumes a connection's input.
 */
#include <stdint.h>
#include <string.h>

#include "dracd.h"
#include "log.h"
#include "net.h"
#include "socketmap.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dracd d;
	static int ready;
	char out[SMAP_REPLY_MAX];
	struct dracaddr a;
	size_t used, outlen;
	int rc;

	if (!ready) {
		log_init("fuzz_socketmap", LOG_TO_NOWHERE, 0);
		if (table_init(&d.table, 64) != 0)
			return 0;
		dracaddr_parse("10.1.2.3", &a);
		table_put(&d.table, &a, 1LL << 40, NULL);
		ready = 1;
	}
	while (size > 0) {
		used = 0;
		rc = socketmap_request(&d, (const char *)data, size, &used, out,
		    sizeof(out), &outlen);
		if (rc <= 0)
			break;
		if (used == 0 || used > size)
			__builtin_trap();
		data += used;
		size -= used;
	}
	return 0;
}
