#!/bin/bash
# core-lifecycle.sh: rpc.dracd over time.  Restart keeps entries, users
# and TTLs; expired entries are purged at start; -i empties the map; a
# short TTL leaves the map within 1 s; kill -9 loses no acknowledged ADD;
# SIGHUP with a good and a broken allow file; SIGUSR1; SIGTERM under load.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
core_init

# ---- restart keeps entries, users and TTL -------------------------------
t_dracd
r=$(rr add 10.1.2.3 --ttl 600 --user alice)
exp3=$(field expires "$r")
rr v1 10.1.2.4 >/dev/null
rr -H ::1 add 2001:db8::1 --ttl 900 --user bob >/dev/null
q1=$(rr query 10.1.2.3)
dump1=$(t_dump)
t_dracd_stop
t_eq "$(t_dump)" "$dump1" "map unchanged by a clean stop"
t_eq "$(test -e "$T/dracd.pid" && echo present)" "" "pid file removed at stop"

# Between runs, as makemap or DRAC 1.12 would: one live entry, one
# expired an hour ago.
now=$(date +%s)
printf '10.8.8.8\n%d\n10.9.9.9\n%d\n' $((now + 500)) $((now - 3600)) |
    db5.3_load -T -t btree "$T/dracd.db"
t_eq "$(map_value 10.9.9.9)" $((now - 3600)) "expired entry planted in the stopped map"

t_dracd
t_eq "$(map_value 10.9.9.9)" "" "entry expired before start: purged at start"
t_eq "$(map_value 10.8.8.8)" $((now + 500)) "live entry written by another tool: kept"
r=$(rr query 10.8.8.8)
t_eq "$(field status "$r") $(field expires "$r") $(field how "$r")" "0 $((now + 500)) 0" "entry from another tool: QUERY how = DRAC3_HOW_MAP"
t_eq "$(rr query 10.1.2.3)" "$q1" "restart keeps expiry, ttl, user and how of a v3 entry"
r=$(rr -H ::1 query 2001:db8::1)
t_eq "$(field user "$r") $(field ttl "$r") $(field how "$r")" "bob 900 3" "restart keeps an IPv6 entry's user and ttl"
t_eq "$(field how "$(rr query 10.1.2.4)")" 1 "restart keeps how = v1"
t_eq "$(map_value 10.1.2.3)" "$exp3" "restart keeps the map value"

# ---- one server per pid file ---------------------------------------------
out=$(timeout 10 "$DRACD" -d -a "$T/dracd.allow" -P "$T/dracd.pid" \
    "$T/other.db" 2>&1)
t_eq "$?" 1 "second server on the same pid file: exit 1"
t_match 'locked|running' "$out" "second server says another one runs"
t_eq "$(cat "$T/dracd.pid")" "$DRACD_PID" "pid file still names the first server"
t_eq "$(field addstat "$(rr v1 10.1.2.6)")" 0 "first server still registered and serving"

# ---- an acknowledged ADD survives kill -9 -------------------------------
r=$(rr add 10.1.2.5 --user dave)
exp5=$(field expires "$r")
{ kill -KILL "$DRACD_PID"; wait "$DRACD_PID"; } 2>/dev/null
t_eq "$(map_value 10.1.2.5)" "$exp5" "ADD acknowledged just before kill -9 is in the map"
t_eq "$(db5.3_verify -q "$T/dracd.db" 2>&1; echo $?)" 0 "map passes db5.3_verify after kill -9"
rm -f "$T/dracd.pid"
t_dracd
r=$(rr query 10.1.2.5)
t_eq "$(field status "$r") $(field user "$r")" "0 dave" "entry added before kill -9 keeps its user"
t_dracd_stop

# ---- -i empties the map -------------------------------------------------
t_dracd -i
t_eq "$(t_dump)" "" "-i: the map is empty at start"
t_eq "$(field status "$(rr query 10.1.2.3)")" 5 "-i: QUERY of an old entry: NOTFOUND"
t_eq "$(field counter.live "$(rr stats)")" 0 "-i: STATS live 0"

# ---- short TTL: gone from the map within 1 s of its expiry --------------
r1=$(rr add 10.1.2.20 --ttl 1)
r2=$(rr -H ::1 add 2001:db8::20 --ttl 2)
e1=$(field expires "$r1")
e2=$(field expires "$r2")
gone1="" gone2=""
for _ in $(seq 100); do	# at most 100 polls, about 5 s
	t=$(now_f)
	d=$(map_keys)
	[ -z "$gone1" ] && ! printf '%s\n' "$d" | grep -qx 10.1.2.20 && gone1=$t
	[ -z "$gone2" ] && ! printf '%s\n' "$d" | grep -qx 2001:db8::20 && gone2=$t
	[ -n "$gone1" ] && [ -n "$gone2" ] && break
	sleep 0.05
done
if [ -n "$gone1" ] && float_le "$gone1" $((e1 + 1)).05; then
	t_ok "ttl 1: left the map within 1 s of its expiry ($gone1 vs $e1)"
else
	t_fail "ttl 1: still in the map at $gone1, expiry $e1"
fi
if [ -n "$gone2" ] && float_le "$gone2" $((e2 + 1)).05; then
	t_ok "ttl 2: left the map within 1 s of its expiry ($gone2 vs $e2)"
else
	t_fail "ttl 2: still in the map at $gone2, expiry $e2"
fi
if [ -n "$gone2" ] && float_le $((e2 - 1)) "$gone2"; then
	t_ok "ttl 2: not removed early"
else
	t_fail "ttl 2: removed at $gone2, before its expiry $e2"
fi
t_eq "$(field status "$(rr query 10.1.2.20)")" 5 "expired entry: QUERY NOTFOUND"
t_eq "$(field counter.expired "$(rr stats)")" 2 "STATS expired counts both"
t_dracd_stop

