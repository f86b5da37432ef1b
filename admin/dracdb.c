/*
 * dracdb: look at and change the DRAC map, like spamdb(8) for spamd.
 *
 * Online (the default) it asks the running rpc.dracd through RPC
 * version 3, so it sees exactly what the daemon serves and its changes
 * take effect at once.  Offline (-o, -f) it reads the map file and its
 * side file itself, read-only: that works without the daemon and on a
 * map DRAC 1.12 left behind.  The exit status is the number of failed
 * operations, so a script knows how many addresses went wrong.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "defs.h"
#include "dracdb.h"

#define FAILURES_MAX	100	/* the exit status saturates here */

enum mode { M_LIST, M_ADD, M_DROP, M_QUERY, M_STATS, M_DUMP, M_LOAD };

struct opts {
	enum mode	 mode;
	const char	*dbfile;	/* -f */
	const char	*host;		/* -h */
	const char	*keyfile;	/* -K */
	const char	*loadfile;	/* -L */
	const char	*user;		/* -u */
	unsigned int	 ttl;		/* -t */
	int		 json;		/* -j */
	int		 offline;	/* -o, -f */
	int		 set_ttl_user;	/* -t or -u seen */
	int		 mode_set;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: dracdb [-jo] [-f dbfile] [-h host] [-K keyfile]\n"
	    "       dracdb [-h host] [-K keyfile] [-t seconds] [-u user] "
	    "-a address ...\n"
	    "       dracdb [-h host] [-K keyfile] -d address ...\n"
	    "       dracdb [-jo] [-f dbfile] [-h host] [-K keyfile] "
	    "-q address ...\n"
	    "       dracdb [-jo] [-f dbfile] [-h host] [-K keyfile] -s\n"
	    "       dracdb [-o] [-f dbfile] [-h host] [-K keyfile] -D\n"
	    "       dracdb [-h host] [-K keyfile] -L file\n");
	exit(1);
}

static void
warnmsg(const char *msg)
{
	fprintf(stderr, "dracdb: %s\n", msg);
}

static void __attribute__((noreturn))
die(const char *what, const char *why)
{
	fprintf(stderr, "dracdb: %s: %s\n", what, why);
	exit(1);
}

static void
set_mode(struct opts *o, enum mode m)
{
	if (o->mode_set && o->mode != m)
		usage();
	o->mode = m;
	o->mode_set = 1;
}

static unsigned int
parse_ttl(const char *s)
{
	unsigned long long v;
	char *end;

	if (!isdigit((unsigned char)s[0]))
		die("-t", "want a number of seconds");
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' ||
	    v > (unsigned long long)DRAC_MAX_MINUTES * 60) {
		fprintf(stderr, "dracdb: -t %s: want 0 to %d seconds\n", s,
		    DRAC_MAX_MINUTES * 60);
		exit(1);
	}
	return (unsigned int)v;
}

static const char *
check_user(const char *s)
{
	const unsigned char *p;

	if (strlen(s) > DRACDB_USER_MAX)
		die("-u", "user name longer than 64 bytes");
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p < 0x20 || *p == 0x7f)
			die("-u", "user name holds a control character");
	return s;
}

static void
parse_opts(int argc, char *argv[], struct opts *o)
{
	int ch;

	memset(o, 0, sizeof(*o));
	o->host = DRAC_DEFAULT_SERVER;
	while ((ch = getopt(argc, argv, "aDdf:h:jK:L:oqst:u:")) != -1) {
		switch (ch) {
		case 'a': set_mode(o, M_ADD); break;
		case 'D': set_mode(o, M_DUMP); break;
		case 'd': set_mode(o, M_DROP); break;
		case 'f': o->dbfile = optarg; o->offline = 1; break;
		case 'h': o->host = optarg; break;
		case 'j': o->json = 1; break;
		case 'K': o->keyfile = optarg; break;
		case 'L': set_mode(o, M_LOAD); o->loadfile = optarg; break;
		case 'o': o->offline = 1; break;
		case 'q': set_mode(o, M_QUERY); break;
		case 's': set_mode(o, M_STATS); break;
		case 't': o->ttl = parse_ttl(optarg); o->set_ttl_user = 1;
			break;
		case 'u': o->user = check_user(optarg); o->set_ttl_user = 1;
			break;
		default: usage();
		}
	}
	if (o->set_ttl_user && o->mode != M_ADD)
		usage();
	if (o->offline && (o->mode == M_ADD || o->mode == M_DROP ||
	    o->mode == M_LOAD)) {
		fprintf(stderr, "dracdb: the map file is the daemon's: -a, -d "
		    "and -L need rpc.dracd, not -o or -f\n");
		exit(1);
	}
	if (o->json && (o->mode == M_ADD || o->mode == M_DROP ||
	    o->mode == M_DUMP || o->mode == M_LOAD))
		usage();
	if (o->dbfile == NULL)
		o->dbfile = DRAC_DB_PATH;
}

