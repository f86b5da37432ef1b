#!/bin/bash
# dracwatch following the log file of a real Dovecot (no plugin), sending
# through libdrac to the real rpc.dracd: logins authorize, failed logins
# do not, logouts drop (-D); the log is rotated by rename (while Dovecot
# still writes the old file, then after "doveadm log reopen") and by
# copytruncate; rpc.dracd going away and coming back; SIGHUP with a broken
# configuration; standard input.  dracwatch runs in both builds.
. "$DRAC_TOP/tests/lib.sh"
t_init "$@"
. "$DRAC_TOP/tests/pop/dovecot.lib.sh"

W=$DRAC_BUILD/watch/dracwatch
t_addr 10.1.2.3 10.1.2.4 10.1.2.5 10.1.2.6 10.1.2.7 10.1.2.8 10.1.2.9 \
    2001:db8::5
t_rpcbind
t_dracd
dc_start

query() { "$DRACAUTH" -s 127.0.0.1 -T 2000 -q "$1" 2>/dev/null; }
absent() { ! query "$1"; }
watchlog() { cat "$T/watch.log"; }

# An extra pattern set, so that SIGHUP has something to reload.
echo 'add relay %Hrelayd: ok user %u from %a$' > "$T/watch.conf"
"$W" -d -D -i 50 -T 1000 -s 127.0.0.1 -f "$T/watch.conf" "$DC_LOG" \
    >"$T/watch.log" 2>&1 &
WPID=$!
T_PIDS="$T_PIDS $WPID"
t_wait 5 grep -q 'following' "$T/watch.log" || t_fail "dracwatch did not start"

# login_seen PROTO SRC USER MSG: a held session is authorized with USER,
# and dropped once it logged out.
login_seen() {
	local proto=$1 src=$2 user=$3 msg=$4 c
	dc_login "$proto" "$src" "$user" secret 1.5 > "$T/client.out" &
	c=$!
	if t_wait 4 query "$src"; then
		t_match "^$src expires .* user $user how v3" "$(query "$src")" "$msg"
	else
		t_fail "$msg: $src not authorized"
	fi
	wait "$c" || t_fail "$msg: login failed: $(cat "$T/client.out")"
	t_wait 4 absent "$src" && t_ok "$msg: dropped after logout" ||
	    t_fail "$msg: $src still authorized after logout"
}

login_seen pop3 10.1.2.3 alice "POP3 login in the log authorizes 10.1.2.3"
login_seen imap 2001:db8::5 bob "IMAP login in the log authorizes 2001:db8::5"

dc_login pop3 10.1.2.5 carol wrong > "$T/fail.out"
dc_login imap 10.1.2.5 carol wrong >> "$T/fail.out"
t_eq "$(grep -c 'login failed' "$T/fail.out")" 2 "two failed logins from 10.1.2.5"
t_wait 5 grep -q 'auth failed.*rip=10.1.2.5' "$DC_LOG"
sleep 0.5
absent 10.1.2.5 && t_ok "failed login lines authorize nothing" ||
    t_fail "a failed login line authorized 10.1.2.5"

# Rotation by rename: Dovecot keeps writing the renamed file until told
# to reopen; dracwatch must read both, the old one to its end.
mv "$DC_LOG" "$DC_LOG.1"
login_seen pop3 10.1.2.4 alice "after rename, before reopen (old file)"
doveadm -c "$DC/dovecot.conf" log reopen
t_wait 5 test -f "$DC_LOG" || t_fail "dovecot did not reopen its log"
login_seen pop3 10.1.2.6 carol "after rename and reopen (new file)"
t_match "was replaced" "$(watchlog)" "dracwatch noticed the new file"

# copytruncate: the same file, cut back to nothing.
cp "$DC_LOG" "$DC_LOG.2"
: > "$DC_LOG"
sleep 0.3
login_seen imap 10.1.2.7 alice "after copytruncate"
t_match "was truncated" "$(watchlog)" "dracwatch noticed the truncation"

# rpc.dracd away: logins are lost but reported once; back: works again.
t_dracd_stop
dc_login pop3 10.1.2.8 alice secret > /dev/null
dc_login pop3 10.1.2.8 bob secret > /dev/null
t_wait 5 grep -q 'add 10.1.2.8 failed' "$T/watch.log"
sleep 0.5
t_eq "$(grep -c 'failed' "$T/watch.log")" 1 "rpc.dracd down: one failure logged for two logins"
t_dracd
login_seen pop3 10.1.2.9 carol "rpc.dracd back: the next login is authorized"
t_match "answers again" "$(watchlog)" "recovery is logged"

# SIGHUP with a broken file keeps the patterns in use.
echo 'allow broken %a' > "$T/watch.conf"
kill -HUP "$WPID"
t_wait 5 grep -q 'keeping the patterns' "$T/watch.log"
t_match "watch.conf:1: unknown action" "$(watchlog)" "reload error names FILE:LINE"
echo "Nov 24 12:00:00 mail relayd: ok user zed from 10.1.2.3" >> "$DC_LOG"
t_wait 4 query 10.1.2.3 && t_match 'user zed' "$(query 10.1.2.3)" \
    "the old patterns still work after a failed reload" ||
    t_fail "custom pattern lost after a failed reload"

kill -TERM "$WPID"
t_wait 5 sh -c "! kill -0 $WPID" || t_fail "dracwatch ignored SIGTERM"
wait "$WPID"
t_eq "$?" 0 "dracwatch exits 0 on SIGTERM"

# Standard input: reads to the end, sends, exits 0.
printf 'login, user=stdin1, client=::ffff:10.1.2.4\n' |
    "$W" -d -s 127.0.0.1 -p qmail > "$T/stdin.log" 2>&1
t_eq "$?" 0 "dracwatch on standard input exits 0 at its end"
t_match '^10\.1\.2\.4 expires .* user stdin1' "$(query 10.1.2.4)" \
    "standard input: IPv4-mapped address authorized as 10.1.2.4"

dc_stop
[ "$T_FAIL" -eq 0 ] || { echo "--- watch.log"; cat "$T/watch.log"; }
t_done
