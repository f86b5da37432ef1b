/*
 * test_table.c: daemon/table.c, the live authorizations in memory.
 *
 * The table is checked from outside (find, put, del, first and the
 * count of due entries against a plain reference model) and from inside (the index, the heap and the
 * back pointers agree after every change), with random operations;
 * DRAC_SEED repeats a run.
 */
#include <sys/mman.h>

#include <arpa/inet.h>

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "table.h"
#include "testutil.h"

#define POOL	3000		/* distinct addresses of the model */
#define OPS	100000

/* The reference: pool address i is in the table iff present[i]. */
struct model {
	struct dracaddr	addr[POOL];
	long long	expires[POOL];
	char		present[POOL];
	uint32_t	n;
};

/*
 * Addresses that stress the index: mapped IPv4 neighbours, IPv6 that
 * differ in one byte, and random ones.
 */
static void
pool_addr(uint32_t i, struct dracaddr *a)
{
	memset(a, 0, sizeof(*a));
	switch (i % 3) {
	case 0:
		dracaddr_from_v4(htonl(0x0a000000U + i), a);
		break;
	case 1:
		a->b[0] = 0x20;
		a->b[1] = 0x01;
		a->b[15] = (uint8_t)i;
		a->b[14] = (uint8_t)(i >> 8);
		break;
	default:
		tu_bytes(a->b, 16);
		a->b[0] = (uint8_t)(0x30 + i % 16);
		a->b[1] = (uint8_t)i;
		a->b[2] = (uint8_t)(i >> 8);
		break;
	}
}

static void
model_init(struct model *m)
{
	uint32_t i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < POOL; i++)
		pool_addr(i, &m->addr[i]);
}

static long long
random_expiry(void)
{
	/* A narrow range, so that equal expiries are common. */
	return 1700000000LL + (long long)tu_below(5000);
}

/* Index slots (mask): each entry once, no hole in a probe chain. */
static uint32_t
check_index(const struct table *t, const struct slot *slots, uint32_t mask)
{
	uint32_t i, j, used = 0;

	assert_int_equal((mask + 1) & mask, 0);	/* a power of two */
	for (i = 0; i <= mask; i++) {
		if (slots[i].idx == 0)
			continue;
		assert_true(slots[i].idx <= t->n);
		/* No hole between its hash's home and its slot. */
		for (j = slots[i].hash & mask; j != i; j = (j + 1) & mask)
			assert_int_not_equal(slots[j].idx, 0);
		used++;
	}
	return used;
}

/* Everything the table's own fields promise, checked the slow way. */
static void
check_invariants(const struct table *t)
{
	const struct slot *slots;
	const struct entry *e;
	uint32_t i, mask, s, used;

	assert_true(t->n <= t->cap);
	assert_true(t->mask + 1 > t->n);
	for (i = 0; i < t->n; i++) {
		assert_true(t->v[i].heapidx < t->n);
		assert_int_equal(t->heap[t->v[i].heapidx], i);
		s = t->v[i].slot & ~TABLE_SLOT_GEN;
		if ((t->v[i].slot & TABLE_SLOT_GEN) == t->gen) {
			slots = t->slots;
			mask = t->mask;
		} else {
			/* Still in the old index: only above the cursor. */
			assert_non_null(t->old);
			assert_true(i >= t->moved);
			slots = t->old;
			mask = t->oldmask;
		}
		assert_true(s <= mask);
		assert_int_equal(slots[s].idx, i + 1);
		e = table_find(t, &t->v[i].addr);
		assert_ptr_equal(e, &t->v[i]);
	}
	assert_int_equal(sizeof(struct entry), 40);	/* 40 MiB a million */
	for (i = 1; i < t->n; i++)
		assert_true(t->v[t->heap[(i - 1) / 2]].expires <=
		    t->v[t->heap[i]].expires);
	used = check_index(t, t->slots, t->mask);
	if (t->old != NULL)
		used += check_index(t, t->old, t->oldmask);
	assert_int_equal(used, t->n);
	if (t->n == 0)
		assert_null(table_first(t));
	else
		assert_ptr_equal(table_first(t), &t->v[t->heap[0]]);
}

static void
check_model(const struct table *t, const struct model *m)
{
	const struct entry *e;
	uint32_t i;

	assert_int_equal(t->n, m->n);
	for (i = 0; i < POOL; i++) {
		e = table_find(t, &m->addr[i]);
		if (!m->present[i]) {
			assert_null(e);
			continue;
		}
		assert_non_null(e);
		assert_memory_equal(&e->addr, &m->addr[i], sizeof(e->addr));
		assert_true(e->expires == m->expires[i]);
	}
}

