/*
 * dracd.h: rpc.dracd's one state struct and the interfaces between its
 * files.  Nothing here is seen outside the daemon.
 */
#ifndef DRAC_DRACD_H
#define DRAC_DRACD_H

#include <stdint.h>
#include <time.h>

#include "addr.h"
#include "allow.h"
#include "authn.h"
#include "clock.h"
#include "mapdb.h"
#include "statelog.h"
#include "syncer.h"
#include "table.h"

/* Counters reported by STATS and on SIGUSR1; names in grant.c. */
enum stat_id {
	ST_NULL, ST_V1_ADD, ST_V2_ADD, ST_V3_ADD, ST_V3_DROP, ST_V3_QUERY,
	ST_V3_LIST, ST_V3_STATS, ST_OK, ST_PERM, ST_SYSERR, ST_BADADDR,
	ST_NOTFOUND, ST_MALFORMED, ST_BADAUTH, ST_EXPIRED, ST_DROPPED,
	ST_RELOADS, ST_RELOAD_FAILURES, ST_SOCKETMAP,
	ST_COUNT
};

/* The files one flush writes back, and the changes it covers (flush.c). */
struct batch {
	int		 fds[SYNCER_FDS];
	const char	*paths[SYNCER_FDS];
	int		 n;
	int		 retire;	/* closed after it, -1: none */
	unsigned long	 map;		/* commits of the map */
	unsigned long	 state;		/* appends to the state file */
};

struct dracd {
	/* Configuration, fixed after start-up. */
	const char	*dbpath;
	const char	*allowpath;
	const char	*pidpath;
	unsigned int	 default_ttl;	/* seconds (-e) */
	unsigned int	 max_ttl;	/* seconds (-m) */
	unsigned int	 sync_secs;	/* fsync batching (-s), 0: every ADD */
	int		 keyflags;	/* DRACKEY_* (-c, -z) */
	int		 dbtype;	/* MAPDB_BTREE or MAPDB_HASH (-t) */

	/* State. */
	struct authn	 authn;
	struct allow_list allow;
	int		 allow_is_default;	/* no allow file */
	struct table	 table;
	struct mapdb	 db;
	struct statelog	 state;
	struct syncer	 syncer;
	struct batch	 flush;		/* what the running flush covers */
	uint64_t	 stats[ST_COUNT];
	time_t		 started;
	long long	 last_sync_ms;	/* monotonic */
	int		 sweeping;	/* SWEEP_* below */
	struct mapdb_sweep sweep;
	long long	 sweep_due;	/* ms: a sweep removes what is due by then */
	uint32_t	 sweep_at;	/* the table's clean-up walks down from here */
};

/* What a mass expiry is sweeping, in this order (grant.c). */
enum { SWEEP_NONE, SWEEP_MAP, SWEEP_TABLE };
/* How long a sweep waits for a running flush, and how often it looks. */
#define SWEEP_YIELD_MS		100
#define SWEEP_RETRY_MS		1

/*
 * grant.c: the authorizations, kept in memory, in the map and in the
 * state file at once.  open loads both files into the table: -1 (logged)
 * if they cannot be used.
 */
int	grant_open(struct dracd *, int truncate);
void	grant_close(struct dracd *);
int	grant_add(struct dracd *, const struct dracaddr *, unsigned int ttl,
	    const char *user, int how, long long *expires);
int	grant_drop(struct dracd *, const struct dracaddr *);
/* A live entry's expiry and state (how DRAC3_HOW_MAP without one). */
int	grant_query(struct dracd *, const struct dracaddr *,
	    struct staterec *);
void	grant_info(struct dracd *, const struct entry *, struct staterec *);
/* wall_ms: the wall clock; mono_ms: the monotonic one (clock.h). */
long long grant_expire(struct dracd *, long long wall_ms, int *more);
/* A share of the state file's compaction; *more if some is left. */
void	grant_compact(struct dracd *, int *more);
const char *grant_stat_name(int);
void	grant_log_stats(const struct dracd *);

/*
 * flush.c: both files to disk, every sync_secs at most, in the
 * background (syncer.h); flush_now at once, for -s 0 and the end.
 */
void	flush_start(struct dracd *, long long mono_ms);
int	flush_collect(struct dracd *);
int	flush_now(struct dracd *);
#define flush_running(d)	syncer_busy(&(d)->syncer)
#define flush_unsynced(d)	(mapdb_unsynced(&(d)->db) || \
				statelog_unsynced(&(d)->state))

#endif
