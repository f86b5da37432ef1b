#!/bin/bash
# postfix.sh: sender binding in a real Postfix 3.7 (Debian package,
# unpacked by tests/mta/setup.sh), asking drac-policyd at RCPT time with the
# main.cf lines of the README's sender-binding section, drac-policyd asking the real
# rpc.dracd.  SMTP clients connect from addresses on the namespace's
# loopback, so Postfix sees them as the client address.
. "${DRAC_TOP:?}/tests/lib.sh"
. "$DRAC_TOP/tests/mta/postfix-lib.sh"
t_init "$@"
. "$DRAC_TOP/tests/binding/smtp-lib.sh"
POLICYD=$DRAC_BUILD/policy/drac-policyd
PORT=2526

t_addr $BINDING_ADDRS
t_rpcbind
t_dracd

binding_maps
"$POLICYD" -d -u "$T/users" -a "$T/access" -l "$T/policyd.sock" \
    2>>"$T/policyd.log" &
POLICYD_PID=$!
T_PIDS="$T_PIDS $POLICYD_PID"
t_wait 10 test -S "$T/policyd.sock" ||
	{ t_fail "drac-policyd did not start"; cat "$T/policyd.log"; exit 1; }

# --- a private Postfix ----------------------------------------------------
pf_listen $PORT
pf_conf
echo "smtpd_policy_service_retry_delay = 1s" >>"$PF_CONF/main.cf"
# The lines of the README's sender-binding section, with the test's socket.
sed -n '/^## Per-user sender binding/,/^## Running it in production/p' \
    "$DRAC_TOP/README.md" >"$T/readme-binding.md"
awk '/^    smtpd_relay_restrictions =/ { on = 1 } on { print substr($0, 5) }
    /^    smtpd_policy_service_default_action/ { exit }' \
    "$T/readme-binding.md" |
    sed "s|unix:private/drac-policyd|unix:$T/policyd.sock|" >"$T/readme.cf"
t_eq "$(grep -c . "$T/readme.cf")" 7 "main.cf lines taken from the README"
cat "$T/readme.cf" >>"$PF_CONF/main.cf"
pf_start

logins_and_cases $PORT
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
t_match '^554 5.7.1 <user@remote.example>: Recipient address rejected: the login from 10.1.2.7 does not say who logged in' \
    "$(res '10.1.2.7 hoge@example.com user@remote.example')" \
    "DRAC 1.12 login without a user: refused by default"
t_match '^250 ' "$(res '10.1.2.6 hoge@example.com user@remote.example')" \
    "6-second login from 10.1.2.6: accepted"

# Expiry and DROP.
expired_cases $PORT
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
batch $PORT <<'EOF'
10.1.2.3 hoge@example.com user@remote.example
10.1.2.3 hoge@example.net user@remote.example
EOF
t_match '^250 ' "$(res '10.1.2.3 hoge@example.com user@remote.example')" \
    "broken user map: the old map still decides"
t_match '^554 ' "$(res '10.1.2.3 hoge@example.net user@remote.example')" \
    "broken user map: none of its lines is used"
t_match 'reject: RCPT from unknown\[10.1.2.3\]: 554 5.7.1 <user@remote.example>: Recipient address rejected: sender <hoge@example.net>' \
    "$(cat "$PF_LOG")" "Postfix logs the refusal"

# Without the policy service Postfix fails closed (temporary).
kill -TERM "$POLICYD_PID"
t_wait 10 sh -c "! kill -0 $POLICYD_PID"
wait "$POLICYD_PID"
t_eq "$?" 0 "drac-policyd exits 0 on SIGTERM"
batch $PORT <<'EOF'
10.1.2.3 hoge@example.com user@remote.example
EOF
t_match '^451 4.3.5 ' "$(res '10.1.2.3 hoge@example.com user@remote.example')" \
    "policy service down: relaying deferred, not allowed"

pf_stop || t_fail "Postfix did not stop"
t_dracd_stop
t_done
