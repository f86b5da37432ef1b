#!/bin/bash
# sendmail.sh: sender binding in a real sendmail 8.17 daemon (Debian
# package, unpacked by tests/mta/setup.sh) on loopback, with drac-milter and
# the sendmail.mc lines of the README's sender-binding section; drac-milter asks the
# real rpc.dracd.  SMTP clients connect from addresses on the
# namespace's loopback, so sendmail sees them as the client address.
. "${DRAC_TOP:?}/tests/lib.sh"
t_mtas
t_init "$@"
. "$DRAC_TOP/tests/binding/smtp-lib.sh"
MILTER=$DRAC_BUILD/milter/drac-milter
SMROOT=$MTA_DIR/root/sendmail
SM=$SMROOT/usr/libexec/sendmail/sendmail
CF=$SMROOT/usr/share/sendmail/cf
S=$T/sendmail
PORT=2525

t_addr $BINDING_ADDRS
t_rpcbind
t_dracd

binding_maps

start_milter() {
	"$MILTER" -d -u "$T/users" -a "$T/access" -p "unix:$T/milter.sock" \
	    2>>"$T/milter.log" &
	MILTER_PID=$!
	T_PIDS="$T_PIDS $MILTER_PID"
	t_wait 10 test -S "$T/milter.sock" ||
		{ t_fail "drac-milter did not start"; cat "$T/milter.log"; exit 1; }
}

# --- configuration check -------------------------------------------------
t_match 'drac-milter: 1 user map entries, 2 access map ranges' \
    "$("$MILTER" -n -u "$T/users" -a "$T/access")" "-n reports the maps"
printf 'hoge hoge@\n' >"$T/bad-users"
out=$("$MILTER" -n -u "$T/bad-users" -a "$T/access" 2>&1); rc=$?
t_eq "$rc" 1 "-n exits 1 for a broken user map"
t_match "$T/bad-users:1: sender \"hoge@\": empty domain" "$out" \
    "-n names FILE:LINE"

start_milter

