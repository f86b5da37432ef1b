#!/bin/bash
# dracwatch's patterns against golden files (tests/golden/watch):
#   builtin.log   sample lines of every built-in pattern, failed logins,
#                 forged lines -> builtin.out (with -D), builtin-nodrop.out
#   custom.conf + custom.log -> custom.out (noted sessions, %% and [])
#   bad.conf      one error per line -> bad.out (every FILE:LINE reported)
# -N prints each decision ("LINE: SET add ADDR USER", drop, keep, note,
# skip) instead of sending it; lines that give nothing print nothing.
. "$DRAC_TOP/tests/lib.sh"

W=$DRAC_BUILD/watch/dracwatch
G=$DRAC_TOP/tests/golden/watch
out=$(mktemp -d /tmp/drac-golden.XXXXXX)
trap 'rm -rf "$out"' EXIT
cd "$G" || exit 1

golden() {
	local name=$1 want=$2; shift 2
	"$@" > "$out/$name" 2> "$out/$name.err"
	if diff -u "$want" "$out/$name" > "$out/$name.diff"; then
		t_ok "$name matches $(basename "$want")"
	else
		t_fail "$name differs from $(basename "$want")"
		cat "$out/$name.diff" "$out/$name.err"
	fi
}

golden builtin builtin.out "$W" -N -D < builtin.log
golden builtin-nodrop builtin-nodrop.out "$W" -N < builtin.log
golden custom custom.out "$W" -N -D -p none -f custom.conf < custom.log

"$W" -n -p none -f bad.conf > "$out/bad.stdout" 2> "$out/bad"
t_eq "$?" 1 "dracwatch -n exits 1 for bad.conf"
if diff -u bad.out "$out/bad"; then t_ok "bad.conf: every error reported as FILE:LINE"
else t_fail "bad.conf messages differ from bad.out"; fi

msg=$("$W" -n -f custom.conf 2>&1); rc=$?
t_eq "$rc $msg" "0 17 patterns OK" "-n: built-ins and custom.conf load, exit 0"

msg=$("$W" -n -i 5 2>&1); rc=$?
t_eq "$rc $msg" "1 dracwatch: -i 5: want a number from 10 to 60000" "-i out of range names the flag"
msg=$("$W" -n -t 1x 2>&1); rc=$?
t_match "^1 dracwatch: -t 1x: want a number" "$rc $msg" "-t junk names the flag"
msg=$("$W" -n -p dovecot,nosuch 2>&1); rc=$?
t_match '^1 dracwatch: -p: unknown pattern set "nosuch"' "$rc $msg" "unknown -p set is refused"
msg=$("$W" -x 2>&1); rc=$?
t_match "^1 .*usage: dracwatch \[-bDdNnv\]" "$rc $(echo $msg)" "unknown option prints usage"

# Each built-in set alone takes only its own lines.
for set in dovecot uw courier cyrus qpopper popa3d qmail; do
	got=$("$W" -N -D -p "$set" < builtin.log 2>/dev/null | awk '{print $2}' | sort -u)
	t_eq "$got" "$set" "-p $set matches only $set lines"
done

# A line longer than the buffer is skipped whole, the next line still counts.
{
	printf 'login, user=longline, client=10.9.9.9 %09000d\n' 0
	printf 'login, user=after, client=10.1.2.3\n'
} | "$W" -N > "$out/long" 2>&1
t_eq "$(grep -c add "$out/long") $(grep -o 'add [^ ]* [^ ]*' "$out/long")" \
    "1 add 10.1.2.3 after" "an over-long line is skipped, the next one matches"

# A last line without a newline on standard input still counts.
got=$(printf 'login, user=tail, client=10.1.2.3' | "$W" -N 2>/dev/null)
t_eq "$got" "1: qmail add 10.1.2.3 tail" "last line without newline"

t_done
