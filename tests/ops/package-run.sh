#!/bin/bash
# Part of make check-package (tests/ops/package.sh), with the packages
# installed: the packaged init script starts the packaged rpc.dracd as
# _drac with the packaged /etc/default/drac, next to a private rpcbind in
# a private namespace; the packaged dracauth authorizes an address, the
# map in /var/lib/drac holds it, dracdb shows it; reload and stop.
. "${DRAC_TOP:?}/tests/lib.sh"
t_init "$@"
INIT=/etc/init.d/drac
MAP=/var/lib/drac/dracd.db

# Gone, or a zombie its (detached) parent has not reaped yet.
gone() {
	! kill -0 "$1" 2>/dev/null ||
	    [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" = Z ]
}

t_rpcbind
out=$("$INIT" start 2>&1); rc=$?
t_eq $rc 0 "packaged init script starts rpc.dracd"
[ $rc -eq 0 ] || printf '%s\n' "$out"
pid=$(cat /run/drac/rpc.dracd.pid 2>/dev/null)
T_PIDS="$T_PIDS $pid"
t_match '^[0-9]+$' "$pid" "pid file in /run/drac"
t_eq "$(ps -o user= -p "${pid:-0}")" _drac "daemon runs as _drac"
t_eq "$(readlink "/proc/${pid:-0}/exe")" /usr/sbin/rpc.dracd "it is the packaged daemon"
t_wait 10 rpcinfo -u 127.0.0.1 900101 3
t_eq $? 0 "it registers version 3 with rpcbind"

/usr/bin/dracauth 192.0.2.50
t_eq $? 0 "packaged dracauth authorizes 192.0.2.50"
t_match '^192\.0\.2\.50 [0-9]+$' "$(t_dump "$MAP")" "the map in /var/lib/drac holds it"
t_eq "$(stat -c %U "$MAP")" _drac "the map belongs to _drac"
t_match '^192\.0\.2\.50 .* (179[0-9]|180[01]) v[0-9] -$' "$(/usr/sbin/dracdb -q 192.0.2.50)" \
    "packaged dracdb shows the entry"
t_match '^192\.0\.2\.50 ' "$(/usr/sbin/dracdb -o -f "$MAP")" "dracdb reads the map offline"
t_eq "$("$INIT" status)" "rpc.dracd is running (pid $pid)" "init script status"
"$INIT" reload >/dev/null
t_eq $? 0 "init script reload"
t_wait 5 sh -c '/usr/sbin/dracdb -s | grep -qx "reloads 1"'
t_eq $? 0 "reload reached the daemon"
"$INIT" stop >/dev/null
t_eq $? 0 "init script stop"
t_eq "$(gone "${pid:-0}" && echo gone || echo alive)" gone "daemon stopped"
t_done
