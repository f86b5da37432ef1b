/*
 * guard.h: copies into a shared mapping of a file that survive a fault.
 * A store there can raise SIGBUS where a write(2) would have returned an
 * error: past the end of a file cut short behind the daemon's back, or
 * on a file system with no block left for a copy-on-write page.  The
 * copy then fails instead of killing the daemon, and the caller goes
 * back to system calls, which report the error the usual way.
 */
#ifndef DRAC_GUARD_H
#define DRAC_GUARD_H

#include <stddef.h>

/*
 * Catches SIGBUS: before the first copy.  A fault outside a copy goes
 * to the handler installed before (the default: the process ends).
 */
void		guard_init(void);
/* memcpy; -1 if a page faulted (part of it may have been copied). */
int		guard_copy(void *dst, const void *src, size_t len);
/* Faults caught so far. */
unsigned long	guard_faults(void);

#endif
