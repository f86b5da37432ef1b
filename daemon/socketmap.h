/*
 * socketmap.h: the sendmail/Postfix socketmap protocol, answered from
 * the in-memory table, so an entry stops matching the second it expires
 * and Postfix never restarts smtpd over a changed file.
 */
#ifndef DRAC_SOCKETMAP_H
#define DRAC_SOCKETMAP_H

#include <stddef.h>

struct dracd;

#define SMAP_REPLY_MAX	64

/*
 * Parses one netstring request "NAME KEY" from buf.  Returns 0 if more
 * bytes are needed, 1 with the reply in out and *used bytes consumed, or
 * -1 for a malformed request (out may hold a PERM reply; then close).
 */
int	socketmap_request(struct dracd *, const char *buf, size_t len,
	    size_t *used, char *out, size_t outsize, size_t *outlen);

#endif