# ---- SIGHUP: a good allow file, then a broken one -----------------------
printf '127.0.0.2/32\n' > "$T/dracd.allow"
t_dracd
t_eq "$(field addstat "$(rr -b 127.0.0.3 v1 10.1.2.30)")" 1 "before HUP: 127.0.0.3 is not trusted"
printf '127.0.0.2/32\n# added\n255.255.255.255 127.0.0.3\n' > "$T/dracd.allow"
kill -HUP "$DRACD_PID"
v1_ok() { rr -b "$1" v1 "$2" | grep -qx addstat=0; }
if t_wait 3 v1_ok 127.0.0.3 10.1.2.31; then
	t_ok "after HUP: 127.0.0.3 (DRAC netmask netaddr line) is trusted"
else
	t_fail "after HUP: 127.0.0.3 still refused"
fi
t_eq "$(field addstat "$(rr -b 127.0.0.1 v1 10.1.2.32)")" 1 "after HUP: 127.0.0.1 still refused"
printf '127.0.0.0/8\nnot-an-address\n10.0.0.0/33\n' > "$T/dracd.allow"
kill -HUP "$DRACD_PID"
t_wait 3 grep -q "dracd.allow:3:" "$T/dracd.log"
log=$(cat "$T/dracd.log")
t_match "$T/dracd.allow:2: " "$log" "broken allow file: line 2 reported as FILE:LINE"
t_match "$T/dracd.allow:3: " "$log" "broken allow file: line 3 reported as FILE:LINE"
t_eq "$(field addstat "$(rr -b 127.0.0.3 v1 10.1.2.33)")" 0 "broken reload: old list kept (127.0.0.3 trusted)"
t_eq "$(field addstat "$(rr -b 127.0.0.1 v1 10.1.2.34)")" 1 "broken reload: new list not used (127.0.0.1 refused)"
s=$(rr -b 127.0.0.3 stats)
t_eq "$(field counter.reloads "$s") $(field counter.reload_failures "$s")" "1 1" "STATS reloads 1, reload_failures 1"
t_alive "after a broken reload"

# ---- SIGUSR1 logs the counters ------------------------------------------
n=$(wc -l < "$T/dracd.log")
kill -USR1 "$DRACD_PID"
t_wait 3 sh -c "tail -n +$((n + 1)) '$T/dracd.log' | grep -q calls_v1_add"
t_match 'calls_v1_add=[0-9]+' "$(tail -n +$((n + 1)) "$T/dracd.log")" "SIGUSR1 logs the counters"
t_alive "after SIGUSR1"

# ---- SIGTERM under load: exit 0 within 2 s, clean up --------------------
t_eq "$(cat "$T/dracd.pid" 2>/dev/null)" "$DRACD_PID" "pid file holds the daemon's pid"
t_match 900101 "$(rpcinfo -p 127.0.0.1)" "registered with rpcbind while running"
port=$("$PYTHON" -c "
import importlib.util, sys
s = importlib.util.spec_from_file_location('r', '$RAWRPC')
r = importlib.util.module_from_spec(s); s.loader.exec_module(r)
print(r.getport('127.0.0.1', r.DRACPROG, 1))")
senders=""
for i in 1 2 3 4; do
	"$PYTHON" - "$RAWRPC" "$port" "$i" <<'EOF' &
# Sends v1 ADDs as fast as it can for at most 6 s, replies unread.
import importlib.util, socket, sys, time
spec = importlib.util.spec_from_file_location("rawrpc", sys.argv[1])
rawrpc = importlib.util.module_from_spec(spec); spec.loader.exec_module(rawrpc)
port, me = int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.3", 0))		# trusted by the list in force
s.setblocking(False)
end = time.monotonic() + 6
n = 0
while time.monotonic() < end:
    n += 1
    m = rawrpc.call_msg(n, rawrpc.DRACPROG, 1, 1,
                        rawrpc.v1_args("10.%d.%d.%d" % (100 + me, n >> 8 & 255, n & 255)))
    try:
        s.sendto(m, ("127.0.0.1", port))
        s.recv(100)
    except OSError:
        pass
EOF
	senders="$senders $!"
done
sleep 1
start=$(now_f)
kill -TERM "$DRACD_PID"
if t_wait 2 sh -c "! kill -0 $DRACD_PID"; then
	t_ok "SIGTERM under load: exited within 2 s"
else
	t_fail "SIGTERM under load: still running after 2 s"
	kill -KILL "$DRACD_PID"
fi
wait "$DRACD_PID"
t_eq "$?" 0 "SIGTERM under load: exit status 0"
for p in $senders; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
t_eq "$(test -e "$T/dracd.pid" && echo present)" "" "SIGTERM: pid file removed"
t_nomatch 900101 "$(rpcinfo -p 127.0.0.1)" "SIGTERM: rpcbind registration gone (v2 table)"
t_nomatch 900101 "$(rpcinfo 127.0.0.1)" "SIGTERM: rpcbind registration gone (udp6, tcp6)"
t_eq "$(db5.3_verify -q "$T/dracd.db" 2>&1; echo $?)" 0 "map passes db5.3_verify after SIGTERM under load"
t_match "^10\.10[1-4]\." "$(map_keys)" "the load really reached the map"

# ---- SIGINT: the same clean exit ----------------------------------------
printf '127.0.0.0/8\n' > "$T/dracd.allow"
t_dracd
kill -INT "$DRACD_PID"
t_wait 2 sh -c "! kill -0 $DRACD_PID"
wait "$DRACD_PID"
t_eq "$?" 0 "SIGINT: exit status 0"
t_eq "$(test -e "$T/dracd.pid" && echo present)" "" "SIGINT: pid file removed"
t_done
