#!/bin/bash
# core-wire.sh: DRAC 1.12 records built by hand (tests/rawrpc.py) against
# the real rpc.dracd: the reply bytes and the map, both checked exactly.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
core_init
t_dracd

# An accepted reply: xid, REPLY, MSG_ACCEPTED, AUTH_NONE verifier of
# length 0, SUCCESS, then the result.
ok_reply() { printf '%s0000000100000000000000000000000000000000%s' "$1" "$2"; }

# NULLPROC: an accepted reply with no result.
r=$(rr -x 0x0a0b0c0d --hex null 1)
t_eq "$r" "reply=$(ok_reply 0a0b0c0d '')" "v1 NULLPROC reply bytes (UDP)"
r=$(rr -x 0x0a0b0c0e --hex null 2)
t_eq "$r" "reply=$(ok_reply 0a0b0c0e '')" "v2 NULLPROC reply bytes (UDP)"

# v1 ADD over UDP: 10.1.2.3 is the host-order number 0x0A010203.
before=$(date +%s)
r=$(rr -x 0x01020304 --hex v1 10.1.2.3)
after=$(date +%s)
t_eq "$r" "reply=$(ok_reply 01020304 00000000)" "v1 ADD reply bytes: xid echoed, SUCCESS, ADD_SUCCESS"
v=$(map_value 10.1.2.3)
t_range "$v" $((before + 1800 - 2)) $((after + 1800 + 2)) "v1 ADD: map value is the expiry, now + 30 min"
t_match '^[0-9]+$' "$v" "v1 ADD: value is bare decimal (no NUL)"

# The same number given raw: the argument really is host order.
r=$(rr -x 0x01020305 --hex v1 --int 0x0a010204)
t_eq "$r" "reply=$(ok_reply 01020305 00000000)" "v1 ADD of 0x0A010204 replies ADD_SUCCESS"
t_eq "$(map_keys | grep -c '^10\.1\.2\.4$')" 1 "0x0A010204 is stored as 10.1.2.4"

# v1 over TCP, the record split into 3 fragments.
r=$(rr -T --frag 16 -x 0x01020306 --hex v1 10.1.2.5)
t_eq "$r" "reply=$(ok_reply 01020306 00000000)" "v1 ADD in a fragmented TCP record"
t_eq "$(map_keys | grep -c '^10\.1\.2\.5$')" 1 "TCP ADD stored 10.1.2.5"

# v1 over UDP and TCP on IPv6 transports.
r=$(rr -H ::1 -x 0x01020307 --hex v1 10.1.2.6)
t_eq "$r" "reply=$(ok_reply 01020307 00000000)" "v1 ADD over udp6"
r=$(rr -H ::1 -T -x 0x01020308 --hex v1 10.1.2.7)
t_eq "$r" "reply=$(ok_reply 01020308 00000000)" "v1 ADD over tcp6"

# v2 ADD6: 16 XDR ints.  Keys are inet_ntop() text.
r=$(rr -x 0x02000001 --hex v2 2001:db8::1)
t_eq "$r" "reply=$(ok_reply 02000001 00000000)" "v2 ADD reply bytes"
before=$(date +%s)
rr v2 2001:db8:0:1:1:1:1:1 >/dev/null
rr v2 2001:db8:80ff::abcd >/dev/null
rr v2 --unsigned 2001:db8:fe80::9 >/dev/null
rr -T v2 2001:db8::2 >/dev/null
rr -H ::1 v2 2001:db8::3 >/dev/null
rr v2 ::ffff:10.1.2.8 >/dev/null
after=$(date +%s)
v=$(map_value 2001:db8:0:1:1:1:1:1)
t_range "$v" $((before + 1800 - 2)) $((after + 1800 + 2)) "single zero group stays uncompressed: 2001:db8:0:1:1:1:1:1"
t_present "$(map_value 2001:db8:80ff::abcd)" "bytes >= 0x80 sent sign-extended (signed char client)"
t_present "$(map_value 2001:db8:fe80::9)" "bytes >= 0x80 sent as 0..255 (unsigned char client)"
t_present "$(map_value 10.1.2.8)" "v4-mapped ::ffff:10.1.2.8 stored as 10.1.2.8"
t_eq "$(map_keys | grep -c ffff)" 0 "no ::ffff: key in the map"

# Re-ADD moves the expiry forward.
old=$(map_value 10.1.2.3)
sleep 1.1
before=$(date +%s)
r=$(rr v1 10.1.2.3)
after=$(date +%s)
t_eq "$(field addstat "$r")" 0 "re-ADD succeeds"
new=$(map_value 10.1.2.3)
t_range "$new" $((before + 1800)) $((after + 1801)) "re-ADD: expiry = now + 30 min again"
t_range "$new" $((old + 1)) $((old + 100)) "re-ADD moves the expiry forward"

# The whole map, exactly.
want="10.1.2.3
10.1.2.4
10.1.2.5
10.1.2.6
10.1.2.7
10.1.2.8
2001:db8:0:1:1:1:1:1
2001:db8:80ff::abcd
2001:db8:fe80::9
2001:db8::1
2001:db8::2
2001:db8::3"
t_eq "$(map_keys)" "$(printf '%s\n' "$want" | sort)" "map holds exactly the added keys"
t_eq "$(t_dump | awk '$2 !~ /^[0-9]+$/' | wc -l)" 0 "every value is bare decimal"

t_alive "after the wire tests"
t_dracd_stop
t_done