static long long
model_min(const struct model *m)
{
	long long min = LLONG_MAX;
	uint32_t i;

	for (i = 0; i < POOL; i++)
		if (m->present[i] && m->expires[i] < min)
			min = m->expires[i];
	return min;
}

static void
put(struct table *t, struct model *m, uint32_t i, long long expires)
{
	struct entry *e;
	long long old = -1;

	e = table_put(t, &m->addr[i], expires, &old);
	assert_non_null(e);
	assert_memory_equal(&e->addr, &m->addr[i], sizeof(e->addr));
	assert_true(e->expires == expires);
	/* The expiry replaced, or 0 for a new entry. */
	assert_true(old == (m->present[i] ? m->expires[i] : 0));
	if (!m->present[i])
		m->n++;
	m->present[i] = 1;
	m->expires[i] = expires;
}

static void
del(struct table *t, struct model *m, uint32_t i)
{
	struct entry *e;

	e = table_find(t, &m->addr[i]);
	assert_non_null(e);
	table_del(t, e);
	m->present[i] = 0;
	m->n--;
	assert_null(table_find(t, &m->addr[i]));
}

/* Pops everything in order and checks it against the model. */
static void
drain(struct table *t, struct model *m)
{
	long long last = LLONG_MIN;
	struct entry *e;
	uint32_t i, n;

	for (n = m->n; n > 0; n--) {
		e = table_first(t);
		assert_non_null(e);
		assert_true(e->expires >= last);
		assert_true(e->expires == model_min(m));
		last = e->expires;
		for (i = 0; i < POOL; i++)
			if (m->present[i] && memcmp(&m->addr[i], &e->addr,
			    sizeof(e->addr)) == 0)
				break;
		assert_true(i < POOL);
		assert_true(m->expires[i] == e->expires);
		table_del(t, e);
		m->present[i] = 0;
		m->n--;
	}
	assert_int_equal(t->n, 0);
	assert_null(table_first(t));
}

/*
 * Counting the due entries: the model's count, capped by max and by
 * TABLE_COUNT_MAX, for tables of every size and every due time.
 */
static void
test_prop_count_due(void **state)
{
	static struct model m;
	struct table t;
	uint32_t i, k, n, max, want;
	long long due;

	(void)state;
	for (k = 0; k < 200; k++) {
		model_init(&m);
		assert_int_equal(table_init(&t, 0), 0);
		n = tu_below(POOL);
		for (i = 0; i < n; i++)
			put(&t, &m, i, random_expiry());
		due = random_expiry() - 10 + (long long)tu_below(20);
		max = tu_below(TABLE_COUNT_MAX + 100);
		for (want = 0, i = 0; i < POOL; i++)
			want += m.present[i] && m.expires[i] <= due;
		if (want > max)
			want = max;
		if (want > TABLE_COUNT_MAX)
			want = TABLE_COUNT_MAX;
		assert_int_equal(table_count_due(&t, due, max), want);
		table_free(&t);
	}
}

/*
 * Each table hashes with a seed of its own: the same addresses land in
 * other slots, so no one can pick addresses that all probe one chain.
 */
static void
test_hash_is_seeded(void **state)
{
	struct table t1, t2;
	struct dracaddr a;
	uint32_t i, moved = 0;

	(void)state;
	assert_int_equal(table_init(&t1, 0), 0);
	assert_int_equal(table_init(&t2, 0), 0);
	for (i = 0; i < 64; i++) {
		dracaddr_from_v4(htonl(0x0a000000U + i), &a);
		assert_non_null(table_put(&t1, &a, 1000, NULL));
		assert_non_null(table_put(&t2, &a, 1000, NULL));
		moved += (t1.v[i].slot & ~TABLE_SLOT_GEN) !=
		    (t2.v[i].slot & ~TABLE_SLOT_GEN);
	}
	assert_int_equal(t1.mask, t2.mask);
	assert_true(moved > 0);
	table_free(&t1);
	table_free(&t2);
}

