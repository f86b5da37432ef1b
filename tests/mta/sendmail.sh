#!/bin/bash
# sendmail.sh: FEATURE(`drac') in a real sendmail 8.17 (Debian's, run from
# a private prefix), with the map written and served by the real
# rpc.dracd and clients authorized through dracauth.
#  - the FEATURE's arguments and the hand-written cf lines
#  - address test mode: IPv4, IPv6 in sendmail's uncompressed IPV6_FULL
#    form, the site's own Local_check_rcpt rules, a missing or corrupt map
#  - sendmail -bD with the btree file and with the socketmap: the same
#    decisions, TTL expiry and DROP without a restart, map/daemon gone
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/mta/mta-lib.sh"
. "$DRAC_TOP/tests/mta/sendmail-lib.sh"
mta_init
t_rpcbind
t_dracd -S "$T/dracd.smap" -S 127.0.0.1:7779
auth $OK4 $OK6 $OKZ

OKR='$# OK'
DENIED='$# error $@ 5 . 7 . 1 $: "550 Relaying denied"'
SITE='$# error $@ 5 . 7 . 1 $: "550 spamtrap (site rule)"'
TMPF='$# error $@ 4 . 3 . 0 $: "451 Temporary failure of the drac map"'

# --- the m4 FEATURE: one K line per argument form --------------------------
kline() { sm_cf "$1" 2500 "$2" && grep '^Kdrac' "$T/sm-$1/sendmail.cf"; }
t_eq "$(kline k1 '')" 'Kdrac btree -T<TMPF> /etc/mail/dracd' \
    "FEATURE(drac): btree /etc/mail/dracd by default"
t_eq "$(kline k2 '`/var/db/dracd'"'")" 'Kdrac btree -T<TMPF> /var/db/dracd' \
    "FEATURE(drac, /path): btree at that path"
t_eq "$(kline k2db '`/var/db/dracd.db'"'")" 'Kdrac btree -T<TMPF> /var/db/dracd' \
    "FEATURE(drac, /path.db): .db cut, sendmail adds it"
t_eq "$(kline k3 '`socket:local:/run/drac/socketmap'"'")" \
    'Kdrac socket -T<TMPF> local:/run/drac/socketmap' \
    "FEATURE(drac, socket:SPEC): rpc.dracd's socketmap"
t_eq "$(kline k4 '`hash -o /etc/mail/drac'"'")" \
    'Kdrac hash -T<TMPF> -o /etc/mail/drac' \
    "FEATURE(drac, class file): any map class, flags kept"
sm_cf k5 2500 '`dracd'"'" 2>/dev/null
t_match 'ERROR: FEATURE\(drac\): map "dracd" is not a path' \
    "$(cat "$T/sm-k5/m4.err")" "FEATURE(drac, nonsense): m4 names the bad map"

# The hand-written lines are the FEATURE's, rule for rule.
rules() { awk '/^# DRAC: the client/ { on = 1 } on { print } on && /\$#OK$/ { exit }' "$1"; }
t_eq "$(rules "$DRAC_TOP/sendmail/drac.cf.txt")" "$(rules "$T/sm-k1/sendmail.cf")" \
    "drac.cf.txt holds exactly the rules FEATURE(drac) generates"
t_eq "$(grep '^Kdrac' "$DRAC_TOP/sendmail/drac.cf.txt")" \
    "$(grep '^Kdrac' "$T/sm-k1/sendmail.cf")" "drac.cf.txt: the same K line"

# --- address test mode, btree map ----------------------------------------
sm_cf bt 2500 "\`$T/dracd'"
t_eq "$(sm_check bt $OK4 $REMOTE)" "$OKR" "-bt: authorized IPv4 client relays"
t_eq "$(sm_check bt $NO4 $REMOTE)" "$DENIED" "-bt: unknown IPv4 client refused"
t_eq "$(sm_check bt $NO4 $LOCAL)" RELAY "-bt: unknown client, local recipient"
t_eq "$(sm_check bt IPv6:2001:db8:0:0:0:0:0:5 $REMOTE)" "$OKR" \
    "-bt: IPv6 as IPV6_FULL writes it (IPv6:2001:db8:0:0:0:0:0:5)"
