#!/bin/bash
# dist/init.d/drac against the built daemon in a private namespace: start
# (as an unprivileged user, like the package's _drac), status, reload,
# force-reload, restart, stop, a failed start and a stale pid file.  The
# script reads its paths from the file named by $DRAC_DEFAULTS.
. "${DRAC_TOP:?}/tests/lib.sh"
t_init "$@"
DB=$DRAC_BUILD/admin/dracdb
USER_=nobody

t_rpcbind
mkdir -p "$T/var" "$T/run"
chown "$USER_:" "$T/var"
printf '127.0.0.0/8\n::1/128\n' > "$T/dracd.allow"
cat > "$T/default" <<EOF
DRACD=$DRAC_BUILD/daemon/rpc.dracd
DRACD_OPTS="-a $T/dracd.allow"
DRACD_DB=$T/var/dracd.db
DRACD_USER=$USER_
DRACD_PIDFILE=$T/run/drac/rpc.dracd.pid
EOF
export DRAC_DEFAULTS=$T/default
PIDFILE=$T/run/drac/rpc.dracd.pid

# Gone, or a zombie its (detached) parent has not reaped yet.
gone() {
	! kill -0 "$1" 2>/dev/null ||
	    [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" = Z ]
}
# The script as the package installs it; sh in case git lost its mode.
init() { sh "$DRAC_TOP/dist/init.d/drac" "$@"; }
counter() { "$DB" -s | awk -v n="$1" '$1 == n { print $2 }'; }
counter_is() { [ "$(counter "$1")" = "$2" ]; }

out=$(init status); rc=$?
t_eq $rc 3 "status before start: 3 (not running)"
t_match 'is not running' "$out" "status says not running"

out=$(init start); rc=$?
t_eq $rc 0 "start exits 0"
pid=$(cat "$PIDFILE" 2>/dev/null)
t_match '^[0-9]+$' "$pid" "start leaves a pid file"
T_PIDS="$T_PIDS $pid"
t_eq "$(ps -o user= -p "$pid")" "$USER_" "daemon runs as DRACD_USER"
t_eq "$(cat "/proc/$pid/comm")" rpc.dracd "pid file names rpc.dracd"
out=$(init status); rc=$?
t_eq $rc 0 "status while running: 0"
t_eq "$out" "rpc.dracd is running (pid $pid)" "status names the pid"
out=$(init start); rc=$?
t_eq $rc 0 "second start exits 0"
t_match 'already running' "$out" "second start says already running"
t_eq "$(cat "$PIDFILE")" "$pid" "second start leaves the daemon alone"

"$DRAC_BUILD/tools/dracauth" 192.0.2.40
t_eq $? 0 "dracauth reaches the daemon the script started"
t_match '^192\.0\.2\.40 [0-9]+$' "$(t_dump "$T/var/dracd.db")" \
    "daemon started by the script writes its map"
t_eq "$(stat -c %U "$T/var/dracd.db")" "$USER_" "map belongs to DRACD_USER"
t_eq "$(stat -c %a "$T/var/dracd.db")" 644 "map is readable by the MTA"

# reload = SIGHUP: the counters show it, and a broken file is not taken.
t_eq "$(counter reloads)" 0 "no reload yet"
printf '127.0.0.0/8\n::1/128\n198.51.100.0/24\n' > "$T/dracd.allow"
init reload >/dev/null
t_eq $? 0 "reload exits 0"
t_wait 5 counter_is reloads 1
t_eq "$(counter reloads)" 1 "reload makes the daemon reload its allow file"
printf 'this is not an address\n' > "$T/dracd.allow"
init force-reload >/dev/null
t_eq $? 0 "force-reload exits 0"
t_wait 5 counter_is reload_failures 1
t_eq "$(counter reload_failures)" 1 "broken allow file: reload fails"
"$DB" -a 192.0.2.41
t_eq $? 0 "after a failed reload the old allow list still trusts loopback"
printf '127.0.0.0/8\n::1/128\n' > "$T/dracd.allow"
out=$(init configtest); rc=$?
t_eq $rc 0 "configtest of a good setup exits 0"

out=$(init restart); rc=$?
t_eq $rc 0 "restart exits 0"
gone "$pid"
t_eq $? 0 "restart stopped the old daemon"
pid2=$(cat "$PIDFILE")
T_PIDS="$T_PIDS $pid2"
t_match '^[0-9]+$' "$pid2" "restart started a new daemon"
t_eq "$("$DB" -q 192.0.2.41 | cut -d' ' -f1)" 192.0.2.41 "entries survive a restart"

out=$(init stop); rc=$?
t_eq $rc 0 "stop exits 0"
t_eq "$(gone "$pid2" && echo gone || echo alive)" gone "stop ends the daemon"
t_eq "$(test -e "$PIDFILE" && echo present || echo removed)" removed "stop leaves no pid file"
out=$(init status); rc=$?
t_eq $rc 3 "status after stop: 3"
out=$(init stop); rc=$?
t_eq $rc 0 "stop when stopped exits 0"
out=$(init reload); rc=$?
t_eq $rc 7 "reload when stopped: 7 (not running)"
out=$(init try-restart); rc=$?
t_eq $rc 0 "try-restart when stopped exits 0"
t_eq "$(test -e "$PIDFILE" && echo started || echo stopped)" stopped "try-restart does not start"

# A stale pid file naming a dead process.
sh -c 'exit 0' & dead=$!
wait "$dead"
mkdir -p "$(dirname "$PIDFILE")"
echo "$dead" > "$PIDFILE"
out=$(init status); rc=$?
t_eq $rc 1 "status with a stale pid file: 1"
out=$(init start); rc=$?
t_eq $rc 0 "start over a stale pid file exits 0"
pid3=$(cat "$PIDFILE")
T_PIDS="$T_PIDS $pid3"
t_eq "$(init status)" "rpc.dracd is running (pid $pid3)" "started over the stale file"
init stop >/dev/null

# A broken allow file: start must fail, not claim success.
printf 'junk\n' > "$T/dracd.allow"
out=$(init start 2>&1); rc=$?
t_eq $((rc != 0)) 1 "start with a broken allow file fails"
out=$(init configtest 2>&1); rc=$?
t_eq $rc 1 "configtest of a broken allow file exits 1"
t_match 'dracd\.allow:1:' "$out" "configtest names FILE:LINE"
out=$(init status); rc=$?
t_eq $rc 3 "nothing runs after the failed start"
out=$(init bogus 2>&1); rc=$?
t_eq $rc 2 "unknown action exits 2"
t_match '^usage: .*start\|stop\|restart' "$out" "unknown action prints usage"

t_done
