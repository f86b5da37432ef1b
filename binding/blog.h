/*
 * blog.h: logging of drac-policyd and drac-milter: stderr in the
 * foreground, syslog (mail facility) otherwise.  warn adds
 * strerror(errno); fatal exits 1.  errno is preserved.  Safe to call
 * from several threads.
 */
#ifndef DRAC_BLOG_H
#define DRAC_BLOG_H

void	blog_init(const char *prog, int foreground);
void	blog_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	blog_warnx(const char *, ...) __attribute__((format(printf, 1, 2)));
void	blog_notice(const char *, ...) __attribute__((format(printf, 1, 2)));
void	blog_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	blog_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	blog_fatal(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
void	blog_fatalx(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));
/* For binding_report_fn: logs msg as a warning. */
void	blog_report(void *, const char *msg);

#endif