t_eq "$(sm_check bt IPv6:$OK6 $REMOTE)" "$OKR" \
    "-bt: IPv6 with UseCompressedIPv6Addresses (IPv6:2001:db8::5)"
t_eq "$(sm_check bt IPv6:$OKZ $REMOTE)" "$OKR" \
    "-bt: IPv6 with a single zero group (nothing to compress)"
t_eq "$(sm_check bt IPv6:2001:db8:0:0:0:0:0:6 $REMOTE)" "$DENIED" \
    "-bt: unknown IPv6 client refused"
t_eq "$(sm_check bt IPv6:0:0:0:0:0:ffff:$OK4 $REMOTE)" "$OKR" \
    "-bt: IPv4 client on an IPv6 socket (mapped) matches the IPv4 key"
t_eq "$(sm_check bt $NO4 user@friend.example)" "$OKR" \
    "-bt: a miss falls through to the site's rule that accepts"
t_eq "$(sm_check bt $NO4 spamtrap@mta.test.invalid)" "$SITE" \
    "-bt: a miss falls through to the site's rule that refuses"

# Property, with a seed: for random addresses in the IPV6_FULL form, the
# key the rules look up is the inet_ntop() text rpc.dracd writes.  The
# ::a.b.c.d forms inet_ntop() uses for IPv4-compatible and -mapped
# addresses are left out (not SMTP clients; mapped ones come as IPv4).
seed=${DRAC_SEED:-$(date +%s)}
python3 - "$seed" > "$T/v6.txt" <<'PY'
import random, socket, sys
r = random.Random(int(sys.argv[1]))
for _ in range(400):
    w = [0 if r.random() < 0.6 else r.choice([1, 0xdb8, r.randrange(1, 0x10000)])
         for _ in range(8)]
    text = socket.inet_ntop(socket.AF_INET6, b"".join(x.to_bytes(2, "big") for x in w))
    if "." not in text:
        print(":".join("%x" % x for x in w), text)
PY
awk '{ printf ".D{client_addr}IPv6:%s\nLocal_check_rcpt <u@remote.example>\n", $1 }' \
    "$T/v6.txt" | "$SM" -C "$T/sm-bt/sendmail.cf" -bt -d60.5 2>&1 |
    sed -n 's/^map_lookup(drac, \([^,]*\),.*/\1/p' > "$T/v6.keys"
t_eq "$(awk '{ print $2 }' "$T/v6.txt")" "$(cat "$T/v6.keys")" \
    "-bt: $(wc -l < "$T/v6.txt") random IPV6_FULL addresses looked up as inet_ntop() text (seed $seed)"

# The socketmap over loopback TCP, the other documented form.
sm_cf inet 2500 "\`socket:inet:7779@127.0.0.1'"
t_eq "$(sm_check inet IPv6:2001:db8:0:0:0:0:0:5 $REMOTE)" "$OKR" \
    "-bt, socketmap over TCP: authorized IPv6 client relays"
t_eq "$(sm_check inet $NO4 $REMOTE)" "$DENIED" "-bt, socketmap over TCP: unknown client refused"

# The same with the hand-written lines, put into a cf built without the
# FEATURE as drac.cf.txt says: K line first, rules for SLocal_check_rcpt.
sm_cf hand 2500 -
cf=$T/sm-hand/sendmail.cf
sed -n '/^SLocal_check_rcpt$/,$p' "$DRAC_TOP/sendmail/drac.cf.txt" > "$T/hand.rules"
awk -v k="Kdrac btree -T<TMPF> $T/dracd" -v rules="$T/hand.rules" '
	/^S/ && !kdone { print k; kdone = 1 }
	/^SLocal_check_rcpt$/ && !rdone {
		while ((getline l < rules) > 0) print l
		rdone = 1; next }
	{ print }' "$cf" > "$cf.new" && mv "$cf.new" "$cf"
for c in "$OK4 $REMOTE" "$NO4 $REMOTE" "IPv6:2001:db8:0:0:0:0:0:5 $REMOTE" \
    "$NO4 user@friend.example" "$NO4 spamtrap@mta.test.invalid"; do
	set -- $c
	t_eq "$(sm_check hand "$1" "$2")" "$(sm_check bt "$1" "$2")" \
	    "-bt: hand-written lines decide as the FEATURE: $1 -> $2"
