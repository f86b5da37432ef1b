#!/bin/bash
# lib-fallback.sh: libdrac and dracauth(1) against tests/olddracd.py, a
# stand-in for an unmodified DRAC 1.12 daemon (versions 1 and 2 only):
# ADD falls back to v1/v2 with the exact wire encoding, the fallback is
# remembered per server, drop and query say DRAC_ENOTSUP.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/lib-util.sh"
l_init
t_rpcbind

OLD=127.0.0.1:7301
olddracd 7301
: > "$T/old.log"
oldlog() { cat "$T/old.log"; }
lastlog() { tail -n 1 "$T/old.log"; }

# rpcgen's xdr_char sends a byte >= 0x80 sign-extended where char is signed.
case $(uname -m) in
x86_64|i?86) b8=ffffffb8 ;;
*) b8=b8 ;;
esac

# ---- DRAC 1.12 API ----
lc -s $OLD auth 10.6.0.1
t_eq "$(f rc) $(f msg)" "0 Server reports add succeeded" "dracauth to DRAC 1.12: 0"
t_eq "$(lastlog)" "v1 10.6.0.1" "v1 ADD carried 10.6.0.1 in host order"
t_eq "$(grep -c '^mismatch v3$' "$T/old.log")" 1 "one v3 attempt before falling back"
lc -s $OLD auth6 2001:db8::5
t_eq "$(f rc)" 0 "dracauth6 to DRAC 1.12: 0"
t_eq "$(lastlog)" "v2 2001:db8::5 ints=20,1,d,$b8,0,0,0,0,0,0,0,0,0,0,0,5" "v2 ADD: 16 XDR ints as rpcgen encodes them"
lc -s $OLD auth6 2001:db8:0:1:1:1:1:1
t_eq "$(lastlog)" "v2 2001:db8:0:1:1:1:1:1 ints=20,1,d,$b8,0,0,0,1,0,1,0,1,0,1,0,1" "v2 ADD of 2001:db8:0:1:1:1:1:1"
lc -s $OLD auth6 ::ffff:10.6.0.2
t_eq "$(lastlog)" "v1 10.6.0.2" "v4-mapped address goes as v1"
lc -s $OLD conn 10.6.0.3 10.6.0.4 10.6.0.5
t_eq "$(printf '%s\n' "$OUT" | grep -c '^rc=0$')" 5 "dracconn/dracsend x3/dracdisc: all 0"
t_eq "$(tail -n 4 "$T/old.log" | tr '\n' ' ')" "mismatch v3 v1 10.6.0.3 v1 10.6.0.4 v1 10.6.0.5 " "kept connection: v3 tried once, then v1 remembered"

# ---- drac_ API ----
: > "$T/old.log"
lc -s $OLD add 10.6.1.1 600 bob
t_eq "$(f rc) $(f msg)" "0 " "drac_add to DRAC 1.12: DRAC_OK (ttl and user cannot be sent)"
t_eq "$(lastlog)" "v1 10.6.1.1" "drac_add: v1"
lc -s $OLD add 2001:db8::61 600 bob
t_eq "$(f rc) $(lastlog)" "0 v2 2001:db8::61 ints=20,1,d,$b8,0,0,0,0,0,0,0,0,0,0,0,61" "drac_add IPv6: v2"
lc -s $OLD -P add 10.6.1.2
t_eq "$(f rc) $(lastlog)" "0 v1 10.6.1.2" "DRAC_TCP: v1 over TCP"
lc -s $OLD -P add 2001:db8::62
t_eq "$(f rc)" 0 "DRAC_TCP: v2 over TCP"
lc -s localhost:7301 add 10.6.1.3
t_eq "$(f rc) $(lastlog)" "0 v1 10.6.1.3" "localhost:PORT: ::1 refused, 127.0.0.1 answers"
n=$(grep -c '^v' "$T/old.log")
lc -s $OLD drop 10.6.1.1
t_eq "$(f rc)" -4 "drac_drop to DRAC 1.12: DRAC_ENOTSUP"
t_eq "$(f msg)" "$OLD: server speaks only DRAC 1.12 (versions 1 and 2)" "ENOTSUP message names the server"
lc -s $OLD query 10.6.1.1
t_eq "$(f rc)" -4 "drac_query to DRAC 1.12: DRAC_ENOTSUP"
lc -s $OLD -3 add 10.6.1.4
t_eq "$(f rc)" -4 "DRAC_V3ONLY add to DRAC 1.12: DRAC_ENOTSUP"
lc -s $OLD add 224.0.0.1
t_eq "$(f rc)" 4 "multicast to DRAC 1.12: DRAC_BADADDR, refused locally"
t_eq "$(grep -c '^v' "$T/old.log")" "$n" "nothing was added by drop, query, V3ONLY, multicast"
: > "$T/old.log"
lc -s $OLD client add:10.6.2.1 add:10.6.2.2 add:2001:db8::63 query:10.6.2.1 add:10.6.2.3
t_eq "$(printf '%s\n' "$OUT" | sed -n 's/^rc=//p' | tr '\n' ' ')" "0 0 0 0 -4 0 " "one client: adds succeed, query ENOTSUP"
t_eq "$(grep -c '^mismatch v3$' "$T/old.log")" 1 "one client: v3 tried once for the server, then remembered"

