#!/bin/bash
# qmail-smtpd-standin.sh: what matters of qmail-smtpd for the drac-check
# tests, run by tcpserver after drac-check: it relays (250 to a remote
# RCPT) only when RELAYCLIENT is set, exactly as qmail-smtpd consults
# rcpthosts only when it is not; mail for mta.test.invalid is always
# accepted.  The greeting says what it saw, for the logs.
printf '220 mta.test.invalid stand-in, TCPREMOTEIP=%s RELAYCLIENT=%s\r\n' \
    "${TCPREMOTEIP-}" "${RELAYCLIENT-unset}"
n=0
while IFS= read -r -t 10 line && [ $n -lt 50 ]; do
	n=$((n + 1))
	line=${line%$'\r'}
	case ${line^^} in
	EHLO*|HELO*) printf '250 mta.test.invalid\r\n' ;;
	MAIL*) printf '250 ok\r\n' ;;
	RCPT*@MTA.TEST.INVALID\>*) printf '250 ok\r\n' ;;
	RCPT*)
		if [ "${RELAYCLIENT+set}" = set ]; then
			printf '250 ok\r\n'
		else
			printf "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n"
		fi ;;
	QUIT*) printf '221 bye\r\n'; exit 0 ;;
	*) printf '502 unimplemented (#5.5.1)\r\n' ;;
	esac
done
