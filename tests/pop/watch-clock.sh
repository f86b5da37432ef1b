#!/bin/bash
# watch-clock.sh: dracwatch while its wall clock jumps (libfaketime moves
# CLOCK_REALTIME alone).  After a rotation by rename it reads the old
# file until that has been quiet for 10 s of the monotonic clock, since
# the program writing it may not have reopened its log yet: a step of
# the wall clock an hour forward must not end that early.
. "$DRAC_TOP/tests/lib.sh"
t_init "$@"
W=$DRAC_BUILD/watch/dracwatch
t_rpcbind
t_dracd
query() { "$DRACAUTH" -s 127.0.0.1 -T 2000 -q "$1" >/dev/null 2>&1; }
login() { echo "Nov 24 12:00:00 mail relayd: ok user $1 from $2" >> "$3"; }

LOG=$T/mail.log
: > "$LOG"
echo 'add relay %Hrelayd: ok user %u from %a$' > "$T/watch.conf"
echo +0 > "$T/clock.offset"
wallclock=$(t_wallclock_env "$T/clock.offset") || { t_done; exit 1; }
# shellcheck disable=SC2086 # one word per assignment
env $wallclock "$W" -d -i 50 -T 1000 -s 127.0.0.1 -f "$T/watch.conf" \
    "$LOG" > "$T/watch.log" 2>&1 &
WPID=$!
T_PIDS="$T_PIDS $WPID"
t_wait 5 grep -q following "$T/watch.log" || t_fail "dracwatch did not start"

login alice 10.1.2.3 "$LOG"
t_wait 5 query 10.1.2.3 && t_ok "a login line authorizes" ||
	t_fail "10.1.2.3 not authorized"

mv "$LOG" "$LOG.1"
: > "$LOG"
t_wait 5 grep -q 'was replaced' "$T/watch.log" ||
	t_fail "dracwatch did not notice the rename"
echo +1h > "$T/clock.offset"
sleep 1		# twenty turns of its loop
login bob 10.1.2.4 "$LOG.1"
if t_wait 5 query 10.1.2.4; then
	t_ok "an hour forward: a line in the renamed file 1 s later is read"
else
	t_fail "an hour forward: the renamed file was let go at once"
fi
login carol 10.1.2.5 "$LOG"
t_wait 5 query 10.1.2.5 && t_ok "and the new file is read" ||
	t_fail "10.1.2.5 from the new file not authorized"

kill -TERM "$WPID"
t_wait 5 sh -c "! kill -0 $WPID" || kill -KILL "$WPID"
wait "$WPID"
t_eq "$?" 0 "dracwatch exits 0 on SIGTERM"
t_dracd_stop
t_done
