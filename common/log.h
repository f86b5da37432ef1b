/*
 * log.h: how every drac program speaks: stderr while starting or in the
 * foreground, syslog (facility mail) once detached.  warn adds
 * strerror(errno); fatal and fatalx exit 1; debug only with verbose.
 * errno is preserved, and each message is one write, so threads may
 * share it.
 */
#ifndef DRAC_LOG_H
#define DRAC_LOG_H

#define LOG_TO_SYSLOG	0
#define LOG_TO_STDERR	1
#define LOG_TO_NOWHERE	2	/* fuzzers and benchmarks */

void	log_init(const char *prog, int where, int verbose);
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* A parser's error callback (ctx unused): msg as a warning. */
void	log_report(void *ctx, const char *msg);

#endif
