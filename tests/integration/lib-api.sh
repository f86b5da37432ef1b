#!/bin/bash
# lib-api.sh: both libdrac APIs against a real rpcbind and rpc.dracd:
# v3 (the default), v1 and v2 (DRAC_V12ONLY), IPv4 and IPv6, user and
# TTL, drop, query, TCP, several servers, per-thread state, argument
# errors, and an untrusted caller.  The map is checked with db5.3_dump.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/lib-util.sh"
PORT=7201
l_init
t_rpcbind
t_dracd -p $PORT

# ---- DRAC 1.12 API (speaks v3 to this daemon) ----
before=$(date +%s)
lc auth 10.1.2.3
after=$(date +%s)
t_eq "$(f rc) $(f msg)" "0 Server reports add succeeded" "dracauth(10.1.2.3): 0"
in_range "$(mapval 10.1.2.3)" $((before + 1800)) $((after + 1801)) "dracauth: map 10.1.2.3 = now + 30 min"
lc query 10.1.2.3
t_eq "$(f how) $(f user) $(f ttl)" "3  1800" "dracauth went over v3, no user, default ttl"
t_eq "$(f expires)" "$(mapval 10.1.2.3)" "query expiry = map value"

lc auth6 2001:db8::5
t_eq "$(f rc) $(f msg)" "0 Server reports add succeeded" "dracauth6(2001:db8::5): 0"
t_present "$(mapval 2001:db8::5)" "dracauth6: map key 2001:db8::5"
lc auth6 2001:db8:0:1:1:1:1:1
t_eq "$(f rc)" 0 "dracauth6(2001:db8:0:1:1:1:1:1): 0"
t_present "$(mapval 2001:db8:0:1:1:1:1:1)" "single zero group kept uncompressed in the key"
lc auth6 ::ffff:10.1.2.4
t_eq "$(f rc)" 0 "dracauth6 of a v4-mapped address: 0"
t_present "$(mapval 10.1.2.4)" "v4-mapped stored as plain IPv4"

lc conn 10.1.3.1 10.1.3.2 10.1.3.3
t_eq "$(printf '%s\n' "$OUT" | grep -c '^rc=0$')" 5 "dracconn, 3 x dracsend, dracdisc: all 0"
t_eq "$(printf '%s\n' "$OUT" | grep -c '^msg=Server reports add succeeded$')" 3 "dracsend messages"
t_eq "$(mapval 10.1.3.3 | grep -c .)" 1 "dracsend: 10.1.3.3 in the map"
lc conn6 2001:db8::31 2001:db8::32
t_eq "$(printf '%s\n' "$OUT" | grep -c '^rc=0$')" 4 "dracconn6, 2 x dracsend6, dracdisc6: all 0"
t_present "$(mapval 2001:db8::32)" "dracsend6: 2001:db8::32 in the map"
lc send 10.1.3.9
t_eq "$(f rc)" -1 "dracsend without dracconn: -1"
t_match "dracconn" "$(f msg)" "dracsend without dracconn says so"
lc -s 'no.such.host.invalid' auth 10.1.3.9
t_eq "$(f rc)" -1 "dracauth to an unknown host: -1"
lc -s 'bad:port:x,' auth 10.1.3.9
t_eq "$(f rc)" -1 "dracauth with a bad server list: -1"
t_match 'server ""|empty' "$(f msg)" "bad server list: the message quotes it"

lc threads 8 20
t_eq "$(f calls) $(f bad) $(f shared_msg)" "320 0 0" "8 threads x 20 dracauth + dracsend: all succeed, messages per thread"
t_eq "$(t_dump | grep -c '^10\.7[78]\.')" 320 "threads: 320 keys in the map"

# ---- drac_ API over v3 ----
before=$(date +%s)
lc add 10.2.0.1 600 alice
after=$(date +%s)
t_eq "$(f rc) $(f msg)" "0 " "drac_add ttl 600 user alice: DRAC_OK, empty err"
exp=$(mapval 10.2.0.1)
in_range "$exp" $((before + 600)) $((after + 601)) "drac_add: map value = now + 600"
lc query 10.2.0.1
t_eq "$(f rc) $(f addr) $(f user) $(f ttl) $(f how)" "0 10.2.0.1 alice 600 3" "drac_query: user, ttl, how"
t_eq "$(f expires)" "$exp" "drac_query: expires = map value"
in_range "$(f added)" $((before - 1)) $((after + 1)) "drac_query: added"

