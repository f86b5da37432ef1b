/*
 * statefile.h: the state file beside the map ("dbfile.state"): for each
 * address, what the map's value cannot hold (the user, the TTL granted,
 * when and how it was added), as a log.  rpc.dracd appends a record for
 * every ADD and DROP in the order of the changes and now and then
 * rewrites the file with only the records still live; dracdb, the repair
 * and the benchmark's map writer read or write it with this code.
 *
 * An address's state is its last record, and it belongs to the map's
 * entry only while that record carries the entry's expiry: an ADD whose
 * map write failed, or an address that expired and came back by another
 * way, cannot lend an entry a user it never had.
 *
 * Layout, little-endian: a header, "DRACSTA1" and eight zero bytes, then
 * records, each padded with zeros to a multiple of 8 bytes:
 *
 *	check	4	checksum of the record with this field zero
 *	type	1	STATEREC_ADD or STATEREC_DROP
 *	how	1	DRAC3_HOW_* (ADD)
 *	ulen	1	bytes of user (ADD), at most STATE_USER_MAX
 *	zero	1
 *	addr	16	struct dracaddr (IPv4 mapped)
 *	expires	8	seconds since the epoch: the map's value (ADD)
 *	added	8	seconds since the epoch (ADD)
 *	ttl	4	seconds (ADD)
 *	user	ulen	no NUL (ADD)
 *
 * Eight zero bytes where a record would start end the file: the daemon
 * reserves space ahead of its appends, zeroed.  A record whose checksum
 * fails, or with anything but zeros in its padding or in the fields a
 * DROP does not use, is damage; a reader skips to the next good record
 * after it.
 */
#ifndef DRAC_STATEFILE_H
#define DRAC_STATEFILE_H

#include <stddef.h>

#include "addr.h"

#define STATEFILE_HEADER	16
#define STATE_USER_MAX		64
#define STATEREC_ADD		1
#define STATEREC_DROP		2
#define STATEREC_FIXED		44	/* bytes before the user */
#define STATEREC_MAX		(STATEREC_FIXED + STATE_USER_MAX + 4)

struct staterec {
	int		 type;
	struct dracaddr	 addr;
	long long	 expires;
	long long	 added;
	unsigned int	 ttl;
	int		 how;
	char		 user[STATE_USER_MAX + 1];
};

/* The header a state file starts with. */
void	statefile_header(unsigned char out[STATEFILE_HEADER]);
/* 1 if buf starts with that header. */
int	statefile_is(const unsigned char *buf, size_t len);

/* Encodes r into out (STATEREC_MAX bytes); returns its size. */
size_t	statefile_encode(const struct staterec *r, unsigned char *out);
/*
 * Decodes the record at buf: its size, 0 at the end of the records
 * (zeros, or fewer than 8 bytes left), -1 if it is damaged.
 */
long	statefile_decode(const unsigned char *buf, size_t len,
	    struct staterec *r);

/*
 * Reads the state file fd from its start, calling fn(ctx, r, offset) for
 * every good record in order; fn's -1 stops the read.  Fills *end with
 * the offset after the last good record and *damaged with the bytes
 * skipped as damage.  Returns 0, 1 if the file is not a state file (its
 * header is not there), -1 on a read error or fn's -1 (errno is kept).
 */
typedef int	statefile_fn(void *ctx, const struct staterec *r, size_t off);
int	statefile_read(int fd, statefile_fn *fn, void *ctx, size_t *end,
	    size_t *damaged);

#endif
