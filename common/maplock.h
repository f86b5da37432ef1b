/*
 * maplock.h: a reader's lock on the map.  rpc.dracd writes under an
 * fcntl write lock, as sendmail expects; a shared fcntl lock keeps its
 * writes out while a tool reads the file through.
 */
#ifndef DRAC_MAPLOCK_H
#define DRAC_MAPLOCK_H

/*
 * A shared lock on the whole of fd, tried every pause_ms up to tries
 * times.  0, or -1 with errno (EAGAIN: still held by a writer).
 */
int	dracmap_lock_shared(int fd, int tries, long pause_ms);

#endif
