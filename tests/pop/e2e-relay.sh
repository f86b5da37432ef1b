#!/bin/bash
# End to end: a POP3 (and an IMAP) login to a real Dovecot with the drac
# plugin makes the real rpc.dracd write the client's address into its map,
# and a real Postfix then relays for that address and for no other.
# Not under ASan (the plugin runs inside Dovecot).
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/mta/postfix-lib.sh"
t_init "$@"
. "$DRAC_TOP/tests/pop/dovecot.lib.sh"

t_addr 10.1.2.3 10.1.2.4 2001:db8::5 2001:db8::6
t_rpcbind
t_dracd
DC_PLUGIN_CONF='  drac_ttl = 10m
  drac_timeout = 1s'
dc_start plugin
pf_listen 2526
pf_conf
cat >>"$PF_CONF/main.cf" <<EOF
smtpd_relay_restrictions =
smtpd_recipient_restrictions = check_client_access btree:$T/dracd,
    reject_unauth_destination
EOF
pf_start

# rcpt_code SRC: the reply code to RCPT to a remote domain from SRC.
rcpt_code() {
	local host=127.0.0.1
	case $1 in *:*) host=::1 ;; esac
	"$DC_PYTHON" "$DRAC_TOP/tests/pop/mailclient.py" smtp --host "$host" \
	    --port 2526 --src "$1" | cut -d' ' -f1
}

# relays SRC: RCPT to a remote domain accepted from SRC.  Postfix notices
# a changed map after the session that saw the change, so allow a retry.
relays() { [ "$(rcpt_code "$1")" = 250 ]; }

t_eq "$(rcpt_code 10.1.2.3)" 554 "before any login: relay from 10.1.2.3 refused"
t_eq "$(rcpt_code 2001:db8::5)" 554 "before any login: relay from 2001:db8::5 refused"

out=$(dc_login pop3 10.1.2.3 alice secret); rc=$?
t_eq "$rc $(echo "$out" | head -n1)" "0 login ok" "POP3 login to Dovecot from 10.1.2.3"
t_wait 5 relays 10.1.2.3 && t_ok "after the POP3 login: Postfix relays for 10.1.2.3" ||
    t_fail "after the POP3 login: Postfix still refuses 10.1.2.3 ($(rcpt_code 10.1.2.3))"
t_eq "$(rcpt_code 10.1.2.4)" 554 "another address (10.1.2.4) is still refused"

out=$(dc_login imap 2001:db8::5 bob secret); rc=$?
t_eq "$rc $(echo "$out" | head -n1)" "0 login ok" "IMAP login to Dovecot from 2001:db8::5"
t_wait 5 relays 2001:db8::5 && t_ok "after the IMAP login: Postfix relays for 2001:db8::5" ||
    t_fail "after the IMAP login: Postfix still refuses 2001:db8::5 ($(rcpt_code 2001:db8::5))"
t_eq "$(rcpt_code 2001:db8::6)" 554 "another address (2001:db8::6) is still refused"

dc_login pop3 10.1.2.4 carol wrong > /dev/null
sleep 0.5
t_eq "$(rcpt_code 10.1.2.4)" 554 "after a failed login: 10.1.2.4 still refused"

pf_stop
dc_stop
[ "$T_FAIL" -eq 0 ] || { echo "--- postfix.log"; tail -n 30 "$PF_LOG"; }
t_done
