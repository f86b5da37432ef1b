/*
 * mapwrite.h: the map's pages are written by a copy into a shared
 * mapping of the file instead of a pwrite(2), from the third write of a
 * page since the last flush.  Both end in the same page cache, so an
 * MTA reading the file and a kill -9 of the daemon find exactly what a
 * pwrite would have left; an ADD saves a system call.
 *
 * A copy that faults (guard.h) goes to pwrite, and so do all later
 * writes: pwrite reports the error the usual way.
 *
 * A store moves the file's modification time only when it dirties a
 * clean page.  sendmail and Postfix drop their cached pages of a map
 * when that time, in seconds, has moved; so the first copy in each
 * second sets it, which keeps it where a pwrite would have put it.
 *
 * Berkeley DB's I/O hooks are global: one file, the map, is mapped.
 */
#ifndef DRAC_MAPWRITE_H
#define DRAC_MAPWRITE_H

#include <sys/types.h>

#include <stddef.h>

/* Maps fd (path for messages) and installs the hooks; -1: pwrite stays. */
int	mapwrite_attach(int fd, const char *path);
/*
 * Before the file is closed, since its descriptor number may come back.
 * 1 if a copy faulted meanwhile: the file was cut short by someone else.
 */
int	mapwrite_detach(void);
/* A flush begins: it leaves the pages write-protected (see mapwrite.c). */
void	mapwrite_flushing(void);
/* The hooks mapwrite_attach installs, here for the tests. */
ssize_t	mapwrite_pwrite(int fd, const void *buf, size_t len, off_t off);
int	mapwrite_ftruncate(int fd, off_t len);

#endif