static int
saturate(long n)
{
	return n > FAILURES_MAX ? FAILURES_MAX : (int)n;
}

/* Drops what has expired but is not purged yet: "live" means live. */
static void
keep_live(struct elist *l, long long now)
{
	size_t i, j = 0;

	for (i = 0; i < l->n; i++)
		if (l->v[i].expires > now)
			l->v[j++] = l->v[i];
	l->n = j;
}

static void
print_list(const struct opts *o, struct elist *l, long long now)
{
	size_t i;

	if (o->json) {
		out_entries_json(l, now);
		return;
	}
	for (i = 0; i < l->n; i++)
		out_entry(&l->v[i], now);
}

/* Prints the counters as text or JSON, then frees them. */
static void
print_counters(const struct opts *o, struct clist *c)
{
	if (o->json)
		out_counters_json(c);
	else
		out_counters(c);
	clist_free(c);
}

static int
parse_addr(const char *s, struct dracaddr *a)
{
	if (dracaddr_parse(s, a) == 0)
		return 0;
	fprintf(stderr, "dracdb: %s: not an IPv4 or IPv6 address\n", s);
	return -1;
}

/* ---- offline ------------------------------------------------------- */

static int
offline_stats(const struct opts *o, const struct elist *l, int bad,
    long long now)
{
	struct clist c = { NULL, 0, 0 };
	size_t i, live = 0;

	for (i = 0; i < l->n; i++)
		live += l->v[i].expires > now;
	if (clist_push(&c, "entries", l->n) != 0 ||
	    clist_push(&c, "live", live) != 0 ||
	    clist_push(&c, "expired", l->n - live) != 0 ||
	    clist_push(&c, "bad", (unsigned long long)bad) != 0)
		die(o->dbfile, strerror(ENOMEM));
	print_counters(o, &c);
	return 0;
}

static int
offline_query(const struct opts *o, struct elist *l, char **addrs,
    int n, long long now)
{
	struct elist found = { NULL, 0, 0 };
	struct dracaddr a;
	const struct entry *e;
	int i, fail = 0;

	for (i = 0; i < n; i++) {
		if (parse_addr(addrs[i], &a) != 0) {
			fail++;
			continue;
		}
		if ((e = elist_find(l, &a)) == NULL || e->expires <= now) {
			fprintf(stderr, "dracdb: %s: not found\n", addrs[i]);
			fail++;
		} else if (elist_push(&found, e) != 0)
			die(addrs[i], strerror(ENOMEM));
	}
	print_list(o, &found, now);
	elist_free(&found);
	return fail;
}

static int
run_offline(const struct opts *o, char **argv, int argc, long long now)
{
	struct elist l = { NULL, 0, 0 };
	char err[512];
	int bad, fail = 0;

	if ((bad = mapfile_read(o->dbfile, &l, warnmsg, err,
	    sizeof(err))) < 0)
		die("cannot read the map", err);
	switch (o->mode) {
	case M_STATS:
		offline_stats(o, &l, bad, now);
		break;
	case M_QUERY:
		fail = offline_query(o, &l, argv, argc, now);
		break;
	case M_DUMP:
		out_dump(&l, now);
		break;
	default:
		keep_live(&l, now);
		print_list(o, &l, now);
		break;
	}
	elist_free(&l);
	return bad + fail;
}

/* ---- online -------------------------------------------------------- */

static int
online_add(const struct opts *o, struct remote *r, char **addrs, int n)
{
	struct dracaddr a;
	long long expires;
	char err[512];
	int i, fail = 0;

	for (i = 0; i < n; i++) {
		if (parse_addr(addrs[i], &a) != 0)
			fail++;
		else if (remote_add(r, &a, o->ttl, o->user, &expires, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "dracdb: add %s: %s\n", addrs[i], err);
			fail++;
		}
	}
	return fail;
}

static int
online_drop(struct remote *r, char **addrs, int n)
{
	struct dracaddr a;
	char err[512];
	int i, fail = 0;

	for (i = 0; i < n; i++) {
		if (parse_addr(addrs[i], &a) != 0)
			fail++;
		else if (remote_drop(r, &a, err, sizeof(err)) != 0) {
			fprintf(stderr, "dracdb: delete %s: %s\n", addrs[i],
			    err);
			fail++;
		}
	}
	return fail;
}

