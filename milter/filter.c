/*
 * filter.c: drac-milter's libmilter callbacks.  The connection gives
 * the client address, MAIL FROM the sender, and each RCPT is decided
 * when sendmail's rules marked it as relayed ({drac_relay} = yes, see
 * drac-milter(8)): mail for local recipients is none of our business.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "milter.h"

#define SENDER_MAX	(BINDING_ADDR_MAX + 64)	/* with brackets, spaces */
#define REPLY_MAX	(2 * BINDING_WHY_MAX)

static char filter_name[] = MILTER_NAME;
static char relay_macro[] = MILTER_RELAY_MACRO;

struct session {
	struct dracaddr	addr;
	int		has_addr;
	char		sender[SENDER_MAX];
	int		sender_too_long;
};

/* Serialized: a libdrac client is not shared between threads unlocked. */
static int
lookup(void *arg, const struct dracaddr *a, struct decide_login *l,
    char *err, size_t errlen)
{
	int r;

	pthread_mutex_lock(&milter.client_lock);
	r = service_lookup(arg, a, l, err, errlen);
	pthread_mutex_unlock(&milter.client_lock);
	return r;
}

/* sendmail reads '%' in a reply as a format character. */
static void
reply(SMFICTX *ctx, const char *code, const char *xcode, const char *text)
{
	char buf[REPLY_MAX], rcode[4], xcode_buf[16];
	size_t i, o = 0;

	for (i = 0; text[i] != '\0' && o + 2 < sizeof(buf); i++) {
		unsigned char c = (unsigned char)text[i];

		if (c == '%') {
			buf[o++] = '%';
			buf[o++] = '%';
		} else
			buf[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[o] = '\0';
	snprintf(rcode, sizeof(rcode), "%s", code);
	snprintf(xcode_buf, sizeof(xcode_buf), "%s", xcode);
	smfi_setreply(ctx, rcode, xcode_buf, buf);
}

static sfsistat
on_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	unsigned long skip = SMFIP_NOHELO | SMFIP_NOHDRS | SMFIP_NOEOH |
	    SMFIP_NOBODY | SMFIP_NOUNKNOWN | SMFIP_NODATA;

	(void)f2;
	(void)f3;
	*pf0 = 0;
	*pf1 = f1 & skip;
	*pf2 = 0;
	*pf3 = 0;
	/* Ask for the macro ourselves, so the .mc needs no list of it. */
	if (f0 & SMFIF_SETSYMLIST) {
		*pf0 = SMFIF_SETSYMLIST;
		if (smfi_setsymlist(ctx, SMFIM_ENVRCPT, relay_macro) !=
		    MI_SUCCESS)
			log_warnx("cannot ask sendmail for %s",
			    MILTER_RELAY_MACRO);
	}
	return SMFIS_CONTINUE;
}

static sfsistat
on_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *sa)
{
	struct session *s;

	(void)hostname;
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		log_warnx("out of memory for a connection");
		return SMFIS_TEMPFAIL;
	}
	if (sa != NULL && dracaddr_from_sockaddr(sa, sa->sa_family ==
	    AF_INET6 ? sizeof(struct sockaddr_in6) :
	    sizeof(struct sockaddr_in), &s->addr) == 0)
		s->has_addr = 1;
	smfi_setpriv(ctx, s);
	return SMFIS_CONTINUE;
}

static sfsistat
on_envfrom(SMFICTX *ctx, char **argv)
{
	struct session *s = smfi_getpriv(ctx);
	const char *from = argv != NULL && argv[0] != NULL ? argv[0] : "";

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	s->sender_too_long = strlen(from) >= sizeof(s->sender);
	snprintf(s->sender, sizeof(s->sender), "%s", from);
	return SMFIS_CONTINUE;
}

static sfsistat
refused(SMFICTX *ctx, const struct decide_result *res)
{
	if (milter.refuse == MILTER_REFUSE_TEMPFAIL) {
		reply(ctx, "450", "4.7.1", res->reply);
		return SMFIS_TEMPFAIL;
	}
	reply(ctx, "550", "5.7.1", res->reply);
	return SMFIS_REJECT;
}

static sfsistat
on_envrcpt(SMFICTX *ctx, char **argv)
{
	struct session *s = smfi_getpriv(ctx);
	struct decide_result res;
	const char *relay, *rcpt = argv != NULL && argv[0] != NULL ?
	    argv[0] : "";

	if (s == NULL)
		return SMFIS_TEMPFAIL;
	relay = smfi_getsymval(ctx, relay_macro);
	if (relay == NULL || (strcmp(relay, "yes") != 0 &&
	    strcmp(relay, "no") != 0)) {
		/* Without the mark every relay would pass: fail closed. */
		log_warnx("sendmail did not set %s for RCPT %.320s; see "
		    "drac-milter(8) for the rules: tempfail",
		    MILTER_RELAY_MACRO, rcpt);
		reply(ctx, "451", "4.3.5", "relay check not configured");
		return SMFIS_TEMPFAIL;
	}
	if (strcmp(relay, "no") == 0 || !s->has_addr)
		return SMFIS_CONTINUE;
	if (s->sender_too_long) {
		log_notice("refuse rcpt=%.320s: sender longer than %zu bytes",
		    rcpt, sizeof(s->sender) - 1);
		reply(ctx, "550", "5.7.1", "malformed sender address");
		return SMFIS_REJECT;
	}

	pthread_rwlock_rdlock(&milter.maps_lock);
	service_decide(&milter.svc, lookup, &s->addr, s->sender, &res);
	pthread_rwlock_unlock(&milter.maps_lock);

	switch (res.verdict) {
	case DECIDE_ALLOW:
		log_info("allow rcpt=%.320s: %s", rcpt, res.log);
		return SMFIS_CONTINUE;
	case DECIDE_TEMPFAIL:
		log_warnx("tempfail rcpt=%.320s: %s", rcpt, res.log);
		reply(ctx, "451", "4.3.0", res.reply);
		return SMFIS_TEMPFAIL;
	}
	log_notice("refuse rcpt=%.320s: %s", rcpt, res.log);
	return refused(ctx, &res);
}

static sfsistat
on_close(SMFICTX *ctx)
{
	free(smfi_getpriv(ctx));
	smfi_setpriv(ctx, NULL);
	return SMFIS_CONTINUE;
}

struct smfiDesc filter_desc = {
	.xxfi_name = filter_name,
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_SETSYMLIST,
	.xxfi_connect = on_connect,
	.xxfi_envfrom = on_envfrom,
	.xxfi_envrcpt = on_envrcpt,
	.xxfi_close = on_close,
	.xxfi_negotiate = on_negotiate,
};
