#!/bin/bash
# lib-cli.sh: dracauth(1) against a real rpcbind and rpc.dracd: add,
# drop, query (its output format), addresses from stdin, several
# servers, exit status and messages, strict option parsing.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/lib-util.sh"
PORT=7202
l_init
t_rpcbind
t_dracd -p $PORT

# da ARG...: run dracauth; stdout in $O, stderr in $E, status in $RC.
da() {
	O=$("$DRACAUTH" "$@" 2>"$T/err"); RC=$?
	E=$(cat "$T/err")
}

before=$(date +%s)
da -u alice -t 600 10.1.2.3
after=$(date +%s)
t_eq "$RC/$O/$E" "0//" "add with -u -t: exit 0, silent"
exp=$(mapval 10.1.2.3)
in_range "$exp" $((before + 600)) $((after + 601)) "map value = now + 600"
da -q 10.1.2.3
t_eq "$RC" 0 "query: exit 0"
when=$(date -d "@$exp" '+%Y-%m-%d %H:%M:%S %z' | sed 's/+/\\+/')
t_match "^10\\.1\\.2\\.3 expires $when \\([0-9]+ s left\\) user alice how v3 ttl 600\$" "$O" "query line: address, local expiry, seconds left, user, how, ttl"
left=$(printf '%s\n' "$O" | sed 's/.*(\([0-9]*\) s left).*/\1/')
in_range "$left" 595 601 "query: seconds left (a TTL counts from the next second)"
O=$(TZ=Asia/Tokyo "$DRACAUTH" -q 10.1.2.3)
t_match "expires $(TZ=Asia/Tokyo date -d "@$exp" '+%Y-%m-%d %H:%M:%S') \\+0900" "$O" "query shows local time (TZ)"

da 2001:db8::5 2001:db8:0:1:1:1:1:1
t_eq "$RC" 0 "two IPv6 addresses: exit 0"
t_present "$(mapval 2001:db8::5)" "2001:db8::5 in the map"
t_present "$(mapval 2001:db8:0:1:1:1:1:1)" "2001:db8:0:1:1:1:1:1 in the map"
da -q 2001:db8:0:1:1:1:1:1
t_match '^2001:db8:0:1:1:1:1:1 expires .* user - how v3 ttl 1800$' "$O" "query of IPv6, no user shown as -"

da -x 10.1.2.3
t_eq "$RC/$E" "0/" "drop: exit 0"
t_eq "$(mapval 10.1.2.3)" "" "drop: gone from the map"
da -q 10.1.2.3
t_eq "$RC/$O" "1/" "query of an absent address: exit 1, nothing on stdout"
t_eq "$E" "dracauth: 10.1.2.3: localhost: server reports no such entry" "query of absent: message names address and server"
da -x 10.1.2.3
t_eq "$RC" 1 "drop of an absent address: exit 1"

# Addresses from stdin, mixed with arguments; one bad one fails the run.
printf '10.5.0.1\n  10.5.0.2  \n\n# comment\n2001:db8::51\n' > "$T/in"
O=$("$DRACAUTH" -u batch 10.5.0.9 - < "$T/in" 2>"$T/err"); RC=$?
t_eq "$RC/$(cat "$T/err")" "0/" "stdin list: exit 0"
t_eq "$(t_dump | grep -c '^10\.5\.0\.[129] \|^2001:db8::51 ')" 4 "stdin list: all four added"
t_eq "$("$DRACAUTH" -q 10.5.0.2 | awk '{ print $10 }')" batch "stdin entry carries -u"
printf '10.5.1.1\nnot-an-address\n10.5.1.2\n' > "$T/in"
"$DRACAUTH" - < "$T/in" 2>"$T/err"; RC=$?
t_eq "$RC" 1 "stdin with a bad line: exit 1"
t_match 'not-an-address' "$(cat "$T/err")" "bad line named"
t_present "$(mapval 10.5.1.2)" "lines after the bad one still processed"
printf '%0300d\n10.5.1.3\n' 1 > "$T/in"
"$DRACAUTH" - < "$T/in" 2>"$T/err"; RC=$?
t_eq "$RC" 1 "stdin line too long: exit 1"
t_match '^dracauth: stdin:1: line longer than' "$(cat "$T/err")" "long line reported with its number"
t_present "$(mapval 10.5.1.3)" "line after the long one still processed"

