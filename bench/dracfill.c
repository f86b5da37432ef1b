/*
 * dracfill: write a large map, as rpc.dracd would have left it, before
 * the daemon starts.
 *
 *	dracfill [-e epoch] [-n count] [-r records] [-x count] dbfile
 *
 * Creates dbfile (a Berkeley DB btree, page size chosen by the library
 * as for the daemon) and dbfile.state from scratch: -n entries (default
 * 100000) for 100.64.0.1 onwards expiring at -e (epoch seconds, default
 * an hour from now), then -x more (default 0) that expired a minute ago.
 * Keys are dotted quads and values decimal epochs, without NULs; each
 * entry has its state record (v3, user "bench", common/statefile.h),
 * after -r - 1 older ones (default none) of an expiry it no longer has,
 * as ADDs before its last leave them.
 * Prints "fill entries=N expired=N records=N secs=S map_kib=N".  Exit
 * status 0, or 1 with a message naming the file.
 */
#include <sys/stat.h>

#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <db.h>

#include "clock.h"
#include "opt.h"
#include "statefile.h"

#define FILL_BASE	0x64400001U	/* 100.64.0.1, in 100.64.0.0/10 */
#define FILL_MAX	4000000L	/* addresses left in that range */
#define FILL_CACHE	(64 * 1024 * 1024)
#define FILL_TTL	1800

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: dracfill [-e epoch] [-n count] [-r records] "
	    "[-x count] dbfile\n");
	exit(1);
}


static DB *
create(const char *path)
{
	DB *db;
	int ret;

	if (unlink(path) != 0 && errno != ENOENT) {
		fprintf(stderr, "dracfill: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	if ((ret = db_create(&db, NULL, 0)) != 0 ||
	    (ret = db->set_cachesize(db, 0, FILL_CACHE, 1)) != 0 ||
	    (ret = db->open(db, NULL, path, NULL, DB_BTREE, DB_CREATE,
	    0644)) != 0) {
		fprintf(stderr, "dracfill: %s: %s\n", path, db_strerror(ret));
		exit(1);
	}
	return db;
}

static void
put(DB *db, const char *path, const char *key, const char *val)
{
	DBT k, v;
	int ret;

	memset(&k, 0, sizeof(k));
	memset(&v, 0, sizeof(v));
	k.data = (void *)(uintptr_t)key;
	k.size = (u_int32_t)strlen(key);
	v.data = (void *)(uintptr_t)val;
	v.size = (u_int32_t)strlen(val);
	if ((ret = db->put(db, NULL, &k, &v, 0)) != 0) {
		fprintf(stderr, "dracfill: %s: put %s: %s\n", path, key,
		    db_strerror(ret));
		exit(1);
	}
}

static FILE *
state_create(const char *path)
{
	unsigned char head[STATEFILE_HEADER];
	FILE *f;

	if ((f = fopen(path, "w")) == NULL) {
		fprintf(stderr, "dracfill: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	statefile_header(head);
	(void)fwrite(head, 1, sizeof(head), f);
	return f;
}

static void
state_put(FILE *f, uint32_t a, long long expires, const char *user)
{
	unsigned char buf[STATEREC_MAX];
	struct staterec r;
	size_t len;

	memset(&r, 0, sizeof(r));
	r.type = STATEREC_ADD;
	dracaddr_from_v4(htonl(a), &r.addr);
	r.expires = expires;
	r.added = expires - FILL_TTL;
	r.ttl = FILL_TTL;
	r.how = 3;
	snprintf(r.user, sizeof(r.user), "%s", user);
	len = statefile_encode(&r, buf);
	(void)fwrite(buf, 1, len, f);
}

static void
state_finish(FILE *f, const char *path)
{
	if (ferror(f) || fclose(f) != 0) {
		fprintf(stderr, "dracfill: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void
finish(DB *db, const char *path)
{
	int ret;

	if ((ret = db->close(db, 0)) != 0) {
		fprintf(stderr, "dracfill: %s: %s\n", path, db_strerror(ret));
		exit(1);
	}
}

int
main(int argc, char *argv[])
{
	char statepath[4096], key[16], val[24];
	long long epoch = 0, expires, now = time(NULL);
	long n = 100000, x = 0, records = 1, i, k;
	long long t0;
	struct stat st;
	uint32_t a;
	DB *map;
	FILE *state;
	int ch;

	while ((ch = getopt(argc, argv, "e:n:r:x:")) != -1) {
		switch (ch) {
		case 'e':
			epoch = opt_number(optarg, 1, 1LL << 40, 'e');
			break;
		case 'n':
			n = (long)opt_number(optarg, 0, FILL_MAX, 'n');
			break;
		case 'r':
			records = (long)opt_number(optarg, 1, 16, 'r');
			break;
		case 'x':
			x = (long)opt_number(optarg, 0, FILL_MAX, 'x');
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	if (n + x > FILL_MAX) {
		fprintf(stderr, "dracfill: at most %ld entries in all\n",
		    FILL_MAX);
		exit(1);
	}
	if (epoch == 0)
		epoch = now + 3600;
	if (snprintf(statepath, sizeof(statepath), "%s.state", argv[optind]) >=
	    (int)sizeof(statepath)) {
		fprintf(stderr, "dracfill: %s: path too long\n", argv[optind]);
		exit(1);
	}
	t0 = dracclock_mono_ns();
	map = create(argv[optind]);
	state = state_create(statepath);
	for (i = 0; i < n + x; i++) {
		a = FILL_BASE + (uint32_t)i;
		snprintf(key, sizeof(key), "%u.%u.%u.%u", a >> 24,
		    (a >> 16) & 255, (a >> 8) & 255, a & 255);
		expires = i < n ? epoch : now - 60;
		snprintf(val, sizeof(val), "%lld", expires);
		for (k = records - 1; k > 0; k--)
			state_put(state, a, expires - 60 * k, "earlier");
		state_put(state, a, expires, "bench");
		put(map, argv[optind], key, val);
	}
	state_finish(state, statepath);
	finish(map, argv[optind]);
	printf("fill entries=%ld expired=%ld records=%ld secs=%.2f "
	    "map_kib=%lld\n", n, x, (n + x) * records,
	    (double)(dracclock_mono_ns() - t0) / 1e9,
	    stat(argv[optind], &st) == 0 ? (long long)st.st_size / 1024 : -1);
	return 0;
}
