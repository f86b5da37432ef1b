#!/bin/bash
# core-refuse.sh: what rpc.dracd must refuse.  Untrusted callers,
# addresses that are never SMTP clients, malformed, short, trailing,
# garbage and truncated records, wrong program, version and procedure.
# Nothing refused may reach the map, and the daemon keeps serving.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
core_init
# Only 127.0.0.2 may call; every call below from 127.0.0.1 or ::1 is
# untrusted.
printf '# trust one address\n127.0.0.2/32\n' > "$T/dracd.allow"
t_dracd
G=127.0.0.2	# the trusted source

hdr() { printf '%s0000000100000000000000000000000000000000' "$1"; }

# ---- untrusted callers ---------------------------------------------------
r=$(rr -x 0x11110001 --hex v1 10.1.2.3)
t_eq "$r" "reply=$(hdr 11110001)00000001" "untrusted v1 ADD: reply bytes say ADD_PERM"
t_eq "$(field addstat "$(rr -T v1 10.1.2.3)")" 1 "untrusted v1 ADD over TCP: ADD_PERM"
t_eq "$(field addstat "$(rr v2 2001:db8::1)")" 1 "untrusted v2 ADD: ADD_PERM"
t_eq "$(field addstat "$(rr -H ::1 v2 2001:db8::1)")" 1 "untrusted v2 ADD from ::1: ADD_PERM"
t_eq "$(field status "$(rr add 10.1.2.3 --user mallory)")" 1 "untrusted v3 ADD: DRAC3_PERM"
t_eq "$(field status "$(rr -H ::1 -T add 10.1.2.3)")" 1 "untrusted v3 ADD from ::1 over tcp6: DRAC3_PERM"
t_eq "$(field status "$(rr drop 10.1.2.3)")" 1 "untrusted v3 DROP: DRAC3_PERM"
t_eq "$(field status "$(rr query 10.1.2.3)")" 1 "untrusted v3 QUERY: DRAC3_PERM"
t_eq "$(field status "$(rr list)")" 1 "untrusted v3 LIST: DRAC3_PERM"
t_eq "$(field status "$(rr stats)")" 1 "untrusted v3 STATS: DRAC3_PERM"
t_eq "$(t_dump)" "" "untrusted callers wrote nothing"
log=$(cat "$T/dracd.log")
t_match 'untrusted caller 127\.0\.0\.1: v1 ADD refused' "$log" "refusal logged with the caller's address (v1)"
t_match 'untrusted caller 127\.0\.0\.1: v2 ADD' "$log" "refusal logged (v2)"
t_match 'untrusted caller ::1' "$log" "refusal logged with the IPv6 caller's address"
t_match 'untrusted caller 127\.0\.0\.1: v3 ADD' "$log" "refusal logged (v3 ADD)"
t_eq "$(field counter.perm "$(rr -b $G stats)")" 10 "STATS counts the 10 refusals"

# The trusted source works.
r=$(rr -b $G -x 0x11110002 --hex v1 10.1.2.3)
t_eq "$r" "reply=$(hdr 11110002)00000000" "trusted 127.0.0.2: v1 ADD succeeds"
t_eq "$(map_keys)" "10.1.2.3" "trusted ADD is in the map"

# ---- addresses that can never be an SMTP client -------------------------
for a in 0.0.0.0 255.255.255.255 224.0.0.1 239.255.255.250; do
	t_eq "$(field addstat "$(rr -b $G v1 $a)")" 3 "v1 ADD $a: ADD_UNKOWN"
	t_eq "$(field status "$(rr -b $G add $a)")" 4 "v3 ADD $a: DRAC3_BADADDR"
done
for a in :: ff02::1 ff0e::2:1 ::ffff:224.0.0.1 ::ffff:255.255.255.255 ::ffff:0.0.0.0; do
	t_eq "$(field addstat "$(rr -b $G v2 $a)")" 3 "v2 ADD $a: ADD_UNKOWN"
	t_eq "$(field status "$(rr -b $G add $a)")" 4 "v3 ADD $a: DRAC3_BADADDR"
