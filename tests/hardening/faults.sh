#!/bin/bash
# Faults from outside: an unwritable map directory, a corrupted map, a
# restarted rpcbind, the state file and the map cut short while it runs.
# The daemon answers SYSERR or repairs, keeps serving
# and recovers when the fault goes.  verifier-crash.db is a map with its
# pages overwritten by random bytes on which Berkeley DB's own verifier
# crashes (a double free), about one start in three.
. "$DRAC_TOP/tests/lib.sh"
t_init
t_rpcbind
H="python3 $DRAC_TOP/tests/hardening/hclient.py"
mkdir "$T/maps"
printf '127.0.0.0/8\n' > "$T/dracd.allow"
start() {
	"$DRACD" -d -a "$T/dracd.allow" -P "$T/dracd.pid" -p 9704 "$@" "$T/maps/dracd.db" >>"$T/dracd.log" 2>&1 &
	DRACD_PID=$!; T_PIDS="$T_PIDS $DRACD_PID"
	t_wait 10 rpcinfo -n 9704 -u 127.0.0.1 900101 1 || t_fail "daemon did not start"
}
# A map directory the daemon cannot write: a clear error, exit 1.
mount --bind "$T/maps" "$T/maps" && mount -o remount,ro,bind "$T/maps"
out=$("$DRACD" -d -a "$T/dracd.allow" -P "$T/dracd.pid" -p 9704 "$T/maps/dracd.db" 2>&1); rc=$?
umount "$T/maps"
t_eq "$rc" 1 "unwritable map directory: exit 1"
t_match 'maps/dracd.db.*(Read-only|Permission)' "$out" "the error names the file"

start
t_eq "$($H v1 9704 10.4.0.1)" 0 "ADD before the fault"
t_eq "$($H v1 9704 10.4.0.3)" 0 "another ADD"

# rpcbind restarted without its saved state: the daemon registers again.
kill -TERM "$RPCBIND_PID"; wait "$RPCBIND_PID"
rm -rf /run/rpcbind
rpcbind -f &
T_PIDS="$T_PIDS $!"
t_wait 10 sh -c 'rpcinfo -p 127.0.0.1 | grep -q 900101' &&
	t_ok "registered again after rpcbind restarted" ||
	t_fail "not registered after rpcbind restarted"
kill -TERM $DRACD_PID; wait $DRACD_PID
t_match '^10\.4\.0\.3 ' "$(t_dump "$T/maps/dracd.db")" "entries kept through the faults"

# A corrupted map found at start is moved aside and rebuilt from the state.
size=$(stat -c %s "$T/maps/dracd.db")
dd if=/dev/urandom of="$T/maps/dracd.db" bs=512 seek=1 count=$((size / 512 - 1)) conv=notrunc 2>/dev/null
start
t_eq "$($H v1 9704 10.4.0.4)" 0 "serving after a corrupted map"
kill -TERM $DRACD_PID; wait $DRACD_PID
db5.3_verify -q "$T/maps/dracd.db" && t_ok "rebuilt map verifies" || t_fail "map does not verify"
t_match '^10\.4\.0\.1 ' "$(t_dump "$T/maps/dracd.db")" "an entry from before the corruption is back"
t_match 'damaged|rebuil' "$(cat "$T/dracd.log")" "the repair is logged"

# A map on which the verifier itself crashes: the daemon survives it.
crashes=0 serving=0
for _ in 1 2 3 4 5 6 7 8 9 10; do
	: > "$T/dracd.log"
	rm -f "$T"/maps/dracd.db*
	cp "$DRAC_TOP/tests/hardening/verifier-crash.db" "$T/maps/dracd.db"
	start
	[ "$($H v1 9704 10.4.0.5)" = 0 ] && serving=$((serving + 1))
	kill -TERM $DRACD_PID; wait $DRACD_PID
	grep -q 'verifier died of signal' "$T/dracd.log" && crashes=$((crashes + 1))
done
t_eq "$serving" 10 "10 starts on a map that crashes the verifier: serving each time"
t_log "(the verifier crashed in $crashes of them)"

# The state file cut short behind the daemon's back: a store into its
# shared mapping faults (SIGBUS).  The daemon catches it, names the
# file and goes on with system calls; the users recorded before the cut
# are gone with it, the map keeps every entry, and the users of the ADDs
# after it are kept.
rm -f "$T"/maps/dracd.db*
: > "$T/dracd.log"
start -s 60
t_eq "$($H v3 9704 10.4.1.1)" 0 "ADD before the cut"
truncate -s 0 "$T/maps/dracd.db.state"
t_eq "$($H v3 9704 10.4.1.2)" 0 "ADD after the state file was cut short"
t_eq "$($H v3 9704 10.4.1.3)" 0 "and another"
kill -TERM $DRACD_PID; wait $DRACD_PID
t_eq "$?" 0 "then a clean stop"
t_match 'dracd.db.state: SIGBUS' "$(cat "$T/dracd.log")" "the state file's fault is named"
t_eq "$(t_users "$T/maps/dracd.db" | awk '{ printf "%s ", $1 }')" \
    "10.4.1.2 10.4.1.3 " "the users after the cut are in the state file"
t_eq "$(t_dump "$T/maps/dracd.db" | awk '{ printf "%s ", $1 }')" \
    "10.4.1.1 10.4.1.2 10.4.1.3 " "and every entry in the map"

# The map cut short the same way (its page is copied from its third
# write on): no stamp of a clean stop, so the next start verifies it and
# rebuilds it from the state file.
rm -f "$T"/maps/dracd.db*
: > "$T/dracd.log"
start -s 60
t_eq "$($H v3 9704 10.4.2.1)" 0 "ADD before the cut"
t_eq "$($H v3 9704 10.4.2.2)" 0 "and another"
truncate -s 0 "$T/maps/dracd.db"
t_eq "$($H v3 9704 10.4.2.3)" 0 "ADD after the map was cut short"
kill -TERM $DRACD_PID; wait $DRACD_PID
t_eq "$?" 0 "then a clean stop"
t_match 'maps/dracd.db: SIGBUS' "$(cat "$T/dracd.log")" "the map's fault is named"
: > "$T/dracd.log"
start
t_match 'damaged|rebuil' "$(cat "$T/dracd.log")" "the next start repairs the map"
kill -TERM $DRACD_PID; wait $DRACD_PID
t_eq "$(t_dump "$T/maps/dracd.db" | awk '{ printf "%s ", $1 }')" \
    "10.4.2.1 10.4.2.2 10.4.2.3 " "with every entry"
t_eq "$(t_users "$T/maps/dracd.db" | awk '{ printf "%s ", $1 }')" \
    "10.4.2.1 10.4.2.2 10.4.2.3 " "and every user"
t_done
