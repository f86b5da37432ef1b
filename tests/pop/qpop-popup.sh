#!/bin/bash
# Stand-in for qmail-popup + checkpassword (tests only): POP3 USER/PASS
# on stdin/stdout, checked against the "user:password" lines of $1; on
# success runs the rest of the command line with USER set, as
# checkpassword does.  Every read is bounded by 10 s.
pwfile=$1; shift
printf '+OK stand-in POP3 ready\r\n'
user=""
while IFS= read -r -t 10 line; do
	line=${line%$'\r'}
	case $line in
	"USER "*) user=${line#USER }; printf '+OK\r\n' ;;
	"PASS "*)
		if [ -n "$user" ] && grep -qxF "$user:${line#PASS }" "$pwfile"; then
			export USER=$user
			exec "$@"
		fi
		printf -- '-ERR authorization failed\r\n'
		exit 1 ;;
	QUIT) printf '+OK\r\n'; exit 0 ;;
	*) printf -- '-ERR unknown command\r\n' ;;
	esac
done
exit 1