done
t_eq "$(field status "$(rr -b $G query 0.0.0.0)")" 4 "v3 QUERY 0.0.0.0: DRAC3_BADADDR"
t_eq "$(map_keys)" "10.1.2.3" "no unusable address was stored"

# ---- malformed arguments: GARBAGE_ARGS, never acted on ------------------
# A call header with AUTH_NONE is 40 bytes; v1's argument is 4 more.
garbage() {	# garbage MSG RAWRPC-ARGS...
	local m=$1 r
	shift
	r=$(rr -b $G "$@")
	t_eq "$(field accept "$r")" GARBAGE_ARGS "$m: GARBAGE_ARGS"
}
garbage "v1 ADD without its argument" --cut 40 v1 10.1.2.50
garbage "v1 ADD with 2 of 4 argument bytes" --cut 42 v1 10.1.2.51
garbage "v1 ADD with 4 trailing bytes" --trail 00000000 v1 10.1.2.52
garbage "v1 ADD with 1 trailing byte" --trail 01 v1 10.1.2.53
garbage "v1 ADD over TCP, record of 42 bytes" -T --cut 42 v1 10.1.2.54
garbage "v1 ADD over TCP with trailing bytes" -T --trail 0a010237 v1 10.1.2.55
garbage "v2 ADD with 15 of 16 ints" --cut 100 v2 2001:db8::56
garbage "v2 ADD with trailing bytes" --trail 00000000 v2 2001:db8::57
garbage "v2 ADD with an int outside char range" call 2 1 \
    "00000020000000010000000d000000b8$(printf '00000000%.0s' $(seq 11))00000158"
garbage "v3 ADD with trailing bytes" --trail 00000000 add 10.1.2.59
garbage "v3 ADD cut inside the user" --cut 62 add 10.1.2.60 --user somebody
garbage "v3 ADD with a 65-byte user" add 10.1.2.61 --user "$(printf 'x%.0s' $(seq 65))"
garbage "v3 ADD with address family 3" call 3 1 00000000000000030a01023e0000000000000000
garbage "v3 ADD with auth flavor 9" call 3 1 00000009000000010a01023f0000000000000000
garbage "v3 QUERY without arguments" call 3 3
garbage "v3 LIST with a short cursor" call 3 4 0000000000000000
t_eq "$(map_keys)" "10.1.2.3" "no malformed call reached the map"
t_match '^[1-9][0-9]*$' "$(field counter.malformed "$(rr -b $G stats)")" "STATS counts malformed calls"

# ---- wrong program, version, procedure, RPC version ---------------------
r=$(rr -b $G -P 900102 null)
t_eq "$(field accept "$r")" PROG_UNAVAIL "program 900102: PROG_UNAVAIL"
for v in 0 4 7; do
	r=$(rr -b $G call $v 1 0a010240)
	t_eq "$(field accept "$r") $(field low "$r") $(field high "$r")" \
	    "PROG_MISMATCH 1 3" "version $v: PROG_MISMATCH 1..3"
done
r=$(rr -b $G -T call 9 0)
t_eq "$(field accept "$r") $(field low "$r") $(field high "$r")" \
    "PROG_MISMATCH 1 3" "version 9 over TCP: PROG_MISMATCH 1..3"
t_eq "$(field accept "$(rr -b $G call 1 2 0a010241)")" PROC_UNAVAIL "v1 procedure 2: PROC_UNAVAIL"
t_eq "$(field accept "$(rr -b $G call 2 7)")" PROC_UNAVAIL "v2 procedure 7: PROC_UNAVAIL"
t_eq "$(field accept "$(rr -b $G call 3 6)")" PROC_UNAVAIL "v3 procedure 6: PROC_UNAVAIL"
# RPC version 3 in the call header: MSG_DENIED, RPC_MISMATCH 2..2 (RFC 5531:
# xid, REPLY, MSG_DENIED, RPC_MISMATCH, low, high).
r=$(rr -b $G -t 1 --hex bytes 222200010000000000000003000dbc0500000001000000010000000000000000000000000000000000000000)
t_eq "$r" "reply=222200010000000100000001000000000000000200000002" "rpcvers 3: MSG_DENIED RPC_MISMATCH 2..2"
# Credentials: AUTH_SYS is what many clients send; unknown flavors are
# refused before anything else.
r=$(rr -b $G --cred sys v1 10.1.2.42)
t_eq "$(field addstat "$r")" 0 "v1 ADD with AUTH_SYS credentials: ADD_SUCCESS"
r=$(rr -b $G -t 1 --cred 6:0000000100000002 v1 10.1.2.43)
t_eq "$(field reply "$r") $(field reject "$r")" "MSG_DENIED AUTH_ERROR" "RPCSEC_GSS credentials: MSG_DENIED AUTH_ERROR"
t_eq "$(map_keys | tr '\n' ' ')" "10.1.2.3 10.1.2.42 " "wrong program/version/procedure/credentials wrote nothing"

