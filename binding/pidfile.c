/*
 * pidfile.c: the pid file of drac-policyd and drac-milter (-P).
 */
#include <stdio.h>
#include <unistd.h>

#include "log.h"
#include "pidfile.h"

void
pidfile_write(const char *path)
{
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL)
		fatal("-P %s", path);
	fprintf(fp, "%ld\n", (long)getpid());
	if (fclose(fp) == EOF)
		fatal("-P %s", path);
}
