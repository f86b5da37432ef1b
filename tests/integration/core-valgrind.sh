#!/bin/bash
# core-valgrind.sh: one typical session with rpc.dracd under valgrind
# memcheck (add, query, drop, list, stats, socketmap, refusals, garbage,
# SIGHUP good and broken, SIGUSR1, SIGTERM): zero errors, zero leaks.
# Runs against the normal build only (":nosan" in core.mk): valgrind
# and ASan cannot share a process.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
if ! command -v valgrind >/dev/null; then
	echo "FAIL valgrind is not installed (Debian package valgrind)"
	exit 1
fi
t_init
rr_start
t_rpcbind
export DRAC_VALGRIND=1
printf '127.0.0.0/8\n::1/128\n' > "$T/dracd.allow"
t_dracd -S "$T/dracd.sock" -t btree -m 60
t_match 'valgrind|memcheck' "$(ps -o comm= -p "$DRACD_PID")" "the daemon runs under valgrind"

# valgrind slows the daemon down: give every call more time.
v() { rr -t 5 "$@"; }

t_eq "$(field addstat "$(v v1 10.1.2.3)")" 0 "v1 ADD"
t_eq "$(field addstat "$(v -T v2 2001:db8::1)")" 0 "v2 ADD over TCP"
r=$(v add 10.1.2.4 --ttl 300 --user alice)
t_eq "$(field status "$r")" 0 "v3 ADD with user"
t_eq "$(field user "$(v -H ::1 query 10.1.2.4)")" alice "v3 QUERY"
t_eq "$(field status "$(v drop 10.1.2.3)")" 0 "v3 DROP"
t_eq "$(field status "$(v drop 10.1.2.3)")" 5 "v3 DROP absent"
t_eq "$(fields entry "$(v list --all --max 1)" | wc -l)" 2 "v3 LIST in pages of 1"
t_eq "$(field status "$(v stats)")" 0 "v3 STATS"
t_eq "$(field addstat "$(v v1 224.0.0.1)")" 3 "multicast refused"
t_eq "$(field status "$(v add 10.1.2.5 --user "$(printf 'a\tb')")")" 7 "bad user refused"
t_eq "$(field accept "$(v --cut 42 v1 10.1.2.6)")" GARBAGE_ARGS "short argument refused"
t_eq "$(field accept "$(v --trail 00 add 10.1.2.7)")" GARBAGE_ARGS "trailing byte refused"
t_eq "$(field accept "$(v call 3 9)")" PROC_UNAVAIL "unknown procedure"
v -t 0.5 bytes deadbeef00000000 >/dev/null
v -T --short 20 v1 10.1.2.8 >/dev/null
r=$(rr socketmap -t 5 -S "$T/dracd.sock" "drac 10.1.2.4" "drac 10.9.9.9")
t_eq "$(fields reply "$r" | sed 's/ [0-9]*$//')" "OK
NOTFOUND" "socketmap lookups"
rr socketmap -t 1 -S "$T/dracd.sock" --raw 3a3a3a >/dev/null

# An entry that expires while valgrind watches.
v add 10.1.2.9 --ttl 1 >/dev/null
t_wait 5 sh -c "! db5.3_dump -p '$T/dracd.db' | grep -q '^ 10\.1\.2\.9$'" ||
    t_fail "ttl 1 entry did not expire under valgrind"

# Reload: untrust 127.0.0.1, then a broken file.
printf '127.0.0.2/32\n::1/128\n' > "$T/dracd.allow"
kill -HUP "$DRACD_PID"
perm() { rr -t 5 v1 10.1.2.10 | grep -qx addstat=1; }
t_wait 10 perm && t_ok "SIGHUP reloads" || t_fail "SIGHUP: 127.0.0.1 still trusted"
printf '127.0.0.0/40\n' > "$T/dracd.allow"
kill -HUP "$DRACD_PID"
t_wait 10 grep -q "dracd.allow:1:" "$T/dracd.log" && t_ok "broken reload logged" ||
    t_fail "broken reload not logged"
kill -USR1 "$DRACD_PID"
t_wait 10 grep -q "calls_v1_add" "$T/dracd.log" || t_fail "SIGUSR1 logged nothing"
t_eq "$(field addstat "$(v -b 127.0.0.2 v1 10.1.2.11)")" 0 "still serving after reloads"

t_dracd_stop
t_eq "$(grep -c '==[0-9]*==' "$T/valgrind.log")" 0 "valgrind.log has no report"
t_done
