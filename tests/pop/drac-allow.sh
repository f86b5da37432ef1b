#!/bin/bash
# drac-allow inside a real tcpserver (ucspi-tcp) chain: a stand-in
# qmail-popup/checkpassword (qpop-popup.sh) runs drac-allow after a good
# password, drac-allow runs a stand-in qmail-pop3d (qpop-pop3d.sh).  The
# connecting address is authorized with the user; the session goes on
# when rpc.dracd hangs or is gone.
. "$DRAC_TOP/tests/lib.sh"
t_init "$@"

ALLOW=$DRAC_BUILD/tools/drac-allow
P=$DRAC_TOP/tests/pop
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
t_addr 10.1.2.3 10.1.2.4 10.1.2.5 10.1.2.6
t_rpcbind
t_dracd

printf 'alice:secret\nbob:hunter2\n' > "$T/passwords"
query() { "$DRACAUTH" -s 127.0.0.1 -T 2000 -q "$1" 2>/dev/null; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
pop() {	# pop SRC USER PASS
	"$PY" "$P/mailclient.py" pop3 --port 1110 --src "$1" "$2" "$3"
}

tcpserver -q -R -H -l mta.test.invalid 0 1110 \
    bash "$P/qpop-popup.sh" "$T/passwords" \
    "$ALLOW" -s 127.0.0.1 -T 300 -t 120 bash "$P/qpop-pop3d.sh" ./Maildir/ \
    2>>"$T/tcpserver.log" &
T_PIDS="$T_PIDS $!"
t_wait 5 bash -c '(exec 3<>/dev/tcp/127.0.0.1/1110)' || t_fail "tcpserver did not start"

out=$(pop 10.1.2.3 alice secret); rc=$?
t_eq "$rc" 0 "POP3 login through tcpserver from 10.1.2.3"
t_match '^\+OK user=alice client=10\.1\.2\.3 args=\./Maildir/$' "$(echo "$out" | sed -n 2p)" \
    "drac-allow ran the rest of the chain with its arguments"
t_match '^10\.1\.2\.3 expires .* user alice how v3 ttl 120$' "$(query 10.1.2.3)" \
    "\$TCPREMOTEIP 10.1.2.3 authorized with \$USER alice and -t 120"

out=$(pop 10.1.2.4 bob wrong); rc=$?
t_eq "$rc" 1 "wrong password refused by the stand-in checkpassword"
query 10.1.2.4 >/dev/null && t_fail "failed login authorized 10.1.2.4" ||
    t_ok "failed login: drac-allow never ran, 10.1.2.4 not authorized"

kill -STOP "$DRACD_PID"
start=$(now_ms)
out=$(pop 10.1.2.5 bob hunter2); rc=$?
took=$(( $(now_ms) - start ))
kill -CONT "$DRACD_PID"
t_eq "$rc" 0 "rpc.dracd hung: the POP session still goes on"
t_eq "$([ "$took" -lt 2000 ] && echo fast)" fast "rpc.dracd hung: login took $took ms (-T 300)"
t_match 'drac-allow: 10\.1\.2\.5 not authorized: ' "$(cat "$T/tcpserver.log")" \
    "the failure is reported on stderr (tcpserver's log)"

t_dracd_stop
out=$(pop 10.1.2.6 alice secret); rc=$?
t_eq "$rc" 0 "rpc.dracd gone: the POP session still goes on"

# Outside tcpserver: no TCPREMOTEIP, or no USER.
msg=$(env -u TCPREMOTEIP "$ALLOW" -s 127.0.0.1 echo ran 2>&1)
t_eq "$msg" "drac-allow: TCPREMOTEIP is not set (not run by tcpserver?): nothing authorized
ran" "no \$TCPREMOTEIP: says so and still runs the program"
t_dracd
env -u USER TCPREMOTEIP=2001:db8::77 "$ALLOW" -s 127.0.0.1 true
t_match '^2001:db8::77 expires .* user - how v3' "$(query 2001:db8::77)" \
    "no \$USER: the address is authorized without a user"

# Errors that stop the chain exit 111, qmail's temporary failure.
msg=$("$ALLOW" 2>&1); rc=$?
t_eq "$rc $msg" "111 usage: drac-allow [-s servers] [-T timeout] [-t ttl] program [arg ...]" \
    "no program: usage, exit 111"
msg=$("$ALLOW" -t 1x true 2>&1); rc=$?
t_match '^111 drac-allow: -t 1x: want a number' "$rc $msg" "bad -t: names the flag, exit 111"
msg=$(TCPREMOTEIP=10.1.2.3 "$ALLOW" -s 127.0.0.1 "$T/no-such-program" 2>&1); rc=$?
t_match "^111 drac-allow: cannot run $T/no-such-program: No such file" "$rc $msg" \
    "a program that cannot run: exit 111"

t_dracd_stop
t_done
