/*
 * mapfile.c: reading and cutting up the line-oriented map files.  The
 * parsing half works on a buffer and touches no file, so a fuzz target
 * can feed it anything.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mapfile.h"

#define QUOTE_MAX	64	/* bytes of a value shown in a message */

static void
report_line(const char *name, unsigned long lineno, const char *why,
    binding_report_fn report, void *arg)
{
	char msg[BINDING_WHY_MAX + 256];

	snprintf(msg, sizeof(msg), "%s:%lu: %s", name, lineno, why);
	report(arg, msg);
}

/*
 * Copies the line into buf without its comment and trailing CR.  A '#'
 * starts a comment only at the start of a word, so "a#b@example.com"
 * stays an address.  Returns 1 for a line with content, 0 for a blank
 * one, -1 with why for bytes no map may hold.
 */
static int
clean_line(const char *s, size_t len, char *buf, char *why, size_t whylen)
{
	size_t i;
	int content = 0;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (len > BINDING_LINE_MAX) {
		snprintf(why, whylen, "line longer than %d bytes",
		    BINDING_LINE_MAX);
		return -1;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '#' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t'))
			break;
		if (c == '\0') {
			snprintf(why, whylen, "NUL byte in line");
			return -1;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f) {
			snprintf(why, whylen, "control character 0x%02x in line",
			    c);
			return -1;
		}
		if (c != ' ' && c != '\t')
			content = 1;
		buf[i] = (char)c;
	}
	buf[i] = '\0';
	return content;
}

/*
 * Feeds every line with content to fn and reports every bad line.
 * Returns the number of bad lines.
 */
int
mapfile_parse(const char *name, const char *buf, size_t len,
    mapfile_line_fn fn, void *map, binding_report_fn report, void *arg)
{
	char line[BINDING_LINE_MAX + 1], why[BINDING_WHY_MAX];
	const char *nl;
	size_t start, end;
	unsigned long lineno = 0;
	int bad = 0, r;

	for (start = 0; start < len; start = end + 1) {
		nl = memchr(buf + start, '\n', len - start);
		end = nl != NULL ? (size_t)(nl - buf) : len;
		lineno++;
		why[0] = '\0';
		r = clean_line(buf + start, end - start, line, why,
		    sizeof(why));
		if (r == 1)
			r = fn(map, lineno, line, why, sizeof(why));
		if (r < 0) {
			bad++;
			report_line(name, lineno, why, report, arg);
		}
	}
	return bad;
}

/* Whole file into a new buffer, refusing one larger than the limit. */
int
mapfile_read(const char *path, char **bufp, size_t *lenp, char *why,
    size_t whylen)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > BINDING_FILE_MAX) {
		snprintf(why, whylen, "%s: %s", path, S_ISREG(st.st_mode) ?
		    "larger than the limit of 64 MiB" : "not a regular file");
		close(fd);
		return -1;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(why, whylen, "%s: out of memory", path);
		close(fd);
		return -1;
	}
	/* A file that grows while we read it is read up to its old size. */
	while (len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(why, whylen, "%s: %s", path, n == 0 ?
			    "file shrank while being read" : strerror(errno));
			free(buf);
			close(fd);
			return -1;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return 0;
}

/*
 * Splits line in place at spaces and tabs.  Returns the number of words,
 * or -1 if there are more than max.
 */
int
mapfile_tokens(char *line, char **tok, int max)
{
	char *p = line;
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return -1;
		tok[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

/*
 * A value as a message may show it: printable ASCII as is, anything
 * else as \xNN, cut at QUOTE_MAX bytes with "...".
 */
void
mapfile_quote(const char *s, char *buf, size_t size)
{
	size_t i, o = 0;
	int n;

	if (size == 0)
		return;
	for (i = 0; s[i] != '\0' && o + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i == QUOTE_MAX) {
			n = snprintf(buf + o, size - o, "...");
			o += n > 0 ? (size_t)n : 0;
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\\')
			buf[o++] = (char)c;
		else {
			n = snprintf(buf + o, size - o, "\\x%02x", c);
			o += n > 0 ? (size_t)n : 0;
		}
	}
	if (o >= size)
		o = size - 1;
	buf[o] = '\0';
}
