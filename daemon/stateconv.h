/*
 * stateconv.h: the state file as versions before the log wrote it, read
 * once to convert it.  That file was a Berkeley DB btree, key the
 * address as text, value "ttl added how user"; the records not yet in it
 * waited in a journal beside it (".journal": a header "DRACJNL1" and a
 * generation, then records of the same key and value, each with the
 * generation and an FNV-1a checksum).  Neither says when the entry
 * expires: that is the map's value.
 */
#ifndef DRAC_STATECONV_H
#define DRAC_STATECONV_H

#include <stddef.h>

#include "statefile.h"

/* 1 if path is a Berkeley DB file. */
int	stateconv_is_old(const char *path);

/*
 * Calls fn for every record of the old state file path, then for those
 * of its journal, newer: r->expires is 0.  0, or -1 and err if the
 * state file cannot be read (a journal that cannot is skipped, logged).
 */
typedef int	stateconv_fn(void *ctx, struct staterec *r);
int	stateconv_read(const char *path, stateconv_fn *fn, void *ctx,
	    char *err, size_t errlen);

/* Removes the old journal of path, if there is one. */
void	stateconv_forget(const char *path);

#endif
