/*
 * follow.c: polling, not inotify: a stat() per interval costs nothing at
 * log rates, works on every file system (NFS included) and sees a rename
 * and a truncation the same way.  A line is only handed out once its
 * newline has arrived, so a line the writer is still writing is never
 * matched half-way.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "follow.h"
#include "log.h"

static void
src_reset(struct follow_src *s)
{
	s->fd = -1;
	s->off = 0;
	s->len = 0;
	s->skipping = 0;
	s->last = 0;
}

static void
src_close(struct follow_src *s)
{
	if (s->fd >= 0)
		close(s->fd);
	src_reset(s);
}

/* Opens the file at path; at its end unless from_start. */
static int
src_open(struct follow_src *s, const char *path, int from_start)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == -1) {
		close(fd);
		return -1;
	}
	src_reset(s);
	s->fd = fd;
	s->dev = st.st_dev;
	s->ino = st.st_ino;
	s->last = dracclock_mono_ms();
	if (!from_start && S_ISREG(st.st_mode)) {
		if (lseek(fd, 0, SEEK_END) == -1) {
			close(fd);
			s->fd = -1;
			return -1;
		}
		s->off = st.st_size;
	}
	return 0;
}

/* Takes one complete line out of the buffer, if there is one. */
static int
src_take(struct follow_src *s, char *line, size_t linelen)
{
	char *nl;
	size_t n, copy;

	for (;;) {
		if ((nl = memchr(s->buf, '\n', s->len)) == NULL) {
			if (s->len < sizeof(s->buf))
				return 0;
			/* Over-long: drop what we have, skip to newline. */
			s->skipping = 1;
			s->len = 0;
			return 0;
		}
		n = (size_t)(nl - s->buf);
		if (s->skipping) {
			s->skipping = 0;
			memmove(s->buf, nl + 1, s->len - n - 1);
			s->len -= n + 1;
			continue;
		}
		copy = n < linelen - 1 ? n : linelen - 1;
		memcpy(line, s->buf, copy);
		line[copy] = '\0';
		if (copy > 0 && line[copy - 1] == '\r')
			line[copy - 1] = '\0';
		memmove(s->buf, nl + 1, s->len - n - 1);
		s->len -= n + 1;
		return 1;
	}
}

/* The rest of a file that is being let go counts as a line. */
static int
src_flush(struct follow_src *s, char *line, size_t linelen)
{
	size_t copy;

	if (s->len == 0 || s->skipping)
		return 0;
	copy = s->len < linelen - 1 ? s->len : linelen - 1;
	memcpy(line, s->buf, copy);
	line[copy] = '\0';
	s->len = 0;
	return 1;
}

/*
 * Returns FOLLOW_LINE, or FOLLOW_IDLE when nothing more can be read now
 * (end of file, EAGAIN, EINTR), FOLLOW_END at the end of a pipe, or
 * FOLLOW_ERROR.
 */
static int
src_line(struct follow_src *s, char *line, size_t linelen, const char *name)
{
	ssize_t n;

	for (;;) {
		if (src_take(s, line, linelen))
			return FOLLOW_LINE;
		n = read(s->fd, s->buf + s->len, sizeof(s->buf) - s->len);
		if (n > 0) {
			s->len += (size_t)n;
			s->off += n;
			s->last = dracclock_mono_ms();
			continue;
		}
		if (n == 0)
			return FOLLOW_END;
		if (errno == EINTR || errno == EAGAIN)
			return FOLLOW_IDLE;
		log_warn("read %s", name);
		return FOLLOW_ERROR;
	}
}

/* A file truncated in place is read again from its start. */
static void
check_truncated(struct follow *f)
{
	struct stat st;

	if (fstat(f->cur.fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size >= f->cur.off)
		return;
	log_info("%s was truncated, reading it from the start", f->path);
	if (lseek(f->cur.fd, 0, SEEK_SET) == -1)
		return;
	f->cur.off = 0;
	f->cur.len = 0;
	f->cur.skipping = 0;
}

/*
 * A new file at path (rename rotation): the one we have becomes the old
 * one, still read until it has been quiet for FOLLOW_GRACE seconds, and
 * the new one is read from its start.  Returns 1 if it switched.
 */
static int
check_renamed(struct follow *f)
{
	struct stat st;

	if (stat(f->path, &st) == -1) {
		if (errno != ENOENT)
			log_warn("stat %s", f->path);
		return 0;
	}
	if (f->cur.fd >= 0 && st.st_dev == f->cur.dev &&
	    st.st_ino == f->cur.ino)
		return 0;
	if (f->cur.fd >= 0) {
		src_close(&f->old);
		f->old = f->cur;
		src_reset(&f->cur);
		log_info("%s was replaced, following the new file", f->path);
	}
	if (src_open(&f->cur, f->path, 1) == -1) {
		log_warn("open %s", f->path);
		return 0;
	}
	f->missing_logged = 0;
	return 1;
}

int
follow_open(struct follow *f, const char *path, int from_start,
    int interval_ms)
{
	memset(f, 0, sizeof(*f));
	src_reset(&f->cur);
	src_reset(&f->old);
	f->interval_ms = interval_ms;
	if (path == NULL || strcmp(path, "-") == 0) {
		f->path = NULL;
		f->cur.fd = STDIN_FILENO;
		return 0;
	}
	f->path = path;
	if (src_open(&f->cur, path, from_start) == 0)
		return 0;
	if (errno != ENOENT) {
		log_warn("open %s", path);
		return -1;
	}
	log_info("%s does not exist yet, waiting for it", path);
	f->missing_logged = 1;
	return 0;
}

static int
old_line(struct follow *f, char *line, size_t linelen)
{
	int rc;

	rc = src_line(&f->old, line, linelen, f->path);
	if (rc == FOLLOW_LINE)
		return 1;
	if (rc == FOLLOW_ERROR ||
	    dracclock_mono_ms() - f->old.last >= FOLLOW_GRACE * 1000LL) {
		rc = src_flush(&f->old, line, linelen);
		src_close(&f->old);
		return rc;
	}
	return 0;
}

int
follow_line(struct follow *f, char *line, size_t linelen)
{
	int rc;

	if (f->path == NULL) {
		rc = src_line(&f->cur, line, linelen, "standard input");
		if (rc == FOLLOW_END && src_flush(&f->cur, line, linelen))
			return FOLLOW_LINE;
		return rc;
	}
	if (f->old.fd >= 0 && old_line(f, line, linelen))
		return FOLLOW_LINE;
	if (f->cur.fd >= 0) {
		check_truncated(f);
		rc = src_line(&f->cur, line, linelen, f->path);
		if (rc == FOLLOW_LINE || rc == FOLLOW_ERROR)
			return rc;
	}
	if (check_renamed(f))
		return FOLLOW_IDLE;	/* read the new file right away */
	poll(NULL, 0, f->interval_ms);
	return FOLLOW_IDLE;
}

void
follow_close(struct follow *f)
{
	if (f->path != NULL)
		src_close(&f->cur);
	src_close(&f->old);
}
