/*
 * fuzz_policy.c: a byte stream of Postfix policy requests through
 * drac-policyd's parser, consumed as the service consumes a connection,
 * and every answer it would build.
 */
#include <stdint.h>
#include <string.h>

#include "pproto.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pproto_req req;
	char why[256], out[PPROTO_ANSWER_MAX];
	size_t used;
	int rc;

	while (size > 0) {
		used = 0;
		rc = pproto_parse((const char *)data, size, &req, &used, why,
		    sizeof(why));
		if (rc == PPROTO_MORE || rc == PPROTO_FATAL)
			break;
		if (used == 0 || used > size)
			__builtin_trap();	/* no progress, or past the end */
		if (rc == PPROTO_OK && req.sender != NULL &&
		    pproto_answer(out, sizeof(out), "REJECT", req.sender) == 0)
			__builtin_trap();
		data += used;
		size -= used;
	}
	return 0;
}