# ---- garbage and truncated records --------------------------------------
for h in 00 0102 deadbeef \
    00000000000000000000000000000000000000000000000000000000 \
    22220002000000010000000000000000 \
    2222000300000000000000020000000000000000 \
    222200040000000000000002000dbc05000000010000000100000001ffffffff \
    $("$PYTHON" -c 'import random; r = random.Random(7); print(bytes(r.randrange(256) for _ in range(300)).hex())'); do
	r=$(rr -b $G -t 0.3 bytes "$h")
	case $r in
	noreply|reply=????????000000010000000000000000000000000000000[1-5]*) t_ok "garbage datagram ${h:0:16}...: no reply or a refusal" ;;
	reply=????????0000000100000001*) t_ok "garbage datagram ${h:0:16}...: MSG_DENIED" ;;
	*) t_fail "garbage datagram ${h:0:16}...: unexpected '$r'" ;;
	esac
done
# A v1 ADD with 4000 bytes after its argument (larger than any call).
r=$(rr -b $G -t 0.5 --trail "$(printf '00%.0s' $(seq 4000))" v1 10.1.2.74)
case $r in
*accept=GARBAGE_ARGS*|noreply) t_ok "oversized datagram: GARBAGE_ARGS or dropped" ;;
*) t_fail "oversized datagram: got '$r'" ;;
esac
# A call header whose credential claims 400 bytes.
r=$(rr -b $G -t 0.5 bytes 222200050000000000000002000dbc05000000010000000100000000000001900000000000000000)
t_nomatch 'accept=SUCCESS' "$r" "credential longer than the datagram: not accepted"

# Truncated TCP records, then close; an oversized record mark.
rr -b $G -T --short 30 v1 10.1.2.70 >/dev/null
rr -b $G -T --short 43 v1 10.1.2.71 >/dev/null
rr -b $G -H ::1 -T --short 50 add 10.1.2.72 >/dev/null
"$PYTHON" - "$RAWRPC" <<'EOF'
# Record marks of 2 GiB - 1 and 1 MiB with a few bytes behind them.
import importlib.util, socket, sys
spec = importlib.util.spec_from_file_location("rawrpc", sys.argv[1])
rawrpc = importlib.util.module_from_spec(spec); spec.loader.exec_module(rawrpc)
port = rawrpc.getport("127.0.0.1", rawrpc.DRACPROG, 1, tcp=True)
for mark in (0xffffffff, 0x80100000, 0x7fffffff):
    s = socket.create_connection(("127.0.0.1", port), timeout=2)
    try:
        s.sendall(rawrpc.u32(mark) + rawrpc.call_msg(0x33330001, rawrpc.DRACPROG, 1, 1, rawrpc.v1_args("10.1.2.73")))
        s.settimeout(0.5)
        s.recv(100)
    except OSError:
        pass
    s.close()
EOF
t_alive "after garbage and truncated records"
t_eq "$(map_keys | tr '\n' ' ')" "10.1.2.3 10.1.2.42 " "no garbage or truncated record reached the map"

