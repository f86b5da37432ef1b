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
#include "table.h"

/* Counters reported by STATS and on SIGUSR1; names in grant.c. */
enum stat_id {
	ST_NULL, ST_V1_ADD, ST_V2_ADD, ST_V3_ADD, ST_V3_DROP, ST_V3_QUERY,
	ST_V3_LIST, ST_V3_STATS, ST_OK, ST_PERM, ST_SYSERR, ST_BADADDR,
	ST_NOTFOUND, ST_MALFORMED, ST_BADAUTH, ST_EXPIRED, ST_DROPPED,
	ST_RELOADS, ST_RELOAD_FAILURES, ST_SOCKETMAP,
	ST_COUNT
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
	uint64_t	 stats[ST_COUNT];
	time_t		 started;
	long long	 last_sync_ms;	/* monotonic */
	int		 sweeping;	/* SWEEP_* below */
	struct mapdb_sweep sweep;
	long long	 sweep_due;	/* ms: a sweep removes what is due by then */
	uint32_t	 sweep_at;	/* the table's clean-up walks down from here */
};

/* What a mass expiry is sweeping, in this order (grant.c). */
enum { SWEEP_NONE, SWEEP_MAP, SWEEP_TABLE, SWEEP_STATE };
/* How long a sweep waits for a running flush, and how often it looks. */
#define SWEEP_YIELD_MS		100
#define SWEEP_RETRY_MS		1

/* grant.c: the authorizations, kept in memory and in the map at once. */
int	grant_load(struct dracd *, int prune);
int	grant_add(struct dracd *, const struct dracaddr *, unsigned int ttl,
	    const char *user, int how, long long *expires);
int	grant_drop(struct dracd *, const struct dracaddr *);
int	grant_query(struct dracd *, const struct dracaddr *, long long *,
	    struct mapinfo *);
/* wall_ms: the wall clock; mono_ms: the monotonic one (clock.h). */
long long grant_expire(struct dracd *, long long wall_ms, int *more);
void	grant_sync(struct dracd *, long long mono_ms);
const char *grant_stat_name(int);
void	grant_log_stats(const struct dracd *);

#endif
