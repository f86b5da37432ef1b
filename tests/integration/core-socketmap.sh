#!/bin/bash
# core-socketmap.sh: rpc.dracd -S answers sendmail/Postfix socketmap
# lookups (netstrings) from memory, on a unix socket and on loopback TCP:
# "OK <expiry>" for a live entry, "NOTFOUND " otherwise, never OK for an
# expired entry, and malformed requests never crash it.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
core_init
SOCK=$T/dracd.sock
SMPORT=7941
t_dracd -S "$SOCK" -S 127.0.0.1:$SMPORT -S "[::1]:$SMPORT"

sm() { rr socketmap "$@"; }
hexof() { printf "$@" | od -An -tx1 | tr -d ' \n'; }

rr v1 10.1.2.3 >/dev/null
rr v2 2001:db8::1 >/dev/null
e3=$(map_value 10.1.2.3)
e6=$(map_value 2001:db8::1)

for where in "$SOCK" 127.0.0.1:$SMPORT "[::1]:$SMPORT"; do
	r=$(sm -S "$where" "drac 10.1.2.3")
	t_eq "$r" "reply=OK $e3
open" "$where: live entry -> OK <expiry>, connection stays open"
	r=$(sm -S "$where" "drac 10.9.9.9")
	t_eq "$r" "reply=NOTFOUND 
open" "$where: absent entry -> 'NOTFOUND '"
done

# Several lookups on one connection, as sendmail and Postfix do; the map
# name is not checked; IPv6 keys in sendmail's forms.
r=$(sm -S "$SOCK" "drac 10.1.2.3" "anyname 2001:db8::1" "drac 10.1.2.4" \
    "drac IPv6:2001:db8::1" "drac IPv6:2001:db8:0:0:0:0:0:1")
t_eq "$r" "reply=OK $e3
reply=OK $e6
reply=NOTFOUND 
reply=OK $e6
reply=OK $e6
open" "five lookups on one connection, IPv6 keys with and without sendmail's tag"

# The answer follows ADD and DROP at once.
t_eq "$(sm -S "$SOCK" "drac 10.1.2.5")" "reply=NOTFOUND 
open" "before ADD: NOTFOUND"
e5=$(field expires "$(rr add 10.1.2.5 --ttl 120)")
t_eq "$(sm -S "$SOCK" "drac 10.1.2.5")" "reply=OK $e5
open" "right after ADD: OK with the reply's expiry"
rr drop 10.1.2.5 >/dev/null
t_eq "$(sm -S "$SOCK" "drac 10.1.2.5")" "reply=NOTFOUND 
open" "right after DROP: NOTFOUND"

# An expired entry is never OK: ask in a loop until NOTFOUND; each OK must
# have been asked before the expiry.
ex=$(field expires "$(rr add 10.1.2.6 --ttl 3)")
res=$("$PYTHON" - "$RAWRPC" "$SOCK" "$ex" <<'EOF'
import importlib.util, socket, sys, time
spec = importlib.util.spec_from_file_location("rawrpc", sys.argv[1])
rawrpc = importlib.util.module_from_spec(spec); spec.loader.exec_module(rawrpc)
expiry = int(sys.argv[3])
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[2])
oks = late = 0
for _ in range(600):			# about 6 s at most
    asked = time.time()
    s.sendall(rawrpc.netstring("drac 10.1.2.6"))
    r = rawrpc.sm_read(s, time.monotonic() + 2)
    if r is None:
        print("closed"); break
    if r.startswith("OK "):
        oks += 1
        if asked >= expiry or r != "OK %d" % expiry:
            late += 1
    elif r == "NOTFOUND ":
        print("notfound %.3f late %d oks %d" % (asked - expiry, late, oks))
        break
    else:
        print("odd " + r); break
    time.sleep(0.01)
else:
    print("never expired")
EOF
)
t_match '^notfound -?0\.[0-9]+ late 0 oks [1-9]' "$res" "an entry stops being OK at its expiry, never later ($res)"

# Malformed requests: a PERM reply or a clean close, never a crash.
i=0
for raw in "$(hexof 'abc')" \
    "$(hexof '5:drac,X')" \
    "$(hexof '13:drac 10.1.2.3;')" \
    "$(hexof '99999999999:drac')" \
    "$(hexof '4294967309:drac 10.1.2.3,')" \
    "$(hexof ':drac 10.1.2.3,')" \
    "$(hexof -- '-1:x,')" \
    "$(hexof '0:,')" \
    "$(hexof '8:drac1234,')" \
    "$(hexof '13:drac\00010.1.2.3,')" \
    00ff00ff7f80; do
	i=$((i + 1))
	r=$(sm -S "$SOCK" -t 1 --raw "$raw")
	case $r in
	closed|"reply=PERM "*"
closed") t_ok "malformed request $i ($raw): PERM or close" ;;
	*) t_fail "malformed request $i ($raw): got '$r'" ;;
	esac
done
# A request that stops half-way and a client that hangs up.
sm -S 127.0.0.1:$SMPORT -t 0.3 --raw "$(hexof '13:drac 10.1')" >/dev/null
t_eq "$(sm -S "$SOCK" "drac 10.1.2.3")" "reply=OK $e3
open" "lookups still answered after malformed requests"
t_alive "after malformed socketmap requests"

n=$(field counter.socketmap_lookups "$(rr stats)")
sm -S "$SOCK" "drac 10.1.2.3" "drac 10.1.2.3" >/dev/null
t_eq "$(field counter.socketmap_lookups "$(rr stats)")" $((n + 2)) "STATS socketmap_lookups counts lookups"

t_dracd_stop
t_eq "$(test -e "$SOCK" && echo present)" "" "unix socket removed at exit"
t_done
