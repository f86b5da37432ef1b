/*
 * mapfile.h: what the user map and the access map have in common: a
 * whole file read into memory with a bound, cut into lines, comments and
 * blank lines dropped, and every bad line reported as "FILE:LINE: reason"
 * before the load fails.
 */
#ifndef DRAC_MAPFILE_H
#define DRAC_MAPFILE_H

#include <stddef.h>

#include "binding.h"

/*
 * Parses line number lineno (NUL-terminated, comment removed, not blank)
 * into map.
 * Returns 0, or -1 with the reason in why (no file name, no line number).
 */
typedef int	(*mapfile_line_fn)(void *map, unsigned long lineno,
		    char *line, char *why, size_t whylen);

int	mapfile_parse(const char *name, const char *buf, size_t len,
	    mapfile_line_fn, void *map, binding_report_fn, void *arg);
int	mapfile_read(const char *path, char **buf, size_t *len, char *why,
	    size_t whylen);
int	mapfile_tokens(char *line, char **tok, int max);
void	mapfile_quote(const char *s, char *buf, size_t size);

#endif