# TCP, explicit servers, several servers.
da -P -u tcp 10.5.2.1
t_eq "$RC" 0 "-P (TCP): exit 0"
da -s "127.0.0.1:$PORT,[::1]:$PORT" -u two 10.5.2.2
t_eq "$RC/$E" "0/" "two servers given as host:port, [v6]:port: exit 0"
da -s "localhost,127.0.0.1:9" -u one 10.5.2.3
t_eq "$RC" 1 "one of two servers down: exit 1"
t_eq "$E" "dracauth: 10.5.2.3: 127.0.0.1:9: RPC: Unable to receive; errno = Connection refused" "message names address and the dead server"
t_eq "$("$DRACAUTH" -q 10.5.2.3 | awk '{ print $10 }')" one "the live server got the ADD"
da -s 127.0.0.1:9 10.5.2.4
t_eq "$RC" 1 "the only server down: exit 1"
t_match '127\.0\.0\.1:9' "$E" "message names the server"

# Server refusals and bad input: exit 1 with a reason.
da 224.0.0.1
t_eq "$RC" 1 "multicast: exit 1"
t_eq "$E" "dracauth: 224.0.0.1: localhost: server reports address refused" "multicast: server's reason"
da 10.5.3.999
t_eq "$RC" 1 "bad address: exit 1"
t_eq "$E" 'dracauth: bad address "10.5.3.999": not an IPv4 or IPv6 address' "bad address named"
da -u "$(printf 'a\tb')" 10.5.3.1
t_eq "$RC" 1 "user with a tab: exit 1 (server says BADARG)"
t_match 'bad argument' "$E" "user with a tab: reason"
da -o -u old 10.5.3.2
t_eq "$RC" 0 "-o: DRAC 1.12 version 1 add"
t_match ' user - how v1 ' "$("$DRACAUTH" -q 10.5.3.2)" "-o: recorded as v1, user not sent"
da -o -x 10.5.3.2
t_eq "$RC" 1 "-o -x: exit 1 (no drop in DRAC 1.12)"
t_match 'need version 3' "$E" "-o -x: says why"

# Usage errors: exit 2, usage equal to the man page SYNOPSIS.
usage=$("$DRACAUTH" 2>&1); RC=$?
t_eq "$RC" 2 "no address: exit 2"
t_match '^usage: dracauth \[-oPqx\]' "$usage" "usage line"
for bad in "-t -1" "-t x" "-t 1x" "-t 31622401" "-T 0" "-T 600001" "-T ''" "-q -x" "-x -q" "-Z" "- -"; do
	eval "set -- $bad"
	"$DRACAUTH" "$@" 10.5.4.1 >/dev/null 2>"$T/err"; RC=$?
	t_eq "$RC" 2 "dracauth $bad: exit 2"
done
"$DRACAUTH" -t x 10.5.4.1 2>"$T/err"
t_eq "$(cat "$T/err")" "dracauth: -t x: not a number from 0 to 31622400" "bad -t names the flag, value and range"
"$DRACAUTH" -u "$(printf '%065d' 0)" 10.5.4.1 2>"$T/err"; RC=$?
t_eq "$RC" 2 "-u longer than 64 bytes: exit 2"
t_eq "$(mapval 10.5.4.1)" "" "nothing added by the refused command lines"
da -s 'a,,b' 10.5.4.1
t_eq "$RC" 1 "empty server in the list: exit 1"
t_match 'empty' "$E" "empty server: reason"

t_dracd_stop
da 10.5.5.1
t_eq "$RC" 1 "daemon stopped: exit 1"
t_match 'localhost: .*(not registered|refused)' "$E" "daemon stopped: message names the server"
l_done
