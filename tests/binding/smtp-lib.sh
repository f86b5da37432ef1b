# tests/binding/smtp-lib.sh: what the two MTA tests of sender binding
# (postfix.sh, sendmail.sh) share; sourced after t_init.
#
#   binding_maps      $T/users and $T/access: hoge sends as
#                     hoge@example.com, 10.1.2.5 relays, 10.1.3.0/24
#                     is hoge's
#   batch PORT        one SMTP session per "SRC SENDER RCPT" line on
#                     stdin, from SRC to 127.0.0.1 port PORT; the
#                     replies go to $OUT (one python run per batch: one
#                     per case is slow on a busy machine)
#   res CASE          the reply to that case of the last batch
#   logins_and_cases PORT   the logins (hoge from 10.1.2.3, a DRAC 1.12
#                     login without a user from 10.1.2.7, hoge for 6 s
#                     from 10.1.2.6) and a batch of the cases each test
#                     checks against its MTA's replies
#   expired_cases PORT      7 s after those logins, and a DROP of
#                     10.1.2.3: the two cases that must be refused again
#
# The addresses the tests put on lo: BINDING_ADDRS.

BINDING_ADDRS="10.1.2.3 10.1.2.4 10.1.2.5 10.1.2.6 10.1.2.7 10.1.3.7"

binding_maps() {
	printf 'hoge\thoge@example.com\n' >"$T/users"
	printf '10.1.2.5\trelay\n10.1.3.0/24\tuser hoge\n' >"$T/access"
}

batch() {
	OUT=$(python3 "$DRAC_TOP/tests/binding/smtp_rcpt.py" --port "$1")
}

res() {
	local l
	while IFS= read -r l; do
		case $l in "$1: "*) printf '%s\n' "${l#"$1: "}"; return ;; esac
	done <<<"$OUT"
	echo "no such case: $1"
}

logins_and_cases() {
	"$DRACAUTH" -u hoge 10.1.2.3 || t_fail "dracauth -u hoge 10.1.2.3"
	"$DRACAUTH" -o 10.1.2.7 || t_fail "dracauth -o 10.1.2.7"
	SHORT_START=$(date +%s)
	"$DRACAUTH" -u hoge -t 6 10.1.2.6 || t_fail "dracauth -t 6 10.1.2.6"
	batch "$1" <<'EOF'
10.1.2.6 hoge@example.com user@remote.example
10.1.2.3 hoge@example.com user@remote.example
10.1.2.3 hoge@example.net user@remote.example
10.1.2.4 hoge@example.com user@remote.example
10.1.2.4 stranger@example.net root@localhost
10.1.2.5 anyone@example.net user@remote.example
10.1.3.7 hoge@example.com user@remote.example
10.1.3.7 other@example.com user@remote.example
10.1.2.7 hoge@example.com user@remote.example
EOF
}

expired_cases() {
	local n=40
	while [ "$(date +%s)" -le $((SHORT_START + 7)) ] && [ $n -gt 0 ]; do
		sleep 0.5
		n=$((n - 1))
	done
	"$DRACAUTH" -x 10.1.2.3 || t_fail "dracauth -x 10.1.2.3"
	batch "$1" <<'EOF'
10.1.2.6 hoge@example.com user@remote.example
10.1.2.3 hoge@example.com user@remote.example
EOF
}
