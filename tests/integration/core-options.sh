#!/bin/bash
# core-options.sh: rpc.dracd's command line.  Bad numbers and words exit 1
# naming the flag; usage() equals the man page's SYNOPSIS; -n checks the
# configuration; a broken allow file stops the start with every FILE:LINE;
# -p PORT serves on a fixed port without rpcbind.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
t_init
rr_start
printf '127.0.0.0/8\n::1/128\n' > "$T/good.allow"

# run_dracd ARG...: the daemon in the foreground, bounded by 5 s; sets
# rc and out (stdout and stderr).
run_dracd() {
	out=$(timeout 5 "$DRACD" "$@" 2>&1)
	rc=$?
}

# ---- bad option values: exit 1, the message names the flag --------------
bad() {	# bad FLAG VALUE
	run_dracd -d -a "$T/good.allow" -P "$T/x.pid" "$1" "$2" "$T/x.db"
	t_eq "$rc" 1 "$1 '$2': exit 1"
	t_match "(^|[^a-z])$1( |:|$)" "$out" "$1 '$2': the message names $1"
}
for v in 0 -1 x 1x '' ' 5' 99999999999999999999 527041; do bad -e "$v"; done
for v in 0 -5 y 527041; do bad -m "$v"; done
for v in 70000 0 -1 80x 65536; do bad -p "$v"; done
for v in -1 z 3601; do bad -s "$v"; done
for v in queue BTREE ''; do bad -t "$v"; done
t_eq "$(test -e "$T/x.db" && echo created)" "" "bad options: no map created"
t_eq "$(test -e "$T/x.pid" && echo created)" "" "bad options: no pid file"

# ---- usage ----------------------------------------------------------------
# Spaces around '|' do not matter; everything else must match.
norm() { tr -s ' \t\n' '   ' | sed 's/ *| */|/g; s/^ //; s/ $//'; }
run_dracd -Z
t_eq "$rc" 1 "unknown option: exit 1"
usage=$(printf '%s\n' "$out" | grep -v 'invalid option' | norm)
t_match '^usage: rpc\.dracd ' "$usage" "unknown option: usage on stderr"
# The interface of the core issue, whatever options were added since.
for o in '-[A-Za-z]*c[A-Za-z]*d[A-Za-z]*i[A-Za-z]*n[A-Za-z]*z' \
    '-a allowfile' '-e minutes' '-m minutes' '-P pidfile' '-p port' \
    '-S socketmap' '-s seconds' '-t btree\|hash' 'dbfile'; do
	t_match "\[$o\]" "$usage" "usage shows [$o]"
done
run_dracd -d "$T/a.db" "$T/b.db"
t_eq "$rc $(printf '%s\n' "$out" | grep -c '^usage:')" "1 1" "two db files: usage, exit 1"

man=$DRAC_TOP/man/rpc.dracd.8
# Cross-references resolve only where the other pages are installed.
t_eq "$(mandoc -Tlint "$man" 2>&1 |
    grep -v -e 'referenced manual not found' -e 'outdated mandoc.db')" "" \
    "rpc.dracd.8: mandoc -Tlint clean"
# mandoc -Tascii marks bold and underline with backspaces.
page=$(mandoc -Tascii -Owidth=200 "$man" | sed 's/.\x08//g')
syn=$(printf '%s\n' "$page" |
    awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on')
t_eq "usage: $(printf '%s\n' "$syn" | norm)" "$usage" "rpc.dracd.8 SYNOPSIS equals usage()"
missing=""
for o in $(printf '%s\n' "$usage" | grep -o '\[-[A-Za-z]*' | sed 's/^\[-//' |
    fold -w 1); do
	printf '%s\n' "$page" | grep -Eq "^ +-$o( |$)" || missing="$missing -$o"
done
for sec in FILES SIGNALS 'EXIT STATUS' EXAMPLES 'SEE ALSO' HISTORY; do
	printf '%s\n' "$page" | grep -q "^$sec" || missing="$missing $sec"
done
t_eq "$missing" "" "rpc.dracd.8 describes every option and has every section"

# ---- -n: configuration check ---------------------------------------------
run_dracd -n -a "$T/good.allow" -P "$T/x.pid" "$T/x.db"
t_eq "$rc" 0 "-n with a good allow file: exit 0"
t_eq "$(test -e "$T/x.pid" && echo created)" "" "-n: no pid file"
printf '# broken on lines 2, 4 and 5\n10.0.0.0/33\n127.0.0.0/8\n255.255.255.0 10.0.0.1\nlocalhost.example\n' > "$T/bad.allow"
run_dracd -n -a "$T/bad.allow" "$T/x.db"
t_eq "$rc" 1 "-n with a broken allow file: exit 1"
for l in 2 4 5; do
	t_match "$T/bad.allow:$l: " "$out" "-n reports $T/bad.allow:$l"
done
t_nomatch "$T/bad.allow:[13]:" "$out" "-n reports only the broken lines"

# ---- a broken allow file stops the start ---------------------------------
t_rpcbind
RPCBIND_PID=${T_PIDS##* }
run_dracd -d -a "$T/bad.allow" -P "$T/x.pid" "$T/x.db"
t_eq "$rc" 1 "start with a broken allow file: exit 1"
t_match "$T/bad.allow:5: " "$out" "start with a broken allow file: FILE:LINE on stderr"
t_eq "$(test -e "$T/x.pid" && echo created)" "" "refused start: no pid file"
t_nomatch 900101 "$(rpcinfo -p 127.0.0.1)" "refused start: nothing registered"
run_dracd -a "$T/bad.allow" -P "$T/x.pid" "$T/x.db"
t_eq "$rc" 1 "start in the background with a broken allow file: exit 1"

# ---- -p PORT without rpcbind ---------------------------------------------
kill -TERM "$RPCBIND_PID"
t_wait 5 sh -c '! rpcinfo -p 127.0.0.1'
# Not t_dracd: rpcinfo asks rpcbind even when given the port.
PORT=7939
"$DRACD" -d -a "$T/good.allow" -P "$T/dracd.pid" -p $PORT "$T/dracd.db" \
    >>"$T/dracd.log" 2>&1 &
DRACD_PID=$!
T_PIDS="$T_PIDS $DRACD_PID"
nullok() { rr -p $PORT -t 0.5 null | grep -qx accept=SUCCESS; }
t_wait 10 nullok || { t_fail "-p: no answer on port $PORT"; cat "$T/dracd.log"; }
t_eq "$(field addstat "$(rr -p $PORT v1 10.1.2.3)")" 0 "-p: v1 ADD over UDP on the fixed port"
t_eq "$(field addstat "$(rr -p $PORT -T v1 10.1.2.4)")" 0 "-p: v1 ADD over TCP"
t_eq "$(field addstat "$(rr -p $PORT -H ::1 v2 2001:db8::5)")" 0 "-p: v2 ADD over udp6"
t_eq "$(field status "$(rr -p $PORT -H ::1 -T add 10.1.2.6 --user eve)")" 0 "-p: v3 ADD over tcp6"
t_eq "$(map_keys | tr '\n' ' ')" "10.1.2.3 10.1.2.4 10.1.2.6 2001:db8::5 " "-p: every ADD in the map"
t_alive "-p without rpcbind"
t_dracd_stop
t_done
