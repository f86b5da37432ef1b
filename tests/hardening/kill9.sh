#!/bin/bash
# kill -9 under load, 20 times: every ADD acknowledged before a kill is in
# the map after the restart, and the files are sound every time: the
# map verifies (the daemon repairs a damaged one at start and says so),
# and dracdb reads the state file without damage.
. "$DRAC_TOP/tests/lib.sh"
t_init
t_rpcbind
H="python3 $DRAC_TOP/tests/hardening/hclient.py"
: > "$T/acked"
lost=0; bad=0
for i in $(seq 1 20); do
	t_dracd -p 9701 -s 60 >/dev/null
	$H v1loop 9701 "$T/acked" 3 &
	loader=$!
	sleep 0.$((RANDOM % 7 + 3))
	kill -KILL "$DRACD_PID"
	wait "$DRACD_PID" 2>/dev/null
	kill "$loader" 2>/dev/null; wait "$loader" 2>/dev/null
	t_dracd -p 9701 -s 60 >/dev/null
	kill -KILL "$DRACD_PID"; wait "$DRACD_PID" 2>/dev/null
	db5.3_verify -q "$T/dracd.db" &&
	    "$DRAC_BUILD/admin/dracdb" -f "$T/dracd.db" >/dev/null || bad=$((bad + 1))
	t_dump | cut -d' ' -f1 | sort > "$T/have"
	sort -u "$T/acked" > "$T/want"
	missing=$(comm -23 "$T/want" "$T/have" | wc -l)
	lost=$((lost + missing))
done
t_eq "$lost" 0 "no acknowledged ADD lost over 20 kills ($(wc -l < "$T/want") acknowledged)"
t_eq "$bad" 0 "map and state verify clean after every restart"
t_dracd -p 9701
t_dracd_stop
t_done