# A client that sends part of a record and then waits must not stall
# anybody else (DRAC 1.12 froze for 35 s).
"$PYTHON" - "$RAWRPC" <<'EOF' &
import importlib.util, socket, sys, time
spec = importlib.util.spec_from_file_location("rawrpc", sys.argv[1])
rawrpc = importlib.util.module_from_spec(spec); spec.loader.exec_module(rawrpc)
port = rawrpc.getport("127.0.0.1", rawrpc.DRACPROG, 1, tcp=True)
s = socket.create_connection(("127.0.0.1", port), timeout=2)
m = rawrpc.call_msg(0x55550001, rawrpc.DRACPROG, 1, 1, rawrpc.v1_args("10.1.2.90"))
s.sendall(rawrpc.u32(0x80000000 | len(m)) + m[:10])
time.sleep(3)
s.close()
EOF
stall=$!
sleep 0.5
t0=$(now_f)
u=$(field addstat "$(rr -b $G -t 1 v1 10.1.2.91)")
t=$(field addstat "$(rr -b $G -t 1 -T v1 10.1.2.92)")
t1=$(now_f)
t_eq "$u $t" "0 0" "UDP and TCP served while another TCP client sits on half a record"
float_le "$t1" "$(awk -v a="$t0" 'BEGIN { printf "%.6f", a + 1.5 }')" &&
    t_ok "... promptly" || t_fail "... but slowly ($t0 .. $t1)"
wait "$stall"
t_eq "$(map_value 10.1.2.90)" "" "the half record was not acted on"

# ---- DRAC 1.12's leftover bug: a short datagram after a full ADD --------
# On one socket: a full v1 ADD of 10.1.2.80, then, a second later, the
# same call without its argument, with half of it, with one byte.  None
# may store 10.1.2.80 again (its expiry would move) nor anything else.
out=$("$PYTHON" - "$RAWRPC" "$G" <<'EOF'
import importlib.util, socket, sys, time
spec = importlib.util.spec_from_file_location("rawrpc", sys.argv[1])
rawrpc = importlib.util.module_from_spec(spec); spec.loader.exec_module(rawrpc)
port = rawrpc.getport("127.0.0.1", rawrpc.DRACPROG, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[2], 0))
s.settimeout(1.0)
def ask(xid, cut):
    m = rawrpc.call_msg(xid, rawrpc.DRACPROG, 1, 1, rawrpc.v1_args("10.1.2.80"))
    s.sendto(m[:cut], ("127.0.0.1", port))
    try:
        r = rawrpc.parse_reply(s.recv(1000))
        res = rawrpc.decode_results(1, 1, r["results"]) if r.get("accept") == "SUCCESS" else []
        return "%s%s" % (r.get("accept"), "".join(" %s=%s" % kv for kv in res))
    except socket.timeout:
        return "noreply"
t0 = int(time.time())
print("full", ask(0x44440001, 44))
t1 = int(time.time())
print("window", t0 + 1800, t1 + 1801)	# a TTL counts from the next second
for _ in range(30):			# until the clock has passed t1
    if int(time.time()) > t1:
        break
    time.sleep(0.1)
print("short", ask(0x44440002, 40))
print("short", ask(0x44440003, 42))
print("short", ask(0x44440004, 41))
EOF
)
t_eq "$(field_sp full "$out")" "SUCCESS addstat=0" "full v1 ADD on the socket: SUCCESS"
bad=$(printf '%s\n' "$out" | sed -n 's/^short //p' | grep -v -x -e GARBAGE_ARGS -e noreply)
t_eq "$bad" "" "short datagrams after a full ADD: GARBAGE_ARGS or no reply"
set -- $(field_sp window "$out")
t_range "$(map_value 10.1.2.80)" "$1" "$2" "short datagrams did not re-add the previous address"
t_eq "$(map_keys | tr '\n' ' ')" "10.1.2.3 10.1.2.42 10.1.2.80 10.1.2.91 10.1.2.92 " "short datagrams stored no garbage"

t_alive "after every refusal"
log=$(cat "$T/dracd.log")
t_match 'caller 127\.0\.0\.2: .*malformed' "$log" "malformed calls are logged with the caller's address"
t_match 'caller 127\.0\.0\.2: .*224\.0\.0\.1' "$log" "refused addresses are logged with the caller's address"
t_dracd_stop
t_done
