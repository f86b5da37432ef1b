/*
 * wlog.c: where dracwatch's messages go.  Start-up errors always reach
 * stderr, so a bad command line or configuration is seen by whoever
 * started the program; only then does it switch to syslog.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "wlog.h"

static int wlog_stderr = 1;
static int wlog_verbose;

void
wlog_init(int tostderr, int verbose)
{
	wlog_stderr = 1;
	wlog_verbose = verbose;
	if (!tostderr)
		openlog("dracwatch", LOG_PID | LOG_NDELAY, LOG_MAIL);
}

/* Called once start-up is over. */
void
wlog_syslog(void)
{
	wlog_stderr = 0;
}

static void
vlog(int pri, const char *fmt, va_list ap, int witherr)
{
	char msg[1024];
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (wlog_stderr) {
		if (witherr)
			fprintf(stderr, "dracwatch: %s: %s\n", msg,
			    strerror(saved));
		else
			fprintf(stderr, "dracwatch: %s\n", msg);
	} else if (witherr)
		syslog(pri, "%s: %s", msg, strerror(saved));
	else
		syslog(pri, "%s", msg);
	errno = saved;
}

void
wlog_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 1);
	va_end(ap);
}

void
wlog_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 0);
	va_end(ap);
}

void
wlog_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, 0);
	va_end(ap);
}

/* One line per matched log line: only with -v. */
void
wlog_debug(const char *fmt, ...)
{
	va_list ap;

	if (!wlog_verbose)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, 0);
	va_end(ap);
}

void
wlog_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 0);
	va_end(ap);
	exit(1);
}