done

# A map that cannot be read: a temporary failure, so relaying is
# deferred (4xx) and local mail still flows.
sm_cf nomap 2500 "\`$T/nomap/dracd'"
t_eq "$(sm_check nomap $OK4 $REMOTE)" "$TMPF" "-bt, map missing: relaying deferred"
t_eq "$(sm_check nomap $OK4 $LOCAL)" RELAY "-bt, map missing: local recipient unaffected"
mkdir "$T/bad"
printf 'this is not a Berkeley DB file\n' > "$T/bad/dracd.db"
sm_cf badmap 2500 "\`$T/bad/dracd'"
t_eq "$(sm_check badmap $OK4 $REMOTE)" "$TMPF" "-bt, map corrupt: relaying deferred"
t_eq "$(sm_check badmap $OK4 $LOCAL)" RELAY "-bt, map corrupt: local recipient unaffected"

# --- sendmail -bD: the btree file and the socketmap side by side ---------
sm_cf file 2525 "\`$T/dracd'"
sm_cf smap 2535 "\`socket:local:$T/dracd.smap'"
sm_start file
sm_start smap
t_eq "$(decisions 2525)" "$(decided 550)" \
    "-bD, btree: authorized clients relay, others 550, local mail accepted"
t_eq "$(decisions 2535)" "$(decisions 2525)" \
    "-bD, socketmap: the same decisions as the btree file"

# A short TTL: relaying stops without a restart.  The socketmap refuses
# the second the entry expires; the file loses it within a second.
auth -t 3 $TTL4 $TTL6
e4=$(expiry $TTL4)
t_rcpt 250 "-bD, btree: IPv4 client authorized for 3 s relays" $TTL4 127.0.0.1 2525 $REMOTE
t_rcpt 250 "-bD, socketmap: the same" $TTL4 127.0.0.1 2535 $REMOTE
t_rcpt 250 "-bD, btree: IPv6 client authorized for 3 s relays" $TTL6 ::1 2525 $REMOTE
sleep_until "$e4"
t_rcpt 550 "-bD, socketmap: refused from the second of expiry" $TTL4 127.0.0.1 2535 $REMOTE
t_rcpt_until 3 550 "-bD, btree: IPv4 refused again after the TTL" $TTL4 127.0.0.1 2525 $REMOTE
t_rcpt_until 3 550 "-bD, btree: IPv6 refused again after the TTL" $TTL6 ::1 2525 $REMOTE

# DROP (logout): refused at once, by both.
auth $DROP4 $DROP6
t_rcpt 250 "-bD, socketmap: before DROP, relays" $DROP6 ::1 2535 $REMOTE
t_rcpt 250 "-bD, btree: before DROP, relays" $DROP4 127.0.0.1 2525 $REMOTE
drop $DROP4 $DROP6
t_rcpt 550 "-bD, socketmap: refused right after DROP" $DROP6 ::1 2535 $REMOTE
t_rcpt 550 "-bD, btree: refused right after DROP" $DROP4 127.0.0.1 2525 $REMOTE
for s in file smap; do
	eval "pid=\$MTA_PID_sm_$s"
	if kill -0 "$pid" 2>/dev/null; then t_ok "-bD $s: the same daemon all along"
	else t_fail "-bD $s: the daemon died"; fi
done

# The map gone, the socketmap daemon gone: relaying deferred, local mail
# still accepted.
sm_cf nomap 2545 "\`$T/nomap/dracd'"
sm_cf nosock 2555 "\`socket:local:$T/nosock'"
sm_start nomap
sm_start nosock
t_rcpt "451 250" "-bD, map missing: relaying deferred, local mail accepted" \
    $OK4 127.0.0.1 2545 $REMOTE $LOCAL
t_rcpt "451 250" "-bD, socketmap not listening: the same" \
    $OK4 127.0.0.1 2555 $REMOTE $LOCAL
for s in file smap nomap nosock; do mta_stop sm_$s; done

t_done
