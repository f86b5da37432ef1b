#!/bin/bash
# postfix.sh: sender binding in a real Postfix 3.7 (Debian package,
# unpacked by mta-setup.sh), asking drac-policyd at RCPT time with the
# main.cf lines of the README's sender-binding section, drac-policyd asking the real
# rpc.dracd.  SMTP clients connect from addresses on the namespace's
# loopback, so Postfix sees them as the client address.
. "${DRAC_TOP:?}/tests/lib.sh"
MTA=$(sh "$DRAC_TOP/tests/binding/mta-setup.sh") || exit 1
t_init "$@"
HERE=$DRAC_TOP/tests/binding
POLICYD=$DRAC_BUILD/policy/drac-policyd
PF=$MTA/root/postfix
C=$T/postfix/conf
PORT=2526
export LD_LIBRARY_PATH=$PF/usr/lib/postfix

t_addr 10.1.2.3 10.1.2.4 10.1.2.5 10.1.2.6 10.1.3.7
t_rpcbind
t_dracd

cat >"$T/users" <<'EOF'
hoge	hoge@example.com
EOF
cat >"$T/access" <<'EOF'
10.1.2.5	relay
10.1.3.0/24	user hoge
EOF
"$POLICYD" -d -u "$T/users" -a "$T/access" -l "$T/policyd.sock" \
    2>>"$T/policyd.log" &
POLICYD_PID=$!
T_PIDS="$T_PIDS $POLICYD_PID"
t_wait 10 test -S "$T/policyd.sock" ||
	{ t_fail "drac-policyd did not start"; cat "$T/policyd.log"; exit 1; }

# --- a private Postfix ---------------------------------------------------
mkdir -p "$C" "$T/postfix/spool"
cp "$PF/etc/postfix/postfix-files" "$PF/usr/share/postfix/dynamicmaps.cf" "$C/"
mkdir -p "$C/postfix-files.d" "$C/dynamicmaps.cf.d"
cat >"$C/main.cf" <<EOF
compatibility_level = 3.7
command_directory = $PF/usr/sbin
daemon_directory = $PF/usr/lib/postfix/sbin
shlib_directory = $PF/usr/lib/postfix
meta_directory = $C
queue_directory = $T/postfix/spool
data_directory = $T/postfix/data
sendmail_path = $PF/usr/sbin/sendmail
newaliases_path = $PF/usr/bin/newaliases
mailq_path = $PF/usr/bin/mailq
manpage_directory = /nonexistent
html_directory = no
readme_directory = no
mail_owner = mail
setgid_group = daemon
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C LD_LIBRARY_PATH
maillog_file = $T/postfix/postfix.log
maillog_file_prefixes = $T/postfix
myhostname = mta.test.invalid
mydomain = test.invalid
mydestination = \$myhostname, localhost
inet_interfaces = loopback-only
inet_protocols = ipv4
alias_maps =
alias_database =
biff = no
default_transport = discard
mynetworks = 127.0.0.0/32
smtpd_policy_service_retry_delay = 1s
EOF
# The lines of the README's sender-binding section, with the test's socket.
sed -n '/^## Per-user sender binding/,/^## Running it in production/p' \
    "$DRAC_TOP/README.md" >"$T/readme-binding.md"
awk '/^    smtpd_relay_restrictions =/ { on = 1 } on { print substr($0, 5) }
    /^    smtpd_policy_service_default_action/ { exit }' \
    "$T/readme-binding.md" |
    sed "s|unix:private/drac-policyd|unix:$T/policyd.sock|" >"$T/readme.cf"
t_eq "$(grep -c . "$T/readme.cf")" 7 "main.cf lines taken from the README"
cat "$T/readme.cf" >>"$C/main.cf"
cat >"$C/master.cf" <<EOF
127.0.0.1:$PORT inet n - n - - smtpd
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
smtp      unix  - - n -    - smtp
relay     unix  - - n -    - smtp
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
local     unix  - n n -    - local
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
EOF
"$PF/usr/sbin/postfix" -c "$C" start-fg >"$T/postfix-start.log" 2>&1 &
PF_PID=$!
T_PIDS="$T_PIDS $PF_PID"
t_wait 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" ||
	{ t_fail "Postfix did not start"; cat "$T/postfix-start.log"; exit 1; }

# batch: one SMTP session per "SRC SENDER RCPT" line on stdin, from SRC;
# the replies go to $OUT.  res CASE: the reply to that case.  (One
# python run per batch: starting one per case is slow on a busy machine.)
batch() { OUT=$(python3 "$HERE/smtp_rcpt.py" --port $PORT); }
res() {
	local l
	while IFS= read -r l; do
		case $l in "$1: "*) printf '%s\n' "${l#"$1: "}"; return ;; esac
	done <<<"$OUT"
	echo "no such case: $1"
}

