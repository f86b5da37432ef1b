/*
 * blog.c: one line per message, never more than 1 KiB.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "blog.h"

static const char *blog_prog = "drac";
static int blog_foreground = 1;

void
blog_init(const char *prog, int foreground)
{
	blog_prog = prog;
	blog_foreground = foreground;
	if (!foreground)
		openlog(prog, LOG_PID | LOG_NDELAY, LOG_MAIL);
}

static void
vlog(int pri, const char *fmt, va_list ap, int witherr)
{
	char msg[1024];
	int saved = errno;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (blog_foreground) {
		if (witherr)
			fprintf(stderr, "%s: %s: %s\n", blog_prog, msg,
			    strerror(saved));
		else
			fprintf(stderr, "%s: %s\n", blog_prog, msg);
	} else if (witherr)
		syslog(pri, "%s: %s", msg, strerror(saved));
	else
		syslog(pri, "%s", msg);
	errno = saved;
}

void
blog_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 1);
	va_end(ap);
}

void
blog_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_WARNING, fmt, ap, 0);
	va_end(ap);
}

void
blog_notice(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_NOTICE, fmt, ap, 0);
	va_end(ap);
}

void
blog_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_INFO, fmt, ap, 0);
	va_end(ap);
}

/* Debug lines only reach a terminal: they would flood syslog. */
void
blog_debug(const char *fmt, ...)
{
	va_list ap;

	if (!blog_foreground)
		return;
	va_start(ap, fmt);
	vlog(LOG_DEBUG, fmt, ap, 0);
	va_end(ap);
}

void
blog_fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 1);
	va_end(ap);
	exit(1);
}

void
blog_fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, 0);
	va_end(ap);
	exit(1);
}

void
blog_report(void *arg, const char *msg)
{
	(void)arg;
	blog_warnx("%s", msg);
}
