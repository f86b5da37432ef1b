/*
 * drac_plugin.c: a Dovecot 2.3 mail plugin that tells rpc.dracd about
 * every POP3 or IMAP login.
 *
 * The mail process calls mail_user_created once the user has logged in;
 * that is the point where DRAC wants the client's address.  While the
 * session stays open a Dovecot timeout re-sends the address before its
 * TTL runs out, so a long IMAP session keeps its relay permission, and
 * on logout the address can be dropped again.
 *
 * A login must never wait on DRAC for long nor fail because of it: every
 * call is bounded by drac_timeout, and a failure is logged once per
 * session, not on each refresh.
 */
#include "lib.h"
#include "ioloop.h"
#include "net.h"
#include "module-context.h"
#include "settings-parser.h"
#include "mail-user.h"
#include "mail-storage-hooks.h"

#include "drac.h"

#define DRAC_PLUGIN_DEFAULT_TTL		(30 * 60)	/* DRAC's default */
#define DRAC_PLUGIN_DEFAULT_TIMEOUT_MS	1000
#define DRAC_PLUGIN_MAX_TIMEOUT_MS	30000
#define DRAC_PLUGIN_MAX_TTL		(7 * 24 * 3600)	/* fits a timeout */
#define DRAC_PLUGIN_USER_MAX		64	/* longer names go without */
#define DRAC_PLUGIN_SERVERS		"localhost"
#define DRAC_PLUGIN_ADDR_MAX		64	/* inet_ntop text and NUL */

#define DRAC_USER_CONTEXT(obj) \
	MODULE_CONTEXT(obj, drac_user_module)

struct drac_user {
	union mail_user_module_context module_ctx;

	struct drac_client *client;
	struct timeout *to_refresh;
	const char *servers;
	char addr[DRAC_PLUGIN_ADDR_MAX];
	unsigned int ttl;		/* seconds, sent with each ADD */
	unsigned int refresh_ms;	/* 0: no refresh */
	int timeout_ms;
	bool drop_on_logout;
	bool failing;			/* last call failed, already logged */
	bool added;			/* at least one ADD succeeded */
};

const char *drac_plugin_version = DOVECOT_ABI_VERSION;

void drac_plugin_init(struct module *module);
void drac_plugin_deinit(void);

static MODULE_CONTEXT_DEFINE_INIT(drac_user_module,
				  &mail_user_module_register);

/*
 * A failed call is logged when it starts failing and when it recovers,
 * never in between: a refresh every minute of a down server would
 * otherwise fill the log.
 */
static void
drac_note_result(struct mail_user *user, struct drac_user *du,
		 const char *what, int rc, const char *err)
{
	if (rc == DRAC_OK) {
		if (du->failing)
			e_info(user->event, "drac: %s %s succeeded again",
			       what, du->addr);
		du->failing = FALSE;
		return;
	}
	if (du->failing)
		return;
	du->failing = TRUE;
	e_error(user->event, "drac: %s %s via %s failed: %s (logged once)",
		what, du->addr, du->servers, err);
}

/* The client is made on first use and again after a failure, so that a
   rpc.dracd restarted on another port is found through rpcbind. */
static struct drac_client *
drac_get_client(struct drac_user *du, char *err, size_t errlen)
{
	struct drac_options opt;

	if (du->client != NULL)
		return du->client;
	i_zero(&opt);
	opt.timeout_ms = du->timeout_ms;
	du->client = drac_client_new(du->servers, &opt, err, errlen);
	return du->client;
}

static void
drac_forget_client(struct drac_user *du)
{
	if (du->client != NULL)
		drac_client_free(du->client);
	du->client = NULL;
}

static void
drac_send_add(struct mail_user *user, struct drac_user *du)
{
	char err[DRAC_ERRMAX];
	const char *name = user->username;
	int rc;

	if (name != NULL && strlen(name) > DRAC_PLUGIN_USER_MAX)
		name = NULL;
	err[0] = '\0';
	if (drac_get_client(du, err, sizeof(err)) == NULL)
		rc = DRAC_ENOCLIENT;
	else
		rc = drac_client_add(du->client, du->addr, du->ttl, name,
				     err, sizeof(err));
	if (rc == DRAC_OK)
		du->added = TRUE;
	else if (rc < 0)
		drac_forget_client(du);
	drac_note_result(user, du, "add", rc, err);
}

static void
drac_refresh(struct mail_user *user)
{
	struct drac_user *du = DRAC_USER_CONTEXT(user);

	if (du != NULL)
		drac_send_add(user, du);
}

static void
drac_send_drop(struct mail_user *user, struct drac_user *du)
{
	char err[DRAC_ERRMAX];
	int rc;

	err[0] = '\0';
	if (drac_get_client(du, err, sizeof(err)) == NULL)
		rc = DRAC_ENOCLIENT;
	else
		rc = drac_client_drop(du->client, du->addr, err, sizeof(err));
	/* Already expired or dropped by another session: nothing to say. */
	if (rc == DRAC_NOTFOUND)
		rc = DRAC_OK;
	drac_note_result(user, du, "drop", rc, err);
}

