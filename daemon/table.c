/*
 * table.c: live authorizations, indexed by address and ordered by expiry.
 *
 * Entries are kept dense in one array (40 bytes each, so a million fit in
 * 40 MiB); deleting moves the last entry into the hole.  Each entry
 * knows its slot, so that a deletion needs no search.  The index is
 * open addressing with linear probing and backward-shift deletion, so
 * there are no tombstones to age; its slots hold the hashes (8 bytes a
 * slot, two slots an entry).
 *
 * The index grows without stopping the daemon: rehashing a million
 * entries at once took 140-190 ms, most of it page faults on the new
 * slots.  A larger index starts empty; new entries go there, and every
 * change does a share of the rest: puts the new index's next pages in
 * place (MADV_POPULATE_WRITE, 16 times cheaper than faulting them in one
 * by one), moves a few of the old index's entries, in array order, and
 * once it is empty unmaps it a piece at a time.  Meanwhile a lookup
 * tries both indexes.  An entry's slot carries the generation of its
 * index: a growth flips the table's generation, which makes every entry
 * old at once.
 */
#include <sys/mman.h>
#include <sys/random.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "table.h"

#define MIN_CAP		64
#define SLOT_GEN	TABLE_SLOT_GEN
#define CAP_MAX		(1U << 30)	/* slot numbers stay below SLOT_GEN */
/*
 * Entries moved per change: the old index is empty long before the
 * entries, which were half the capacity, reach it again.
 */
#define MOVE_STEP	2
#define PAGES_STEP	(256 * 1024)	/* bytes populated or unmapped */
/* Entries' pages put in place ahead of the array's end, not faulted. */
#define ENTRIES_STEP	(64 * 1024)

/* splitmix64's finalizer: every input bit moves every output bit. */
static uint64_t
mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/*
 * Two words, not sixteen bytes one by one; the seed is random for each
 * table, so that no one can choose addresses that all probe one chain.
 */
static uint32_t
addr_hash(const struct table *t, const struct dracaddr *a)
{
	uint64_t lo, hi;

	memcpy(&lo, a->b, sizeof(lo));
	memcpy(&hi, a->b + sizeof(lo), sizeof(hi));
	return (uint32_t)mix(lo ^ mix(hi ^ t->seed));
}

static size_t
index_bytes(uint32_t mask)
{
	return ((size_t)mask + 1) * sizeof(struct slot);
}

