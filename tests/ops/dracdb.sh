#!/bin/bash
# dracdb against the real rpc.dracd (add, list as text and JSON, query,
# delete, stats, paging, host:port), offline on the daemon's map and on
# a map in DRAC 1.12's format, dump and load, and its exit statuses.
. "${DRAC_TOP:?}/tests/lib.sh"
t_init "$@"
export TZ=UTC
DB=$DRAC_BUILD/admin/dracdb
PORT=7413

t_rpcbind
t_dracd -p $PORT

# ---- add, list, query, delete online ------------------------------------
"$DB" -a -t 600 -u alice 192.0.2.10
t_eq $? 0 "add with ttl and user exits 0"
"$DB" -a 2001:db8::5 198.51.100.7
t_eq $? 0 "add of two addresses exits 0"
"$DB" -a -u "bob smith" IPv6:2001:db8::6
t_eq $? 0 "add of a tagged IPv6 address with a spaced user exits 0"

now=$(date +%s)
list=$("$DB")
t_eq $? 0 "list exits 0"
t_eq "$(printf '%s\n' "$list" | cut -d' ' -f1 | tr '\n' ' ')" \
    "192.0.2.10 198.51.100.7 2001:db8::5 2001:db8::6 " \
    "list is sorted, IPv4 first, one line per entry"
line=$(printf '%s\n' "$list" | grep '^192\.0\.2\.10 ')
t_match '^192\.0\.2\.10 [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\+0000 (59[0-9]|60[01]) v3 alice$' \
    "$line" "list line: address, local expiry, seconds left, how, user"
exp=$(date -u -d "$(echo "$line" | cut -d' ' -f2 | sed 's/+0000$//')" +%s)
t_eq $((exp - now >= 598 && exp - now <= 601)) 1 "listed local time is about now + ttl"
t_match '^2001:db8::6 .* v3 bob smith$' "$list" "a user with a space is the last field"
t_match '^198\.51\.100\.7 .* (179[0-9]|180[01]) v3 -$' "$list" \
    "default lifetime is 1800 s and no user shows as -"

# JSON: valid, and the same entries with every field.
json=$("$DB" -j)
t_eq $? 0 "list -j exits 0"
printf '%s' "$json" | python3 -m json.tool >/dev/null
t_eq $? 0 "list -j is valid JSON (python3 -m json.tool)"
check=$(printf '%s' "$json" | python3 -c '
import json, sys, time
d = json.load(sys.stdin)
assert isinstance(d, list) and len(d) == 4, d
e = {x["address"]: x for x in d}
a = e["192.0.2.10"]
assert a["user"] == "alice" and a["how"] == "v3" and a["ttl"] == 600, a
# A TTL counts from the next whole second after the ADD.
assert a["expires"] - a["added"] in (600, 601), a
assert 590 <= a["seconds_left"] <= 601, a
assert time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(a["expires"])) == a["expires_local"], a
assert e["198.51.100.7"]["user"] is None and e["198.51.100.7"]["ttl"] == 1800
assert e["2001:db8::6"]["user"] == "bob smith"
print("ok")' 2>&1)
t_eq "$check" ok "list -j has address, expires, local time, seconds left, added, ttl, how, user"

q=$("$DB" -q 192.0.2.10)
t_eq $? 0 "query of a listed address exits 0"
t_match '^192\.0\.2\.10 .* v3 alice$' "$q" "query prints the entry in the list format"
q=$("$DB" -j -q 2001:db8::5)
t_eq "$(printf '%s' "$q" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["address"])')" \
    2001:db8::5 "query -j gives a JSON array of the entry"
err=$("$DB" -q 192.0.2.99 203.0.113.1 2>&1 >/dev/null)
t_eq $? 2 "query of two absent addresses exits 2 (failures)"
t_match '192\.0\.2\.99: not in the map' "$err" "query names the absent address"

"$DB" -d 198.51.100.7
t_eq $? 0 "delete exits 0"
t_nomatch '^198\.51\.100\.7 ' "$(t_dump)" "deleted address left the map file"
"$DB" -d 198.51.100.7 2>/dev/null
t_eq $? 1 "delete of an absent address exits 1"
"$DB" -a 192.0.2.11 not-an-address 224.0.0.1 2>"$T/err"
t_eq $? 2 "add exit status counts the bad and the refused address"
t_match 'not-an-address: not an IPv4 or IPv6 address' "$(cat "$T/err")" "bad address is named"
t_match 'add 224\.0\.0\.1: address refused' "$(cat "$T/err")" "refused multicast address is named"
t_match '^192\.0\.2\.11 ' "$(t_dump)" "good address of the same call is in the map"

# ---- statistics ---------------------------------------------------------
stats=$("$DB" -s)
t_eq $? 0 "stats exits 0"
t_match '^calls_v3_add [0-9]+$' "$stats" "stats has calls_v3_add"
t_eq "$(printf '%s\n' "$stats" | awk '$1 == "calls_v3_add" { print $2 }')" 6 \
    "calls_v3_add counts the six ADD calls"
