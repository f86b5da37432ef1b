/*
 * repair.c: after a daemon that did not stop cleanly.
 *
 * A kill -9 in the middle of writing a page split can leave a btree that
 * Berkeley DB cannot read.  The state file holds every ADD with its
 * expiry, and every DROP, checksummed record by record, so a damaged map
 * is moved aside and rebuilt from what Berkeley DB can salvage of it
 * plus the addresses whose last state record is a live ADD.  The state
 * file needs no repair: its reader skips damage (statefile.h).
 */
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "defs.h"
#include "log.h"
#include "mapdb.h"
#include "stateconv.h"

struct rec {
	struct dracaddr	addr;
	long long	expires;	/* from the map; -1: not in it */
	long long	state;		/* from the state file; -1: dropped */
	size_t		seq;		/* order in the state file */
};

struct recs {
	struct rec	*v;
	size_t		 n, cap;
	int		 nomem;		/* a rec_new failed */
};

/*
 * Berkeley DB's verifier reads a damaged file, and damage can be any
 * bytes at all: on some it crashes (a double free in __heap_vrfy was
 * seen on a map overwritten with random bytes).  So it runs in a child;
 * a child killed by a signal means the file is damaged.  With out, the
 * child salvages into it what it can.  Returns the verifier's result:
 * 0 sound, -1 damaged or not checked.
 */
