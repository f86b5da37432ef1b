/*
 * dracdb.h: the admin tool's modules and the record they pass around.
 *
 * An entry looks the same whether it came from the running daemon (v3
 * LIST or QUERY), from the map file and its ".state" side file, or from
 * a dump: so listing, dumping and loading never care where it came from.
 */
#ifndef DRACDB_H
#define DRACDB_H

#include <stddef.h>

#include "addr.h"

#define DRACDB_USER_MAX		64	/* DRAC3_USER_MAX */
#define DRACDB_NAME_MAX		32	/* a counter's name */
#define DRACDB_TIMEOUT		5	/* seconds for one RPC call */

/* How an entry was added; the values are drac3_how's. */
#define HOW_MAP		0
#define HOW_V1		1
#define HOW_V2		2
#define HOW_V3		3
#define HOW_ADMIN	4
#define HOW_MAXVAL	4

struct entry {
	struct dracaddr	addr;
	long long	expires;	/* epoch seconds */
	long long	added;		/* epoch seconds; 0 unknown */
	unsigned int	ttl;		/* seconds; 0 unknown */
	int		how;		/* HOW_* */
	char		user[DRACDB_USER_MAX + 1];
};

struct elist {
	struct entry	*v;
	size_t		 n;
	size_t		 cap;
};

struct counter {
	char			name[DRACDB_NAME_MAX + 1];
	unsigned long long	value;
};

struct clist {
	struct counter	*v;
	size_t		 n;
	size_t		 cap;
};

/* entries.c */
int	elist_push(struct elist *, const struct entry *);
void	elist_sort(struct elist *);
struct entry *elist_find(const struct elist *, const struct dracaddr *);
void	elist_free(struct elist *);
int	clist_push(struct clist *, const char *, unsigned long long);
void	clist_free(struct clist *);
const char *how_name(int);
int	how_parse(const char *, int *);

/* remote.c: the running daemon, through RPC version 3. */
struct remote;
/* "host", "host:port", "[address]:port", bare IPv6; 0 or -1. */
int	remote_split_host(const char *spec, char *host, size_t hostlen,
	    char *port, size_t portlen);
/* keyfile: sign every call with it (rpc.dracd -K); NULL: unsigned. */
struct remote *remote_open(const char *host, const char *keyfile,
	    char *err, size_t errlen);
void	remote_close(struct remote *);
/* These return 0, or -1 with the reason in err. */
int	remote_add(struct remote *, const struct dracaddr *, unsigned int ttl,
	    const char *user, long long *expires, char *err, size_t errlen);
int	remote_drop(struct remote *, const struct dracaddr *,
	    char *err, size_t errlen);
int	remote_query(struct remote *, const struct dracaddr *, struct entry *,
	    char *err, size_t errlen);
int	remote_list(struct remote *, struct elist *, char *err, size_t errlen);
int	remote_stats(struct remote *, struct clist *, char *err, size_t errlen);

/* mapfile.c: the map file and its side file, read-only. */
typedef void	mapfile_warnfn(const char *msg);
/*
 * Reads every entry, live or not, sorted by elist_sort.  Returns the
 * number of bad records (each reported through warn), or -1 if the file
 * cannot be read (the reason in err).
 */
int	mapfile_read(const char *path, struct elist *, mapfile_warnfn *,
	    char *err, size_t errlen);
int	mapfile_is_db(const char *path);

/* load.c: dump text, one "address expires [user]" per line. */
int	load_text(const char *path, struct elist *, mapfile_warnfn *,
	    char *err, size_t errlen);

/* output.c */
void	out_entry(const struct entry *, long long now);
void	out_entries_json(const struct elist *, long long now);
void	out_dump(const struct elist *, long long now);
void	out_counters(const struct clist *);
void	out_counters_json(const struct clist *);

#endif
