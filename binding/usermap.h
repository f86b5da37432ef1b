/*
 * usermap.h: which envelope senders each login name may use.
 *
 * One line per user (or several): "login sender...", a sender being
 * local@domain, @domain (any local part there) or <> (the null sender).
 * Login names compare exactly; local parts and domains compare without
 * regard to ASCII case.  See drac-users(5).
 */
#ifndef DRAC_USERMAP_H
#define DRAC_USERMAP_H

#include <stddef.h>
#include <stdio.h>

#include "binding.h"

struct usermap;

struct usermap	*usermap_new(void);
void		 usermap_free(struct usermap *);
/* Pure parser: returns the number of bad lines, each reported. */
int		 usermap_load_buf(struct usermap *, const char *name,
		    const char *buf, size_t len, binding_report_fn, void *);
/* File loader: -1 (reported) if it cannot be read or has a bad line. */
int		 usermap_load(struct usermap *, const char *path,
		    binding_report_fn, void *);
int		 usermap_has_user(const struct usermap *, const char *user);
int		 usermap_allows(const struct usermap *, const char *user,
		    const char *sender);
size_t		 usermap_count(const struct usermap *);
void		 usermap_dump(const struct usermap *, FILE *);

/*
 * An envelope sender as an MTA hands it over ("<a@b>", "a@b", source
 * route, trailing dot) reduced to the form usermap_allows compares:
 * lower case, no brackets.  Returns 0, or -1 if it is too long or holds
 * control characters.
 */
int		 usermap_sender(const char *raw, char *buf, size_t size);

#endif
