# tests/mta/mta-lib.sh: what the MTA tests share (sourced after tests/lib.sh).
#
#   mta_init                  t_init, then the client addresses on lo
#   mta_start NAME CMD...     start a server in the background, remember it
#   mta_stop NAME             SIGTERM it, wait (bounded)
#   wait_port HOST PORT       until something listens (10 s at most)
#   rcpt SRC HOST PORT RCPT... reply codes of one SMTP session ("250 550"),
#                             SRC "-" for any source address
#   t_rcpt WANT MSG SRC HOST PORT RCPT...      assert the codes
#   t_rcpt_until SECS WANT MSG SRC HOST PORT RCPT...
#                             poll (every 0.2 s) until the codes are WANT
#   decisions PORT            for each of OK4 OK6 OKZ NO4 NO6 a line
#                             "CLIENT CODE-REMOTE CODE-LOCAL"
#   decided DENY              what decisions must print when the MTA
#                             refuses relaying with DENY
#   auth [-t TTL] ADDR...     authorize through rpc.dracd with dracauth
#   drop ADDR...              dracauth -x
#   expiry ADDR               the entry's expiry as the map holds it
#   sleep_until EPOCH         (5 s at most)
#
# The addresses the tests use (documentation ranges, put on lo):
#   OK4 192.0.2.10, OK6 2001:db8::5, OKZ 2001:db8:0:1:1:1:1:1 (a single
#   zero group, which inet_ntop does not compress): authorized at start;
#   NO4 192.0.2.20, NO6 2001:db8::6: never authorized;
#   TTL4/TTL6 and DROP4/DROP6: authorized for a short time, or dropped.
# Recipients: REMOTE needs relaying, LOCAL is delivered here.

MTA_TOP=$DRAC_TOP/tests/mta
SMTP_RCPT=$DRAC_BUILD/tests/mta/smtp-rcpt
OK4=192.0.2.10 OK6=2001:db8::5 OKZ=2001:db8:0:1:1:1:1:1
NO4=192.0.2.20 NO6=2001:db8::6
TTL4=192.0.2.30 TTL6=2001:db8::30
DROP4=192.0.2.40 DROP6=2001:db8::40
REMOTE=user@remote.example
LOCAL=root@mta.test.invalid

t_mtas

mta_init() {
	t_init
	t_addr $OK4 $NO4 $TTL4 $DROP4 $OK6 $OKZ $NO6 $TTL6 $DROP6
}

# mta_start NAME CMD...: output in $T/NAME.out; pid in MTA_PID_NAME.
mta_start() {
	local name=$1
	shift
	"$@" >>"$T/$name.out" 2>&1 &
	T_PIDS="$T_PIDS $!"
	eval "MTA_PID_$name=$!"
}

mta_stop() {
	local pid
	eval "pid=\${MTA_PID_$1:-}"
	[ -n "$pid" ] || return 0
	kill -TERM "$pid" 2>/dev/null
	t_wait 10 sh -c "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	eval "MTA_PID_$1="
}

wait_port() {
	t_wait 10 bash -c "exec 3<>/dev/tcp/$1/$2" ||
	    { t_fail "nothing listens on $1 port $2"; return 1; }
}

rcpt() {
	local src=$1
	shift
	if [ "$src" = - ]; then
		"$SMTP_RCPT" "$@" 2>>"$T/smtp.log"
	else
		"$SMTP_RCPT" -s "$src" "$@" 2>>"$T/smtp.log"
	fi
}

t_rcpt() {
	local want=$1 msg=$2
	shift 2
	t_eq "$(rcpt "$@")" "$want" "$msg"
}

t_rcpt_until() {
	local secs=$1 want=$2 msg=$3 got n
	shift 3
	n=$((secs * 5))
	while :; do
		got=$(rcpt "$@")
		[ "$got" = "$want" ] && break
		n=$((n - 1))
		[ $n -gt 0 ] || break
		sleep 0.2
	done
	t_eq "$got" "$want" "$msg"
}

# decisions PORT: the server listens on 127.0.0.1 and ::1.
decisions() {
	local c
	for c in $OK4 $OK6 $OKZ $NO4 $NO6; do
		case $c in
		*:*) echo "$c $(rcpt "$c" ::1 "$1" $REMOTE $LOCAL)" ;;
		*) echo "$c $(rcpt "$c" 127.0.0.1 "$1" $REMOTE $LOCAL)" ;;
		esac
	done
}

decided() {
	printf '%s\n' "$OK4 250 250" "$OK6 250 250" "$OKZ 250 250" \
	    "$NO4 $1 250" "$NO6 $1 250"
}

auth() {
	local out
	if ! out=$("$DRACAUTH" "$@" 2>&1); then
		t_fail "dracauth $*: $out"
		return 1
	fi
}

drop() { auth -x "$@"; }

expiry() { t_dump | awk -v a="$1" '$1 == a { print $2 }'; }

sleep_until() {
	local n=100
	while [ "$(date +%s)" -lt "$1" ] && [ $n -gt 0 ]; do
		sleep 0.05
		n=$((n - 1))
	done
}