# --- a private sendmail ---------------------------------------------------
mkdir -p "$S/queue"
chmod 700 "$S/queue"
printf 'root: root\n' >"$S/aliases"
: >"$S/helpfile"
: >"$S/local-host-names"
printf 'hosts\t\tfiles\naliases\t\tfiles\n' >"$S/service.switch"
{
	cat <<EOF
divert(-1)
# sendmail for the sender-binding test: daemon on 127.0.0.1:$PORT
divert(0)dnl
VERSIONID(\`drac binding test')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mta.test.invalid')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`QUEUE_DIR', \`$S/queue')dnl
define(\`confPID_FILE', \`$S/sendmail.pid')dnl
define(\`STATUS_FILE', \`$S/statistics')dnl
define(\`ALIAS_FILE', \`$S/aliases')dnl
define(\`confHELP_FILE', \`$S/helpfile')dnl
define(\`confCW_FILE', \`-o $S/local-host-names')dnl
define(\`confSERVICE_SWITCH_FILE', \`$S/service.switch')dnl
define(\`confLOG_LEVEL', \`14')dnl
define(\`confDELIVERY_MODE', \`queueonly')dnl
define(\`confTO_IDENT', \`0s')dnl
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
DAEMON_OPTIONS(\`Port=$PORT, Addr=127.0.0.1, Name=MTA-test')dnl
FEATURE(\`no_default_msa')dnl
FEATURE(\`accept_unresolvable_domains')dnl
EOF
	# The lines of the README's sender-binding section, with the test's
	# socket.
	sed -n '/^## Per-user sender binding/,/^## Running it in production/p' \
	    "$DRAC_TOP/README.md" >"$T/readme-binding.md"
	awk '/^    INPUT_MAIL_FILTER/ { on = 1 } on { print substr($0, 5) }
	    on && /[$]@ [$]#OK$/ { exit }' "$T/readme-binding.md" |
	    sed "s|unix:/run/drac-milter/drac-milter.sock|unix:$T/milter.sock|"
	cat <<'EOF'
MAILER(`local')dnl
MAILER(`smtp')dnl
EOF
} >"$S/drac.mc"
t_eq "$(grep -c '^R' "$S/drac.mc")" 11 "sendmail.mc rules taken from the README"
t_match "S=unix:$T/milter.sock, F=T" "$(cat "$S/drac.mc")" \
    "INPUT_MAIL_FILTER taken from the README"
m4 -D_CF_DIR_="$CF/" "$CF/m4/cf.m4" "$S/drac.mc" >"$S/drac.cf" ||
	{ t_fail "m4 could not build the sendmail cf"; exit 1; }

"$SM" -C "$S/drac.cf" -bD -X "$S/transcript.log" >"$S/daemon.log" 2>&1 &
SM_PID=$!
T_PIDS="$T_PIDS $SM_PID"
t_wait 20 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" ||
	{ t_fail "sendmail did not start"; cat "$S/daemon.log"; exit 1; }

logins_and_cases $PORT
t_match '^250 ' "$(res '10.1.2.3 hoge@example.com user@remote.example')" \
    "from 10.1.2.3 as hoge@example.com to a remote domain: accepted"
t_match '^550 5.7.1 <user@remote.example>\.\.\. sender <hoge@example.net> does not belong to the user who logged in from 10.1.2.3$' \
    "$(res '10.1.2.3 hoge@example.net user@remote.example')" \
    "from 10.1.2.3 as hoge@example.net: refused"
t_match '^550 5.7.1 <user@remote.example>\.\.\. relaying from 10.1.2.4 needs a recent POP/IMAP login$' \
    "$(res '10.1.2.4 hoge@example.com user@remote.example')" \
    "from 10.1.2.4 as hoge@example.com: refused"
t_match '^250 ' "$(res '10.1.2.4 stranger@example.net root@localhost')" \
    "local recipient: no login needed, the milter lets it pass"
t_match '^250 ' "$(res '10.1.2.5 anyone@example.net user@remote.example')" \
    "access-map relay host relays without a login"
t_match '^250 ' "$(res '10.1.3.7 hoge@example.com user@remote.example')" \
    "user range relays hoge's address"
t_match '^550 5.7.1 <user@remote.example>\.\.\. sender <other@example.com> may not relay from 10.1.3.7' \
    "$(res '10.1.3.7 other@example.com user@remote.example')" \
    "user range: another sender refused"
t_match '^550 5.7.1 <user@remote.example>\.\.\. the login from 10.1.2.7 does not say who logged in' \
    "$(res '10.1.2.7 hoge@example.com user@remote.example')" \
    "DRAC 1.12 login without a user: refused by default"
t_match '^250 ' "$(res '10.1.2.6 hoge@example.com user@remote.example')" \
    "6-second login from 10.1.2.6: accepted"
t_match 'refuse rcpt=<user@remote.example>: client 10.1.2.3, sender <hoge@example.net>: not a sender of user hoge' \
    "$(cat "$T/milter.log")" "the milter logs the refusal with the user"

# Expiry and DROP.
expired_cases $PORT
t_match '^550 5.7.1 <user@remote.example>\.\.\. relaying from 10.1.2.6 needs a recent POP/IMAP login' \
    "$(res '10.1.2.6 hoge@example.com user@remote.example')" \
    "after expiry: refused again"
t_match '^550 5.7.1 <user@remote.example>\.\.\. relaying from 10.1.2.3 needs a recent POP/IMAP login' \
    "$(res '10.1.2.3 hoge@example.com user@remote.example')" \
    "after DROP: refused again"

# SIGHUP with a broken user map keeps the old one; libmilter goes on.
"$DRACAUTH" -u hoge 10.1.2.3 || t_fail "dracauth -u hoge 10.1.2.3 again"
printf 'hoge hoge@example.net\n@oops hoge@example.com\n' >"$T/users"
kill -HUP "$MILTER_PID"
t_wait 5 grep -q 'reload failed' "$T/milter.log"
t_match "$T/users:2: login name \"@oops\": looks like a sender address" \
    "$(cat "$T/milter.log")" "broken user map: FILE:LINE logged"
kill -0 "$MILTER_PID" && t_ok "drac-milter survives SIGHUP" ||
	t_fail "drac-milter died on SIGHUP"
batch $PORT <<'EOF'
10.1.2.3 hoge@example.com user@remote.example
10.1.2.3 hoge@example.net user@remote.example
EOF
t_match '^250 ' "$(res '10.1.2.3 hoge@example.com user@remote.example')" \
    "broken user map: the old map still decides"
t_match '^550 ' "$(res '10.1.2.3 hoge@example.net user@remote.example')" \
    "broken user map: none of its lines is used"
printf 'hoge hoge@example.net\n' >"$T/users"
kill -HUP "$MILTER_PID"
t_wait 5 grep -q 'reloaded: 1 user map entries' "$T/milter.log" ||
	t_fail "no reload message"
batch $PORT <<'EOF'
10.1.2.3 hoge@example.net user@remote.example
EOF
t_match '^250 ' "$(res '10.1.2.3 hoge@example.net user@remote.example')" \
    "a good reload takes effect"

# The milter gone: sendmail (F=T) defers instead of relaying.
kill -TERM "$MILTER_PID"
t_wait 10 sh -c "! kill -0 $MILTER_PID" || t_fail "drac-milter did not stop"
wait "$MILTER_PID"
t_eq "$?" 0 "drac-milter exits 0 on SIGTERM"
batch $PORT <<'EOF'
10.1.2.3 hoge@example.net user@remote.example
EOF
t_match '^4[0-9][0-9] ' "$(res '10.1.2.3 hoge@example.net user@remote.example')" \
    "milter down: relaying deferred, not allowed"

kill -TERM "$SM_PID"
t_wait 10 sh -c "! kill -0 $SM_PID" || t_fail "sendmail did not stop"
t_dracd_stop
t_done
