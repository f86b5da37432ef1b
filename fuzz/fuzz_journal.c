/*
 * fuzz_journal.c: the state journal's replay.  The input is a list of
 * records to append (key length, value length, bytes) and, at its end,
 * one byte to damage; the replay must give back exactly a prefix of what
 * was appended (all of it when nothing was damaged) and never read
 * outside the journal.  Before the damage, the pending records must be
 * all of them, once.
 */
#include <stdint.h>
#include <string.h>

#include "journal.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAXREC	JOURNAL_RECORDS

static unsigned char buf[JOURNAL_BYTES], copy[JOURNAL_BYTES];

struct appended {
	const uint8_t	*key[MAXREC], *val[MAXREC];
	size_t		 klen[MAXREC], vlen[MAXREC];
	long		 n, seen;
};

static int
compare(void *arg, const void *key, size_t klen, const void *val,
    size_t vlen)
{
	struct appended *a = arg;
	long i = a->seen++;

	if (i >= a->n || klen != a->klen[i] || vlen != a->vlen[i] ||
	    memcmp(key, a->key[i], klen) != 0 ||
	    memcmp(val, a->val[i], vlen) != 0)
		__builtin_trap();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct appended a;
	struct journal j;
	size_t i = 1, klen, vlen;
	uint32_t at;
	long n;

	if (size < 1)
		return 0;
	memset(buf, 0, sizeof(buf));
	memset(&j, 0, sizeof(j));
	memset(&a, 0, sizeof(a));
	j.base = buf;
	j.copy = copy;
	j.fd = -1;
	j.gen = data[0];
	journal_restart(&j);
	while (i + 2 <= size && a.n < MAXREC) {
		klen = data[i] % 64;
		vlen = data[i + 1];
		if (klen == 0 || i + 2 + klen + vlen > size)
			break;
		if (journal_append(&j, data + i + 2, klen,
		    data + i + 2 + klen, vlen) != 0)
			break;
		a.key[a.n] = data + i + 2;
		a.klen[a.n] = klen;
		a.val[a.n] = data + i + 2 + klen;
		a.vlen[a.n] = vlen;
		a.n++;
		i += 2 + klen + vlen;
	}
	if (journal_pending(&j, compare, &a) != 0 || a.seen != a.n ||
	    journal_pending(&j, compare, &a) != 0 || a.seen != a.n)
		__builtin_trap();
	a.seen = 0;
	/* What is left, if 5 bytes or more: damage one byte. */
	if (size - i >= 5) {
		memcpy(&at, data + i, sizeof(at));
		buf[at % JOURNAL_BYTES] ^= data[i + 4] | 1;
	}
	n = journal_replay(&j, compare, &a);
	if (n != a.seen || (size - i < 5 && n != a.n))
		__builtin_trap();
	return 0;
}
