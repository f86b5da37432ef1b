/*
 * log.h: stderr in the foreground, syslog otherwise.  warn adds
 * strerror(errno); fatal exits 1.  errno is preserved.
 */
#ifndef DRAC_LOG_H
#define DRAC_LOG_H

#include <stdarg.h>

#define LOG_TO_STDERR	1	/* foreground */
#define LOG_TO_SYSLOG	0	/* detached */
#define LOG_TO_NOWHERE	2	/* fuzzers and benchmarks */

void	log_init(int where);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
