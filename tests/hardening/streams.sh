#!/bin/bash
# Hostile streams cannot stall anyone: 1100 idle TCP connections, a
# 2 GiB record mark and a trickler, while UDP and a fresh TCP client are
# served, the CPU stays idle and descriptors and memory stay bounded.
. "$DRAC_TOP/tests/lib.sh"
t_init
t_rpcbind
t_dracd -p 9700 -T 4
H="python3 $DRAC_TOP/tests/hardening/hclient.py"
ulimit -n 4096
base_fds=$(ls /proc/$DRACD_PID/fd | wc -l)

$H idle 9700 1100 40 > "$T/idle.out" &
idle=$!
$H bigmark 9700 40 &
bigmark=$!
$H trickle 9700 12 > "$T/trickle.out" &
trickle=$!
t_wait 30 test -s "$T/idle.out" || t_fail "idle connections not opened in 30 s"
t_eq "$(cat "$T/idle.out")" 1100 "1100 idle connections opened"

t_eq "$($H v1 9700 10.1.2.3)" 0 "UDP ADD answered under the stream load"
t_eq "$($H tcpadd 9700 10.1.2.4)" 0 "a new TCP client is answered"
t_match '^10\.1\.2\.3 ' "$(t_dump)" "the UDP ADD is in the map"
fds=$(ls /proc/$DRACD_PID/fd | wc -l)
[ "$fds" -le $((base_fds + 128)) ] && t_ok "descriptors bounded ($fds)" ||
	t_fail "descriptors: $fds, more than $base_fds + 128"
rss=$(awk '/^VmRSS/ { print $2 }' /proc/$DRACD_PID/status)
[ "$rss" -lt 65536 ] && t_ok "RSS bounded (${rss} kB)" || t_fail "RSS ${rss} kB"

# Nobody sends now: the daemon must not spin.
ticks() { awk '{ print $14 + $15 }' /proc/$DRACD_PID/stat; }
before=$(ticks); sleep 2; after=$(ticks)
[ $((after - before)) -le 5 ] && t_ok "idle CPU: $((after - before)) ticks in 2 s" ||
	t_fail "daemon used $((after - before)) ticks in 2 s while idle"

wait $trickle
t_match 'closed by server' "$(cat "$T/trickle.out")" "the trickler is cut off at -T"
kill $idle $bigmark 2>/dev/null; wait $idle $bigmark 2>/dev/null
t_wait 6 sh -c "[ \$(ls /proc/$DRACD_PID/fd | wc -l) -le $base_fds ]" &&
	t_ok "no descriptor leaks after the clients left" ||
	t_fail "descriptors after: $(ls /proc/$DRACD_PID/fd | wc -l), before: $base_fds"
t_match 'oversized|malformed|closing the oldest' "$(cat "$T/dracd.log")" "stream refusals are logged"
t_dracd_stop
t_done
