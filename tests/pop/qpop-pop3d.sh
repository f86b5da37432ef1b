#!/bin/bash
# Stand-in for qmail-pop3d (tests only): answers the PASS that led here
# with who it serves and its arguments, then NOOP and QUIT.
printf '+OK user=%s client=%s args=%s\r\n' "${USER:--}" "${TCPREMOTEIP:--}" "$*"
while IFS= read -r -t 10 line; do
	case ${line%$'\r'} in
	QUIT) printf '+OK bye\r\n'; exit 0 ;;
	*) printf '+OK\r\n' ;;
	esac
done
exit 0
