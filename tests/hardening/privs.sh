#!/bin/bash
# -u drops root after opening what needs it; the pid file is a lock;
# -l binds only the addresses given.
. "$DRAC_TOP/tests/lib.sh"
t_init
t_addr 10.1.2.3
t_rpcbind
H="python3 $DRAC_TOP/tests/hardening/hclient.py"
t_dracd -u nobody
t_eq "$(awk '/^Uid:/ { print $2 $3 $4 }' /proc/$DRACD_PID/status)" 655346553465534 "runs as nobody"
port=$($H port)
t_eq "$($H v1 "$port" 10.5.0.1)" 0 "ADD works without root"
t_eq "$(stat -c %U "$T/dracd.db")" nobody "the map belongs to the daemon's user"
t_eq "$(stat -c %a "$T/dracd.db")" 644 "the map stays readable by MTAs"
t_eq "$(stat -c %U "$T/dracd.db.state")" nobody "so does the state file"
t_eq "$(stat -c %a "$T/dracd.db.state")" 640 "the state file is not for everyone"
out=$("$DRACD" -d -a "$T/dracd.allow" -P "$T/dracd.pid" "$T/other.db" 2>&1); rc=$?
t_eq "$rc" 1 "a second daemon on the same pid file exits 1"
t_match 'another rpc.dracd' "$out" "and says why"
t_dracd_stop
t_match '^10\.5\.0\.1 .* v1 ' "$("$DRAC_BUILD/admin/dracdb" -f "$T/dracd.db")" \
    "the state file the daemon wrote without root says how the entry came"
t_nomatch '900101' "$(rpcinfo -p 127.0.0.1)" "unregistered at exit without root"

t_dracd -l 127.0.0.1 -p 9705
t_eq "$($H v1 9705 10.5.0.2)" 0 "-l 127.0.0.1: served on loopback"
t_nomatch '0\.0\.0\.0:9705|10\.1\.2\.3:9705|\[::\]:9705' "$(ss -lnu; ss -lnt)" "-l: nothing else listens"
t_dracd_stop
t_done
