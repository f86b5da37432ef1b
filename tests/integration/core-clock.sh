#!/bin/bash
# core-clock.sh: rpc.dracd while its wall clock steps, as NTP or an
# administrator may step it.  libfaketime moves the daemon's
# CLOCK_REALTIME only.  Expiry times follow the wall clock, as the MTAs
# do; the flush interval (-s) and the time a TCP caller has to send its
# request (-T) follow the monotonic clock.  So a step back by an hour
# must not hold the next fdatasync back by an hour, and a step forward
# must not cut a caller short, yet does expire what is then past its
# time.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
t_init
rr_start
PORT=7321

# The daemon's wall clock: the real one moved by what OFFSET says.
OFFSET=$T/clock.offset
echo +0 > "$OFFSET"
step() { echo "$1" > "$OFFSET"; }
wallclock=$(t_wallclock_env "$OFFSET") || { t_done; exit 1; }

printf '127.0.0.0/8\n::1/128\n' > "$T/dracd.allow"
# shellcheck disable=SC2086 # one word per assignment
env $wallclock "$DRACD" -d -s 1 -a "$T/dracd.allow" -P "$T/dracd.pid" \
    -p $PORT "$T/dracd.db" >> "$T/dracd.log" 2>&1 &
DRACD_PID=$!
T_PIDS="$T_PIDS $DRACD_PID"
if ! t_wait 20 t_alive_and t_answers $PORT; then
	t_fail "rpc.dracd did not start under libfaketime"
	cat "$T/dracd.log"
	t_done
	exit 1
fi

# Every fdatasync of the daemon's threads, one line each.
strace -f -qq -e trace=fdatasync -o "$T/flushes" -p "$DRACD_PID" &
STRACE_PID=$!
T_PIDS="$T_PIDS $STRACE_PID"
t_wait 5 test -e "$T/flushes"
flushes() { grep -c fdatasync "$T/flushes"; }
more_flushes() { [ "$(flushes)" -gt "$1" ]; }

expires_of() { field expires "$(rr -p $PORT add "$1")"; }

now=$(date +%s)
e=$(expires_of 10.1.0.1)
t_range "$e" $((now + 1800)) $((now + 1802)) "no step: an ADD expires 30 min from now"
t_wait 5 more_flushes 0
n=$(flushes)
t_range "$n" 1 1000 "no step: the ADD is flushed (fdatasync)"

# ---- a step back by an hour ----------------------------------------------
step -1h
sleep 0.2
now=$(date +%s)
e=$(expires_of 10.1.0.2)
t_range "$e" $((now - 1800 - 1)) $((now - 1800 + 2)) "an hour back: the expiry follows the wall clock"
if t_wait 4 more_flushes "$n"; then
	t_ok "an hour back: the next ADD is flushed within the -s 1 interval"
else
	t_fail "an hour back: no fdatasync within 4 s of an ADD ($(flushes) in all)"
fi
t_eq "$(map_keys | tr '\n' ' ')" "10.1.0.1 10.1.0.2 " "an hour back: both entries are in the map"

# ---- a step forward, while a TCP caller is half way through a call -------
# The record mark promises 100 bytes; 4 come.  -T gives the caller 30 s.
"$PYTHON" - "$PORT" "$OFFSET" > "$T/tcp.out" <<'PY'
import socket, struct, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
s.sendall(struct.pack(">I", 0x80000000 | 100) + b"\0\0\0\1")
time.sleep(0.3)
with open(sys.argv[2], "w") as f:
    f.write("+1h\n")
s.settimeout(2.5)
try:
    print("closed" if s.recv(64) == b"" else "answered")
except socket.timeout:
    print("open")
PY
t_eq "$(cat "$T/tcp.out")" open "two hours forward: a caller inside its 30 s is not cut off"

# Both entries expire within the hour now past (real time + 1800 and
# - 1800): they leave the map.
if t_wait 4 sh -c "[ -z \"\$(flock -s '$T/dracd.db' db5.3_dump -p '$T/dracd.db' | grep '^ 10\.1\.0\.')\" ]"; then
	t_ok "two hours forward: the entries now past their time leave the map"
else
	t_fail "two hours forward: still in the map: $(map_keys | tr '\n' ' ')"
fi
t_range "$(counter expired)" 2 2 "two hours forward: both counted as expired"
t_alive "the daemon still answers after the steps"
# Detached first: LeakSanitizer cannot check a traced process at exit.
kill "$STRACE_PID"
wait "$STRACE_PID" 2>/dev/null
t_dracd_stop
t_done
