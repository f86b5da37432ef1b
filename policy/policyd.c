/*
 * drac-policyd: Postfix SMTPD policy service for sender binding.
 *
 * policyd.c: options, maps, the listening socket, signals.  Everything
 * that can be wrong is found before the daemon detaches, while stderr
 * still reaches whoever started it.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "opt.h"
#include "pidfile.h"
#include "policyd.h"

struct policyd policyd;

static const char *unix_path;	/* to remove at exit */

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: drac-policyd [-dn] [-a accessmap] "
	    "[-e plain | refuse] [-K keyfile]\n"
	    "                    [-l listen] [-P pidfile] "
	    "[-r reject | defer | dunno]\n"
	    "                    [-s servers] [-t milliseconds] "
	    "[-u usermap]\n");
	exit(1);
}


static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		policyd.got_hup = 1;
	else
		policyd.got_term = 1;
}

static void
signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() returns */
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

static int
listen_unix(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path))
		fatalx("-l %s: socket path too long", path);
	strcpy(sun.sun_path, path);
	/* A socket left by a previous run; anything else stays. */
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			fatalx("-l %s: exists and is not a socket", path);
		if (unlink(path) == -1)
			fatal("-l %s: unlink", path);
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1)
		fatal("-l %s: bind", path);
	/* Postfix's smtpd runs as another user; the directory guards it. */
	if (chmod(path, 0666) == -1)
		fatal("-l %s: chmod", path);
	unix_path = path;
	return fd;
}

/* "127.0.0.1:PORT" or "[::1]:PORT": loopback only, the protocol has no
 * authentication. */
static int
listen_tcp(const char *spec)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	char host[64];
	const char *colon;
	socklen_t sslen;
	size_t hlen;
	long port;
	int fd, on = 1;

	if ((colon = strrchr(spec, ':')) == NULL || colon == spec)
		fatalx("-l %s: want a socket path, 127.0.0.1:PORT or "
		    "[::1]:PORT", spec);
	hlen = (size_t)(colon - spec);
	if (spec[0] == '[' && spec[hlen - 1] == ']') {
		spec++;
		hlen -= 2;
	}
	if (hlen >= sizeof(host))
		fatalx("-l %s: bad address", spec);
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	port = opt_number(colon + 1, 1, 65535, 'l');
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		sslen = sizeof(*sin);
		if ((ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			fatalx("-l %s: not a loopback address", host);
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		sslen = sizeof(*sin6);
		if (!IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr))
			fatalx("-l %s: not a loopback address", host);
	} else
		fatalx("-l: \"%s\" is not a numeric address", host);
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, sslen) == -1)
		fatal("-l %s:%ld: bind", host, port);
	return fd;
}

static int
open_listener(const char *spec)
{
	int fd;

	if (strncmp(spec, "unix:", 5) == 0)
		spec += 5;
	else if (strncmp(spec, "inet:", 5) == 0)
		spec += 5;
	fd = spec[0] == '/' ? listen_unix(spec) : listen_tcp(spec);
	if (listen(fd, 64) == -1)
		fatal("listen");
	return fd;
}



int
main(int argc, char *argv[])
{
	static const char *const refuse_words[] =
	    { "reject", "defer", "dunno", NULL };
	const char *listen_spec = POLICYD_LISTEN, *pidfile = NULL;
	int ch, foreground = 0;

	service_init(&policyd.svc);
	policyd.refuse = POLICYD_REFUSE_REJECT;
	policyd.listen_fd = -1;

	while ((ch = getopt(argc, argv, SERVICE_OPTIONS "dl:P:r:")) != -1) {
		if (service_option(&policyd.svc, ch, optarg))
			continue;
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'l':
			listen_spec = optarg;
			break;
		case 'P':
			pidfile = optarg;
			break;
		case 'r':
			/* In the order of POLICYD_REFUSE_*. */
			policyd.refuse = opt_keyword(optarg, refuse_words, 'r');
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	log_init(POLICYD_NAME, LOG_TO_STDERR, 0);
	service_start(&policyd.svc, POLICYD_NAME);
	policyd.listen_fd = open_listener(listen_spec);
	signals();
	if (!foreground) {
		if (daemon(0, 0) == -1)
			fatal("daemon");
		log_init(POLICYD_NAME, LOG_TO_SYSLOG, 0);
	}
	if (pidfile != NULL)
		pidfile_write(pidfile);
	log_info("listening on %s: %zu user map entries, %zu access map "
	    "ranges, rpc.dracd at %s", listen_spec,
	    usermap_count(policyd.svc.maps->users),
	    accessmap_count(policyd.svc.maps->access), policyd.svc.servers);

	serve_loop();

	log_info("shutting down");
	close(policyd.listen_fd);
	if (unix_path != NULL)
		unlink(unix_path);
	if (pidfile != NULL)
		unlink(pidfile);
	service_end(&policyd.svc);
	return 0;
}
