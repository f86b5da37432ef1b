#!/bin/bash
# The authenticated channel: signed calls pass; a wrong key, a stale
# timestamp, a replayed nonce and (with -A) an unsigned call or a v1 ADD
# add nothing and are logged.
. "$DRAC_TOP/tests/lib.sh"
t_init
t_rpcbind
H="python3 $DRAC_TOP/tests/hardening/hclient.py"
key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
other=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
echo "$key" > "$T/drac.key"
chmod 644 "$T/drac.key"
out=$("$DRACD" -n -a "$T/dracd.allow" -K "$T/drac.key" 2>&1); rc=$?
t_eq "$rc" 1 "a key file others can read is refused"
t_match 'chmod 600' "$out" "the refusal says how to fix it"
chmod 600 "$T/drac.key"

t_dracd -p 9702 -K "$T/drac.key"
t_eq "$($H v3 9702 10.1.1.1 --key "$key")" 0 "signed ADD accepted"
t_eq "$($H v3 9702 10.1.1.2 --key "$key" --tcp)" 0 "signed ADD over TCP accepted"
t_eq "$($H v3 9702 10.1.1.3)" 0 "unsigned ADD accepted without -A"
t_eq "$($H v3 9702 10.2.0.1 --key "$other")" 6 "wrong key: BADAUTH"
t_eq "$($H v3 9702 10.2.0.2 --key "$key" --bad-mac)" 6 "altered MAC: BADAUTH"
t_eq "$($H v3 9702 10.2.0.3 --key "$key" --ts $(( $(date +%s) - 600 )))" 6 "stale timestamp: BADAUTH"
nonce=00112233445566778899aabbccddeeff
t_eq "$($H v3 9702 10.1.1.4 --key "$key" --nonce $nonce)" 0 "first use of a nonce accepted"
t_eq "$($H v3 9702 10.2.0.4 --key "$key" --nonce $nonce)" 6 "replayed nonce: BADAUTH"
t_dracd_stop
t_nomatch '^10\.2\.' "$(t_dump)" "no refused address reached the map"
log=$(cat "$T/dracd.log")
t_match 'wrong MAC' "$log" "wrong MAC logged"
t_match 'timestamp outside' "$log" "stale timestamp logged"
t_match 'replayed nonce' "$log" "replay logged"

t_dracd -p 9702 -K "$T/drac.key" -A
t_eq "$($H v3 9702 10.3.0.1)" 6 "-A: unsigned v3 ADD refused"
t_eq "$($H v1 9702 10.3.0.2)" 1 "-A: v1 ADD refused with ADD_PERM"
t_eq "$($H v3 9702 10.1.1.5 --key "$key")" 0 "-A: signed ADD accepted"
# libdrac signs with the same key: add, query and drop all pass -A.
"$DRACAUTH" -K "$T/drac.key" -s 127.0.0.1:9702 -u hoge -t 60 10.1.1.6 &&
	t_ok "dracauth -K: signed ADD through libdrac" || t_fail "dracauth -K add"
t_match 'hoge' "$("$DRACAUTH" -K "$T/drac.key" -s 127.0.0.1:9702 -q 10.1.1.6)" \
	"dracauth -K: signed QUERY through libdrac"
"$DRACAUTH" -K "$T/drac.key" -s 127.0.0.1:9702 -x 10.1.1.6 &&
	t_ok "dracauth -K: signed DROP through libdrac" || t_fail "dracauth -K drop"
echo "$other" > "$T/other.key"; chmod 600 "$T/other.key"
"$DRACAUTH" -K "$T/other.key" -s 127.0.0.1:9702 10.3.0.3 2>"$T/err"; rc=$?
t_eq "$rc" 1 "dracauth with the wrong key fails"
t_match 'auth|MAC|signed' "$(cat "$T/err")" "and says the server refused the signature"
"$DRACAUTH" -s 127.0.0.1:9702 10.3.0.4 2>/dev/null
t_eq "$?" 1 "dracauth without a key fails against -A"
t_dracd_stop
t_nomatch '^10\.3\.' "$(t_dump)" "-A: nothing unsigned reached the map"
t_match '127\.0\.0\.1.*-A requires' "$(cat "$T/dracd.log")" "-A refusals logged with the caller"
t_done
