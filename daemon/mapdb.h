/*
 * mapdb.h: the Berkeley DB files.  The map is what MTAs read, exactly as
 * DRAC writes it; the state file beside it keeps user, TTL and origin.
 *
 * Durability: every change is written to the files (page cache) before
 * mapdb_commit returns, so an MTA sees it and it survives kill -9 of the
 * daemon; fsync is batched by the caller through mapdb_sync.
 */
#ifndef DRAC_MAPDB_H
#define DRAC_MAPDB_H

#include <db.h>

#include "addr.h"

struct mapinfo {
	unsigned int	ttl;
	long long	added;
	int		how;		/* DRAC3_HOW_* */
	char		user[65];
};

struct mapdb {
	DB		*map;
	DB		*state;
	int		 keyflags;	/* DRACKEY_* */
	int		 unsynced;	/* committed, not yet fsynced */
	char		 path[4096];
	char		 statepath[4096];
};

#define MAPDB_BTREE	0
#define MAPDB_HASH	1

/* 1 if the last daemon closed the map cleanly and nobody touched it. */
int	mapdb_was_clean(const char *path);
int	mapdb_open(struct mapdb *, const char *path, int type, int keyflags,
	    int truncate, char *err, size_t errlen);
void	mapdb_close(struct mapdb *);

/* Changes go between begin and commit, which hold the MTA-visible lock. */
int	mapdb_begin(struct mapdb *);
int	mapdb_put(struct mapdb *, const struct dracaddr *, long long expires,
	    const struct mapinfo *);
int	mapdb_del(struct mapdb *, const struct dracaddr *);
int	mapdb_commit(struct mapdb *);

int	mapdb_sync(struct mapdb *);
int	mapdb_info(struct mapdb *, const struct dracaddr *, struct mapinfo *);

/* Startup: every parsable map entry; returns entries skipped, -1 error. */
typedef int	mapdb_loadfn(void *, const struct dracaddr *, long long);
long	mapdb_load(struct mapdb *, mapdb_loadfn *, void *);
/* Startup: state records whose address keep() rejects are deleted. */
typedef int	mapdb_keepfn(void *, const struct dracaddr *);
long	mapdb_prune_state(struct mapdb *, mapdb_keepfn *, void *);

/* repair.c: after an unclean stop, rebuild a damaged map or state file. */
int	mapdb_repair(const char *path, int type, int keyflags,
	    const char *why);

#endif
