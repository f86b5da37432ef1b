/*
 * keys.c: the session table.  A linear scan is enough: it is consulted
 * only for lines that matched a pattern with a session key, and log
 * lines arrive far slower than a few thousand comparisons take.
 */
#include <stdio.h>
#include <string.h>

#include "keys.h"
#include "pattern.h"

struct entry {
	char		 set[PAT_NAME_MAX];
	char		 key[PAT_FIELD_MAX];
	struct dracaddr	 addr;
	unsigned long	 seq;		/* 0: free */
	int		 added;		/* the session was authorized */
};

static struct entry table[KEYS_MAX];
static unsigned long next_seq = 1;

static struct entry *
find(const char *set, const char *key)
{
	size_t i;

	for (i = 0; i < KEYS_MAX; i++)
		if (table[i].seq != 0 && strcmp(table[i].key, key) == 0 &&
		    strcmp(table[i].set, set) == 0)
			return &table[i];
	return NULL;
}

/* A free slot, else the oldest one. */
static struct entry *
slot(void)
{
	struct entry *oldest = &table[0];
	size_t i;

	for (i = 0; i < KEYS_MAX; i++) {
		if (table[i].seq == 0)
			return &table[i];
		if (table[i].seq < oldest->seq)
			oldest = &table[i];
	}
	return oldest;
}

void
keys_put(const char *set, const char *key, const struct dracaddr *a,
    int added)
{
	struct entry *e;

	if ((e = find(set, key)) == NULL)
		e = slot();
	snprintf(e->set, sizeof(e->set), "%s", set);
	snprintf(e->key, sizeof(e->key), "%s", key);
	e->addr = *a;
	e->added = added;
	e->seq = next_seq++;
}

int
keys_get(const char *set, const char *key, struct dracaddr *a)
{
	struct entry *e;

	if ((e = find(set, key)) == NULL)
		return -1;
	*a = e->addr;
	return 0;
}

int
keys_del(const char *set, const char *key, struct dracaddr *a, int *added)
{
	struct entry *e;

	if ((e = find(set, key)) == NULL)
		return -1;
	*a = e->addr;
	*added = e->added;
	memset(e, 0, sizeof(*e));
	return 0;
}

int
keys_count(const char *set, const struct dracaddr *a)
{
	size_t i;
	int n = 0;

	for (i = 0; i < KEYS_MAX; i++)
		if (table[i].seq != 0 && table[i].added &&
		    strcmp(table[i].set, set) == 0 &&
		    memcmp(&table[i].addr, a, sizeof(*a)) == 0)
			n++;
	return n;
}

void
keys_clear(void)
{
	memset(table, 0, sizeof(table));
	next_seq = 1;
}
