/*
 * log.c: one line per message, never more than 1 KiB.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

/* Until log_init, messages carry the name the program was run as. */
static const char *log_prog;
static int log_where = LOG_TO_STDERR;
static int log_verbose;

void
log_init(const char *prog, int where, int verbose)
{
	log_prog = prog;
	log_where = where;
	log_verbose = verbose;
	if (where == LOG_TO_SYSLOG)
		openlog(prog, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

static void
vlog(int pri, const char *fmt, va_list ap, int witherr)
{
	char msg[1024];
	int saved = errno;

	if (log_where == LOG_TO_NOWHERE)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_prog == NULL)
		log_prog = program_invocation_short_name;
	if (log_where == LOG_TO_STDERR) {
		if (witherr)
			fprintf(stderr, "%s: %s: %s\n", log_prog, msg,
			    strerror(saved));
		else
			fprintf(stderr, "%s: %s\n", log_prog, msg);
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
log_notice(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_NOTICE, fmt, ap, 0);
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

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
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

void
log_report(void *ctx, const char *msg)
{
	(void)ctx;
	log_warnx("%s", msg);
}
