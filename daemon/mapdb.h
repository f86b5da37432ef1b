/*
 * mapdb.h: the map file MTAs read, exactly as DRAC writes it: a Berkeley
 * DB btree (or hash), key the address as text, value the expiry.
 *
 * Durability: every change is in the page cache before mapdb_commit
 * returns, so an MTA sees it and it survives kill -9 of the daemon.
 * fdatasync is the caller's, batched (flush.c).
 */
#ifndef DRAC_MAPDB_H
#define DRAC_MAPDB_H

#include <db.h>

#include "addr.h"

struct mapdb {
	DB		*map;
	int		 keyflags;	/* DRACKEY_* */
	int		 locked;	/* holds the readers' locks */
	long long	 locked_at;	/* since, monotonic ms */
	unsigned long	 written;	/* commits so far */
	unsigned long	 synced;	/* commits known to be on disk */
	char		 path[4096];
};

#define MAPDB_BTREE	0
#define MAPDB_HASH	1

/* 1 if the last daemon closed the map cleanly and nobody touched it. */
int	mapdb_was_clean(const char *path);
int	mapdb_open(struct mapdb *, const char *path, int type, int keyflags,
	    int truncate, char *err, size_t errlen);
void	mapdb_close(struct mapdb *);

/*
 * Changes go between begin, which takes the locks MTAs honour, and
 * commit, which writes them to the file.  The locks stay until release.
 */
int	mapdb_begin(struct mapdb *);
int	mapdb_put(struct mapdb *, const struct dracaddr *, long long expires);
int	mapdb_del(struct mapdb *, const struct dracaddr *);
int	mapdb_commit(struct mapdb *);
void	mapdb_release(struct mapdb *);
/* Milliseconds the locks have been held, -1 if they are not. */
long long mapdb_locked_for(const struct mapdb *);

/* Commits not yet flushed to disk. */
#define mapdb_unsynced(m)	((m)->written != (m)->synced)
/* The map's descriptor, for the flush. */
int	mapdb_fd(struct mapdb *);

/*
 * A walk in key order over the map, in steps that may be far apart: a
 * mass expiry deletes in key order, so that the deletions of one pass
 * share their pages.  sweep_next gives the next address and its expiry
 * (-1 if the value is not one): 1, or 0 at the end, -1 on error.
 * sweep_del deletes that record, sweep_pause lets go of the file until
 * the next step.
 * The walk resumes at the last record it kept, which is still there (in
 * a hash map, order is kept only that way); if another change removed
 * it meanwhile, the walk starts over, which is slower but still right.
 */
struct mapdb_sweep {
	DBC		*cursor;
	int		 current;	/* a record was returned... */
	int		 deleted;	/* ...and deleted */
	char		 cur[DRACADDR_TEXT_MAX + 8];
	u_int32_t	 curlen;
	char		 kept[DRACADDR_TEXT_MAX + 8];
	u_int32_t	 keptlen;	/* 0: none, start from the first */
};
void	mapdb_sweep_init(struct mapdb_sweep *);
int	mapdb_sweep_next(struct mapdb *, struct mapdb_sweep *,
	    struct dracaddr *, long long *expires);
int	mapdb_sweep_del(struct mapdb *, struct mapdb_sweep *);
void	mapdb_sweep_pause(struct mapdb_sweep *);

/* Startup: every parsable map entry; returns entries skipped, -1 error. */
typedef int	mapdb_loadfn(void *, const struct dracaddr *, long long);
long	mapdb_load(struct mapdb *, mapdb_loadfn *, void *);

/* repair.c: after an unclean stop, rebuild a damaged map. */
int	mapdb_repair(const char *path, int type, int keyflags,
	    const char *why);

#endif