static void
drac_mail_user_deinit(struct mail_user *user)
{
	struct drac_user *du = DRAC_USER_CONTEXT(user);

	timeout_remove(&du->to_refresh);
	if (du->drop_on_logout && du->added)
		drac_send_drop(user, du);
	drac_forget_client(du);
	du->module_ctx.super.deinit(user);
}

/* Returns FALSE, with the reason logged, if a setting is unusable. */
static bool
drac_read_settings(struct mail_user *user, struct drac_user *du)
{
	const char *s, *error;
	unsigned int secs, msecs;

	s = mail_user_plugin_getenv(user, "drac_servers");
	du->servers = (s == NULL || *s == '\0') ? DRAC_PLUGIN_SERVERS :
	    p_strdup(user->pool, s);

	du->ttl = DRAC_PLUGIN_DEFAULT_TTL;
	s = mail_user_plugin_getenv(user, "drac_ttl");
	if (s != NULL && *s != '\0') {
		if (settings_get_time(s, &secs, &error) < 0) {
			e_error(user->event, "drac: drac_ttl=%s: %s", s, error);
			return FALSE;
		}
		if (secs == 0 || secs > DRAC_PLUGIN_MAX_TTL) {
			e_error(user->event, "drac: drac_ttl=%s: want 1s..7d",
				s);
			return FALSE;
		}
		du->ttl = secs;
	}

	/* Re-send when a third of the TTL is left by default. */
	du->refresh_ms = du->ttl / 3 * 2000U;
	if (du->refresh_ms == 0)
		du->refresh_ms = 500;
	s = mail_user_plugin_getenv(user, "drac_refresh");
	if (s != NULL && *s != '\0') {
		if (settings_get_time_msecs(s, &msecs, &error) < 0) {
			e_error(user->event, "drac: drac_refresh=%s: %s",
				s, error);
			return FALSE;
		}
		if (msecs != 0 && msecs >= du->ttl * 1000U) {
			e_error(user->event, "drac: drac_refresh=%s must be "
				"shorter than drac_ttl (%us), or 0 for none",
				s, du->ttl);
			return FALSE;
		}
		du->refresh_ms = msecs;
	}

	du->timeout_ms = DRAC_PLUGIN_DEFAULT_TIMEOUT_MS;
	s = mail_user_plugin_getenv(user, "drac_timeout");
	if (s != NULL && *s != '\0') {
		if (settings_get_time_msecs(s, &msecs, &error) < 0) {
			e_error(user->event, "drac: drac_timeout=%s: %s",
				s, error);
			return FALSE;
		}
		if (msecs == 0 || msecs > DRAC_PLUGIN_MAX_TIMEOUT_MS) {
			e_error(user->event, "drac: drac_timeout=%s: "
				"want 1ms..30s", s);
			return FALSE;
		}
		du->timeout_ms = (int)msecs;
	}

	du->drop_on_logout = mail_user_plugin_getenv_bool(user,
	    "drac_drop_on_logout");
	return TRUE;
}

/* Only a client that proved a password over POP3 or IMAP earns relay
   permission: LMTP's remote address is the MTA, doveadm and LDA have
   none, and shared-namespace users are not the one who logged in. */
static bool
drac_user_wanted(struct mail_user *user)
{
	if (user->conn.remote_ip == NULL || user->conn.remote_ip->family == 0)
		return FALSE;
	if (user->creator != NULL || user->autocreated)
		return FALSE;
	if (user->service == NULL)
		return FALSE;
	return strcmp(user->service, "imap") == 0 ||
	    strcmp(user->service, "pop3") == 0;
}

static void
drac_mail_user_created(struct mail_user *user)
{
	struct mail_user_vfuncs *v = user->vlast;
	struct drac_user *du;
	const char *ip;

	if (!drac_user_wanted(user))
		return;
	ip = net_ip2addr(user->conn.remote_ip);
	if (ip == NULL || *ip == '\0' || strlen(ip) >= DRAC_PLUGIN_ADDR_MAX)
		return;

	du = p_new(user->pool, struct drac_user, 1);
	i_strocpy(du->addr, ip, sizeof(du->addr));
	if (!drac_read_settings(user, du))
		return;

	du->module_ctx.super = *v;
	user->vlast = &du->module_ctx.super;
	v->deinit = drac_mail_user_deinit;
	MODULE_CONTEXT_SET(user, drac_user_module, du);

	drac_send_add(user, du);
	if (du->refresh_ms != 0)
		du->to_refresh = timeout_add(du->refresh_ms, drac_refresh,
					     user);
}

static struct mail_storage_hooks drac_mail_storage_hooks = {
	.mail_user_created = drac_mail_user_created
};

void
drac_plugin_init(struct module *module)
{
	mail_storage_hooks_add(module, &drac_mail_storage_hooks);
}

void
drac_plugin_deinit(void)
{
	mail_storage_hooks_remove(&drac_mail_storage_hooks);
}
