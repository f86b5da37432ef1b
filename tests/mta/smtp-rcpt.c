/*
 * smtp-rcpt: one SMTP session for the MTA tests, from a chosen source
 * address: EHLO, MAIL FROM, one RCPT TO per argument, QUIT.  Prints the
 * RCPT reply codes on one line ("250 550"), or "ERR <why>" when the
 * session broke before; the replies themselves go to stderr.  With -x
 * it first sends Postfix's XCLIENT ADDR= so that the server judges that
 * address instead of the real source.  C rather than a script: the
 * tests run hundreds of sessions and a loaded machine makes interpreter
 * start-up cost seconds.  Every read and write has a 10 s timeout.
 */
#include <sys/socket.h>
#include <sys/time.h>

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TIMEOUT_S	10
#define LINE_MAX_	1024

static char	buf[8192];
static size_t	have;

static void __attribute__((noreturn, format(printf, 1, 2)))
broke(const char *fmt, ...)
{
	va_list ap;

	fputs("ERR ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	exit(2);
}

static void
usage(void)
{
	fprintf(stderr, "usage: smtp-rcpt [-s src] [-x addr] host port "
	    "rcpt ...\n");
	exit(1);
}

static struct addrinfo *
numeric(const char *host, const char *port)
{
	struct addrinfo hints, *res;
	int rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0)
		broke("%s: %s", host, gai_strerror(rc));
	return res;
}

static int
dial(const char *host, const char *port, const char *src)
{
	struct timeval tv = { TIMEOUT_S, 0 };
	struct addrinfo *to, *from;
	int fd;

	to = numeric(host, port);
	if ((fd = socket(to->ai_family, SOCK_STREAM, 0)) == -1)
		broke("socket: %m");
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (src != NULL) {
		from = numeric(src, "0");
		if (bind(fd, from->ai_addr, from->ai_addrlen) != 0)
			broke("bind %s: %m", src);
		freeaddrinfo(from);
	}
	if (connect(fd, to->ai_addr, to->ai_addrlen) != 0)
		broke("connect %s port %s: %m", host, port);
	freeaddrinfo(to);
	return fd;
}

/* One line without CRLF into line; 0 at EOF or timeout. */
static int
getline_(int fd, char *line, size_t size)
{
	char *nl;
	ssize_t n;
	size_t len;

	while ((nl = memchr(buf, '\n', have)) == NULL) {
		if (have == sizeof(buf))
			broke("reply line too long");
		n = read(fd, buf + have, sizeof(buf) - have);
		if (n <= 0)
			return 0;
		have += (size_t)n;
	}
	len = (size_t)(nl - buf);
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	if (len >= size)
		len = size - 1;
	memcpy(line, buf, len);
	line[len] = '\0';
	have -= (size_t)(nl - buf) + 1;
	memmove(buf, nl + 1, have);
	return 1;
}

/* The code of a (multi-line) reply; the text goes to stderr. */
static int
reply(int fd, const char *what)
{
	char line[LINE_MAX_];

	for (;;) {
		if (!getline_(fd, line, sizeof(line)))
			broke("%s: connection closed or timed out", what);
		fprintf(stderr, "%s: %s\n", what, line);
		if (strlen(line) < 3 || line[0] < '1' || line[0] > '5')
			broke("%s: bad reply: %s", what, line);
		if (line[3] != '-')
			return atoi(line);
	}
}

static int
cmd(int fd, const char *what, const char *fmt, const char *arg)
{
	char out[LINE_MAX_];
	int n;

	n = snprintf(out, sizeof(out), fmt, arg);
	if (n < 0 || (size_t)n >= sizeof(out))
		broke("%s: argument too long", what);
	if (write(fd, out, (size_t)n) != n)
		broke("%s: write: %m", what);
	return reply(fd, what);
}

int
main(int argc, char *argv[])
{
	const char *src = NULL, *xclient = NULL;
	int ch, code, fd, i;

	while ((ch = getopt(argc, argv, "s:x:")) != -1) {
		switch (ch) {
		case 's':
			src = optarg;
			break;
		case 'x':
			xclient = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 3)
		usage();
	fd = dial(argv[0], argv[1], src);
	if ((code = reply(fd, "greeting")) != 220)
		broke("greeting %d", code);
	if ((code = cmd(fd, "EHLO", "EHLO %s\r\n", "client.test.invalid")) != 250)
		broke("EHLO %d", code);
	if (xclient != NULL) {
		code = cmd(fd, "XCLIENT", strchr(xclient, ':') != NULL ?
		    "XCLIENT ADDR=IPV6:%s\r\n" : "XCLIENT ADDR=%s\r\n", xclient);
		if (code != 220)
			broke("XCLIENT %d", code);
		if ((code = cmd(fd, "EHLO", "EHLO %s\r\n",
		    "client.test.invalid")) != 250)
			broke("EHLO after XCLIENT %d", code);
	}
	if ((code = cmd(fd, "MAIL", "MAIL FROM:<%s>\r\n",
	    "tester@client.test.invalid")) != 250)
		broke("MAIL %d", code);
	for (i = 2; i < argc; i++) {
		code = cmd(fd, "RCPT", "RCPT TO:<%s>\r\n", argv[i]);
		printf("%s%d", i > 2 ? " " : "", code);
	}
	putchar('\n');
	fflush(stdout);
	/* Done: the QUIT reply cannot change what was printed. */
	if (write(fd, "QUIT\r\n", 6) != 6)
		fprintf(stderr, "QUIT: write failed\n");
	close(fd);
	return 0;
}