static int
online_query(const struct opts *o, struct remote *r, char **addrs, int n,
    long long now)
{
	struct elist found = { NULL, 0, 0 };
	struct dracaddr a;
	struct entry e;
	char err[512];
	int i, fail = 0;

	for (i = 0; i < n; i++) {
		if (parse_addr(addrs[i], &a) != 0)
			fail++;
		else if (remote_query(r, &a, &e, err, sizeof(err)) != 0) {
			fprintf(stderr, "dracdb: %s: %s\n", addrs[i], err);
			fail++;
		} else if (elist_push(&found, &e) != 0)
			die(addrs[i], strerror(ENOMEM));
	}
	print_list(o, &found, now);
	elist_free(&found);
	return fail;
}

static int
online_stats(const struct opts *o, struct remote *r)
{
	struct clist c = { NULL, 0, 0 };
	char err[512];

	if (remote_stats(r, &c, err, sizeof(err)) != 0) {
		fprintf(stderr, "dracdb: statistics: %s\n", err);
		return 1;
	}
	print_counters(o, &c);
	return 0;
}

static int
online_list(const struct opts *o, struct remote *r, long long now)
{
	struct elist l = { NULL, 0, 0 };
	char err[512];

	if (remote_list(r, &l, err, sizeof(err)) != 0) {
		fprintf(stderr, "dracdb: list: %s\n", err);
		elist_free(&l);
		return 1;
	}
	elist_sort(&l);
	if (o->mode == M_DUMP)
		out_dump(&l, now);
	else {
		keep_live(&l, now);
		print_list(o, &l, now);
	}
	elist_free(&l);
	return 0;
}

/*
 * Each live entry of a dump or of an old map goes through ADD with the
 * time it has left, so the daemon stays the only writer of the map.
 */
static int
online_load(const struct opts *o, struct remote *r, long long now)
{
	struct elist l = { NULL, 0, 0 };
	long long expires;
	char err[512], addr[DRACADDR_TEXT_MAX];
	size_t i, loaded = 0, expired = 0;
	int bad, fail = 0;

	if (mapfile_is_db(o->loadfile))
		bad = mapfile_read(o->loadfile, &l, warnmsg, err, sizeof(err));
	else
		bad = load_text(o->loadfile, &l, warnmsg, err, sizeof(err));
	if (bad < 0) {
		fprintf(stderr, "dracdb: load: %s\n", err);
		return 1;
	}
	for (i = 0; i < l.n; i++) {
		if (l.v[i].expires <= now) {
			expired++;
			continue;
		}
		if (remote_add(r, &l.v[i].addr,
		    (unsigned int)(l.v[i].expires - now), l.v[i].user,
		    &expires, err, sizeof(err)) != 0) {
			dracaddr_format(&l.v[i].addr, addr, sizeof(addr));
			fprintf(stderr, "dracdb: add %s: %s\n", addr, err);
			fail++;
		} else
			loaded++;
	}
	printf("%zu loaded, %zu expired, %d failed\n", loaded, expired,
	    bad + fail);
	elist_free(&l);
	return bad + fail;
}

static int
run_online(const struct opts *o, char **argv, int argc, long long now)
{
	struct remote *r;
	char err[512];
	int fail;

	if ((r = remote_open(o->host, o->keyfile, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dracdb: %s\n", err);
		return argc > 0 ? argc : 1;
	}
	switch (o->mode) {
	case M_ADD:
		fail = online_add(o, r, argv, argc);
		break;
	case M_DROP:
		fail = online_drop(r, argv, argc);
		break;
	case M_QUERY:
		fail = online_query(o, r, argv, argc, now);
		break;
	case M_STATS:
		fail = online_stats(o, r);
		break;
	case M_LOAD:
		fail = online_load(o, r, now);
		break;
	default:
		fail = online_list(o, r, now);
		break;
	}
	remote_close(r);
	return fail;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	long long now;
	int fail, wants_addrs;

	parse_opts(argc, argv, &o);
	argc -= optind;
	argv += optind;
	wants_addrs = o.mode == M_ADD || o.mode == M_DROP ||
	    o.mode == M_QUERY;
	if (wants_addrs != (argc > 0))
		usage();
	now = (long long)time(NULL);
	if (o.offline)
		fail = run_offline(&o, argv, argc, now);
	else
		fail = run_online(&o, argv, argc, now);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "dracdb: stdout: %s\n", strerror(errno));
		fail++;
	}
	return saturate(fail);
}
