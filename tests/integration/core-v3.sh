#!/bin/bash
# core-v3.sh: version 3 (ADD with user and TTL, DROP, QUERY, LIST, STATS)
# through the hand-built client, checked against the reply and the map.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
core_init
started=$(date +%s)
t_dracd -m 60

# ADD with a TTL and a user: the reply's expiry is the map's value.
before=$(date +%s)
r=$(rr add 10.1.2.3 --ttl 300 --user alice)
after=$(date +%s)
t_eq "$(field accept "$r") $(field status "$r")" "SUCCESS 0" "v3 ADD ttl 300 user alice: DRAC3_OK"
exp=$(field expires "$r")
t_range "$exp" $((before + 300)) $((after + 300 + 1)) "v3 ADD: expires = now + 300"
t_eq "$(map_value 10.1.2.3)" "$exp" "v3 ADD: map value equals the reply's expiry"

r=$(rr query 10.1.2.3)
t_eq "$(field status "$r")" 0 "QUERY of an added address: OK"
t_eq "$(field addr "$r")" 10.1.2.3 "QUERY: addr"
t_eq "$(field expires "$r")" "$exp" "QUERY: expires"
t_eq "$(field ttl "$r")" 300 "QUERY: ttl"
t_eq "$(field how "$r")" 3 "QUERY: how = DRAC3_HOW_V3"
t_eq "$(field user "$r")" alice "QUERY: user"
t_range "$(field added "$r")" $((before - 1)) $((after + 1)) "QUERY: added = time of the ADD"
t_eq "$(field trailing "$r")" "" "QUERY reply has no trailing bytes"

# TTL 0 means the default (-e, 30 minutes); a huge TTL is clamped to -m.
before=$(date +%s)
r=$(rr add 10.1.2.4 --ttl 0)
after=$(date +%s)
t_range "$(field expires "$r")" $((before + 1800)) $((after + 1801)) "ttl 0: expires now + 30 min (the -e default)"
t_eq "$(field ttl "$(rr query 10.1.2.4)")" 1800 "ttl 0: QUERY shows ttl 1800"
t_eq "$(field user "$(rr query 10.1.2.4)")" "" "no user: QUERY shows an empty user"
before=$(date +%s)
r=$(rr add 10.1.2.5 --ttl 4294967295 --user bob)
after=$(date +%s)
t_eq "$(field status "$r")" 0 "ttl 2^32-1 accepted"
t_range "$(field expires "$r")" $((before + 3600)) $((after + 3601)) "ttl 2^32-1 clamped to -m 60 (3600 s)"
t_eq "$(field ttl "$(rr query 10.1.2.5)")" 3600 "clamped ttl shown by QUERY"
r=$(rr add 10.1.2.6 --ttl 3601)
t_eq "$(field ttl "$(rr query 10.1.2.6)")" 3600 "ttl 3601 clamped to 3600"
r=$(rr add 10.1.2.6 --ttl 3600)
t_eq "$(field ttl "$(rr query 10.1.2.6)")" 3600 "ttl 3600 kept"

# IPv6, over IPv6 transports and TCP.
r=$(rr -H ::1 add 2001:db8::7 --ttl 100 --user bob)
t_eq "$(field status "$r")" 0 "v3 ADD of 2001:db8::7 over udp6"
t_eq "$(map_value 2001:db8::7)" "$(field expires "$r")" "IPv6 map key in inet_ntop form, value = expires"
r=$(rr -H ::1 -T query 2001:db8::7)
t_eq "$(field addr "$r") $(field user "$r") $(field ttl "$r")" "2001:db8::7 bob 100" "QUERY over tcp6"
r=$(rr add ::ffff:10.1.2.9 --user mapped)
t_present "$(map_value 10.1.2.9)" "v3 ADD of ::ffff:10.1.2.9 stored as 10.1.2.9"
t_eq "$(field user "$(rr query 10.1.2.9)")" mapped "QUERY of the plain IPv4 finds the mapped ADD"

# how: v1 and v2 ADDs are recorded as such.
rr v1 10.1.2.8 >/dev/null
rr v2 2001:db8::8 >/dev/null
r=$(rr query 10.1.2.8)
t_eq "$(field how "$r") $(field ttl "$r") $(field user "$r")" "1 1800 " "v1 ADD: how 1, ttl 1800, no user"
t_eq "$(field how "$(rr query 2001:db8::8)")" 2 "v2 ADD: how 2"

# Re-ADD replaces user and TTL.
r=$(rr -T add 10.1.2.3 --ttl 600 --user carol)
r=$(rr query 10.1.2.3)
t_eq "$(field user "$r") $(field ttl "$r")" "carol 600" "re-ADD replaces user and ttl"
t_eq "$(map_value 10.1.2.3)" "$(field expires "$r")" "re-ADD: map value follows"