static void
test_basic(void **state)
{
	struct table t;
	struct dracaddr a, b;
	struct entry *e;
	long long old = -1;

	(void)state;
	assert_int_equal(table_init(&t, 0), 0);
	assert_int_equal(t.n, 0);
	assert_null(table_first(&t));
	assert_int_equal(dracaddr_parse("10.1.2.3", &a), 0);
	assert_int_equal(dracaddr_parse("::ffff:10.1.2.4", &b), 0);
	assert_null(table_find(&t, &a));

	e = table_put(&t, &a, 1000, &old);
	assert_non_null(e);
	assert_true(old == 0);
	assert_int_equal(t.n, 1);
	assert_ptr_equal(table_find(&t, &a), e);
	assert_ptr_equal(table_first(&t), e);
	assert_null(table_find(&t, &b));

	/* Re-adding moves the expiry, in both directions. */
	e = table_put(&t, &a, 2000, &old);
	assert_true(old == 1000);
	assert_int_equal(t.n, 1);
	assert_true(table_find(&t, &a)->expires == 2000);
	e = table_put(&t, &b, 1500, NULL);
	assert_int_equal(t.n, 2);
	assert_ptr_equal(table_first(&t), table_find(&t, &b));
	table_put(&t, &a, 1400, NULL);
	assert_ptr_equal(table_first(&t), table_find(&t, &a));
	check_invariants(&t);

	table_del(&t, table_find(&t, &a));
	assert_null(table_find(&t, &a));
	assert_int_equal(t.n, 1);
	assert_ptr_equal(table_first(&t), table_find(&t, &b));
	table_del(&t, table_find(&t, &b));
	assert_int_equal(t.n, 0);
	assert_null(table_first(&t));
	check_invariants(&t);
	table_free(&t);
	assert_null(t.v);
}

/* Random expiries come out in order, ties in any order. */
static void
test_expiry_order(void **state)
{
	static struct model m;
	struct table t;
	uint32_t i;

	(void)state;
	model_init(&m);
	assert_int_equal(table_init(&t, 16), 0);
	for (i = 0; i < POOL; i++)
		if (tu_below(4) != 0)
			put(&t, &m, i, random_expiry());
	check_invariants(&t);
	check_model(&t, &m);
	drain(&t, &m);
	table_free(&t);
}

/* Updates move entries up and down the heap. */
static void
test_update_moves(void **state)
{
	static struct model m;
	struct table t;
	uint32_t i, k;

	(void)state;
	model_init(&m);
	assert_int_equal(table_init(&t, POOL), 0);
	for (i = 0; i < POOL; i++)
		put(&t, &m, i, random_expiry());
	for (k = 0; k < 3 * POOL; k++) {
		i = tu_below(POOL);
		switch (tu_below(3)) {
		case 0:
			put(&t, &m, i, m.expires[i] - 1 - tu_below(3000));
			break;
		case 1:
			put(&t, &m, i, m.expires[i] + 1 + tu_below(3000));
			break;
		default:
			put(&t, &m, i, m.expires[i]);
			break;
		}
		if (k % 500 == 0)
			check_invariants(&t);
		assert_true(table_first(&t)->expires == model_min(&m));
	}
	check_invariants(&t);
	check_model(&t, &m);
	drain(&t, &m);
	table_free(&t);
}

/* Deleting from the middle keeps the heap and the index valid. */
static void
test_delete_middle(void **state)
{
	static struct model m;
	struct table t;
	uint32_t i, k;

	(void)state;
	model_init(&m);
	assert_int_equal(table_init(&t, 0), 0);
	for (i = 0; i < POOL; i++)
		put(&t, &m, i, random_expiry());
	for (k = 0; k < POOL / 2; k++) {
		do
			i = tu_below(POOL);
		while (!m.present[i]);
		del(&t, &m, i);
		if (k % 50 == 0) {
			check_invariants(&t);
			check_model(&t, &m);
		}
	}
	check_invariants(&t);
	check_model(&t, &m);
	drain(&t, &m);
	check_invariants(&t);
	/* An emptied table is as good as new. */
	for (i = 0; i < POOL; i += 7)
		put(&t, &m, i, random_expiry());
	check_invariants(&t);
	check_model(&t, &m);
	table_free(&t);
}

/* A small hint only sets the start: the table grows as needed. */
static void
test_growth(void **state)
{
	struct dracaddr a;
	struct table t;
	uint32_t i, n, cap0;

	(void)state;
	n = 20000 + tu_below(10000);
	assert_int_equal(table_init(&t, 1), 0);
	cap0 = t.cap;
	assert_true(cap0 >= 1);
	for (i = 0; i < n; i++) {
		dracaddr_from_v4(htonl(0xc0000000U + i * 7919U), &a);
		assert_non_null(table_put(&t, &a, (long long)(n - i), NULL));
	}
	assert_int_equal(t.n, n);
	assert_true(t.cap >= n);
	assert_true(t.cap > cap0);
	check_invariants(&t);
	for (i = 0; i < n; i++) {
		dracaddr_from_v4(htonl(0xc0000000U + i * 7919U), &a);
		assert_non_null(table_find(&t, &a));
		assert_true(table_find(&t, &a)->expires == (long long)(n - i));
	}
	assert_true(table_first(&t)->expires == 1);
	table_free(&t);

	/* A large hint needs no growth at all. */
	assert_int_equal(table_init(&t, 5000), 0);
	assert_true(t.cap >= 5000);
	cap0 = t.cap;
	for (i = 0; i < 5000; i++) {
		dracaddr_from_v4(htonl(0x0a000000U + i), &a);
		assert_non_null(table_put(&t, &a, i, NULL));
	}
	assert_int_equal(t.cap, cap0);
	check_invariants(&t);
	table_free(&t);
}