t_eq "$(printf '%s\n' "$stats" | awk '$1 == "live" { print $2 }')" 4 "live counts the entries"
t_match '^badaddr 1$' "$stats" "badaddr counts the multicast address"
t_match '^start_time [0-9]+$' "$stats" "stats has start_time"
sj=$("$DB" -j -s)
t_eq "$(printf '%s' "$sj" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["calls_v3_drop"], d["notfound"] >= 3)')" \
    "2 True" "stats -j is a JSON object of the counters"

# ---- host:port, without rpcbind -----------------------------------------
t_match '^192\.0\.2\.10 ' "$("$DB" -h 127.0.0.1:$PORT)" "-h 127.0.0.1:PORT lists"
t_match '^192\.0\.2\.10 ' "$("$DB" -h "[::1]:$PORT")" "-h [::1]:PORT lists"
"$DB" -h 127.0.0.1:1 >/dev/null 2>"$T/err"
t_eq $? 1 "unreachable daemon: list fails with status 1"
t_match '127\.0\.0\.1 port 1: Connection refused' "$(cat "$T/err")" "the unreachable daemon is named"
"$DB" -h 127.0.0.1:1 -a 192.0.2.1 192.0.2.2 2>/dev/null
t_eq $? 2 "unreachable daemon: each address of -a fails"

# ---- paging: more entries than one LIST reply ----------------------------
addrs=$(for i in $(seq 1 600); do echo "10.20.$((i / 256)).$((i % 256))"; done)
# shellcheck disable=SC2086
"$DB" -a -t 900 $addrs
t_eq $? 0 "600 adds in one call"
t_eq "$("$DB" | grep -c '^10\.20\.')" 600 "list pages through all 600 entries"
t_eq "$("$DB" -j | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 604 \
    "JSON list has every entry"
# shellcheck disable=SC2086
"$DB" -d $addrs
t_eq $? 0 "600 deletes in one call"

# ---- offline: the daemon's own map and side file --------------------------
off=$("$DB" -f "$T/dracd.db")
t_eq $? 0 "offline list of the daemon's map exits 0"
t_eq "$(printf '%s\n' "$off" | cut -d' ' -f1,4,5- | tr '\n' ';')" \
    "192.0.2.10 v3 alice;192.0.2.11 v3 -;2001:db8::5 v3 -;2001:db8::6 v3 bob smith;" \
    "offline list shows the side file's user and how"
t_eq "$("$DB" -f "$T/dracd.db" -s | tr '\n' ' ')" "entries 4 live 4 expired 0 bad 0 " \
    "offline stats count the map"
t_match '^192\.0\.2\.10 .* alice$' "$("$DB" -f "$T/dracd.db" -q 192.0.2.10)" "offline query"
"$DB" -f "$T/dracd.db" -q 192.0.2.99 2>/dev/null
t_eq $? 1 "offline query of an absent address exits 1"
"$DB" -f "$T/dracd.db" -a 192.0.2.1 2>"$T/err"
t_eq $? 1 "offline add is refused"
t_match 'need rpc\.dracd' "$(cat "$T/err")" "offline add says why"

# ---- offline: a map in DRAC 1.12's format ---------------------------------
now=$(date +%s)
printf '%s\n' 10.1.2.3 $((now + 600)) 10.1.2.4 $((now - 10)) \
    2001:db8::7 $((now + 900)) |
    db5.3_load -T -t btree -c db_pagesize=512 "$T/old.db"
t_match 'db_pagesize=512' "$(db5.3_dump -p "$T/old.db")" "DRAC 1.12 map made with 512-byte pages"
old=$("$DB" -f "$T/old.db")
t_eq $? 0 "offline list of a DRAC 1.12 map exits 0"
t_eq "$(printf '%s\n' "$old" | cut -d' ' -f1,4,5 | tr '\n' ';')" \
    "10.1.2.3 map -;2001:db8::7 map -;" "DRAC 1.12 map: live entries, how 'map', no user"
t_match "^10\.1\.2\.3 .* (59[0-9]|600) map -$" "$old" "DRAC 1.12 map: seconds left from the value"
t_eq "$("$DB" -f "$T/old.db" -s | tr '\n' ' ')" "entries 3 live 2 expired 1 bad 0 " \
    "DRAC 1.12 map: stats count the expired entry"
t_eq "$("$DB" -f "$T/old.db" -D | tr '\n' ';')" \
    "# dracdb dump: address expires [user];10.1.2.3 $((now + 600));2001:db8::7 $((now + 900));" \
    "dump of a DRAC 1.12 map: live entries with their exact expiry"
# A NUL-terminated (-z) map with a broken record.
printf '%s\n' '10.1.2.5\00' "$((now + 300))\\00" 'junk\00' '1\00' \
    10.1.2.6 soon | db5.3_load -T -t btree "$T/bad.db"
bad=$("$DB" -f "$T/bad.db" 2>"$T/err")
t_eq $? 2 "offline list counts the two bad records in the exit status"
t_eq "$(printf '%s\n' "$bad" | cut -d' ' -f1)" 10.1.2.5 "NUL-terminated key and value read"
t_match "bad\.db: key 'junk\\\\000' is not an address" "$(cat "$T/err")" "bad key is named"
t_match "key '10\.1\.2\.6': value 'soon' is not a decimal" "$(cat "$T/err")" "bad value is named"

