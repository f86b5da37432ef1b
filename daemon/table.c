/*
 * table.c: live authorizations, indexed by address and ordered by expiry.
 *
 * Entries are kept dense in one array (32 bytes each, so a million fit in
 * 32 MiB); deleting moves the last entry into the hole.  Each entry
 * knows its slot, so that a deletion needs no search.  The index is
 * open addressing with linear probing and backward-shift deletion, so
 * there are no tombstones to age; its slots hold the hashes (8 bytes a
 * slot, two slots an entry).
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

/* The slot holding addr (hash h), or the empty slot where it would go. */
static uint32_t
find_slot(const struct table *t, const struct dracaddr *a, uint32_t h)
{
	uint32_t s = h & t->mask;

	while (t->slots[s].idx != 0 && (t->slots[s].hash != h ||
	    memcmp(&t->v[t->slots[s].idx - 1].addr, a, sizeof(*a)) != 0))
		s = (s + 1) & t->mask;
	return s;
}

static int
grow(struct table *t, uint32_t cap)
{
	struct entry *v;
	struct slot *slots, *old = t->slots;
	uint32_t *heap, nslots, oldslots = t->mask + 1, i, s;

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
	t->slots = slots;
	t->mask = nslots - 1;
	t->cap = cap;
	for (i = 0; old != NULL && i < oldslots; i++) {
		if (old[i].idx == 0)
			continue;
		s = old[i].hash & t->mask;
		while (t->slots[s].idx != 0)
			s = (s + 1) & t->mask;
		t->slots[s] = old[i];
		t->v[old[i].idx - 1].slot = s;
	}
	free(old);
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

struct entry *
table_find(const struct table *t, const struct dracaddr *a)
{
	uint32_t s = find_slot(t, a, addr_hash(a));

	return t->slots[s].idx == 0 ? NULL : &t->v[t->slots[s].idx - 1];
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
	uint32_t h = addr_hash(a), s = find_slot(t, a, h);

	if (t->slots[s].idx != 0) {
		e = &t->v[t->slots[s].idx - 1];
		e->expires = expires;
		heap_fix(t, e->heapidx);
		return e;
	}
	if (t->n == t->cap) {
		if (grow(t, t->cap * 2) != 0)
			return NULL;
		s = find_slot(t, a, h);
	}
	e = &t->v[t->n];
	e->addr = *a;
	e->expires = expires;
	e->heapidx = t->n;
	e->slot = s;
	t->heap[t->n] = t->n;
	t->slots[s].idx = t->n + 1;
	t->slots[s].hash = h;
	t->n++;
	heap_fix(t, e->heapidx);
	return e;
}

/* Empties slot s and shifts back the probe chain behind it. */
static void
slot_clear(struct table *t, uint32_t s)
{
	uint32_t next, home;

	t->slots[s].idx = 0;
	for (next = (s + 1) & t->mask; t->slots[next].idx != 0;
	    next = (next + 1) & t->mask) {
		home = t->slots[next].hash & t->mask;
		/* Move next back into s unless its home lies in (s, next]. */
		if (((next - home) & t->mask) >= ((next - s) & t->mask)) {
			t->slots[s] = t->slots[next];
			t->v[t->slots[s].idx - 1].slot = s;
			t->slots[next].idx = 0;
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
		t->slots[t->v[idx].slot].idx = idx + 1;
		t->heap[t->v[idx].heapidx] = idx;
	}
}

struct entry *
table_first(const struct table *t)
{
	return t->n == 0 ? NULL : &t->v[t->heap[0]];
}

/*
 * The heap's entries due by then, counted up to max: a walk down from
 * the top that stops at every entry not due, so it reads no more than
 * about twice what it counts.
 */
uint32_t
table_count_due(const struct table *t, long long due, uint32_t max)
{
	uint32_t stack[TABLE_COUNT_MAX + 2], sp = 0, n = 0, i;

	if (max > TABLE_COUNT_MAX)
		max = TABLE_COUNT_MAX;
	if (t->n > 0)
		stack[sp++] = 0;
	/* Each entry counted pushes two and pops one: sp <= n + 1. */
	while (sp > 0 && n < max) {
		i = stack[--sp];
		if (heap_key(t, i) > due)
			continue;
		n++;
		if (2 * i + 1 < t->n)
			stack[sp++] = 2 * i + 1;
		if (2 * i + 2 < t->n)
			stack[sp++] = 2 * i + 2;
	}
	return n;
}

unsigned int
table_ttl(unsigned int requested, unsigned int deflt, unsigned int max)
{
	unsigned int ttl = requested == 0 ? deflt : requested;

	return ttl > max ? max : ttl;
}
