/*
 * pattern.h: the login and logout lines dracwatch knows, as POSIX
 * extended regular expressions with placeholders for the parts it takes:
 *
 *	%a  the client address	%u  the user	%k  a session key
 *	%H  a syslog, ISO 8601 or tai64n line header	%%  a percent sign
 *
 * A pattern belongs to a set (its name: "dovecot", "courier", ...) and
 * has an action: add the address, drop it, or only note which address a
 * session key belongs to (for servers that log the address and the user
 * on separate lines).
 */
#ifndef DRAC_PATTERN_H
#define DRAC_PATTERN_H

#include <regex.h>
#include <stddef.h>

#define PAT_ADD		1
#define PAT_DROP	2
#define PAT_NOTE	3

#define PAT_NAME_MAX	32	/* set names, with the NUL */
#define PAT_FIELD_MAX	128	/* a captured address, user or key */

struct pattern {
	struct pattern	*next;
	char		 set[PAT_NAME_MAX];
	int		 action;
	size_t		 g_addr, g_user, g_key;	/* subexpressions, 0: none */
	regex_t		 re;
	char		*where;		/* "FILE:LINE" or "built-in" */
};

struct patset {
	struct pattern	*head;
	struct pattern	*tail;
	int		 count;
};

/* What one line gave: empty strings for what the pattern does not take. */
struct patmatch {
	const struct pattern *pat;
	char		 addr[PAT_FIELD_MAX];
	char		 user[PAT_FIELD_MAX];
	char		 key[PAT_FIELD_MAX];
};

void	pattern_init(struct patset *);
void	pattern_free(struct patset *);
int	pattern_builtin(struct patset *, const char *);
int	pattern_load(struct patset *, const char *);
int	pattern_match(const struct patset *, const char *, struct patmatch *);
const char *pattern_action_name(int);

#endif
