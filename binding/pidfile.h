/*
 * pidfile.h: the pid file of drac-policyd and drac-milter (-P).
 */
#ifndef DRAC_PIDFILE_H
#define DRAC_PIDFILE_H

/* Writes the process ID to path, or exits naming -P. */
void	pidfile_write(const char *path);

#endif
