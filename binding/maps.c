/*
 * maps.c: load the two maps together; nothing is kept unless both load.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "maps.h"

struct maps *
maps_load(const char *users_path, const char *access_path,
    int access_optional, binding_report_fn report, void *arg)
{
	struct maps *m;
	int bad = 0;

	if ((m = calloc(1, sizeof(*m))) == NULL ||
	    (m->users = usermap_new()) == NULL ||
	    (m->access = accessmap_new()) == NULL) {
		report(arg, "out of memory loading the maps");
		maps_free(m);
		return NULL;
	}
	if (usermap_load(m->users, users_path, report, arg) == -1)
		bad = 1;
	if (access_optional && access(access_path, F_OK) == -1 &&
	    errno == ENOENT)
		;	/* no access map: no range needs no login */
	else if (accessmap_load(m->access, access_path, report, arg) == -1)
		bad = 1;
	if (bad) {
		maps_free(m);
		return NULL;
	}
	return m;
}

void
maps_free(struct maps *m)
{
	if (m == NULL)
		return;
	usermap_free(m->users);
	accessmap_free(m->access);
	free(m);
}
