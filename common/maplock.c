/*
 * maplock.c: a reader's lock on the map (maplock.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>

#include "maplock.h"

int
dracmap_lock_shared(int fd, int tries, long pause_ms)
{
	struct timespec pause;
	struct flock fl;
	int i;

	pause.tv_sec = pause_ms / 1000;
	pause.tv_nsec = pause_ms % 1000 * 1000000L;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_RDLCK;
	fl.l_whence = SEEK_SET;
	for (i = 0; i < tries; i++) {
		if (fcntl(fd, F_SETLK, &fl) == 0)
			return 0;
		if (errno != EACCES && errno != EAGAIN)
			return -1;
		nanosleep(&pause, NULL);
	}
	errno = EAGAIN;
	return -1;
}