/*
 * A growth does not rehash everything in the call that causes it: the
 * old index empties a few entries per change, while lookups, deletions
 * and updates of entries still in it work, and the next growth finds it
 * gone.
 */
static void
test_growth_is_gradual(void **state)
{
	static struct model m;
	struct table t;
	uint32_t i, half, steps;

	(void)state;
	model_init(&m);
	assert_int_equal(table_init(&t, 1024), 0);
	for (i = 0; i < t.cap; i++)
		put(&t, &m, i, random_expiry());
	half = t.cap;
	assert_null(t.old);
	put(&t, &m, half, random_expiry());	/* the growth */
	assert_true(t.cap > half);
	assert_non_null(t.old);
	assert_true(t.moved < half / 8);
	check_invariants(&t);
	check_model(&t, &m);
	/* Changes of every kind while entries are still in the old index. */
	for (steps = 0; t.old != NULL; steps++) {
		i = tu_below(half + 1 + steps);
		if (i >= POOL)
			i = tu_below(POOL);
		if (m.present[i] && tu_below(3) == 0)
			del(&t, &m, i);
		else
			put(&t, &m, i, random_expiry());
		if (steps % 16 == 0) {
			check_invariants(&t);
			check_model(&t, &m);
		}
		assert_true(steps < half);
	}
	check_invariants(&t);
	check_model(&t, &m);
	drain(&t, &m);
	table_free(&t);
}

/*
 * A large index is put in place a piece per change, and the emptied one
 * unmapped a piece per change, not all in the call that grows it.
 */
static void
test_growth_pages_gradual(void **state)
{
	struct dracaddr a;
	struct table t;
	size_t bytes, ready;
	uint32_t i, cap;

	(void)state;
	assert_int_equal(table_init(&t, 65536), 0);
	cap = t.cap;
	for (i = 0; i <= cap; i++) {
		dracaddr_from_v4(htonl(0x0a000000U + i), &a);
		assert_non_null(table_put(&t, &a, i, NULL));
	}
	bytes = ((size_t)t.mask + 1) * sizeof(struct slot);
	assert_non_null(t.old);
	assert_true(t.ready < bytes);
	for (ready = t.ready; t.ready < bytes; ready = t.ready) {
		dracaddr_from_v4(htonl(0x0b000000U + i++), &a);
		assert_non_null(table_put(&t, &a, i, NULL));
		assert_true(t.ready > ready);
	}
	/* Moving the old entries out takes longer; then it is unmapped. */
	while (t.old != NULL) {
		dracaddr_from_v4(htonl(0x0b000000U + i++), &a);
		assert_non_null(table_put(&t, &a, i, NULL));
	}
	assert_true(t.deadlen > 0);
	while (t.deadlen > 0) {
		ready = t.deadlen;
		dracaddr_from_v4(htonl(0x0b000000U + i++), &a);
		assert_non_null(table_put(&t, &a, i, NULL));
		assert_true(t.deadlen < ready);
	}
	check_invariants(&t);
	table_free(&t);
}

/* 1 if the page holding p is in memory. */
static int
resident(const void *p)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char v;

	assert_int_equal(mincore((void *)((uintptr_t)p / page * page), page,
	    &v), 0);
	return v & 1;
}

/*
 * The entry array's pages are in place ahead of its end, after a
 * growth too, so that adding entries never waits on a page fault.
 */
static void
test_entry_pages_ahead(void **state)
{
	struct dracaddr a;
	struct table t;
	uint32_t i, cap;

	(void)state;
	assert_int_equal(table_init(&t, 65536), 0);
	cap = t.cap;
	for (i = 0; i < 3 * cap; i++) {
		dracaddr_from_v4(htonl(0x0a000000U + i), &a);
		assert_non_null(table_put(&t, &a, i, NULL));
		/* A page's worth of entries ahead, where the array has them. */
		if (t.n + 128 <= t.cap && !resident(&t.v[t.n + 127]))
			fail_msg("entry %u's page not in place at %u entries",
			    t.n + 127, t.n);
	}
	assert_true(t.cap > 2 * cap);	/* it grew twice */
	table_free(&t);
}

