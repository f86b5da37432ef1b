/*
 * testutil.h: what the unit tests share.  A seeded generator so that a
 * failing property test can be repeated exactly, and the source tree.
 */
#ifndef DRAC_TESTUTIL_H
#define DRAC_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "statefile.h"

/* Seeds from $DRAC_SEED, or from the clock, and prints the seed. */
void		tu_seed(const char *prog);
uint64_t	tu_rand(void);
/* Uniform in [0, n); n > 0. */
uint32_t	tu_below(uint32_t n);
void		tu_bytes(void *, size_t);

/* $DRAC_TOP, the source tree, or "." when it is not set. */
const char	*tu_top(void);

/* A growing text buffer for collected messages. */
struct tu_text {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

void		tu_append(struct tu_text *, const char *, size_t);
void		tu_appendf(struct tu_text *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		tu_text_free(struct tu_text *);

/* Whole file into memory; NULL if it cannot be read. */
char		*tu_slurp(const char *path, size_t *len);

/*
 * A state record for a: an ADD of user expiring then, granted 600 s
 * before, or a DROP when user is NULL.
 */
void		tu_staterec(struct staterec *, const struct dracaddr *a,
		    long long expires, const char *user);

#endif
