/*
 * follow.h: read a log line by line as it grows, like tail -F: across
 * rotation by rename (the old file is read to its end, also while the
 * writer still appends to it, before it is let go) and truncation in
 * place (copytruncate), or standard input until its end.
 */
#ifndef DRAC_FOLLOW_H
#define DRAC_FOLLOW_H

#include <sys/types.h>

#define FOLLOW_LINE_MAX	8192	/* longer lines are skipped */
#define FOLLOW_GRACE	10	/* seconds the renamed file is still read */

#define FOLLOW_LINE	1	/* a line was returned */
#define FOLLOW_IDLE	0	/* nothing yet: check flags, call again */
#define FOLLOW_END	(-1)	/* end of standard input */
#define FOLLOW_ERROR	(-2)	/* read error, reported */

struct follow_src {
	int	 fd;
	off_t	 off;			/* bytes read so far */
	dev_t	 dev;
	ino_t	 ino;
	long long last;			/* monotonic ms it last gave data */
	int	 skipping;		/* inside an over-long line */
	size_t	 len;
	char	 buf[FOLLOW_LINE_MAX];
};

struct follow {
	const char		*path;	/* NULL: standard input */
	int			 interval_ms;
	int			 missing_logged;
	struct follow_src	 cur;
	struct follow_src	 old;	/* after a rename, fd -1 otherwise */
};

int	follow_open(struct follow *, const char *, int, int);
int	follow_line(struct follow *, char *, size_t);
void	follow_close(struct follow *);

#endif
