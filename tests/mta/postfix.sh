#!/bin/bash
# postfix.sh: the main.cf snippets of contrib/postfix in a real Postfix
# 3.7 (Debian's, run from a private prefix), with the map written and
# served by the real rpc.dracd and clients authorized through dracauth.
#  - postmap -q reads the btree file and the socketmap
#  - smtpd with the btree file, the socketmap (unix, proxy:, inet):
#    the same decisions, IPv4 and IPv6, local mail unaffected
#  - TTL expiry and DROP without a restart; map missing, daemon down
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/mta/mta-lib.sh"
. "$DRAC_TOP/tests/mta/postfix-lib.sh"
mta_init
t_rpcbind
t_dracd -S "$T/dracd.smap" -S 127.0.0.1:7779
auth $OK4 $OK6 $OKZ

# service NAME PORT SNIPPET FROM TO: an smtpd on PORT whose relay
# restrictions are those of contrib/postfix/SNIPPET, FROM replaced by TO,
# kept in main.cf as drac_NAME.
DRAC_LINES=""
service() {
	local value
	value=$(sed -n '/^smtpd_relay_restrictions =/,$p' \
	    "$DRAC_TOP/contrib/postfix/$3" |
	    sed '1s/^smtpd_relay_restrictions =//; s/^[[:space:]]*//' |
	    tr '\n' ' ' | sed "s|$4|$5|g; s/  */ /g; s/ *\$//; s/^ *//")
	DRAC_LINES="${DRAC_LINES}drac_$1 = $value
"
	pf_listen "$2" "smtpd_relay_restrictions=\$drac_$1"
}

SMAP=socketmap:unix:/run/drac/socketmap:drac
service file 2526 main.cf.btree /etc/mail/dracd "$T/dracd"
service smap 2536 main.cf.socketmap /run/drac/socketmap "$T/dracd.smap"
service proxy 2537 main.cf.socketmap $SMAP "proxy:socketmap:unix:$T/dracd.smap:drac"
service inet 2538 main.cf.socketmap $SMAP socketmap:inet:127.0.0.1:7779:drac
service nomap 2546 main.cf.btree /etc/mail/dracd "$T/nomap/dracd"
service nosock 2556 main.cf.socketmap /run/drac/socketmap "$T/nosock"
pf_conf
{
	printf '%s' "$DRAC_LINES"
	# proxymap serves only the tables named here (default: main.cf's)
	echo "proxy_read_maps = \$local_recipient_maps" \
	    "\$smtpd_relay_restrictions$(printf '%s' "$DRAC_LINES" |
	    awk '{ printf " $%s", $1 }')"
	echo
	sed "s|/etc/mail/dracd|$T/dracd|g" \
	    "$DRAC_TOP/contrib/postfix/main.cf.btree"
} >>"$PF_CONF/main.cf"

t_eq "$(pf_postmap -q $OK4 "btree:$T/dracd")" "$(expiry $OK4)" \
    "postmap -q: the btree file gives the expiry"
t_eq "$(pf_postmap -q $OKZ "socketmap:unix:$T/dracd.smap:drac")" "$(expiry $OKZ)" \
    "postmap -q: the socketmap gives the same"

pf_start
t_eq "$(decisions 2526)" "$(decided 554)" \
    "smtpd, btree: authorized clients relay, others 554, local mail accepted"
for s in 2536:socketmap 2537:proxy:socketmap 2538:socketmap:inet; do
	t_eq "$(decisions ${s%%:*})" "$(decisions 2526)" \
	    "smtpd, ${s#*:}: the same decisions as the btree file"
done

# A short TTL: relaying stops without a restart.  The socketmap refuses
# the second the entry expires; the file loses it within a second, and
# smtpd sees the changed file at the next session.
auth -t 3 $TTL4 $TTL6
e4=$(expiry $TTL4)
t_rcpt 250 "smtpd, btree: IPv4 client authorized for 3 s relays" $TTL4 127.0.0.1 2526 $REMOTE
t_rcpt 250 "smtpd, socketmap: the same" $TTL4 127.0.0.1 2536 $REMOTE
t_rcpt 250 "smtpd, btree: IPv6 client authorized for 3 s relays" $TTL6 ::1 2526 $REMOTE
sleep_until "$e4"
t_rcpt 554 "smtpd, socketmap: refused from the second of expiry" $TTL4 127.0.0.1 2536 $REMOTE
t_rcpt_until 3 554 "smtpd, btree: IPv4 refused again after the TTL" $TTL4 127.0.0.1 2526 $REMOTE
t_rcpt_until 3 554 "smtpd, btree: IPv6 refused again after the TTL" $TTL6 ::1 2526 $REMOTE

# DROP (logout): refused at once, by both.
auth $DROP4 $DROP6
t_rcpt 250 "smtpd, socketmap: before DROP, relays" $DROP6 ::1 2536 $REMOTE
t_rcpt 250 "smtpd, btree: before DROP, relays" $DROP4 127.0.0.1 2526 $REMOTE
drop $DROP4 $DROP6
t_rcpt 554 "smtpd, socketmap: refused right after DROP" $DROP6 ::1 2536 $REMOTE
t_rcpt 554 "smtpd, btree: refused right after DROP (next session)" $DROP4 127.0.0.1 2526 $REMOTE
t_match 'table btree:[^ ]*/dracd.* has changed -- restarting' \
    "$(cat "$PF_LOG")" "smtpd restarts itself after the btree file changed"
t_nomatch 'table socketmap' "$(cat "$PF_LOG")" \
    "smtpd never restarts for the socketmap"

# The map gone, rpc.dracd gone: relaying deferred, local mail accepted.
t_rcpt "451 250" "smtpd, map missing: relaying deferred, local mail accepted" \
    $OK4 127.0.0.1 2546 $REMOTE $LOCAL
t_rcpt "451 250" "smtpd, socketmap not listening: the same" \
    $OK4 127.0.0.1 2556 $REMOTE $LOCAL
pf_stop

t_done
