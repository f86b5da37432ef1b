#!/bin/bash
# policyd.sh: drac-policyd against the real rpc.dracd, through the policy
# protocol itself (no MTA): the sender-binding decisions, logins without
# a user name, expiry and DROP, rpc.dracd going away, reload on SIGHUP
# (a broken map keeps the old one), malformed and random requests, a
# connection kept while the wall clock jumps forward.
. "${DRAC_TOP:?}/tests/lib.sh"
t_init "$@"
HERE=$DRAC_TOP/tests/binding
POLICYD=$DRAC_BUILD/policy/drac-policyd
PC="python3 $HERE/policy_client.py"

t_rpcbind
t_dracd

cat >"$T/users" <<'EOF'
# login    senders
hoge       hoge@example.com
alice      alice@example.org @alice.example
EOF
cat >"$T/access" <<'EOF'
10.1.2.5      relay
10.1.3.0/24   user hoge
EOF

# start_policyd NAME LISTEN [ARG...]: foreground, log in $T/NAME.log, pid
# in NAME_PID
start_policyd() {
	local name=$1 listen=$2
	shift 2
	"$POLICYD" -d -u "$T/users" -a "$T/access" -l "$listen" "$@" \
	    2>>"$T/$name.log" &
	eval "${name}_PID=$!"
	T_PIDS="$T_PIDS $!"
	case $listen in
	/*) t_wait 10 test -S "$listen" ;;
	*) t_wait 10 bash -c "exec 3<>/dev/tcp/${listen%:*}/${listen##*:}" ;;
	esac || { t_fail "$name did not start"; cat "$T/$name.log"; exit 1; }
}

# stop_policyd NAME: SIGTERM, exit 0 (a sanitizer report would not be 0)
stop_policyd() {
	local pid
	eval "pid=\$${1}_PID"
	kill -TERM "$pid"
	t_wait 10 sh -c "! kill -0 $pid" || kill -KILL "$pid"
	wait "$pid"
	t_eq "$?" 0 "$1 exits 0 on SIGTERM"
}

# shellcheck disable=SC2034 # set and read through eval
policyd_PID='' plain_PID='' signed_PID=''
P=127.0.0.1:10031
start_policyd policyd "$P"

# ask CLIENT SENDER [RECIPIENT [STATE] [HOST:PORT]]: one request as
# Postfix sends it at RCPT; prints the answer line.  (bash's /dev/tcp:
# a python start per question is slow on a busy machine.)
ask() {
	local hp=${5:-$P} line=""
	exec 3<>"/dev/tcp/${hp%:*}/${hp##*:}" || { echo "connect failed"; return 1; }
	printf 'request=smtpd_access_policy\nprotocol_state=%s\nprotocol_name=ESMTP\nclient_address=%s\nclient_name=unknown\nhelo_name=client.example\nsender=%s\nrecipient=%s\nrecipient_count=0\nqueue_id=\ninstance=1.2.3.0\nsize=0\n\n' \
	    "${4:-RCPT}" "$1" "$2" "${3:-user@remote.example}" >&3
	IFS= read -r -t 10 line <&3
	exec 3<&-
	printf '%s\n' "$line"
}

# --- configuration check -------------------------------------------------
t_match 'drac-policyd: 3 user map entries, 2 access map ranges' \
    "$("$POLICYD" -n -u "$T/users" -a "$T/access")" "-n reports the maps"
printf 'hoge\n' >"$T/bad-users"
out=$("$POLICYD" -n -u "$T/bad-users" -a "$T/access" 2>&1); rc=$?
t_eq "$rc" 1 "-n exits 1 for a broken user map"
t_match "$T/bad-users:1: login name \"hoge\" without any sender" "$out" \
    "-n names FILE:LINE"
out=$("$POLICYD" -n -u "$T/users" -a "$T/nonexistent" 2>&1); rc=$?
t_eq "$rc" 1 "-n exits 1 for a missing explicit access map"
out=$("$POLICYD" -d -l 10.1.2.3:10032 -u "$T/users" 2>&1); rc=$?
t_eq "$rc" 1 "refuses to listen on a non-loopback address"
t_match 'not a loopback address' "$out" "and says why"

# --- the three decisions of REFERENCE.md ---------------------------------
"$DRACAUTH" -u hoge 10.1.2.3 || t_fail "dracauth -u hoge 10.1.2.3"
t_eq "$(ask 10.1.2.3 hoge@example.com)" "action=OK" \
    "10.1.2.3 as hoge@example.com after hoge's login: OK"
t_eq "$(ask 10.1.2.3 HOGE@Example.COM)" "action=OK" \
    "local part and domain compare without case"
t_match '^action=REJECT sender <hoge@example.net> does not belong to the user who logged in from 10.1.2.3$' \
    "$(ask 10.1.2.3 hoge@example.net)" "10.1.2.3 as hoge@example.net: REJECT"
t_match '^action=REJECT relaying from 10.1.2.4 needs a recent POP/IMAP login$' \
    "$(ask 10.1.2.4 hoge@example.com)" "10.1.2.4 as hoge@example.com: REJECT"
t_match 'refuse \(REJECT\) rcpt=<user@remote.example>: client 10.1.2.3, sender <hoge@example.net>: not a sender of user hoge' \
    "$(cat "$T/policyd.log")" "the log names the client, sender and user"
t_nomatch 'user hoge' "$(ask 10.1.2.3 alice@example.org)" \
    "the answer does not tell who logged in"

# --- access map ----------------------------------------------------------
t_eq "$(ask 10.1.2.5 anyone@example.net)" "action=OK" \
    "access-map relay host relays without a login"
t_eq "$(ask 10.1.3.7 hoge@example.com)" "action=OK" \
    "user range relays that user's address without a login"
t_match '^action=REJECT sender <alice@example.org> may not relay from 10.1.3.7' \
    "$(ask 10.1.3.7 alice@example.org)" "user range: other senders refused"

# --- IPv6, and a login through the DRAC 1.12 protocol (no user) ----------
"$DRACAUTH" -u alice 2001:db8::5 || t_fail "dracauth -u alice 2001:db8::5"
t_eq "$(ask 2001:db8::5 x@alice.example)" "action=OK" \
    "IPv6 login, @domain wildcard"
"$DRACAUTH" -o 10.1.2.6 || t_fail "dracauth -o 10.1.2.6"
t_match '^action=REJECT the login from 10.1.2.6 does not say who logged in' \
    "$(ask 10.1.2.6 hoge@example.com)" "login without a user: refused (-e refuse)"
start_policyd plain 127.0.0.1:10033 -e plain -r defer
t_eq "$(ask 10.1.2.6 whoever@example.net '' RCPT 127.0.0.1:10033)" "action=OK" \
    "-e plain: a login without a user relays any sender"
t_match '^action=DEFER sender <hoge@example.net> does not belong' \
    "$(ask 10.1.2.3 hoge@example.net '' RCPT 127.0.0.1:10033)" "-r defer"
stop_policyd plain

# --- not at RCPT, malformed requests -------------------------------------
t_eq "$(ask 10.1.2.4 hoge@example.com user@remote.example MAIL)" \
    "action=DUNNO" "not RCPT: DUNNO"
t_eq "$(ask garbage hoge@example.com)" "action=DUNNO" \
    "unparsable client_address: DUNNO"
for f in bad nul limits; do
	out=$($PC "$P" raw "$DRAC_TOP/tests/golden/binding/$f.policy")
	t_eq "$?" 0 "$f.policy: every answer well formed"
	printf '%s\n' "$out" >"$T/raw-$f.out"
done
t_eq "$(grep -c '^action=DUNNO$' "$T/raw-bad.out")" 8 \
    "bad.policy: the 8 malformed requests get DUNNO"
t_eq "$(grep -c '^action=OK$' "$T/raw-bad.out")" 1 \
    "bad.policy: the good request after them is decided"
t_match '^action=REJECT sender <caf\\xc3\\xa9@example.com> does not belong' \
    "$(cat "$T/raw-bad.out")" "bad.policy: a UTF-8 sender is answered in ASCII"
t_eq "$(tail -n 1 "$T/raw-limits.out")" "closed" \
    "limits.policy: no end within 16 KiB closes the connection"
t_eq "$(grep -c '^action=' "$T/raw-limits.out")" 3 \
    "limits.policy: the 3 complete requests before it are answered"
t_match 'malformed request: attribute "sender" given twice: DUNNO' \
    "$(cat "$T/policyd.log")" "malformed requests are logged"

# --- expiry and DROP -----------------------------------------------------
"$DRACAUTH" -u hoge -t 3 10.1.2.7 || t_fail "dracauth -t 3"
t_eq "$(ask 10.1.2.7 hoge@example.com)" "action=OK" "3-second login: OK"
n=0
while [ $n -lt 100 ] && [ "$(ask 10.1.2.7 hoge@example.com)" = action=OK ]; do
	n=$((n + 1)); sleep 0.1
done
t_match '^action=REJECT relaying from 10.1.2.7 needs a recent' \
    "$(ask 10.1.2.7 hoge@example.com)" "after expiry: REJECT"
"$DRACAUTH" -x 10.1.2.3 || t_fail "dracauth -x 10.1.2.3"
t_match '^action=REJECT relaying from 10.1.2.3 needs a recent' \
    "$(ask 10.1.2.3 hoge@example.com)" "after DROP: REJECT"

# --- reload --------------------------------------------------------------
"$DRACAUTH" -u hoge 10.1.2.3 || t_fail "dracauth again"
cp "$T/users" "$T/users.good"
printf 'hoge hoge@example.com\nbroken\nhoge hoge@example.net\n' >"$T/users"
kill -HUP "$policyd_PID"
t_wait 5 grep -q 'reload failed' "$T/policyd.log"
t_match "$T/users:2: login name \"broken\" without any sender address" \
    "$(cat "$T/policyd.log")" "SIGHUP with a broken user map logs FILE:LINE"
t_eq "$(ask 10.1.2.3 hoge@example.com)" "action=OK" "old map still used"
t_match '^action=REJECT' "$(ask 10.1.2.3 hoge@example.net)" \
    "the broken map's lines are not used"
printf 'hoge hoge@example.net\n' >"$T/users"
kill -HUP "$policyd_PID"
t_wait 5 grep -q 'reloaded: 1 user map entries' "$T/policyd.log" ||
	t_fail "no reload message"
t_eq "$(ask 10.1.2.3 hoge@example.net)" "action=OK" "good reload takes effect"
t_match '^action=REJECT' "$(ask 10.1.2.3 hoge@example.com)" \
    "and drops what it no longer lists"
cp "$T/users.good" "$T/users"
kill -HUP "$policyd_PID"

# --- rpc.dracd away and back ---------------------------------------------
t_dracd_stop
t_match '^action=451 4.3.0 cannot check the login from 10.1.2.3 now' \
    "$(ask 10.1.2.3 hoge@example.com)" "rpc.dracd down: temporary failure"
t_eq "$(ask 10.1.2.5 anyone@example.net)" "action=OK" \
    "rpc.dracd down: access-map relay still works"
t_dracd
t_eq "$(ask 10.1.2.3 hoge@example.com)" "action=OK" \
    "rpc.dracd back (entries kept): OK again"

# --- random and damaged requests -----------------------------------------
seed=${DRAC_SEED:-$(date +%s)}
echo "fuzz seed $seed (DRAC_SEED=$seed repeats it)"
out=$(timeout 120 $PC "$P" fuzz "$seed" 400); rc=$?
echo "$out"
t_eq "$rc" 0 "400 random requests: each answered or (oversized) closed"
kill -0 "$policyd_PID" && t_ok "drac-policyd still runs" ||
	t_fail "drac-policyd died"
t_eq "$(ask 10.1.2.3 hoge@example.com)" "action=OK" "and still decides"

# --- rpc.dracd taking signed calls only (-A -K) --------------------------
t_dracd_stop
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/key"
chmod 600 "$T/key"
t_dracd -A -K "$T/key"
t_match '^action=451 4.3.0 ' "$(ask 10.1.2.3 hoge@example.com)" \
    "rpc.dracd -A: an unsigned QUERY fails: temporary failure"
start_policyd signed 127.0.0.1:10034 -K "$T/key"
t_eq "$(ask 10.1.2.3 hoge@example.com '' RCPT 127.0.0.1:10034)" "action=OK" \
    "-K: signed QUERY, decision as before"
stop_policyd signed

# --- the wall clock stepped forward (libfaketime moves it alone) ---------
# A connection is closed after 600 quiet seconds of the monotonic clock,
# not when the wall clock jumps past them.
echo +0 >"$T/clock.offset"
# eval: the assignments then hold for the function's commands.
eval "$(t_wallclock_env "$T/clock.offset") start_policyd stepped 127.0.0.1:10035"
# ask_on_4: one request on the connection open as fd 4; its answer, and
# the empty line after it read too.  The write in a subshell: a closed
# connection raises SIGPIPE.
ask_on_4() {
	local line="" end
	(printf 'request=smtpd_access_policy\nprotocol_state=RCPT\nclient_address=10.1.2.5\nsender=x@example.com\nrecipient=y@remote.example\n\n' >&4) 2>/dev/null
	IFS= read -r -t 5 line <&4 && IFS= read -r -t 5 end <&4
	printf '%s\n' "$line"
}
exec 4<>/dev/tcp/127.0.0.1/10035
t_eq "$(ask_on_4)" "action=OK" "a client in the access map: OK"
echo +1h >"$T/clock.offset"
sleep 2.5	# two turns of its loop
t_eq "$(ask_on_4)" "action=OK" \
    "an hour forward: the same connection, quiet for 2 s, still answers"
exec 4<&-
stop_policyd stepped

stop_policyd policyd
t_dracd_stop
t_done