/* Zeroed, its pages not yet in place. */
static struct slot *
slots_new(uint32_t nslots)
{
	void *p;

	p = mmap(NULL, index_bytes(nslots - 1), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* The next pages of the new index, up to max bytes. */
static void
populate_some(struct table *t, size_t max)
{
	size_t left = index_bytes(t->mask) - t->ready;

	if (left == 0)
		return;
	if (max > left)
		max = left;
#ifdef MADV_POPULATE_WRITE
	/* Before Linux 5.14 this fails, and the pages fault in on use. */
	(void)madvise((char *)t->slots + t->ready, max, MADV_POPULATE_WRITE);
#endif
	t->ready += max;
}

/*
 * The entry array's next pages, once new entries are half way there:
 * a page of it holds a hundred entries, and faulting them in one by one
 * held up one ADD in a hundred.
 */
static void
populate_entries(struct table *t)
{
#ifdef MADV_POPULATE_WRITE
	size_t end = (size_t)t->cap * sizeof(*t->v), used, upto, page;
	uintptr_t base = (uintptr_t)t->v, from, to;

	used = (size_t)t->n * sizeof(*t->v);
	if (t->vready >= end || used + ENTRIES_STEP / 2 < t->vready)
		return;
	page = (size_t)sysconf(_SC_PAGESIZE);
	upto = t->vready + ENTRIES_STEP < end ? t->vready + ENTRIES_STEP : end;
	/* Whole pages: any page that holds part of the array is mapped. */
	from = (base + t->vready) / page * page;
	to = (base + upto + page - 1) / page * page;
	(void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
	t->vready = upto;
#else
	(void)t;
#endif
}

/* The first max bytes of what is left of the emptied index go. */
static void
unmap_some(struct table *t, size_t max)
{
	if (t->deadlen == 0)
		return;
	if (max > t->deadlen)
		max = t->deadlen;
	munmap(t->dead, max);
	t->dead += max;
	t->deadlen -= max;
}

/*
 * The slot of index slots (mask) holding addr (hash h), or the empty
 * slot where it would go.
 */
static uint32_t
find_in(const struct table *t, const struct slot *slots, uint32_t mask,
    const struct dracaddr *a, uint32_t h)
{
	uint32_t s = h & mask;

	while (slots[s].idx != 0 && (slots[s].hash != h ||
	    memcmp(&t->v[slots[s].idx - 1].addr, a, sizeof(*a)) != 0))
		s = (s + 1) & mask;
	return s;
}

static int
is_old(const struct table *t, const struct entry *e)
{
	return (e->slot & SLOT_GEN) != t->gen;
}

/* The first empty slot from h's home: for an address not in slots. */
static uint32_t
free_in(const struct slot *slots, uint32_t mask, uint32_t h)
{
	uint32_t s = h & mask;

	while (slots[s].idx != 0)
		s = (s + 1) & mask;
	return s;
}

/*
 * Empties slot s and shifts back the probe chain behind it; gen is the
 * generation of that index.
 */
static void
slot_clear(struct table *t, struct slot *slots, uint32_t mask,
    uint32_t gen, uint32_t s)
{
	uint32_t next, home;

	slots[s].idx = 0;
	for (next = (s + 1) & mask; slots[next].idx != 0;
	    next = (next + 1) & mask) {
		home = slots[next].hash & mask;
		/* Move next back into s unless its home lies in (s, next]. */
		if (((next - home) & mask) >= ((next - s) & mask)) {
			slots[s] = slots[next];
			t->v[slots[s].idx - 1].slot = s | gen;
			slots[next].idx = 0;
			s = next;
		}
	}
}

/* The index entry i is in, and its slot there. */
static struct slot *
slot_of(const struct table *t, uint32_t i)
{
	uint32_t s = t->v[i].slot;

	return is_old(t, &t->v[i]) ? &t->old[s & ~SLOT_GEN] :
	    &t->slots[s & ~SLOT_GEN];
}

/* Entry i leaves the old index for the new one. */
static void
move_one(struct table *t, uint32_t i)
{
	uint32_t s = t->v[i].slot & ~SLOT_GEN, h = t->old[s].hash, ns;

	slot_clear(t, t->old, t->oldmask, t->gen ^ SLOT_GEN, s);
	ns = free_in(t->slots, t->mask, h);
	t->slots[ns].idx = i + 1;
	t->slots[ns].hash = h;
	t->v[i].slot = ns | t->gen;
}

/*
 * Entries below v[moved] are all in the new index; entries above may
 * be in either, up to v[moveto]: the array's end at the growth, above
 * which only new entries come, as deleting moves entries down only.
 * Up to max more are moved; the old index goes once the cursor has
 * passed them all.
 */
static void
move_some(struct table *t, uint32_t max)
{
	uint32_t end;

	if (t->old == NULL)
		return;
	end = t->moveto < t->n ? t->moveto : t->n;
	for (; t->moved < end && max > 0; t->moved++)
		if (is_old(t, &t->v[t->moved])) {
			move_one(t, t->moved);
			max--;
		}
	if (t->moved >= end) {
		t->dead = (char *)t->old;
		t->deadlen = index_bytes(t->oldmask);
		t->old = NULL;
		t->oldmask = 0;
	}
}

/* A change's share of what the last growth left to do. */
static void
step(struct table *t)
{
	populate_some(t, PAGES_STEP);
	move_some(t, MOVE_STEP);
	unmap_some(t, PAGES_STEP);
}

static int
grow(struct table *t, uint32_t cap)
{
	struct entry *v;
	struct slot *slots;
	uint32_t *heap, nslots;

	if (cap > CAP_MAX)
		return -1;
	/* Left from the growth before only if changes came too fast. */
	move_some(t, UINT32_MAX);
	unmap_some(t, SIZE_MAX);
	if ((v = realloc(t->v, (size_t)cap * sizeof(*v))) == NULL)
		return -1;
	t->v = v;
	/* What is in use is in place; the rest comes in ahead of use. */
	t->vready = (size_t)t->n * sizeof(*v);
	if ((heap = realloc(t->heap, (size_t)cap * sizeof(*heap))) == NULL)
		return -1;
	t->heap = heap;
	/* Keep the index at most half full. */
	for (nslots = 2 * MIN_CAP; nslots < 2 * cap; nslots *= 2)
		;
	if ((slots = slots_new(nslots)) == NULL)
		return -1;
	t->cap = cap;
	/* The first index fills at start: its pages fault in as used. */
	t->ready = t->slots == NULL ? index_bytes(nslots - 1) : 0;
	if (t->slots != NULL) {
		t->gen ^= SLOT_GEN;	/* every entry is in the old index */
		t->old = t->slots;
		t->oldmask = t->mask;
		t->moved = 0;
		t->moveto = t->n;
	}
	t->slots = slots;
	t->mask = nslots - 1;
	return 0;
}

int
table_init(struct table *t, uint32_t hint)
{
	memset(t, 0, sizeof(*t));
	if (getrandom(&t->seed, sizeof(t->seed), GRND_NONBLOCK) !=
	    sizeof(t->seed))
		t->seed = (uint64_t)(uintptr_t)t ^ (uint64_t)time(NULL);
	return grow(t, hint < MIN_CAP ? MIN_CAP : hint);
}

void
table_free(struct table *t)
{
	free(t->v);
	if (t->slots != NULL)
		munmap(t->slots, index_bytes(t->mask));
	if (t->old != NULL)
		munmap(t->old, index_bytes(t->oldmask));
	unmap_some(t, SIZE_MAX);
	free(t->heap);
	memset(t, 0, sizeof(*t));
}

/*
 * The entry of addr (hash h) in either index, or NULL; *s is its slot in
 * the new index, or where it would go there.
 */
static struct entry *
lookup(const struct table *t, const struct dracaddr *a, uint32_t h,
    uint32_t *s)
{
	uint32_t o;

	*s = find_in(t, t->slots, t->mask, a, h);
	if (t->slots[*s].idx != 0)
		return &t->v[t->slots[*s].idx - 1];
	if (t->old == NULL)
		return NULL;
	o = find_in(t, t->old, t->oldmask, a, h);
	return t->old[o].idx == 0 ? NULL : &t->v[t->old[o].idx - 1];
}

struct entry *
table_find(const struct table *t, const struct dracaddr *a)
{
	uint32_t s;

	return lookup(t, a, addr_hash(t, a), &s);
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
table_put(struct table *t, const struct dracaddr *a, long long expires,
    long long *old)
{
	struct entry *e;
	uint32_t h = addr_hash(t, a), s;

	step(t);
	if ((e = lookup(t, a, h, &s)) != NULL) {
		if (old != NULL)
			*old = e->expires;
		e->expires = expires;
		heap_fix(t, e->heapidx);
		return e;
	}
	if (old != NULL)
		*old = 0;
	if (t->n == t->cap) {
		if (grow(t, t->cap * 2) != 0)
			return NULL;
		s = free_in(t->slots, t->mask, h);	/* a new index */
	}
	populate_entries(t);
	e = &t->v[t->n];
	e->addr = *a;
	e->expires = expires;
	e->heapidx = t->n;
	e->slot = s | t->gen;
	e->state = 0;
	t->heap[t->n] = t->n;
	t->slots[s].idx = t->n + 1;
	t->slots[s].hash = h;
	t->n++;
	heap_fix(t, e->heapidx);
	return e;
}

void
table_del(struct table *t, struct entry *e)
{
	uint32_t idx = (uint32_t)(e - t->v), last = t->n - 1, h;

	if (is_old(t, e))
		slot_clear(t, t->old, t->oldmask, t->gen ^ SLOT_GEN,
		    e->slot & ~SLOT_GEN);
	else
		slot_clear(t, t->slots, t->mask, t->gen, e->slot & ~SLOT_GEN);
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
		slot_of(t, idx)->idx = idx + 1;
		t->heap[t->v[idx].heapidx] = idx;
		/* Below the cursor, every entry is in the new index. */
		if (idx < t->moved && is_old(t, &t->v[idx]))
			move_one(t, idx);
	}
	step(t);
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
