/*
 * fuzz_watch.c: dracwatch's line matcher over every built-in pattern,
 * and its configuration parser.  The first byte picks which: even, the
 * rest is log lines; odd, the rest is a pattern file.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "pattern.h"
#include "log.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct patset builtin;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Parse errors are normal here. */
	log_init("fuzz_watch", LOG_TO_NOWHERE, 0);
	pattern_init(&builtin);
	if (pattern_builtin(&builtin, "all") != 0)
		__builtin_trap();
	return 0;
}

static void
match_lines(const uint8_t *data, size_t size)
{
	char line[2048];
	struct patmatch pm;
	size_t i = 0, n;

	while (i < size) {
		for (n = 0; i + n < size && data[i + n] != '\n'; n++)
			;
		if (n < sizeof(line)) {
			memcpy(line, data + i, n);
			line[n] = '\0';
			(void)pattern_match(&builtin, line, &pm);
		}
		i += n + 1;
	}
}

/*
 * The pattern file is the administrator's, not an attacker's.  dracwatch
 * refuses stacked repetition and counts above 255, but nested intervals
 * ("((x{255}){255}){255}") still make glibc's regcomp() build a tree
 * too large for the fuzzer's memory limit, which says nothing about
 * dracwatch: inputs with intervals are left out.  The log lines, which
 * anyone who can log in shapes, are fuzzed in full.
 */
static void
load_config(const uint8_t *data, size_t size)
{
	struct patset ps;
	char path[64];
	int fd;

	if (memchr(data, '{', size) != NULL)
		return;

	if ((fd = memfd_create("watch.conf", 0)) < 0)
		return;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		pattern_init(&ps);
		(void)pattern_load(&ps, path);
		pattern_free(&ps);
	}
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		load_config(data + 1, size - 1);
	else
		match_lines(data + 1, size - 1);
	return 0;
}