/* 100k random operations against the reference model. */
static void
test_random_ops(void **state)
{
	static struct model m;
	struct table t;
	struct entry *e;
	uint32_t i, k, op, counts[5] = { 0 };

	(void)state;
	model_init(&m);
	assert_int_equal(table_init(&t, tu_below(100)), 0);
	for (k = 0; k < OPS; k++) {
		i = tu_below(POOL);
		op = tu_below(100);
		if (op < 45) {
			put(&t, &m, i, random_expiry());
			counts[0]++;
		} else if (op < 65) {
			e = table_find(&t, &m.addr[i]);
			assert_int_equal(e != NULL, m.present[i]);
			if (e != NULL) {
				del(&t, &m, i);
				counts[1]++;
			}
		} else if (op < 90) {
			e = table_find(&t, &m.addr[i]);
			assert_int_equal(e != NULL, m.present[i]);
			if (e != NULL)
				assert_true(e->expires == m.expires[i]);
			counts[2]++;
		} else if (m.n > 0) {
			/* Expire the earliest, as the daemon's loop does. */
			e = table_first(&t);
			assert_non_null(e);
			assert_true(e->expires == model_min(&m));
			for (i = 0; i < POOL; i++)
				if (m.present[i] && memcmp(&m.addr[i],
				    &e->addr, sizeof(e->addr)) == 0)
					break;
			assert_true(i < POOL);
			del(&t, &m, i);
			counts[3]++;
		} else
			assert_null(table_first(&t));
		if (k % 5000 == 0) {
			check_invariants(&t);
			check_model(&t, &m);
		}
	}
	check_invariants(&t);
	check_model(&t, &m);
	printf("random ops: %u put, %u del, %u find, %u pop; %u left\n",
	    counts[0], counts[1], counts[2], counts[3], m.n);
	drain(&t, &m);
	table_free(&t);
}

static void
test_ttl(void **state)
{
	(void)state;
	/* 0 asks for the default. */
	assert_int_equal(table_ttl(0, 1800, 86400), 1800);
	/* Within bounds: as asked, shorter than the default too. */
	assert_int_equal(table_ttl(1, 1800, 86400), 1);
	assert_int_equal(table_ttl(60, 1800, 86400), 60);
	assert_int_equal(table_ttl(7200, 1800, 86400), 7200);
	assert_int_equal(table_ttl(86400, 1800, 86400), 86400);
	/* Above the maximum: clamped. */
	assert_int_equal(table_ttl(86401, 1800, 86400), 86400);
	assert_int_equal(table_ttl(UINT_MAX, 1800, 86400), 86400);
	/* A maximum below the default caps the default as well. */
	assert_int_equal(table_ttl(0, 1800, 600), 600);
	assert_int_equal(table_ttl(300, 1800, 600), 300);
	assert_int_equal(table_ttl(1800, 1800, 600), 600);
	/* Edges: default equal to the maximum, maximum of one second. */
	assert_int_equal(table_ttl(0, 600, 600), 600);
	assert_int_equal(table_ttl(601, 600, 600), 600);
	assert_int_equal(table_ttl(0, 1800, 1), 1);
	assert_int_equal(table_ttl(5, 1800, 1), 1);
	assert_int_equal(table_ttl(0, UINT_MAX, UINT_MAX), UINT_MAX);
}

static void
test_prop_ttl(void **state)
{
	unsigned int r, d, m, want, got;
	int i;

	(void)state;
	for (i = 0; i < 100000; i++) {
		r = tu_below(4) == 0 ? 0 : (unsigned int)tu_rand();
		if (tu_below(2))
			r %= 200000;
		d = 1 + tu_below(100000);
		m = 1 + tu_below(200000);
		want = r == 0 ? d : r;
		if (want > m)
			want = m;
		got = table_ttl(r, d, m);
		if (got != want)
			fail_msg("table_ttl(%u, %u, %u) = %u, want %u", r, d,
			    m, got, want);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_hash_is_seeded),
		cmocka_unit_test(test_expiry_order),
		cmocka_unit_test(test_update_moves),
		cmocka_unit_test(test_delete_middle),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_growth_is_gradual),
		cmocka_unit_test(test_growth_pages_gradual),
		cmocka_unit_test(test_entry_pages_ahead),
		cmocka_unit_test(test_random_ops),
		cmocka_unit_test(test_prop_count_due),
		cmocka_unit_test(test_ttl),
		cmocka_unit_test(test_prop_ttl),
	};

	tu_seed("test_table");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
