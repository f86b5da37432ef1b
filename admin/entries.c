/*
 * entries.c: growable lists of entries and counters, and the names of
 * the ways an entry can be added.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dracdb.h"

static const char *const hows[] = { "map", "v1", "v2", "v3", "admin" };

/* Doubles the capacity of an array of size-byte items; 0 or -1. */
static int
grow(void **v, size_t *cap, size_t size)
{
	size_t ncap;
	void *nv;

	ncap = *cap ? *cap * 2 : 64;
	if (ncap > SIZE_MAX / size)
		return -1;
	if ((nv = realloc(*v, ncap * size)) == NULL)
		return -1;
	*v = nv;
	*cap = ncap;
	return 0;
}

int
elist_push(struct elist *l, const struct entry *e)
{
	if (l->n == l->cap && grow((void **)&l->v, &l->cap, sizeof(*e)) != 0)
		return -1;
	l->v[l->n++] = *e;
	return 0;
}

/* IPv4 first, then IPv6, each in numeric order. */
static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int v4x, v4y;

	v4x = dracaddr_is_v4(&x->addr);
	v4y = dracaddr_is_v4(&y->addr);
	if (v4x != v4y)
		return v4x ? -1 : 1;
	return memcmp(x->addr.b, y->addr.b, sizeof(x->addr.b));
}

void
elist_sort(struct elist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(l->v[0]), cmp_entry);
}

/* In a list sorted by elist_sort. */
struct entry *
elist_find(const struct elist *l, const struct dracaddr *a)
{
	struct entry key;

	if (l->n == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.addr = *a;
	return bsearch(&key, l->v, l->n, sizeof(l->v[0]), cmp_entry);
}

void
elist_free(struct elist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
clist_push(struct clist *l, const char *name, unsigned long long value)
{
	struct counter *c;

	if (l->n == l->cap && grow((void **)&l->v, &l->cap, sizeof(*c)) != 0)
		return -1;
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	strncpy(c->name, name, DRACDB_NAME_MAX);
	c->value = value;
	return 0;
}

void
clist_free(struct clist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const char *
how_name(int how)
{
	if (how < 0 || how > HOW_MAXVAL)
		return "unknown";
	return hows[how];
}

/* A name from how_name() or its number; 0, or -1 if neither. */
int
how_parse(const char *s, int *how)
{
	int i;

	for (i = 0; i <= HOW_MAXVAL; i++) {
		if (strcmp(s, hows[i]) == 0 ||
		    (s[0] == '0' + i && s[1] == '\0')) {
			*how = i;
			return 0;
		}
	}
	return -1;
}
