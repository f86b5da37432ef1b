/*
 * addr.h: client addresses as the daemon, the library and the tools see
 * them.  An address is always 16 bytes; IPv4 is held IPv4-mapped
 * (::ffff:a.b.c.d), so one comparison serves both families and a mapped
 * caller matches IPv4 allow entries and IPv4 map keys.
 */
#ifndef DRAC_ADDR_H
#define DRAC_ADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct dracaddr {
	uint8_t b[16];
};

/* Map key variants (rpc.dracd -c, -z). */
#define DRACKEY_CIDR	0x01	/* "10.1.2.3/32", "2001:db8::1/128" */
#define DRACKEY_NUL	0x02	/* key and value end in a NUL byte */

int	dracaddr_parse(const char *, struct dracaddr *);
int	dracaddr_from_sockaddr(const struct sockaddr *, socklen_t,
	    struct dracaddr *);
void	dracaddr_from_v4(uint32_t, struct dracaddr *);	/* network order */
void	dracaddr_from_v6(const uint8_t[16], struct dracaddr *);
int	dracaddr_is_v4(const struct dracaddr *);
uint32_t dracaddr_v4(const struct dracaddr *);	/* network order */
const char *dracaddr_unusable(const struct dracaddr *);
void	dracaddr_format(const struct dracaddr *, char *, size_t);
size_t	dracaddr_key(const struct dracaddr *, int, char *, size_t);
int	dracaddr_from_key(const char *, size_t, int, struct dracaddr *);
size_t	dracaddr_value(long long, int, char *, size_t);
int	dracaddr_parse_value(const char *, size_t, long long *);

#define DRACADDR_TEXT_MAX	46	/* INET6_ADDRSTRLEN */

#endif
