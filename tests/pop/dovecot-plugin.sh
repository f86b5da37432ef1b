#!/bin/bash
# The Dovecot plugin inside a real Dovecot 2.3 (POP3 and IMAP, passwd-file
# users), talking to the real rpc.dracd through rpcbind.  Clients connect
# from addresses put on the namespace's loopback.  Not under ASan: the
# plugin is loaded into Dovecot's own, uninstrumented processes.
. "$DRAC_TOP/tests/lib.sh"
t_init "$@"
. "$DRAC_TOP/tests/pop/dovecot.lib.sh"

t_addr 10.1.2.3 10.1.2.4 10.1.2.5 10.1.2.6 2001:db8::5
t_rpcbind
t_dracd

DC_PLUGIN_CONF='  drac_ttl = 2s
  drac_refresh = 600ms
  drac_drop_on_logout = yes
  drac_timeout = 500ms'
dc_start plugin

query() { "$DRACAUTH" -s 127.0.0.1 -T 2000 -q "$1" 2>/dev/null; }
absent() { ! query "$1"; }
# The expiry rpc.dracd reports, as epoch seconds (empty if unknown); the
# map file itself is read with t_dump only where no refresh is writing it.
expiry() {
	local e
	e=$(printf '%s\n' "$1" | sed -n 's/^[^ ]* expires \(.*\) ([0-9]* s left).*/\1/p')
	[ -n "$e" ] && date -d "$e" +%s
}
in_map() { t_dump | awk -v k="$1" '$1 == k { print $2 }'; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# --- a POP3 login authorizes its address, with the user ------------------
dc_login pop3 10.1.2.3 alice secret 1.5 > "$T/c1.out" &
c1=$!
if t_wait 3 query 10.1.2.3; then
	t_match '^10\.1\.2\.3 expires .* user alice how v3 ttl 2$' \
	    "$(query 10.1.2.3)" "POP3 login from 10.1.2.3: authorized, user alice, TTL 2"
	t_match '^[0-9]+$' "$(in_map 10.1.2.3)" "10.1.2.3 is a key of the map file"
else
	t_fail "POP3 login from 10.1.2.3: not authorized within 3 s"
fi
wait "$c1"; t_eq "$? $(head -n1 "$T/c1.out")" "0 login ok" "POP3 login succeeded"
t_wait 3 absent 10.1.2.3 && t_ok "logout dropped 10.1.2.3 (drac_drop_on_logout)" ||
    t_fail "10.1.2.3 still authorized after logout"

# --- an IMAP session held past one TTL stays authorized -------------------
dc_login imap 2001:db8::5 alice secret 5 > "$T/c2.out" &
c2=$!
t_wait 3 query 2001:db8::5 || t_fail "IMAP login from 2001:db8::5: not authorized"
e1=$(expiry "$(query 2001:db8::5)")
sleep 3.2
q=$(query 2001:db8::5)
t_match '^2001:db8::5 expires .* user alice how v3' "$q" \
    "IMAP session open 3.2 s with TTL 2 s: 2001:db8::5 still authorized"
e2=$(expiry "$q")
t_eq "$([ -n "$e1" ] && [ -n "$e2" ] && [ "$e2" -gt "$e1" ] && echo later)" later \
    "the refresh moved the expiry forward ($e1 -> $e2)"
t_eq "$([ -n "$e2" ] && [ "$e2" -gt "$(date +%s)" ] && echo future)" future \
    "the expiry is still ahead"
wait "$c2"; t_eq "$? $(head -n1 "$T/c2.out")" "0 login ok" "IMAP login succeeded"
t_wait 3 absent 2001:db8::5 && t_ok "IMAP logout dropped 2001:db8::5" ||
    t_fail "2001:db8::5 still authorized after logout"

# --- without drop on logout (bob's userdb entry), the entry runs out ------
dc_login pop3 10.1.2.4 bob secret > "$T/c3.out"
t_eq "$? $(head -n1 "$T/c3.out")" "0 login ok" "bob's POP3 login succeeded"
t_match '^10\.1\.2\.4 expires .* user bob' "$(query 10.1.2.4)" \
    "bob (drac_drop_on_logout=no from userdb): still authorized after logout"
sleep 2
t_wait 3 absent 10.1.2.4 && t_ok "no refresh after logout: 10.1.2.4 expired after its TTL" ||
    t_fail "10.1.2.4 still authorized 5 s after logout (refresh timer left running?)"

# --- a failed login authorizes nothing -----------------------------------
dc_login pop3 10.1.2.5 carol wrong > "$T/c4.out"
t_eq "$? $(cut -c1-12 "$T/c4.out")" "1 login failed" "wrong password: POP3 login refused"
dc_login imap 10.1.2.5 carol wrong > "$T/c5.out"
t_eq "$? $(cut -c1-12 "$T/c5.out")" "1 login failed" "wrong password: IMAP login refused"
sleep 0.5
t_eq "$(in_map 10.1.2.5)" "" "failed logins from 10.1.2.5: not in the map"
absent 10.1.2.5 && t_ok "failed logins: 10.1.2.5 unknown to rpc.dracd" ||
    t_fail "a failed login authorized 10.1.2.5"

# --- an unusable setting: logged, plugin off for the session, login fine -
dc_login pop3 10.1.2.6 dave secret > "$T/c9.out"
t_eq "$? $(head -n1 "$T/c9.out")" "0 login ok" "bad drac_ttl from the userdb: login still succeeds"
t_match 'pop3\(dave\).*Error: drac: drac_ttl=forever: ' "$(cat "$DC_LOG")" \
    "bad drac_ttl: the error names the setting and the value"
absent 10.1.2.6 && t_ok "bad drac_ttl: nothing authorized" ||
    t_fail "bad drac_ttl: 10.1.2.6 authorized anyway"

# --- no remote address (doveadm): nothing happens, nothing breaks ---------
doveadm -c "$DC/dovecot.conf" mailbox list -u alice > "$T/doveadm.out" 2>&1
t_eq "$?" 0 "doveadm with the plugin loaded works"
absent 127.0.0.1 && t_ok "doveadm session authorized nothing" ||
    t_fail "doveadm session authorized 127.0.0.1"

# --- rpc.dracd hung (SIGSTOP): logins still go through, quickly -----------
: > "$T/mark"
kill -STOP "$DRACD_PID"
start=$(now_ms)
dc_login pop3 10.1.2.6 alice secret > "$T/c6.out"
rc=$?; took=$(( $(now_ms) - start ))
t_eq "$rc $(head -n1 "$T/c6.out")" "0 login ok" "rpc.dracd stopped: POP3 login still succeeds"
t_eq "$([ "$took" -lt 3000 ] && echo fast)" fast \
    "rpc.dracd stopped: login and logout took $took ms (< 3000, timeout 500 ms)"
dc_login imap 10.1.2.3 carol secret 2.5 > "$T/c7.out"
t_eq "$? $(head -n1 "$T/c7.out")" "0 login ok" "rpc.dracd stopped: 2.5 s IMAP session works"
kill -CONT "$DRACD_PID"
n=$(grep -c 'drac: add 10\.1\.2\.3 via .* failed' "$DC_LOG")
t_eq "$n" 1 "failed refreshes of one session are logged once"
t_match 'drac: add 10\.1\.2\.6 via localhost failed: .*\(logged once\)' \
    "$(grep 'drac: add 10.1.2.6' "$DC_LOG")" "the failure names address, server and reason"

# --- rpc.dracd gone: login still succeeds quickly ------------------------
t_dracd_stop
start=$(now_ms)
dc_login pop3 10.1.2.6 alice secret > "$T/c8.out"
rc=$?; took=$(( $(now_ms) - start ))
t_eq "$rc $(head -n1 "$T/c8.out")" "0 login ok" "rpc.dracd not running: POP3 login succeeds"
t_eq "$([ "$took" -lt 3000 ] && echo fast)" fast \
    "rpc.dracd not running: login took $took ms (< 3000)"

dc_stop
t_eq "$(grep -ciE 'panic|fatal|child [0-9]+ killed with signal' "$DC_LOG")" 0 \
    "no panic, fatal error or crash in the Dovecot log"
[ "$T_FAIL" -eq 0 ] || { echo "--- dovecot.log"; tail -n 40 "$DC_LOG"; }
t_done
