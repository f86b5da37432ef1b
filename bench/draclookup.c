/*
 * draclookup: what one map lookup costs an MTA.
 *
 *	draclookup [-c count] [-k cache_kib] [-n lookups] dbfile
 *
 * Opens the map read-only with its own Berkeley DB cache (-k KiB,
 * default 128: Postfix's berkeley_db_read_buffer_size), as sendmail,
 * Postfix and Exim do, and looks up -n random addresses (default
 * 200000) among the first 110% of the -c (default 100000) that dracfill
 * wrote, so about 9 in 10 are found.  Two ways, each its own line:
 *
 *	lookup get ns=N hits=N lookups=N cache_kib=N
 *	lookup flock+fstat+get ns=N ...
 *
 * the bare DB->get, and the get inside a shared flock() with an fstat()
 * for a changed file, as Postfix and sendmail do around each lookup.
 * The keys are formatted before the clock starts.  Exit status 0, or 1.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <db.h>

#include "clock.h"
#include "opt.h"

#define FILL_BASE	0x64400001U	/* dracfill's first address */
#define KEY_LEN		16

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: draclookup [-c count] [-k cache_kib] "
	    "[-n lookups] dbfile\n");
	exit(1);
}


/* One pass over the keys; returns the hits. */
static long
pass(DB *db, int fd, const char *keys, long n, int locked)
{
	struct stat st;
	DBT k, v;
	long i, hits = 0;

	for (i = 0; i < n; i++) {
		memset(&k, 0, sizeof(k));
		memset(&v, 0, sizeof(v));
		k.data = (void *)(uintptr_t)(keys + i * KEY_LEN);
		k.size = (u_int32_t)strlen(k.data);
		if (locked && (flock(fd, LOCK_SH) != 0 || fstat(fd, &st) != 0))
			return -1;
		if (db->get(db, NULL, &k, &v, 0) == 0)
			hits++;
		if (locked)
			(void)flock(fd, LOCK_UN);
	}
	return hits;
}

int
main(int argc, char *argv[])
{
	static const char *const how[] = { "get", "flock+fstat+get" };
	long count = 100000, n = 200000, cache = 128, i, hits;
	unsigned int seed = 1;
	uint32_t a;
	char *keys;
	long long t0;
	DB *db;
	int ch, fd, ret, locked;

	while ((ch = getopt(argc, argv, "c:k:n:")) != -1) {
		switch (ch) {
		case 'c':
			count = opt_number(optarg, 1, 4000000, 'c');
			break;
		case 'k':
			cache = opt_number(optarg, 20, 1024 * 1024, 'k');
			break;
		case 'n':
			n = opt_number(optarg, 1, 10000000, 'n');
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 1)
		usage();
	if ((keys = malloc((size_t)n * KEY_LEN)) == NULL) {
		perror("draclookup");
		return 1;
	}
	for (i = 0; i < n; i++) {
		a = FILL_BASE + (uint32_t)(rand_r(&seed) % (count + count / 10));
		snprintf(keys + i * KEY_LEN, KEY_LEN, "%u.%u.%u.%u", a >> 24,
		    (a >> 16) & 255, (a >> 8) & 255, a & 255);
	}
	if ((ret = db_create(&db, NULL, 0)) != 0 ||
	    (ret = db->set_cachesize(db, 0, (u_int32_t)cache * 1024, 1)) != 0 ||
	    (ret = db->open(db, NULL, argv[optind], NULL, DB_UNKNOWN,
	    DB_RDONLY, 0)) != 0 || (ret = db->fd(db, &fd)) != 0) {
		fprintf(stderr, "draclookup: %s: %s\n", argv[optind],
		    db_strerror(ret));
		return 1;
	}
	for (locked = 0; locked < 2; locked++) {
		(void)pass(db, fd, keys, n / 10, locked);	/* warm up */
		t0 = dracclock_mono_ns();
		if ((hits = pass(db, fd, keys, n, locked)) < 0) {
			fprintf(stderr, "draclookup: %s: lock: %s\n",
			    argv[optind], strerror(errno));
			return 1;
		}
		printf("lookup %s ns=%.0f hits=%ld lookups=%ld cache_kib=%ld\n",
		    how[locked], (double)(dracclock_mono_ns() - t0) / (double)n,
		    hits, n, cache);
	}
	db->close(db, 0);
	free(keys);
	return 0;
}
