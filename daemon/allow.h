/*
 * allow.h: which callers rpc.dracd trusts (dracd.allow).
 *
 * An entry is a 16-byte address and a 16-byte mask, both in the mapped
 * form of addr.h, so "netmask netaddr" (even a non-contiguous DRAC mask),
 * "addr/len" and a bare address all become one (net, mask) pair, and an
 * IPv4-mapped IPv6 caller matches IPv4 entries.
 */
#ifndef DRAC_ALLOW_H
#define DRAC_ALLOW_H

#include <stddef.h>

#include "addr.h"

struct allow_entry {
	struct dracaddr	net;
	struct dracaddr	mask;
};

struct allow_list {
	struct allow_entry *v;
	size_t		 n;
};

/* Called once per bad line, with "FILE:LINE: reason" already formatted. */
typedef void	allow_errfn(void *ctx, const char *msg);

/*
 * Parse one line (no newline).  Returns 1 and fills *e for an entry, 0
 * for a blank or comment line, -1 for a bad line with the reason (no
 * location) in why.
 */
int	allow_parse_line(const char *line, struct allow_entry *e,
	    char *why, size_t whylen);

/*
 * Load a file.  Returns 0 with *list filled (the old contents are not
 * touched: the caller swaps), -1 after reporting every bad line through
 * errfn (or one message if the file cannot be read), and 1, list empty,
 * when the file does not exist.
 */
int	allow_load(const char *path, struct allow_list *list,
	    allow_errfn *errfn, void *ctx);

/* Loopback plus every address of every interface.  0, or -1 and err. */
int	allow_defaults(struct allow_list *list, char *err, size_t errlen);

int	allow_match(const struct allow_list *, const struct dracaddr *);

/* "10.0.0.0/8" or "255.0.255.0 10.0.1.0" for non-contiguous masks. */
void	allow_format(const struct allow_entry *, char *buf, size_t size);

void	allow_free(struct allow_list *);

#endif