"$DRACAUTH" -u hoge 10.1.2.3 || t_fail "dracauth -u hoge 10.1.2.3"
short_start=$(date +%s)
"$DRACAUTH" -u hoge -t 6 10.1.2.6 || t_fail "dracauth -t 6 10.1.2.6"
batch <<'EOF'
10.1.2.6 hoge@example.com user@remote.example
10.1.2.3 hoge@example.com user@remote.example
10.1.2.3 hoge@example.net user@remote.example
10.1.2.4 hoge@example.com user@remote.example
10.1.2.4 stranger@example.net root@localhost
10.1.2.5 anyone@example.net user@remote.example
10.1.3.7 hoge@example.com user@remote.example
10.1.3.7 other@example.com user@remote.example
EOF
t_match '^250 ' "$(res '10.1.2.3 hoge@example.com user@remote.example')" \
    "from 10.1.2.3 as hoge@example.com to a remote domain: accepted"
t_match '^554 5.7.1 <user@remote.example>: Recipient address rejected: sender <hoge@example.net> does not belong to the user who logged in from 10.1.2.3$' \
    "$(res '10.1.2.3 hoge@example.net user@remote.example')" \
    "from 10.1.2.3 as hoge@example.net: refused"
t_match '^554 5.7.1 .*relaying from 10.1.2.4 needs a recent POP/IMAP login' \
    "$(res '10.1.2.4 hoge@example.com user@remote.example')" \
    "from 10.1.2.4 as hoge@example.com: refused"
t_match '^250 ' "$(res '10.1.2.4 stranger@example.net root@localhost')" \
    "local recipient: no login needed, the policy is not asked"
t_match '^250 ' "$(res '10.1.2.5 anyone@example.net user@remote.example')" \
    "access-map relay host relays without a login"
t_match '^250 ' "$(res '10.1.3.7 hoge@example.com user@remote.example')" \
    "user range relays hoge's address"
t_match '^554 5.7.1 .*may not relay from 10.1.3.7' \
    "$(res '10.1.3.7 other@example.com user@remote.example')" \
    "user range: another sender refused"
t_match '^250 ' "$(res '10.1.2.6 hoge@example.com user@remote.example')" \
    "6-second login from 10.1.2.6: accepted"

# Expiry and DROP.
while [ "$(date +%s)" -le $((short_start + 7)) ]; do sleep 0.5; done
"$DRACAUTH" -x 10.1.2.3 || t_fail "dracauth -x 10.1.2.3"
batch <<'EOF'
10.1.2.6 hoge@example.com user@remote.example
10.1.2.3 hoge@example.com user@remote.example
EOF
t_match '^554 5.7.1 .*needs a recent POP/IMAP login' \
    "$(res '10.1.2.6 hoge@example.com user@remote.example')" \
    "after expiry: refused again"
t_match '^554 5.7.1 .*needs a recent POP/IMAP login' \
    "$(res '10.1.2.3 hoge@example.com user@remote.example')" \
    "after DROP: refused again"

# SIGHUP with a broken user map keeps the old one.
"$DRACAUTH" -u hoge 10.1.2.3 || t_fail "dracauth -u hoge 10.1.2.3 again"
printf 'hoge hoge@example.net\nhoge\n' >"$T/users"
kill -HUP "$POLICYD_PID"
t_wait 5 grep -q 'reload failed' "$T/policyd.log"
t_match "$T/users:2: login name \"hoge\" without any sender address" \
    "$(cat "$T/policyd.log")" "broken user map: FILE:LINE logged"
batch <<'EOF'
10.1.2.3 hoge@example.com user@remote.example
10.1.2.3 hoge@example.net user@remote.example
EOF
t_match '^250 ' "$(res '10.1.2.3 hoge@example.com user@remote.example')" \
    "broken user map: the old map still decides"
t_match '^554 ' "$(res '10.1.2.3 hoge@example.net user@remote.example')" \
    "broken user map: none of its lines is used"
t_match 'reject: RCPT from unknown\[10.1.2.3\]: 554 5.7.1 <user@remote.example>: Recipient address rejected: sender <hoge@example.net>' \
    "$(cat "$T/postfix/postfix.log")" "Postfix logs the refusal"

# Without the policy service Postfix fails closed (temporary).
kill -TERM "$POLICYD_PID"
t_wait 10 sh -c "! kill -0 $POLICYD_PID"
wait "$POLICYD_PID"
t_eq "$?" 0 "drac-policyd exits 0 on SIGTERM"
batch <<'EOF'
10.1.2.3 hoge@example.com user@remote.example
EOF
t_match '^451 4.3.5 ' "$(res '10.1.2.3 hoge@example.com user@remote.example')" \
    "policy service down: relaying deferred, not allowed"

"$PF/usr/sbin/postfix" -c "$C" stop >/dev/null 2>&1
t_wait 10 sh -c "! kill -0 $PF_PID" || t_fail "Postfix did not stop"
t_dracd_stop
t_done
