#!/bin/bash
# lib-timeout.sh: a dead or hung server costs a POP login at most the
# library's timeout (plus 1 s of slack here), through both APIs and
# dracauth(1): daemon stopped (SIGSTOP: no answer at all), daemon gone
# (SIGTERM: unregistered; SIGKILL: registration left behind), rpcbind
# hung.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/lib-util.sh"
l_init
t_rpcbind
RPCBIND_PID=${T_PIDS##* }
t_dracd

# cli_ms ARG...: run dracauth; wall time in $MS, status in $RC, stderr in $E.
cli_ms() {
	local t0
	t0=$(now_ms)
	"$DRACAUTH" "$@" >/dev/null 2>"$T/err"; RC=$?
	MS=$(( $(now_ms) - t0 ))
	E=$(cat "$T/err")
}

lc add 10.7.0.1
t_eq "$(f rc)" 0 "daemon up: add works"

# ---- hung daemon: no reply at all ----
kill -STOP "$DRACD_PID"
lc auth 10.7.1.1
t_eq "$(f rc)" -2 "hung daemon: dracauth returns -2"
t_match '^localhost: RPC: Timed out$' "$(f msg)" "hung daemon: dracauth message"
in_range "$(f ms)" 1400 2500 "hung daemon: dracauth takes the default 1500 ms, not 25 s"
lc -T 300 add 10.7.1.2
t_eq "$(f rc)" -2 "hung daemon: drac_add -T 300 returns DRAC_ECALL"
in_range "$(f ms)" 250 1300 "hung daemon: drac_add bounded by 300 ms"
lc -T 400 query 10.7.1.2
t_eq "$(f rc)" -2 "hung daemon: drac_query -T 400 returns DRAC_ECALL"
in_range "$(f ms)" 350 1400 "hung daemon: drac_query bounded by 400 ms"
lc -P -T 500 add 10.7.1.3
t_eq "$(f rc)" -2 "hung daemon over TCP: DRAC_ECALL"
in_range "$(f ms)" 450 1500 "hung daemon over TCP: bounded by 500 ms"
lc -T 600 -s "localhost,127.0.0.1:9,[::1]:9" add 10.7.1.4
t_eq "$(f rc)" -2 "three servers, one hung, two dead: DRAC_ECALL"
in_range "$(f ms)" 150 1600 "three servers: the whole call bounded by 600 ms"
t_match '^localhost: RPC: Timed out; 127\.0\.0\.1:9: .*refused; \[::1\]:9: .*refused$' "$(f msg)" "three servers: each named"
lc -T 600 -s "127.0.0.1:9,localhost" client add:10.7.1.5 add:10.7.1.6
t_eq "$(printf '%s\n' "$OUT" | sed -n 's/^ms=//p' | awk '$1 > 1600' | wc -l)" 0 "kept client: new and each call bounded by 600 ms"
cli_ms -T 500 10.7.1.7
t_eq "$RC" 1 "hung daemon: dracauth(1) -T 500 exits 1"
in_range "$MS" 450 1500 "hung daemon: dracauth(1) -T 500 within 1.5 s"
t_eq "$E" "dracauth: 10.7.1.7: localhost: RPC: Timed out" "hung daemon: dracauth(1) message"
cli_ms -q 10.7.0.1
t_eq "$RC" 1 "hung daemon: dracauth -q exits 1"
in_range "$MS" 1400 2500 "hung daemon: dracauth(1) default timeout 1.5 s"
kill -CONT "$DRACD_PID"
t_wait 5 sh -c "'$LIBCALL' add 10.7.2.1 | grep -qx rc=0" || t_fail "SIGCONT: daemon answers again"
lc query 10.7.2.1
t_eq "$(f rc)" 0 "daemon resumed: query works"

# ---- daemon restarted under a kept client: it reconnects by itself ----
for proto in "" -P; do
	name=${proto:+TCP}
	name=${name:-UDP}
	"$LIBCALL" $proto client add:10.7.2.2 sleep:4000 add:10.7.2.3 > "$T/kept.out" 2>&1 &
	kept=$!
	t_wait 5 sh -c "'$LIBCALL' query 10.7.2.2 | grep -qx rc=0" ||
	    t_fail "$name kept client: first add did not arrive"
	t_dracd_stop
	rm -f "$T"/dracd.db*	# a fresh map: persistence is not tested here
	t_dracd
	wait "$kept"
	t_eq "$?" 0 "$name kept client survives the restart (no SIGPIPE)"
	t_eq "$(sed -n 's/^rc=//p' "$T/kept.out" | tr '\n' ' ')" "0 0 0 " "$name kept client: the add after the restart succeeds"
	t_present "$(mapval 10.7.2.3)" "$name kept client: the new daemon has it"
done

# ---- daemon gone, unregistered ----
t_dracd_stop
lc auth 10.7.3.1
t_eq "$(f rc) $(f msg)" "-1 localhost: RPC: Program not registered" "daemon stopped: dracauth -1, not registered"
in_range "$(f ms)" 0 1000 "daemon stopped: answer at once"
lc add 10.7.3.1
t_eq "$(f rc)" -1 "daemon stopped: drac_add DRAC_ENOCLIENT"
cli_ms 10.7.3.1
t_eq "$RC" 1 "daemon stopped: dracauth(1) exits 1"
in_range "$MS" 0 1500 "daemon stopped: dracauth(1) at once"
t_eq "$E" "dracauth: localhost: RPC: Program not registered" "daemon stopped: dracauth(1) message"

# ---- daemon killed: rpcbind still points at its ports ----
rm -f "$T"/dracd.db*	# a fresh map: persistence is not tested here
t_dracd
kill -KILL "$DRACD_PID"
wait "$DRACD_PID" 2>/dev/null
lc -s 127.0.0.1 auth 10.7.4.1
t_eq "$(f rc)" -2 "daemon killed (IPv4): dracauth -2"
t_match 'refused' "$(f msg)" "daemon killed (IPv4): connection refused"
in_range "$(f ms)" 0 1000 "daemon killed (IPv4): at once"
lc -s ::1 add 10.7.4.2
t_eq "$(f rc)" -2 "daemon killed (IPv6): DRAC_ECALL"
in_range "$(f ms)" 0 1000 "daemon killed (IPv6): at once"
lc -P add 10.7.4.3
t_eq "$(f rc)" -1 "daemon killed, TCP: connect refused, DRAC_ENOCLIENT"
in_range "$(f ms)" 0 1000 "daemon killed, TCP: at once"

# ---- rpcbind hung ----
kill -STOP "$RPCBIND_PID"
lc auth 10.7.5.1
t_eq "$(f rc)" -1 "rpcbind hung: dracauth -1 (no client)"
in_range "$(f ms)" 1400 2500 "rpcbind hung: dracauth bounded by 1.5 s"
lc -T 500 -s 127.0.0.1 add 10.7.5.2
t_eq "$(f rc)" -1 "rpcbind hung: drac_add DRAC_ENOCLIENT"
t_match '^127\.0\.0\.1: rpcbind: RPC: Timed out$' "$(f msg)" "rpcbind hung: says rpcbind timed out"
in_range "$(f ms)" 450 1500 "rpcbind hung: lookup bounded by 500 ms"
cli_ms -s 127.0.0.1 10.7.5.3
t_eq "$RC" 1 "rpcbind hung: dracauth(1) exits 1"
in_range "$MS" 1400 2500 "rpcbind hung: dracauth(1) within its 1.5 s"
kill -CONT "$RPCBIND_PID"
l_done
