#!/bin/bash
# qmail.sh: drac-check between Debian's tcpserver (ucspi-tcp for IPv4,
# ucspi-tcp-ipv6 for IPv6) and a stand-in for qmail-smtpd that relays
# only when RELAYCLIENT is set, with the map written by the real
# rpc.dracd and clients authorized through dracauth.
#  - authorized clients relay, others not, local mail always accepted
#  - the expiry in the map is honoured to the second; DROP at once
#  - a missing, corrupt, unreadable or locked map never blocks or fails
#    the session; -c and -z read rpc.dracd's key variants
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/mta/mta-lib.sh"
mta_init
t_rpcbind
t_dracd
auth $OK4 $OK6 $OKZ

CHECK=$DRAC_BUILD/tools/drac-check
STANDIN=$MTA_TOP/qmail-smtpd-standin.sh
TCPSERVER6=$MTA_DIR/root/ucspi6/usr/bin/tcpserver

# qmail_start NAME PORT DRAC-CHECK-ARGS...: tcpserver on 127.0.0.1 and ::1.
qmail_start() {
	local name=$1 port=$2
	shift 2
	mta_start "q4_$name" tcpserver -R -H -l mta.test.invalid 127.0.0.1 "$port" \
	    "$CHECK" "$@" "$STANDIN"
	mta_start "q6_$name" "$TCPSERVER6" -R -H -l mta.test.invalid ::1 "$port" \
	    "$CHECK" "$@" "$STANDIN"
	wait_port 127.0.0.1 "$port" && wait_port ::1 "$port"
}

# ucspi-tcp-ipv6 writes the single-zero-group client as
# TCPREMOTEIP=2001:db8::1:1:1:1:1, not inet_ntop's text: drac-check
# parses the address and builds the key itself.
qmail_start file 2528 -f "$T/dracd.db"
t_eq "$(decisions 2528)" "$(decided 553)" \
    "tcpserver+drac-check: authorized clients relay, others 553, local accepted"

# drac-check compares the expiry with the clock itself: no grace second.
auth -t 3 $TTL4 $TTL6
t_rcpt 250 "IPv4 client authorized for 3 s relays" $TTL4 127.0.0.1 2528 $REMOTE
t_rcpt 250 "IPv6 client authorized for 3 s relays" $TTL6 ::1 2528 $REMOTE
sleep_until "$(expiry $TTL4)"
t_rcpt 553 "IPv4 refused from the second of expiry" $TTL4 127.0.0.1 2528 $REMOTE
t_rcpt 553 "IPv6 refused from the second of expiry" $TTL6 ::1 2528 $REMOTE

auth $DROP4 $DROP6
t_rcpt 250 "before DROP, relays" $DROP6 ::1 2528 $REMOTE
drop $DROP4 $DROP6
t_rcpt 553 "refused right after DROP" $DROP6 ::1 2528 $REMOTE
t_rcpt 553 "IPv4 refused right after DROP" $DROP4 127.0.0.1 2528 $REMOTE

# A map that cannot be used costs relaying, never the session.
qmail_start nomap 2538 -f "$T/nomap/dracd.db"
t_rcpt "553 250" "map missing: session goes on, no relaying, local accepted" \
    $OK4 127.0.0.1 2538 $REMOTE $LOCAL
t_match "drac-check: $T/nomap/dracd.db: No such file or directory" \
    "$(cat "$T/q4_nomap.out")" "map missing: drac-check says so on stderr"

# The rest runs drac-check directly, as tcpserver would.
relay() { TCPREMOTEIP=$1 "$CHECK" "${@:2}" sh -c 'echo "RELAYCLIENT=${RELAYCLIENT-unset}"' 2>>"$T/check.err"; }
t_eq "$(relay $OK4 -f "$T/dracd.db")" "RELAYCLIENT=" "direct: authorized -> RELAYCLIENT empty"
t_eq "$(RELAYCLIENT=x relay $NO4 -f "$T/dracd.db")" "RELAYCLIENT=x" \
    "direct: RELAYCLIENT already set (tcprules) is left alone"
t_eq "$(relay '' -f "$T/dracd.db")" "RELAYCLIENT=unset" "direct: no TCPREMOTEIP, just exec"
t_eq "$(relay bogus -f "$T/dracd.db")" "RELAYCLIENT=unset" "direct: TCPREMOTEIP not an address"
t_eq "$(relay ::ffff:$OK4 -f "$T/dracd.db")" "RELAYCLIENT=" \
    "direct: IPv4-mapped TCPREMOTEIP finds the IPv4 key"
