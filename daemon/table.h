/*
 * table.h: the live authorizations in memory.  A dense array of entries,
 * an open-addressing index by address, and a binary heap by expiry, so
 * that lookup, insert and delete are O(1)/O(log n) and expiry touches
 * only what expires, however large the map.
 */
#ifndef DRAC_TABLE_H
#define DRAC_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct entry {
	struct dracaddr	addr;
	long long	expires;	/* epoch seconds */
	uint32_t	heapidx;	/* position in table.heap */
	uint32_t	slot;		/* position in its index (table.c) */
	uint32_t	state;		/* its state record (statelog.h), 0: none */
};

/*
 * An index slot keeps the hash of its entry's address: probing and
 * deleting compare and place by it without reading the entries, each of
 * which is a cache miss in a large table.
 */
struct slot {
	uint32_t	idx;		/* index + 1 into v; 0 is empty */
	uint32_t	hash;
};

/* entry.slot's top bit: the generation of the index it is in. */
#define TABLE_SLOT_GEN	0x80000000U

struct table {
	struct entry	*v;		/* v[0 .. n-1] */
	uint32_t	 n;
	uint32_t	 cap;
	struct slot	*slots;
	uint32_t	 mask;		/* number of slots - 1 */
	struct slot	*old;		/* the index before the last growth, */
	uint32_t	 oldmask;	/* while entries are moved out of it */
	uint32_t	 moved;		/* v[0 .. moved-1] are all out of it, */
	uint32_t	 moveto;	/* v[moveto ..] were never in it */
	size_t		 ready;		/* bytes of slots populated so far */
	size_t		 vready;	/* bytes of v populated so far */
	char		*dead;		/* what is left of an emptied index, */
	size_t		 deadlen;	/* unmapped a piece at a time */
	uint32_t	 gen;		/* entry.slot's top bit in slots */
	uint32_t	*heap;		/* indices into v, earliest first */
	uint64_t	 seed;		/* of the hash, random per table */
};

int	table_init(struct table *, uint32_t hint);
void	table_free(struct table *);
struct entry *table_find(const struct table *, const struct dracaddr *);
/*
 * Inserts (with no state record) or moves the expiry of an existing
 * entry; NULL if out of memory.  *old, unless old is NULL, is the
 * expiry it replaced, 0 for a new entry: one lookup where a find and a
 * put would take two.
 */
struct entry *table_put(struct table *, const struct dracaddr *,
	    long long expires, long long *old);
void	table_del(struct table *, struct entry *);
/* The entry that expires first, NULL when empty. */
struct entry *table_first(const struct table *);
/* Entries whose expiry is at most due, counted up to max. */
#define TABLE_COUNT_MAX	1024
uint32_t table_count_due(const struct table *, long long due, uint32_t max);

/* Seconds to grant for a requested TTL: 0 means deflt, never above max. */
unsigned int table_ttl(unsigned int requested, unsigned int deflt,
	    unsigned int max);

#endif