# ---- dracauth(1) ----
: > "$T/old.log"
"$DRACAUTH" -s $OLD -u carol -t 60 10.6.3.1 2001:db8::64 2>"$T/err"; rc=$?
t_eq "$rc/$(cat "$T/err")" "0/" "dracauth(1) to DRAC 1.12: exit 0"
t_eq "$(grep -v mismatch "$T/old.log" | tr '\n' ' ')" "v1 10.6.3.1 v2 2001:db8::64 ints=20,1,d,$b8,0,0,0,0,0,0,0,0,0,0,0,64 " "dracauth(1): v1 and v2"
"$DRACAUTH" -s $OLD -q 10.6.3.1 >/dev/null 2>"$T/err"; rc=$?
t_eq "$rc" 1 "dracauth -q to DRAC 1.12: exit 1"
t_eq "$(cat "$T/err")" "dracauth: 10.6.3.1: $OLD: server speaks only DRAC 1.12 (versions 1 and 2)" "dracauth -q: says why"

# ---- registered with rpcbind: found without a port ----
olddracd_stop
: > "$T/old.log"
olddracd 7301 -r
t_match '900101 +1 +udp +7301' "$(rpcinfo -p 127.0.0.1)" "olddracd registered with rpcbind"
lc -s 127.0.0.1 auth 10.6.4.1
t_eq "$(f rc) $(lastlog)" "0 v1 10.6.4.1" "through rpcbind: dracauth falls back to v1"
lc -s localhost add 2001:db8::65
t_eq "$(f rc) $(lastlog)" "0 v2 2001:db8::65 ints=20,1,d,$b8,0,0,0,0,0,0,0,0,0,0,0,65" "through rpcbind: drac_add IPv6 falls back to v2"
lc -s localhost -P drop 10.6.4.1
t_eq "$(f rc)" -4 "through rpcbind: drop is DRAC_ENOTSUP"
"$DRACAUTH" -s localhost 10.6.4.2; rc=$?
t_eq "$rc $(lastlog)" "0 v1 10.6.4.2" "through rpcbind: dracauth(1)"
olddracd_stop

# ---- DRAC 1.12 without IPv6 (version 1 only) ----
olddracd 7302 -1
: > "$T/old.log"
lc -s 127.0.0.1:7302 add 2001:db8::66
t_eq "$(f rc)" -4 "IPv6 to a v1-only server: DRAC_ENOTSUP"
t_match 'without IPv6' "$(f msg)" "v1-only: says IPv6 is missing"
lc -s 127.0.0.1:7302 auth6 2001:db8::66
t_eq "$(f rc)" -1 "dracauth6 to a v1-only server: -1"
lc -s 127.0.0.1:7302 auth 10.6.5.1
t_eq "$(f rc) $(lastlog)" "0 v1 10.6.5.1" "IPv4 to a v1-only server: v1"
olddracd_stop

# ---- its answers: ADD_PERM ----
olddracd 7303 -s 1
lc -s 127.0.0.1:7303 auth 10.6.6.1
t_eq "$(f rc) $(f msg)" "1 Server reports permission denied" "ADD_PERM from DRAC 1.12: dracauth 1"
lc -s 127.0.0.1:7303 add 10.6.6.1
t_eq "$(f rc) $(f msg)" "1 127.0.0.1:7303: server reports permission denied" "ADD_PERM: DRAC_PERM"
olddracd_stop

# ---- an old and a new server in one list ----
olddracd 7301
: > "$T/old.log"
t_dracd
lc -s "$OLD,localhost" client add:10.6.7.1 add:10.6.7.2
t_eq "$(printf '%s\n' "$OUT" | sed -n 's/^rc=//p' | tr '\n' ' ')" "0 0 0 " "old and new server in one client: both adds succeed"
t_eq "$(grep -c '^v1 10.6.7.[12]$' "$T/old.log") $(grep -c mismatch "$T/old.log")" "2 1" "old server: v1, v3 tried once"
t_eq "$(f how "$("$LIBCALL" query 10.6.7.2)")" 3 "new server: v3"
lc -s "$OLD,localhost" add 10.6.7.3 60 both
t_eq "$(f rc)" 0 "one-shot add to both"
t_eq "$(user_of 10.6.7.3)" both "new server kept the user"
lc -s "$OLD,localhost" drop 10.6.7.3
t_eq "$(f rc)" -4 "drop to old+new: DRAC_ENOTSUP (first failure)"
t_eq "$(f msg)" "$OLD: server speaks only DRAC 1.12 (versions 1 and 2)" "drop: only the old server is named"
t_eq "$(mapval 10.6.7.3)" "" "drop: the new server dropped it"
t_dracd_stop
l_done
