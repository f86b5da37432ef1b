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
 * has entries, a new file (".new" beside it) takes the appends, and
 * statelog_compact reads the old one in order, a piece at a time, and
 * copies each record that is still its entry's into the new one; once
 * it is through and the new file has been flushed, the new file is
 * renamed over the old one, which the next flush closes (retired).  A
 * start that finds both files reads the old, then the new, and the
 * compaction starts again from the old one's first record.
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
	size_t		 compact_at;	/* f[main] is read up to here */
	unsigned long	 compact_after;	/* records before the next try */
	unsigned long	 written;	/* appends so far */
	unsigned long	 synced;	/* appends known to be on disk */
	int		 retired;	/* the compacted file's, to close */
	int		 full_warned;
	char		 path[4096];
	char		 newpath[4096];
};

/* Appends not known to be on disk, or a compacted file to close. */
#define statelog_unsynced(s)	((s)->written != (s)->synced || \
				(s)->retired >= 0)

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
 * A share of the compaction, which starts when the file holds more than
 * twice live records: find() says which records are still their
 * entries'.  1 while some is left, 0 when none runs or all is done (the
 * rename waits for a flush), -1 if the new file took no more (logged):
 * again later.
 */
int	statelog_compact(struct statelog *, uint32_t live,
	    statelog_findfn *find, void *ctx);

/*
 * The files a flush must fdatasync: how many (at most 2); and in
 * *retire, the one it is to close, which the caller now owns (-1: none).
 */
int	statelog_fds(struct statelog *, int fds[2], const char *paths[2],
	    int *retire);
/* A flush that began when written was upto ended well. */
void	statelog_flushed(struct statelog *, unsigned long upto);

#endif
