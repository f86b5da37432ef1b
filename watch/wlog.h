/*
 * wlog.h: dracwatch's messages: stderr with -d (and while starting up),
 * syslog(LOG_MAIL) otherwise.  errno is preserved.
 */
#ifndef DRAC_WLOG_H
#define DRAC_WLOG_H

void	wlog_init(int tostderr, int verbose);
void	wlog_syslog(void);
void	wlog_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	wlog_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	wlog_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	wlog_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	wlog_fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

#endif
