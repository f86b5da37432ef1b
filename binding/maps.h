/*
 * maps.h: the user map and the access map as one unit, loaded together
 * so that a reload either replaces both or keeps both.
 */
#ifndef DRAC_MAPS_H
#define DRAC_MAPS_H

#include "accessmap.h"
#include "binding.h"
#include "usermap.h"

struct maps {
	struct usermap		*users;
	struct accessmap	*access;
};

/*
 * Loads both files and reports every problem in either.  A missing
 * access map is an empty one when access_optional is set (the default
 * path was not overridden).  Returns NULL if anything was wrong.
 */
struct maps	*maps_load(const char *users_path, const char *access_path,
		    int access_optional, binding_report_fn, void *);
void		 maps_free(struct maps *);

#endif
