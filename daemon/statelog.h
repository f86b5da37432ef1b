/*
 * statelog.h: rpc.dracd's side of the state file (statefile.h).
 *
 * An ADD appends its record by a copy into a shared mapping of the file:
 * in the page cache before the reply, so it survives a kill -9, with no
 * system call, no Berkeley DB put and no page write on the way.  The
 * table entry keeps where its record is (a locator); QUERY and LIST read
 * it back with pread.  Space is reserved ahead of the appends with
 * fallocate, so that a full disk is an error at reservation rather than
 * a SIGBUS in a store; a store that faults all the same (the file cut
 * short behind the daemon's back) turns the appends into pwrite.
 *
 * Records of entries that left the table stay until the file is
 * compacted: when it holds more than twice as many records as the table
 * has entries, a new file (".new" beside it) takes the appends, and the
 * caller moves the live records into it a few at a time (statelog_move,
 * walking the table downwards from compact_at); once all are there and
 * the new file has been flushed, it is renamed over the old one.  A
 * start that finds both files reads the old, then the new, and the
 * compaction goes on.
 *
 * A locator is a record's offset / 8, with STATELOG_SLOT1 set when the
 * record is in f[1]; 0 is no record.  The two slots take turns: the one
 * named like the state file is f[main].
 */
#ifndef DRAC_STATELOG_H
#define DRAC_STATELOG_H

#include <stddef.h>
#include <stdint.h>

#include "statefile.h"

#define STATELOG_SLOT1	0x80000000U

struct statelog_file {
	int		 fd;		/* -1: closed */
	unsigned char	*base;		/* shared mapping; NULL: pwrite */
	size_t		 maplen;
	size_t		 off;		/* where the next record goes */
	size_t		 reserved;	/* blocks allocated up to here */
	size_t		 ready;		/* mapped pages writable up to here */
	size_t		 dropped;	/* mapped pages released below here */
	unsigned long	 records;
	char		 path[4096];
};

struct statelog {
	struct statelog_file f[2];
	int		 main;		/* the slot named like the state file */
	int		 compacting;	/* f[!main] takes the appends */
	int		 finished;	/* every live record is in f[!main] */
	unsigned long	 finished_at;	/* appends then */
	uint32_t	 compact_at;	/* table entries below: not moved */
	unsigned long	 written;	/* appends so far */
	unsigned long	 synced;	/* appends known to be on disk */
	int		 full_warned;
	char		 path[4096];
	char		 newpath[4096];
};

#define statelog_unsynced(s)	((s)->written != (s)->synced)

/*
 * The table's side of a start: where addr's entry keeps its locator
 * (NULL: no entry), and its expiry, which a record must carry to count.
 */
typedef uint32_t *statelog_findfn(void *ctx, const struct dracaddr *addr,
	    long long *expires);

/*
 * Opens (creating, or emptying with truncate) the state file of the map
 * mappath and gives every entry find() knows its last record.  A state
 * file of the Berkeley DB format that earlier versions wrote is
 * converted (stateconv.h).  -1 and err if it cannot be used.
 */
int	statelog_open(struct statelog *, const char *mappath, int truncate,
	    statelog_findfn *find, void *ctx, char *err, size_t errlen);
void	statelog_close(struct statelog *);

/* Appends r; *loc is its locator.  -1 (logged) if it was not stored. */
int	statelog_append(struct statelog *, const struct staterec *r,
	    uint32_t *loc);
/* The ADD record at loc, which must be addr's; -1 if there is none. */
int	statelog_get(struct statelog *, uint32_t loc, const struct dracaddr *,
	    struct staterec *);

/*
 * 1 while a compaction runs, starting one when the file holds over
 * twice live records; table_n is where statelog_move's walk begins.
 */
int	statelog_compacting(struct statelog *, uint32_t live,
	    uint32_t table_n);
/*
 * Copies the record at *loc into the new file if it is in the old one
 * and updates *loc; an unreadable record is dropped (logged).  -1 if
 * the new file took no more (logged): try again later.
 */
int	statelog_move(struct statelog *, uint32_t *loc);
/* Every live record is in the new file: it replaces the old after a flush. */
void	statelog_moved_all(struct statelog *);

/* The files a flush must fdatasync: how many (at most 2). */
int	statelog_fds(const struct statelog *, int fds[2],
	    const char *paths[2]);
/* A flush that began when written was upto ended well. */
void	statelog_flushed(struct statelog *, unsigned long upto);

#endif
