/*
 * service.h: what drac-policyd and drac-milter do alike around the
 * decision: the options both take, the maps loaded at start and again
 * on SIGHUP, and the rpc.dracd client that answers decide()'s lookups.
 */
#ifndef DRAC_SERVICE_H
#define DRAC_SERVICE_H

#include <stddef.h>

#include "decide.h"
#include "maps.h"

struct drac_client;

struct service {
	const char		*users_path;	/* -u */
	const char		*access_path;	/* -a */
	int			 access_optional; /* -a not given */
	const char		*servers;	/* -s */
	const char		*keyfile;	/* -K: signed v3 calls */
	int			 timeout_ms;	/* -t */
	int			 empty_user;	/* -e: DECIDE_EMPTY_* */
	int			 check_only;	/* -n */
	struct maps		*maps;
	struct drac_client	*client;	/* NULL until it can be made */
};

/* The getopt letters service_option takes. */
#define SERVICE_OPTIONS	"a:e:K:ns:t:u:"

void	service_init(struct service *);
/* One of SERVICE_OPTIONS: 1; 0 if ch is not one of them. */
int	service_option(struct service *, int ch, const char *arg);
/*
 * Loads the maps, or exits 1 after naming every error; with -n prints
 * their sizes and exits 0.  Then tries rpc.dracd once (query_probe).
 */
void	service_start(struct service *, const char *prog);
/* The maps read again, or NULL (logged) if they have errors. */
struct maps *service_reload(const struct service *);
/*
 * decide_lookup_fn; arg is the struct service.  The client is made on
 * first use and again after a failed call.  The caller serializes.
 */
int	service_lookup(void *arg, const struct dracaddr *,
	    struct decide_login *, char *err, size_t errlen);
/*
 * decide_relay with the maps loaded and lookup (service_lookup, or the
 * caller's wrapper around it), at the current time.
 */
void	service_decide(struct service *, decide_lookup_fn lookup,
	    const struct dracaddr *client, const char *sender,
	    struct decide_result *);
void	service_end(struct service *);

#endif
