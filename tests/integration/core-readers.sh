#!/bin/bash
# core-readers.sh: MTAs reading the map while ADDs never stop.  The daemon
# keeps the map's locks over bursts of calls; a reader taking a shared
# flock (Postfix) or fcntl lock (sendmail) must still get its turn
# quickly, find a sound map under the lock, and every acknowledged ADD
# must be in it.  The flushes meanwhile run in a thread of their own.
# Each change moves the map's mtime, which such readers watch.  The
# locks go as soon as no call waits, not by a timer.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
t_init
PORT=7301
# The load generator of bench/ (the subject here is the daemon).
LOAD=$DRAC_BUILD/bench/dracbench
[ -x "$LOAD" ] || LOAD=${DRAC_BUILD%-san}/bench/dracbench
[ -x "$LOAD" ] || { t_fail "no $LOAD: make bench-progs"; t_done; exit 1; }

t_dracd -p $PORT
"$LOAD" -p $PORT -c 2 -d 4 -w 0 -P v1 -o 1000 > "$T/load.out" 2>&1 &
load=$!
sleep 0.5
# 40 turns of each lock, 20 ms apart; a dump under each flock.
"$PYTHON" - "$T/dracd.db" > "$T/readers.out" <<'PY'
import fcntl, os, struct, subprocess, sys, time
path = sys.argv[1]
fd = os.open(path, os.O_RDONLY)
rd = struct.pack("hhqqi", fcntl.F_RDLCK, 0, 0, 0, 0)
un = struct.pack("hhqqi", fcntl.F_UNLCK, 0, 0, 0, 0)
waits = {"flock": [], "fcntl": []}
bad = 0
for _ in range(40):
    t = time.monotonic()
    fcntl.flock(fd, fcntl.LOCK_SH)
    waits["flock"].append(time.monotonic() - t)
    r = subprocess.run(["db5.3_dump", path], capture_output=True)
    bad += r.returncode != 0 or not r.stdout.endswith(b"DATA=END\n")
    fcntl.flock(fd, fcntl.LOCK_UN)
    t = time.monotonic()
    fcntl.fcntl(fd, fcntl.F_SETLKW, rd)
    waits["fcntl"].append(time.monotonic() - t)
    fcntl.fcntl(fd, fcntl.F_SETLK, un)
    time.sleep(0.02)
for k, v in waits.items():
    print("%s_max_ms=%d" % (k, max(v) * 1000))
print("bad_dumps=%d" % bad)
PY
wait $load
cat "$T/readers.out" "$T/load.out"
r=$(cat "$T/readers.out")
calls=$(sed -n 's/.* calls=\([0-9]*\) .*/\1/p' "$T/load.out")
t_eq "$(sed -n 's/.* errors=\([0-9]*\) .*/\1/p' "$T/load.out")" 0 "4 s of ADDs from 2 clients: no errors"
t_present "$calls" "the load ran"
# A lock is held 10 ms at most; a reader waiting far longer is starved.
for l in flock fcntl; do
	w=$(field ${l}_max_ms "$r")
	if [ -n "$w" ] && [ "$w" -lt 250 ]; then
		t_ok "$l reader under load: longest wait $w ms"
	else
		t_fail "$l reader under load: longest wait '$w' ms"
	fi
done
t_eq "$(field bad_dumps "$r")" 0 "40 dumps under the shared lock: all complete"
t_eq "$(t_dump | grep -c '^10\.')" "$calls" "every acknowledged ADD is in the map"
# The batched fdatasync (-s, 1 s by default) ran in a thread of its own.
t_eq "$(ls /proc/$DRACD_PID/task | wc -l)" 2 "the flush runs in a second thread"
t_dracd_stop

# A process that keeps the map open (sendmail, a Postfix smtpd between
# sessions) reads it afresh once its mtime has passed the second it
# knows (../shared/REFERENCE.md).  So an ADD must leave the mtime at
# least at its own second, as a write() does; also the ADDs that copy
# into a page still dirty from the ones before (from the third write of
# a page, daemon/mapwrite.c), which alone moves the mtime only when it
# dirties a clean page.  -s 60: no flush cleans the page meanwhile.
t_dracd -p $PORT -s 60
late=""
for i in 1 2 3 4 5; do
	sleep 1
	s=$(date +%s)
	rr -p $PORT add 10.99.0.$i > /dev/null
	m=$(stat -c %Y "$T/dracd.db")
	[ "$m" -ge "$s" ] || late="$late 10.99.0.$i:$m<$s"
done
t_eq "$late" "" "each ADD moves the map's mtime to its second"
t_eq "$(map_value 10.99.0.5 | grep -c .)" 1 "the last one is in the map"

# Once no call waits, the locks go at once: after an ADD the loop polls
# without waiting, unlocks, and only then waits for work.  (It kept them
# a millisecond more, with a poll timeout of 1 ms, before.)
strace -qq -e trace=poll,flock -o "$T/locks" -p "$DRACD_PID" &
st=$!
t_wait 10 grep -q '^poll' "$T/locks" 2>/dev/null || sleep 0.5
rr -p $PORT add 10.99.1.1 > /dev/null
sleep 0.3
kill "$st"; wait "$st" 2>/dev/null
before_unlock=$(grep -B1 'LOCK_UN' "$T/locks" | head -n 1)
t_match 'LOCK_EX' "$(cat "$T/locks")" "the ADD took the locks"
t_match '^poll\(.*, 0\) += 0' "$before_unlock" \
    "they went after a poll that did not wait: $before_unlock"
t_nomatch '^poll\(.*, 1\) ' "$(cat "$T/locks")" "no 1 ms poll timeout"
t_dracd_stop
t_done
