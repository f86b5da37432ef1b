/*
 * testutil.c: seeded randomness and small helpers for the unit tests.
 *
 * The generator is splitmix64 rather than random(3) so that a seed
 * printed on one machine repeats the same run on any other.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

static uint64_t state;

void
tu_seed(const char *prog)
{
	const char *s;
	char *end;
	unsigned long long v;

	s = getenv("DRAC_SEED");
	if (s != NULL && *s != '\0') {
		errno = 0;
		v = strtoull(s, &end, 10);
		if (errno != 0 || *end != '\0' || s[0] < '0' || s[0] > '9') {
			fprintf(stderr, "%s: DRAC_SEED=%s: not a decimal "
			    "number\n", prog, s);
			exit(2);
		}
	} else
		v = ((unsigned long long)time(NULL) << 20) ^
		    (unsigned long long)getpid();
	state = v;
	printf("%s: seed %llu (DRAC_SEED=%llu repeats this run)\n",
	    prog, v, v);
	fflush(stdout);
}

uint64_t
tu_rand(void)
{
	uint64_t z;

	z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint32_t
tu_below(uint32_t n)
{
	return (uint32_t)(((tu_rand() >> 32) * (uint64_t)n) >> 32);
}

void
tu_bytes(void *p, size_t len)
{
	uint8_t *b = p;
	uint64_t r = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 8 == 0)
			r = tu_rand();
		b[i] = (uint8_t)r;
		r >>= 8;
	}
}

const char *
tu_top(void)
{
	const char *s = getenv("DRAC_TOP");

	return s != NULL && *s != '\0' ? s : ".";
}

void
tu_append(struct tu_text *t, const char *s, size_t len)
{
	size_t cap;

	if (t->len + len + 1 > t->cap) {
		for (cap = t->cap ? t->cap : 256; cap < t->len + len + 1;)
			cap *= 2;
		if ((t->s = realloc(t->s, cap)) == NULL) {
			perror("realloc");
			abort();
		}
		t->cap = cap;
	}
	memcpy(t->s + t->len, s, len);
	t->len += len;
	t->s[t->len] = '\0';
}

void
tu_appendf(struct tu_text *t, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(buf))
		abort();
	tu_append(t, buf, (size_t)n);
}

void
tu_text_free(struct tu_text *t)
{
	free(t->s);
	memset(t, 0, sizeof(*t));
}

char *
tu_slurp(const char *path, size_t *len)
{
	struct tu_text t = { NULL, 0, 0 };
	char buf[4096];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		tu_append(&t, buf, n);
	if (ferror(fp)) {
		fclose(fp);
		tu_text_free(&t);
		return NULL;
	}
	fclose(fp);
	if (t.s == NULL)
		tu_append(&t, "", 0);
	*len = t.len;
	return t.s;
}

void
tu_staterec(struct staterec *r, const struct dracaddr *a, long long expires,
    const char *user)
{
	memset(r, 0, sizeof(*r));
	r->addr = *a;
	if (user == NULL) {
		r->type = STATEREC_DROP;
		return;
	}
	r->type = STATEREC_ADD;
	r->expires = expires;
	r->added = expires - 600;
	r->ttl = 600;
	r->how = 3;
	snprintf(r->user, sizeof(r->user), "%s", user);
}