t_eq "$(relay 2001:DB8:0:1:1:1:1:1 -f "$T/dracd.db")" "RELAYCLIENT=" \
    "direct: IPv6 TCPREMOTEIP in another text form finds the inet_ntop key"

mkdir "$T/bad"
printf 'this is not a Berkeley DB file\n' > "$T/bad/dracd.db"
t_eq "$(relay $OK4 -f "$T/bad/dracd.db")" "RELAYCLIENT=unset" "direct: corrupt map, just exec"
cp "$T/dracd.db" "$T/bad/private.db"
chmod 600 "$T/bad/private.db"
t_eq "$(setpriv --reuid=65534 --regid=65534 --clear-groups env TCPREMOTEIP=$OK4 \
    "$CHECK" -f "$T/bad/private.db" sh -c 'echo "RELAYCLIENT=${RELAYCLIENT-unset}"' \
    2>>"$T/check.err")" "RELAYCLIENT=unset" "direct: map unreadable for the user, just exec"
t_match "private.db: Permission denied" "$(cat "$T/check.err")" "unreadable map: said on stderr"

# rpc.dracd holds an fcntl write lock while it changes the map; one held
# for long must not hold up the session for more than about a second.
python3 - "$T/dracd.db" "$T/locked" <<'PY' &
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(8)
PY
lockpid=$!
t_wait 10 test -e "$T/locked"
start=$(date +%s%N)
t_eq "$(relay $OK4 -f "$T/dracd.db")" "RELAYCLIENT=unset" "direct: map locked: no relaying"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ $ms -lt 2500 ]; then t_ok "map locked: exec after $ms ms (bounded)"
else t_fail "map locked: drac-check took $ms ms"; fi
kill $lockpid 2>/dev/null
wait $lockpid 2>/dev/null

t_eq "$("$CHECK" 2>&1; echo "rc=$?")" "usage: drac-check [-cvz] [-f dbfile] program [arg ...]
rc=100" "no program: usage (the man page SYNOPSIS), exit 100"
# The man pages: lint clean (cross-references resolve only where the
# other pages are installed), SYNOPSIS = usage(), every option described.
for man in "$DRAC_TOP/man/drac-check.8" "$DRAC_TOP/man/drac-mta.7"; do
	t_eq "$(mandoc -Tlint -Wwarning "$man" 2>&1 |
	    grep -v -e 'referenced manual not found' -e 'outdated mandoc.db')" "" \
	    "${man##*/}: mandoc -Tlint clean"
done
page=$(mandoc -Tascii -Owidth=200 "$DRAC_TOP/man/drac-check.8" | sed 's/.\x08//g')
syn=$(printf '%s\n' "$page" | awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' |
    tr -s ' \n' '  ' | sed 's/^ //; s/ $//')
t_eq "usage: $syn" "$("$CHECK" 2>&1)" "drac-check.8 SYNOPSIS equals usage()"
missing=""
for o in c f v z; do
	printf '%s\n' "$page" | grep -Eq "^ +-$o( |$)" || missing="$missing -$o"
done
for sec in ENVIRONMENT FILES 'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
	printf '%s\n' "$page" | grep -q "^$sec" || missing="$missing $sec"
done
t_eq "$missing" "" "drac-check.8 describes every option and has every section"

t_eq "$(TCPREMOTEIP=$OK4 "$CHECK" -f "$T/dracd.db" /nonexistent 2>&1; echo "rc=$?")" \
    "drac-check: cannot execute /nonexistent: No such file or directory
rc=111" "program missing: exit 111, qmail's temporary failure"
t_eq "$(TCPREMOTEIP=$OK4 "$CHECK" -v -f "$T/dracd.db" true 2>&1)" \
    "drac-check: $OK4: relay allowed" "-v: says what it decided"

# rpc.dracd's key variants: -c (CIDR keys) and -z (NUL-terminated).
for v in c z; do
	t_dracd_stop
	rm -f "$T/dracd.db" "$T/dracd.db.state"
	t_dracd -$v
	auth $OK4 $OK6
	t_eq "$(relay $OK4 -$v -f "$T/dracd.db")" "RELAYCLIENT=" "-$v: rpc.dracd -$v map, IPv4"
	t_eq "$(relay $OK6 -$v -f "$T/dracd.db")" "RELAYCLIENT=" "-$v: rpc.dracd -$v map, IPv6"
	t_eq "$(relay $NO4 -$v -f "$T/dracd.db")" "RELAYCLIENT=unset" "-$v: unknown client"
done
t_eq "$(relay $OK4 -f "$T/dracd.db")" "RELAYCLIENT=" \
    "without -z the NUL form is tried too"
t_dracd_stop

t_done
