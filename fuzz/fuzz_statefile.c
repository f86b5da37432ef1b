/*
 * fuzz_statefile.c: the state file's reader, which rpc.dracd, dracdb and
 * the repair run on whatever is on disk.  The input is the file after
 * its header.  Every record the reader gives back must encode to exactly
 * the bytes at its offset, come in file order, 8-byte aligned, inside
 * the file, before the end it reports; what it skips as damage is never
 * more than the file.
 */
#include <sys/mman.h>

#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "statefile.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct seen {
	const uint8_t	*file;
	size_t		 size;
	size_t		 last;		/* offset after the record before */
};

static int
check(void *ctx, const struct staterec *r, size_t off)
{
	struct seen *s = ctx;
	unsigned char buf[STATEREC_MAX];
	size_t len = statefile_encode(r, buf);

	if (off % 8 != 0 || off < s->last || off + len > s->size ||
	    memcmp(buf, s->file + off, len) != 0)
		__builtin_trap();
	s->last = off + len;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t file[STATEFILE_HEADER + 65536];
	static int fd = -1;
	struct seen s;
	size_t end, damaged;

	if (size > sizeof(file) - STATEFILE_HEADER)
		return 0;
	if (fd < 0 && (fd = memfd_create("statefile", 0)) < 0)
		__builtin_trap();
	statefile_header(file);
	memcpy(file + STATEFILE_HEADER, data, size);
	size += STATEFILE_HEADER;
	if (ftruncate(fd, 0) != 0 ||
	    pwrite(fd, file, size, 0) != (ssize_t)size)
		__builtin_trap();
	s.file = file;
	s.size = size;
	s.last = STATEFILE_HEADER;
	if (statefile_read(fd, check, &s, &end, &damaged) != 0 ||
	    end != s.last || damaged > size)
		__builtin_trap();
	return 0;
}
