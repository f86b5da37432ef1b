/*
 * journal.h: the state file's journal.  An ADD changes one record in the
 * map and one in the state file (user, TTL); writing both pages before
 * the reply made an ADD cost two page writes.  The state record goes to
 * this small file instead, mapped shared: appending is a copy into the
 * page cache, which outlives a kill -9 of the daemon as a write() does,
 * without a system call.  The state file is written now and then (see
 * mapdb.c), and the journal starts over; a start replays what the state
 * file may lack.
 *
 * Layout, in the machine's byte order (the file never moves between
 * machines): a header (magic, generation), then records, each 8-byte
 * aligned: generation, checksum, key length, value length, key, value.
 * Only records of the header's generation count, so starting over is
 * one store; the checksum stops a replay at a record cut by a power
 * loss.
 *
 * The records are also kept in memory until the state file takes them:
 * its puts wait for a batch (journal_pending), and must not be lost
 * with the mapping when a store faults.
 */
#ifndef DRAC_JOURNAL_H
#define DRAC_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#define JOURNAL_BYTES	(128 * 1024)
/*
 * Records between two writes of the state file: fewer than its cache
 * holds pages, so that Berkeley DB never writes some of them on its own,
 * which a kill -9 could leave half done.
 */
#define JOURNAL_RECORDS	512

struct journal {
	unsigned char	*base;		/* NULL: no journal */
	unsigned char	*copy;		/* the same records, in memory */
	size_t		 off;		/* where the next record goes */
	size_t		 applied;	/* records before it went to fn */
	unsigned int	 records;	/* since the last start-over */
	unsigned int	 waiting;	/* of those, not yet given to fn */
	uint64_t	 gen;
	int		 fd;
	int		 lost;		/* a store faulted: base is NULL now */
};

/* Opens or creates path, with its blocks reserved; -1 and err if not. */
int	journal_open(struct journal *, const char *path, char *err,
	    size_t errlen);
void	journal_close(struct journal *);

/* Calls fn on each record of the current generation; fn's -1 stops. */
typedef int	journal_applyfn(void *, const void *key, size_t klen,
	    const void *val, size_t vlen);
long	journal_replay(const struct journal *, journal_applyfn *, void *);

/*
 * Calls fn on each record appended since the last call or the start
 * over, from memory: also after the journal is lost.  0, or -1 when fn
 * fails; that record and the ones after it stay pending.
 */
int	journal_pending(struct journal *, journal_applyfn *, void *);

/*
 * 0, or -1 when full: write the state file and start over first.  Also
 * -1 if a store faulted (guard.h): lost is set, appends fail from then
 * on, and the restart after the state file is written empties the file.
 */
int	journal_append(struct journal *, const void *key, size_t klen,
	    const void *val, size_t vlen);
/* Forgets every record, pending or not: the state file has them. */
void	journal_restart(struct journal *);

#endif
