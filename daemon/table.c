/*
 * table.c: live authorizations, indexed by address and ordered by expiry.
 *
 * Entries are kept dense in one array (32 bytes each, so a million fit in
 * 32 MiB); deleting moves the last entry into the hole.  Each entry
 * knows its slot, so that a deletion needs no search.  The index is
 * open addressing with linear probing and backward-shift deletion, so
 * there are no tombstones to age.
 */
#include <stdlib.h>
#include <string.h>

#include "table.h"

#define MIN_CAP	64

static uint32_t
addr_hash(const struct dracaddr *a)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	int i;

	/* FNV-1a, then a final mix: the low bits index the slots. */
	for (i = 0; i < 16; i++) {
		h ^= a->b[i];
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return (uint32_t)h;
}

static int
grow(struct table *t, uint32_t cap)
{
	struct entry *v;
	uint32_t *heap, *slots, nslots, i, s;

	if ((v = realloc(t->v, (size_t)cap * sizeof(*v))) == NULL)
		return -1;
	t->v = v;
	if ((heap = realloc(t->heap, (size_t)cap * sizeof(*heap))) == NULL)
		return -1;
	t->heap = heap;
	/* Keep the index at most half full. */
	for (nslots = 2 * MIN_CAP; nslots < 2 * cap; nslots *= 2)
		;
	if ((slots = calloc(nslots, sizeof(*slots))) == NULL)
		return -1;
	free(t->slots);
	t->slots = slots;
	t->mask = nslots - 1;
	t->cap = cap;
	for (i = 0; i < t->n; i++) {
		s = addr_hash(&t->v[i].addr) & t->mask;
		while (t->slots[s] != 0)
			s = (s + 1) & t->mask;
		t->slots[s] = i + 1;
		t->v[i].slot = s;
	}
	return 0;
}

int
table_init(struct table *t, uint32_t hint)
{
	memset(t, 0, sizeof(*t));
	return grow(t, hint < MIN_CAP ? MIN_CAP : hint);
}

void
table_free(struct table *t)
{
	free(t->v);
	free(t->slots);
	free(t->heap);
	memset(t, 0, sizeof(*t));
}

/* The slot holding addr, or the empty slot where it would go. */
static uint32_t
find_slot(const struct table *t, const struct dracaddr *a)
{
	uint32_t s = addr_hash(a) & t->mask;

	while (t->slots[s] != 0 &&
	    memcmp(&t->v[t->slots[s] - 1].addr, a, sizeof(*a)) != 0)
		s = (s + 1) & t->mask;
	return s;
}

struct entry *
table_find(const struct table *t, const struct dracaddr *a)
{
	uint32_t s = find_slot(t, a);

	return t->slots[s] == 0 ? NULL : &t->v[t->slots[s] - 1];
}

static void
heap_swap(struct table *t, uint32_t i, uint32_t j)
{
	uint32_t tmp = t->heap[i];

	t->heap[i] = t->heap[j];
	t->heap[j] = tmp;
	t->v[t->heap[i]].heapidx = i;
	t->v[t->heap[j]].heapidx = j;
}

static long long
heap_key(const struct table *t, uint32_t i)
{
	return t->v[t->heap[i]].expires;
}

static void
heap_fix(struct table *t, uint32_t i)
{
	uint32_t parent, child;

	while (i > 0 && heap_key(t, parent = (i - 1) / 2) > heap_key(t, i)) {
		heap_swap(t, i, parent);
		i = parent;
	}
	for (;;) {
		child = 2 * i + 1;
		if (child >= t->n)
			break;
		if (child + 1 < t->n && heap_key(t, child + 1) < heap_key(t, child))
			child++;
		if (heap_key(t, i) <= heap_key(t, child))
			break;
		heap_swap(t, i, child);
		i = child;
	}
}

struct entry *
table_put(struct table *t, const struct dracaddr *a, long long expires)
{
	struct entry *e;
	uint32_t s;

	if ((e = table_find(t, a)) != NULL) {
		e->expires = expires;
		heap_fix(t, e->heapidx);
		return e;
	}
	if (t->n == t->cap && grow(t, t->cap * 2) != 0)
		return NULL;
	s = find_slot(t, a);
	e = &t->v[t->n];
	e->addr = *a;
	e->expires = expires;
	e->heapidx = t->n;
	e->slot = s;
	t->heap[t->n] = t->n;
	t->slots[s] = t->n + 1;
	t->n++;
	heap_fix(t, e->heapidx);
	return e;
}

/* Empties slot s and shifts back the probe chain behind it. */
static void
slot_clear(struct table *t, uint32_t s)
{
	uint32_t next, home;

	t->slots[s] = 0;
	for (next = (s + 1) & t->mask; t->slots[next] != 0;
	    next = (next + 1) & t->mask) {
		home = addr_hash(&t->v[t->slots[next] - 1].addr) & t->mask;
		/* Move next back into s unless its home lies in (s, next]. */
		if (((next - home) & t->mask) >= ((next - s) & t->mask)) {
			t->slots[s] = t->slots[next];
			t->v[t->slots[s] - 1].slot = s;
			t->slots[next] = 0;
			s = next;
		}
	}
}

void
table_del(struct table *t, struct entry *e)
{
	uint32_t idx = (uint32_t)(e - t->v), last = t->n - 1, h;

	slot_clear(t, e->slot);
	/* Remove from the heap: last heap element takes its place. */
	h = e->heapidx;
	if (h != last) {
		heap_swap(t, h, last);
	}
	t->n--;
	if (h < t->n)
		heap_fix(t, h);
	/* Fill the hole in the dense array with the last entry. */
	if (idx != last) {
		t->v[idx] = t->v[last];
		t->slots[t->v[idx].slot] = idx + 1;
		t->heap[t->v[idx].heapidx] = idx;
	}
}

struct entry *
table_first(const struct table *t)
{
	return t->n == 0 ? NULL : &t->v[t->heap[0]];
}

unsigned int
table_ttl(unsigned int requested, unsigned int deflt, unsigned int max)
{
	unsigned int ttl = requested == 0 ? deflt : requested;

	return ttl > max ? max : ttl;
}