static int
verify_in_child(const char *path, FILE *out)
{
	pid_t pid;
	DB *db;
	int status, ret;

	fflush(NULL);
	if ((pid = fork()) == -1) {
		log_warn("%s: fork for the verifier", path);
		return -1;
	}
	if (pid == 0) {
		if (db_create(&db, NULL, 0) != 0)
			_exit(2);
		ret = db->verify(db, path, NULL, out, out == NULL ? 0 :
		    DB_SALVAGE | DB_AGGRESSIVE | DB_PRINTABLE);
		if (out != NULL)
			fflush(out);
		_exit(ret == 0 ? 0 : 1);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			log_warn("%s: waitpid", path);
			return -1;
		}
	if (WIFSIGNALED(status)) {
		log_warnx("%s: Berkeley DB's verifier died of signal %d on it; "
		    "taking it as damaged", path, WTERMSIG(status));
		return -1;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* 1 if the file is sound or absent, 0 if Berkeley DB finds it damaged. */
static int
sound(const char *path)
{
	if (access(path, F_OK) != 0)
		return 1;
	return verify_in_child(path, NULL) == 0;
}

static struct rec *
rec_new(struct recs *r)
{
	struct rec *v;
	size_t cap;

	if (r->n == r->cap) {
		cap = r->cap ? r->cap * 2 : 1024;
		if ((v = realloc(r->v, cap * sizeof(*v))) == NULL) {
			r->nomem = 1;
			return NULL;
		}
		r->v = v;
		r->cap = cap;
	}
	memset(&r->v[r->n], 0, sizeof(r->v[0]));
	r->v[r->n].expires = -1;
	r->v[r->n].state = -1;
	r->v[r->n].seq = r->n;
	return &r->v[r->n++];
}

/* One printable line of db_dump format, unescaped; returns its length. */
static size_t
unescape(const char *s, char *out, size_t size)
{
	size_t n = 0;
	unsigned int byte;

	for (; *s != '\0' && *s != '\n' && n + 1 < size; s++) {
		if (*s == '\\' && s[1] == '\\')
			out[n++] = *++s;
		else if (*s == '\\' && sscanf(s + 1, "%2x", &byte) == 1) {
			out[n++] = (char)byte;
			s += 2;
		} else
			out[n++] = *s;
	}
	out[n] = '\0';
	return n;
}

/* Adds every entry the map yields, read or salvaged. */
static int
collect(const char *path, int keyflags, struct recs *r)
{
	char *dump = NULL, *line, *next, key[256], val[256];
	size_t klen = 0, vlen;
	struct rec *rec;
	FILE *f;
	long size;
	int body = 0, have_key = 0;

	/* The child writes the salvage to a file; read it back whole. */
	if ((f = tmpfile()) == NULL) {
		log_warn("%s: temporary file for the salvage", path);
		return -1;
	}
	(void)verify_in_child(path, f);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (dump = malloc((size_t)size + 1)) == NULL ||
	    fread(dump, 1, (size_t)size, f) != (size_t)size) {
		log_warn("%s: reading the salvage", path);
		free(dump);
		fclose(f);
		return -1;
	}
	dump[size] = '\0';
	fclose(f);
	for (line = dump; line != NULL && *line != '\0'; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			next++;
		if (strncmp(line, "HEADER=END", 10) == 0) {
			body = 1;
			continue;
		}
		if (!body || line[0] != ' ') {
			body = body && strncmp(line, "DATA=END", 8) != 0;
			have_key = 0;
			continue;
		}
		if (!have_key) {
			klen = unescape(line + 1, key, sizeof(key));
			have_key = 1;
			continue;
		}
		have_key = 0;
		vlen = unescape(line + 1, val, sizeof(val));
		if ((rec = rec_new(r)) == NULL) {
			free(dump);
			return -1;
		}
		if (dracaddr_from_key(key, klen, keyflags, &rec->addr) != 0 ||
		    dracaddr_parse_value(val, vlen, &rec->expires) != 0)
			r->n--;
	}
	free(dump);
	return 0;
}

/* A state record: its expiry, or -1 for a DROP. */
static int
state_one(void *ctx, const struct staterec *sr, size_t off)
{
	struct rec *rec;

	(void)off;
	if ((rec = rec_new(ctx)) == NULL)
		return -1;
	rec->addr = sr->addr;
	rec->state = sr->type == STATEREC_DROP ? -1 : sr->expires;
	return 0;
}

/* Records of the old format carry no expiry: it was added + ttl. */
static int
old_state_one(void *ctx, struct staterec *sr)
{
	sr->expires = sr->added + sr->ttl;
	return state_one(ctx, sr, 0);
}

/*
 * The state file's records, in its format or the old one.  A file that
 * cannot be read is logged and the map rebuilt without it; -1 only when
 * memory ran out.
 */
static int
collect_state(const char *path, struct recs *r)
{
	char err[512];
	size_t end, damaged;
	int fd, rc;

	if (stateconv_is_old(path)) {
		if (stateconv_read(path, old_state_one, r, err,
		    sizeof(err)) != 0 && !r->nomem)
			log_warnx("%s; the map is rebuilt without it", err);
		return r->nomem ? -1 : 0;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	rc = statefile_read(fd, state_one, r, &end, &damaged);
	close(fd);
	if (rc < 0 && !r->nomem)
		log_warn("%s: read; the map is rebuilt without what follows",
		    path);
	return r->nomem ? -1 : 0;
}

/* By address, then in the order the records came. */
static int
by_addr(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	int c = memcmp(&x->addr, &y->addr, sizeof(x->addr));

	return c != 0 ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
move_aside(const char *path)
{
	char aside[4200];

	snprintf(aside, sizeof(aside), "%s.damaged.%lld", path,
	    (long long)time(NULL));
	if (rename(path, aside) != 0)
		log_warn("rename %s", path);
	else
		log_warnx("%s: damaged; moved to %s, rebuilding", path, aside);
}

int
mapdb_repair(const char *path, int type, int keyflags, const char *why)
{
	char statepath[4200], err[512];
	struct recs r = { NULL, 0, 0, 0 };
	struct mapdb m;
	struct rec *p, *q;
	long long now = time(NULL), expires;
	size_t i, kept = 0;

	snprintf(statepath, sizeof(statepath), "%s%s", path, DRAC_STATE_SUFFIX);
	if (sound(path)) {
		log_info("%s: checked (%s): sound", path, why);
		return 0;
	}
	if (collect(path, keyflags, &r) != 0 ||
	    collect_state(statepath, &r) != 0) {
		free(r.v);
		return -1;
	}
	log_warnx("%s: checked (%s): damaged", path, why);
	move_aside(path);
	if (mapdb_open(&m, path, type, keyflags, 0, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		free(r.v);
		return -1;
	}
	/*
	 * What the map salvage holds wins; an address it lost comes back
	 * from its last state record, unless that was a DROP.
	 */
	if (r.n > 0)
		qsort(r.v, r.n, sizeof(*r.v), by_addr);
	(void)mapdb_begin(&m);
	for (i = 0; i < r.n; i = (size_t)(q - r.v)) {
		expires = -1;
		for (p = q = &r.v[i]; q < r.v + r.n &&
		    memcmp(&q->addr, &p->addr, sizeof(p->addr)) == 0; q++)
			if (q->expires >= 0)
				expires = q->expires;
		if (expires < 0)	/* lost: its last state record says */
			expires = q[-1].state;
		if (expires <= now)
			continue;
		if (mapdb_put(&m, &p->addr, expires) == 0)
			kept++;
	}
	(void)mapdb_commit(&m);
	(void)fdatasync(mapdb_fd(&m));
	mapdb_close(&m);
	free(r.v);
	log_warnx("%s: rebuilt with %zu live entries", path, kept);
	return 0;
}
