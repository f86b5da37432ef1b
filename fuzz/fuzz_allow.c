/*
 * fuzz_allow.c: every line of the input through the allow-file parser,
 * and each entry it accepts through matching and formatting.
 */
#include <stdint.h>
#include <string.h>

#include "allow.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[512], why[256], text[128];
	struct allow_entry e;
	struct allow_list list;
	struct dracaddr a;
	size_t i = 0, n;

	while (i < size) {
		for (n = 0; i + n < size && data[i + n] != '\n'; n++)
			;
		if (n < sizeof(line)) {
			memcpy(line, data + i, n);
			line[n] = '\0';
			if (allow_parse_line(line, &e, why, sizeof(why)) == 1) {
				list.v = &e;
				list.n = 1;
				memcpy(&a, &e.net, sizeof(a));
				if (!allow_match(&list, &a))
					__builtin_trap();	/* net matches itself */
				allow_format(&e, text, sizeof(text));
			}
		}
		i += n + 1;
	}
	return 0;
}