lc add 2001:db8::5 120 bob
t_eq "$(f rc)" 0 "drac_add IPv6 with user"
lc query IPv6:2001:DB8:0:0:0:0:0:5
t_eq "$(f rc) $(f addr) $(f user) $(f ttl)" "0 2001:db8::5 bob 120" "drac_query with IPv6: tag and upper case"
t_eq "$(f expires)" "$(mapval 2001:db8::5)" "IPv6 re-add: map value = new expiry"

lc add-sa 10.2.0.2 300 carol
t_eq "$(f rc)" 0 "drac_client_add_sa (AF_INET)"
t_eq "$(user_of 10.2.0.2)" carol "add_sa: user stored"
lc add-sa 2001:db8::22 300 dave
t_eq "$(f rc)" 0 "drac_client_add_sa (AF_INET6)"
t_eq "$(user_of 2001:db8::22)" dave "add_sa IPv6: user stored"
lc drop-sa 2001:db8::22
t_eq "$(f rc)" 0 "drac_client_drop_sa"
t_eq "$(mapval 2001:db8::22)" "" "drop_sa: gone from the map"

lc drop 10.2.0.1
t_eq "$(f rc)" 0 "drac_drop: DRAC_OK"
t_eq "$(mapval 10.2.0.1)" "" "drac_drop: gone from the map"
lc query 10.2.0.1
t_eq "$(f rc)" 5 "drac_query after drop: DRAC_NOTFOUND"
t_match '^localhost: server reports no such entry$' "$(f msg)" "NOTFOUND message names the server"
lc drop 10.2.0.1
t_eq "$(f rc)" 5 "drac_drop of an absent address: DRAC_NOTFOUND"

lc -P add 10.2.0.3 60 tcpuser
t_eq "$(f rc)" 0 "DRAC_TCP: add"
lc -P query 10.2.0.3
t_eq "$(f rc) $(f user)" "0 tcpuser" "DRAC_TCP: query"

lc client add:10.2.0.4 query:10.2.0.4 drop:10.2.0.4 query:10.2.0.4
t_eq "$(f new)" ok "drac_client_new"
t_eq "$(printf '%s\n' "$OUT" | sed -n 's/^rc=//p' | tr '\n' ' ')" "0 0 0 0 5 " "one client: new, add, query, drop, query -> NOTFOUND"

lc noerr 10.2.0.5
t_eq "$(f rc)" 0 "err NULL, errlen 0: works"

# Servers given as host:port and [v6]:port: no rpcbind lookup.
port=$PORT
lc -s "127.0.0.1:$port" add 10.2.0.6
t_eq "$(f rc)" 0 "server 127.0.0.1:PORT (no rpcbind lookup)"
lc -s "[::1]:$port" add 10.2.0.7
t_eq "$(f rc)" 0 "server [::1]:PORT"
lc -s "::1" add 10.2.0.8
t_eq "$(f rc)" 0 "server ::1 (bare IPv6, rpcbind)"

# Several servers: every one gets the ADD; a dead one is named.
lc -s "localhost,127.0.0.1:$port" add 10.2.1.1 60 multi
t_eq "$(f rc) $(f msg)" "0 " "two servers, both up: DRAC_OK"
lc -s "localhost,127.0.0.1:9,[::1]:9" add 10.2.1.2 60 multi
t_eq "$(f rc)" -2 "one of three servers down: DRAC_ECALL"
t_match '^127\.0\.0\.1:9: .*refused; \[::1\]:9: .*refused$' "$(f msg)" "err names both dead servers, not the live one"
t_eq "$(user_of 10.2.1.2)" multi "the live server still got the ADD"
lc -s "127.0.0.1:9,localhost" query 10.2.1.2
t_eq "$(f rc) $(f user)" "0 multi" "query: the first server that answers"
lc -s "127.0.0.1:9" auth 10.2.1.3
t_eq "$(f rc)" -2 "dracauth to a dead host:port: -2"
t_match '^127\.0\.0\.1:9: RPC: ' "$(f msg)" "dracauth: the RPC library's text"

