/*
 * golden.h: golden-file runs of the binding tests.  Every
 * NAME.EXT in tests/golden/binding is fed to a run function; what it prints
 * must equal NAME.EXT.out byte for byte.  DRAC_GOLDEN_UPDATE=1 rewrites the
 * .out files instead (review the diff).
 */
#ifndef DRAC_BINDING_GOLDEN_H
#define DRAC_BINDING_GOLDEN_H

#include <stddef.h>

#include "testutil.h"

typedef void	(*golden_run_fn)(const char *name, const char *data,
		    size_t len, struct tu_text *out);

/* Returns the number of files whose output differs; asserts min files. */
int	golden_files(const char *ext, size_t min, golden_run_fn);
/* For binding_report_fn: appends msg and a newline to a tu_text. */
void	golden_collect(void *arg, const char *msg);

#endif
