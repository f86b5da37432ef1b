#!/bin/bash
# The no-compile route: contrib/dovecot/drac-postlogin as Dovecot's
# post-login script, calling dracauth(1) with $IP and $USER.  A real
# Dovecot, the real rpc.dracd; runs in both builds (dracauth is ours).
. "$DRAC_TOP/tests/lib.sh"
t_init "$@"
. "$DRAC_TOP/tests/pop/dovecot.lib.sh"

t_addr 10.1.2.3 10.1.2.4 2001:db8::5
t_rpcbind
t_dracd
dc_start postlogin

query() { "$DRACAUTH" -s 127.0.0.1 -T 2000 -q "$1" 2>/dev/null; }

out=$(dc_login pop3 10.1.2.3 alice secret); rc=$?
t_eq "$rc $(echo "$out" | head -n1)" "0 login ok" "POP3 login through the post-login script"
t_match '^10\.1\.2\.3 expires .* user alice how v3 ttl 60$' "$(query 10.1.2.3)" \
    "the script authorized \$IP 10.1.2.3 with \$USER alice"

out=$(dc_login imap 2001:db8::5 bob secret); rc=$?
t_eq "$rc $(echo "$out" | head -n1)" "0 login ok" "IMAP login through the post-login script"
t_match '^2001:db8::5 expires .* user bob how v3' "$(query 2001:db8::5)" \
    "the script authorized the IPv6 client 2001:db8::5"

out=$(dc_login pop3 10.1.2.4 carol wrong); rc=$?
t_eq "$rc" 1 "wrong password refused"
query 10.1.2.4 >/dev/null && t_fail "failed login authorized 10.1.2.4" ||
    t_ok "failed login: the script did not run, 10.1.2.4 not authorized"

t_dracd_stop
out=$(dc_login pop3 10.1.2.4 alice secret); rc=$?
t_eq "$rc $(echo "$out" | head -n1)" "0 login ok" "rpc.dracd down: login still succeeds"
t_match 'drac-postlogin: 10\.1\.2\.4 \(alice\) not authorized' "$(cat "$DC_LOG")" \
    "rpc.dracd down: the script's complaint reaches Dovecot's log"

dc_stop
t_done
