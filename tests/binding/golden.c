/*
 * golden.c: compare what a parser says about each golden input with the
 * stored expectation.
 */
#include <glob.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "golden.h"

void
golden_collect(void *arg, const char *msg)
{
	struct tu_text *t = arg;

	tu_appendf(t, "%s\n", msg);
}

static int
compare(const char *name, const char *ext, golden_run_fn run, int update)
{
	char path[4096];
	struct tu_text got;
	char *data, *want;
	size_t len, wlen;
	FILE *fp;
	int differs;

	data = tu_slurp(name, &len);
	assert_non_null(data);
	memset(&got, 0, sizeof(got));
	run(name, data, len, &got);
	free(data);
	if (got.s == NULL)
		tu_append(&got, "", 0);
	(void)ext;
	snprintf(path, sizeof(path), "%s.out", name);
	if (update) {
		assert_non_null(fp = fopen(path, "w"));
		fwrite(got.s, 1, got.len, fp);
		assert_int_equal(fclose(fp), 0);
	}
	want = tu_slurp(path, &wlen);
	differs = want == NULL || wlen != got.len ||
	    memcmp(want, got.s, wlen) != 0;
	if (differs)
		printf("golden %s: output differs from %s\n--- want\n%s"
		    "--- got\n%s---\n", name, path,
		    want != NULL ? want : "(missing)\n", got.s);
	else
		printf("golden %s: ok\n", name);
	free(want);
	tu_text_free(&got);
	return differs;
}

int
golden_files(const char *ext, size_t min, golden_run_fn run)
{
	char cwd[4096], dir[4096], pattern[64];
	glob_t g;
	size_t i;
	int failed = 0, update;

	update = getenv("DRAC_GOLDEN_UPDATE") != NULL;
	snprintf(dir, sizeof(dir), "%s/tests/golden/binding", tu_top());
	snprintf(pattern, sizeof(pattern), "*.%s", ext);
	/* Messages name files as given: relative names keep them stable. */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(dir), 0);
	assert_int_equal(glob(pattern, 0, NULL, &g), 0);
	assert_true(g.gl_pathc >= min);
	for (i = 0; i < g.gl_pathc; i++)
		failed += compare(g.gl_pathv[i], ext, run, update);
	globfree(&g);
	assert_int_equal(chdir(cwd), 0);
	return failed;
}
