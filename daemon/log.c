/*
 * log.c: the daemon's only way to say anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static int log_where = LOG_TO_STDERR;

void
log_init(int where)
{
	log_where = where;
	if (where == LOG_TO_SYSLOG)
		openlog("rpc.dracd", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

static void
vlog(int pri, const char *fmt, va_list ap, int witherr)
{
	char msg[1024];
	int saved = errno;

	if (log_where == LOG_TO_NOWHERE)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_where == LOG_TO_STDERR) {
		if (witherr)
			fprintf(stderr, "rpc.dracd: %s: %s\n", msg,
			    strerror(saved));
		else
			fprintf(stderr, "rpc.dracd: %s\n", msg);
	} else if (witherr)
		syslog(pri, "%s: %s", msg, strerror(saved));
	else
		syslog(pri, "%s", msg);
	errno = saved;
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 1);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 0);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, 0);
	va_end(ap);
}

/* Debug lines only reach a terminal: they would flood syslog. */
void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_where != LOG_TO_STDERR)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, 0);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 0);
	va_end(ap);
	exit(1);
}
