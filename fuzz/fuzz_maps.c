/*
 * fuzz_maps.c: the sender-binding user map and access map parsers.  The
 * first byte picks the map; every map that loads is then asked one
 * question per line of the input.
 */
#include <stdint.h>
#include <string.h>

#include "accessmap.h"
#include "usermap.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data + 1;
	struct usermap *um;
	struct accessmap *am;
	struct dracaddr a;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		if ((am = accessmap_new()) == NULL)
			return 0;
		(void)accessmap_load_buf(am, "fuzz", buf, size - 1, quiet, NULL);
		dracaddr_parse("10.1.2.3", &a);
		(void)accessmap_relay(am, &a);
		accessmap_free(am);
		return 0;
	}
	if ((um = usermap_new()) == NULL)
		return 0;
	(void)usermap_load_buf(um, "fuzz", buf, size - 1, quiet, NULL);
	(void)usermap_allows(um, "hoge", "hoge@example.com");
	usermap_free(um);
	return 0;
}
