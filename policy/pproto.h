/*
 * pproto.h: Postfix SMTPD policy delegation protocol, the server side.
 *
 * A request is lines "name=value" ended by an empty line; the answer is
 * "action=..." and an empty line.  The parser is a pure function over a
 * buffer: it never reads, allocates or logs, so a fuzz target can call
 * it with anything.
 */
#ifndef DRAC_PPROTO_H
#define DRAC_PPROTO_H

#include <stddef.h>

#define PPROTO_REQUEST_MAX	16384	/* bytes of one request */
#define PPROTO_ATTR_MAX		128	/* attributes in one request */
#define PPROTO_ANSWER_MAX	640	/* bytes of one answer */
#define PPROTO_TEXT_MAX		480	/* bytes of an action's text */

/* Results of pproto_parse. */
#define PPROTO_MORE	0	/* no complete request yet: read more */
#define PPROTO_OK	1	/* a request, in req */
#define PPROTO_BAD	2	/* a malformed request, skipped: answer it */
#define PPROTO_FATAL	3	/* no end within the limit: close */

struct pproto_req {
	const char	*request;
	const char	*protocol_state;
	const char	*client_address;
	const char	*sender;
	const char	*recipient;
	const char	*queue_id;
	unsigned	 nattr;
	char		 buf[PPROTO_REQUEST_MAX + 1];	/* values point here */
};

/*
 * Looks for one request at the start of buf.  On PPROTO_OK and
 * PPROTO_BAD, *used is its length including the empty line; on
 * PPROTO_BAD and PPROTO_FATAL, why says what is wrong.
 */
int	pproto_parse(const char *buf, size_t len, struct pproto_req *,
	    size_t *used, char *why, size_t whylen);

/*
 * "action=ACTION[ TEXT]\n\n" into out, TEXT cut to PPROTO_TEXT_MAX and
 * made printable ASCII.  Returns the length, 0 if out is too small.
 */
size_t	pproto_answer(char *out, size_t size, const char *action,
	    const char *text);

#endif