# A user name of exactly DRAC3_USER_MAX bytes; control characters.
u64=$(printf 'u%.0s' $(seq 64))
r=$(rr add 10.1.2.10 --user "$u64")
t_eq "$(field status "$r")" 0 "64-byte user accepted"
t_eq "$(field user "$(rr query 10.1.2.10)")" "$u64" "64-byte user kept whole"
r=$(rr add 10.1.2.11 --user "$(printf 'ev\til')")
t_eq "$(field status "$r")" 7 "user with a TAB: DRAC3_BADARG"
r=$(rr add 10.1.2.11 --user "$(printf 'ev\nil')")
t_eq "$(field status "$r")" 7 "user with a newline: DRAC3_BADARG"
t_eq "$(map_value 10.1.2.11)" "" "BADARG: nothing stored"

# DROP and QUERY of absent addresses.
r=$(rr drop 10.1.2.4)
t_eq "$(field status "$r")" 0 "DROP of a present address: OK"
t_eq "$(map_value 10.1.2.4)" "" "DROP removed the key from the map"
t_eq "$(field status "$(rr query 10.1.2.4)")" 5 "QUERY after DROP: NOTFOUND"
t_eq "$(field status "$(rr drop 10.1.2.4)")" 5 "second DROP: NOTFOUND"
t_eq "$(field status "$(rr query 10.9.9.9)")" 5 "QUERY of a never-added address: NOTFOUND"
t_eq "$(field status "$(rr -H ::1 -T drop 2001:db8::99)")" 5 "DROP of an absent IPv6 address: NOTFOUND"
r=$(rr -T drop 2001:db8::7)
t_eq "$(field status "$r")" 0 "DROP over TCP"
t_eq "$(map_value 2001:db8::7)" "" "DROP removed the IPv6 key"

# LIST pages through everything, each entry once, matching the map.
want=$(map_keys)
n=$(printf '%s\n' "$want" | wc -l)
r=$(rr list --all --max 2)
got=$(fields entry "$r" | awk '{ print $1 }' | sort)
t_eq "$got" "$want" "LIST --max 2 returns each map entry once"
t_eq "$(fields page "$r" | wc -l)" $(( (n + 1) / 2 )) "LIST: $n entries in pages of 2"
t_eq "$(fields status "$r" | sort -u)" 0 "LIST: every page OK"
t_eq "$(fields cursor "$r" | tail -n 1)" 0 "LIST: last cursor is 0"
t_eq "$(fields entry "$r" | awk '{ print $1, $2 }' | sort)" "$(t_dump)" "LIST: expiries equal the map values"
t_eq "$(fields entry "$r" | awk '$1 == "10.1.2.3" { print $4, $5, $6 }')" "600 3 carol" "LIST: ttl, how and user of an entry"
r=$(rr -T list --max 256)
t_eq "$(fields entry "$r" | wc -l) $(field cursor "$r")" "$n 0" "LIST over TCP in one page"

# STATS: named counters that follow the calls.
s1=$(rr stats)
t_eq "$(field status "$s1")" 0 "STATS: OK"
missing=""
for c in calls_v1_add calls_v2_add calls_v3_add calls_v3_drop \
    calls_v3_query calls_v3_list calls_v3_stats calls_null ok perm \
    syserr badaddr notfound malformed badauth expired dropped live \
    reloads reload_failures start_time socketmap_lookups; do
	case $(field "counter.$c" "$s1") in
	''|*[!0-9]*) missing="$missing $c" ;;
	esac
done
t_eq "$missing" "" "STATS has every documented counter"
t_range "$(field counter.start_time "$s1")" $((started - 1)) $((started + 25)) "STATS start_time is when the daemon started"
t_eq "$(field counter.live "$s1")" "$n" "STATS live = entries in the map"
rr add 10.1.2.12 >/dev/null
rr query 10.1.2.12 >/dev/null
rr query 10.9.9.8 >/dev/null
rr drop 10.1.2.12 >/dev/null
rr v1 10.1.2.13 >/dev/null
rr v2 2001:db8::13 >/dev/null
rr null >/dev/null
s2=$(rr stats)
d() { echo $(( $(field "counter.$1" "$s2") - $(field "counter.$1" "$s1") )); }
t_eq "$(d calls_v3_add) $(d calls_v3_query) $(d calls_v3_drop) $(d calls_v1_add) $(d calls_v2_add) $(d calls_null) $(d calls_v3_stats)" \
    "1 2 1 1 1 1 1" "STATS call counters moved by the calls made"
t_eq "$(d notfound) $(d dropped)" "1 1" "STATS notfound and dropped moved by one"
t_eq "$(d live)" 2 "STATS live: +1 -1 +1 +1"
t_eq "$(field counter.live "$s2")" "$(map_keys | wc -l)" "STATS live = entries in the map"

t_alive "after the v3 tests"
t_dracd_stop
t_done