# Server answers and argument errors.
lc add 224.0.0.1
t_eq "$(f rc)" 4 "multicast: DRAC_BADADDR from the server"
lc auth 255.255.255.255
t_eq "$(f rc) $(f msg)" "3 Server reports address refused" "dracauth of broadcast: 3 (ADD_UNKOWN's place)"
lc add 10.2.0.9 60 "$(printf 'a\tb')"
t_eq "$(f rc)" 7 "user with a control character: DRAC_BADARG"
lc add 10.2.0.9 60 "$(printf '%065d' 0)"
t_eq "$(f rc)" -3 "user of 65 bytes: DRAC_EINVAL"
lc add 10.2.0.300
t_eq "$(f rc)" -3 "bad address text: DRAC_EINVAL"
t_match 'bad address "10.2.0.300"' "$(f msg)" "EINVAL message quotes the address"
lc -s "localhost:0" add 10.2.0.9
t_eq "$(f rc)" -3 "port 0: DRAC_EINVAL"
lc -s "localhost:70000" add 10.2.0.9
t_eq "$(f rc)" -3 "port 70000: DRAC_EINVAL"
lc -s "$(printf 'h%.0s,' $(seq 17))h" add 10.2.0.9
t_eq "$(f rc)" -3 "more than 16 servers: DRAC_EINVAL"
lc -k /nonexistent/key add 10.2.0.9
t_eq "$(f rc)" -3 "keyfile (not supported yet): DRAC_EINVAL, not silently unsigned"
lc -3 -o add 10.2.0.9
t_eq "$(f rc)" -3 "DRAC_V3ONLY with DRAC_V12ONLY: DRAC_EINVAL"
t_eq "$(mapval 10.2.0.9)" "" "nothing was written by the refused calls"
for c in 0 1 2 3 4 5 6 7 -1 -2 -3 -4; do
	lc strerror $c
	t_match '^[a-z]' "$(f msg)" "drac_strerror($c): $(f msg)"
done

# ---- v1 and v2 through libdrac (DRAC_V12ONLY) ----
before=$(date +%s)
lc -o add 10.3.0.1 600 ignored
after=$(date +%s)
t_eq "$(f rc)" 0 "DRAC_V12ONLY IPv4 add (v1)"
in_range "$(mapval 10.3.0.1)" $((before + 1800)) $((after + 1801)) "v1: default lifetime, ttl not carried"
lc query 10.3.0.1
t_eq "$(f how) $(f user)" "1 " "v1: the daemon records how=v1, no user"
lc -o add 2001:db8::3:1
t_eq "$(f rc)" 0 "DRAC_V12ONLY IPv6 add (v2)"
lc query 2001:db8::3:1
t_eq "$(f how)" 2 "v2: the daemon records how=v2"
t_present "$(mapval 2001:db8::3:1)" "v2: key in the map"
lc -o -P add 2001:db8::3:2
t_eq "$(f rc)" 0 "v2 over TCP"
lc -o drop 10.3.0.1
t_eq "$(f rc)" -4 "DRAC_V12ONLY drop: DRAC_ENOTSUP"
t_present "$(mapval 10.3.0.1)" "DRAC_V12ONLY drop: nothing dropped"

# ---- an untrusted caller: only 127.0.0.2 is trusted ----
printf '127.0.0.2/32\n' > "$T/dracd.allow"
kill -HUP "$DRACD_PID"
t_wait 5 sh -c "'$LIBCALL' -s 127.0.0.1 query 10.4.0.9 | grep -qx rc=1" ||
    t_fail "SIGHUP: the new allow file did not take effect"
keys_before=$(t_dump | wc -l)
lc -s 127.0.0.1 auth 10.4.0.1
t_eq "$(f rc) $(f msg)" "1 Server reports permission denied" "untrusted dracauth: 1, permission denied"
lc -s 127.0.0.1 add 10.4.0.1 60 eve
t_eq "$(f rc)" 1 "untrusted drac_add: DRAC_PERM"
t_match '^127\.0\.0\.1: server reports permission denied$' "$(f msg)" "DRAC_PERM message names the server"
lc -s 127.0.0.1 -o add 10.4.0.1
t_eq "$(f rc)" 1 "untrusted v1 add: DRAC_PERM"
lc -s 127.0.0.1 conn 10.4.0.1
t_eq "$(printf '%s\n' "$OUT" | sed -n 's/^rc=//p' | tr '\n' ' ')" "0 1 0 " "untrusted dracsend: 1"
t_eq "$(t_dump | wc -l)" "$keys_before" "untrusted calls wrote nothing"
t_eq "$(mapval 10.4.0.1)" "" "10.4.0.1 not in the map"
t_match 'untrusted caller 127\.0\.0\.1' "$(cat "$T/dracd.log")" "the daemon logged the refusal with the caller's address"

printf '127.0.0.0/8\n::1/128\n' > "$T/dracd.allow"
kill -HUP "$DRACD_PID"
t_wait 5 sh -c "'$LIBCALL' -s 127.0.0.1 add 10.4.0.2 | grep -qx rc=0" ||
    t_fail "SIGHUP: trusting 127.0.0.1 again did not take effect"
t_present "$(mapval 10.4.0.2)" "trusted again: the same call is stored"

t_dracd_stop
l_done