# ---- load: the DRAC 1.12 map and a dump, into the running daemon ----------
out=$("$DB" -L "$T/old.db")
t_eq $? 0 "load of a DRAC 1.12 map exits 0"
t_eq "$out" "2 loaded, 1 expired, 0 failed" "load reports loaded and expired entries"
got=$(t_dump | awk '$1 == "10.1.2.3" { print $2 }')
t_eq $((got >= now + 599 && got <= now + 601)) 1 "loaded entry keeps its expiry"
t_nomatch '^10\.1\.2\.4 ' "$(t_dump)" "expired entry is not loaded"

"$DB" -D > "$T/dump.txt"
t_eq $? 0 "dump exits 0"
t_match '^192\.0\.2\.10 [0-9]+ alice$' "$(cat "$T/dump.txt")" "dump line: address expiry user"
"$DB" -d 192.0.2.10 2001:db8::6
printf '# edited\n\n%s\n300.1.1.1 %s\n192.0.2.12\n192.0.2.13 12x\n' \
    "$(grep -E '^(192\.0\.2\.10|2001:db8::6) ' "$T/dump.txt")" $((now + 60)) >"$T/edit.txt"
out=$("$DB" -L "$T/edit.txt" 2>"$T/err")
t_eq $? 3 "load exit status counts three bad lines"
t_eq "$out" "2 loaded, 0 expired, 3 failed" "load summary"
t_match "edit\.txt:5: not an IPv4 or IPv6 address" "$(cat "$T/err")" "bad address named as FILE:LINE"
t_match "edit\.txt:6: no expiry time" "$(cat "$T/err")" "missing expiry named as FILE:LINE"
t_match "edit\.txt:7: expiry time is not a decimal" "$(cat "$T/err")" "bad expiry named as FILE:LINE"
t_match '^192\.0\.2\.10 .* alice$' "$("$DB" -q 192.0.2.10)" "reloaded entry keeps its user"
t_match '^2001:db8::6 .* bob smith$' "$("$DB" -q 2001:db8::6)" "reloaded spaced user intact"

# ---- usage ---------------------------------------------------------------
"$DB" -a 2>"$T/err"
t_eq $? 1 "-a without an address is a usage error"
t_match '^usage: dracdb \[-jo\] \[-f dbfile\] \[-h host\] \[-K keyfile\]$' "$(head -1 "$T/err")" "usage() is printed"
"$DB" -t 600 2>/dev/null
t_eq $? 1 "-t without -a is a usage error"
"$DB" -a -t 99999999999 192.0.2.1 2>"$T/err"
t_eq $? 1 "-t out of range exits 1"
t_match '^dracdb: -t 99999999999: want 0 to 31622400 seconds$' "$(cat "$T/err")" "-t error names the value"
"$DB" -a -u "$(printf 'a\tb')" 192.0.2.1 2>"$T/err"
t_match 'control character' "$(cat "$T/err")" "-u with a control character is refused"
"$DB" -q -d 192.0.2.1 2>/dev/null
t_eq $? 1 "two modes at once is a usage error"
syn=$(mandoc -Tascii "$DRAC_TOP/man/dracdb.8" | col -b |
    sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' | sed '1d;$d;/^$/d;s/^ *//' | tr -s ' ')
use=$("$DB" -x 2>&1 | grep -v 'invalid option' | sed 's/^usage: //;s/^ *//')
t_eq "$use" "$syn" "usage() equals the man page SYNOPSIS"

t_dracd_stop

# ---- signed calls: a daemon with -K key -A refuses unsigned ones ---------
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$T/key"
echo >> "$T/key"
chmod 600 "$T/key"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$T/wrongkey"
chmod 600 "$T/wrongkey"
t_dracd -K "$T/key" -A
"$DB" -a 192.0.2.70 2>"$T/err"
t_eq $? 1 "unsigned add refused by a daemon with -A"
t_match 'add 192\.0\.2\.70: authentication refused' "$(cat "$T/err")" "refusal says why"
"$DB" -K "$T/key" -a -u carol 192.0.2.70
t_eq $? 0 "add signed with -K accepted"
t_match '^192\.0\.2\.70 .* v3 carol$' "$("$DB" -K "$T/key")" "signed LIST pages through"
t_match '^calls_v3_add ' "$("$DB" -K "$T/key" -s)" "signed STATS"
t_match '^192\.0\.2\.70 ' "$("$DB" -K "$T/key" -q 192.0.2.70)" "signed QUERY"
"$DB" -K "$T/wrongkey" -d 192.0.2.70 2>/dev/null
t_eq $? 1 "a call signed with another key is refused"
"$DB" -K "$T/key" -d 192.0.2.70
t_eq $? 0 "signed DROP"
chmod 644 "$T/key"
"$DB" -K "$T/key" -s 2>"$T/err"
t_eq $? 1 "a key file others can read is refused"
t_match 'lets others read the key' "$(cat "$T/err")" "and the reason names the mode"
t_dracd_stop
t_done
