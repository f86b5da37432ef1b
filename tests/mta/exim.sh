#!/bin/bash
# exim.sh: the contrib/exim snippets (dbmnz lookup in the RCPT ACL) in a
# real Exim 4.96 (Debian's, run from a private prefix), with the map
# written by the real rpc.dracd and clients authorized through dracauth.
#  - exim -bh: IPv4, IPv6 (expanded by -bh, matched through ipv6norm),
#    the documented -bh limit for a single zero group, map missing
#  - exim -bdf: IPv4 and IPv6 clients, TTL expiry and DROP without a
#    restart, the map unreadable for Debian-exim
#  - the socketmap variant (DRAC_SMAP, ${readsocket}): the same decisions,
#    any IPv6 form under -bh, exact expiry, rpc.dracd down
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/mta/mta-lib.sh"
. "$DRAC_TOP/tests/mta/exim-lib.sh"
mta_init
t_rpcbind
t_dracd -S "$T/dracd.smap"
auth $OK4 $OK6 $OKZ
t_eq "$(stat -c %a "$T/dracd.db")" 644 "rpc.dracd leaves the map readable for Debian-exim"

ex_conf file 2527 "DRAC_MAP=$T/dracd.db"
t_eq "$(ex_bh file $OK4 $REMOTE $LOCAL)" "250 250" "-bh: authorized IPv4 client relays"
t_eq "$(ex_bh file $NO4 $REMOTE $LOCAL)" "550 250" "-bh: unknown IPv4 client refused, local mail accepted"
t_eq "$(ex_bh file $OK6 $REMOTE)" 250 "-bh: authorized IPv6 client relays (ipv6norm fallback)"
t_eq "$(ex_bh file $NO6 $REMOTE)" 550 "-bh: unknown IPv6 client refused"
t_eq "$(ex_bh file $OKZ $REMOTE)" 550 \
    "-bh: single zero group not matched under -bh (documented; real connections match)"
ex_conf nomap 2547 "DRAC_MAP=$T/nomap/dracd.db"
t_eq "$(ex_bh nomap $OK4 $REMOTE $LOCAL)" "451 250" \
    "-bh, map missing: relaying deferred, local mail accepted"

ex_conf smap 2537 "DRAC_SMAP=$T/dracd.smap"
t_eq "$(ex_bh smap $OK4 $REMOTE $LOCAL)" "250 250" "-bh, socketmap: authorized IPv4 client relays"
t_eq "$(ex_bh smap $NO4 $REMOTE $LOCAL)" "550 250" "-bh, socketmap: unknown client refused"
t_eq "$(ex_bh smap $OKZ $REMOTE)" 250 "-bh, socketmap: single zero group matched too"
ex_conf nosock 2557 "DRAC_SMAP=$T/nosock"
t_eq "$(ex_bh nosock $OK4 $REMOTE $LOCAL)" "451 250" \
    "-bh, socketmap not listening: relaying deferred, local mail accepted"

ex_start file
ex_start smap
t_eq "$(decisions 2527)" "$(decided 550)" \
    "-bdf: authorized clients relay (single zero group too), others 550, local accepted"
t_eq "$(decisions 2537)" "$(decisions 2527)" \
    "-bdf, socketmap: the same decisions as the file"

auth -t 3 $TTL4 $TTL6
t_rcpt 250 "-bdf: IPv4 client authorized for 3 s relays" $TTL4 127.0.0.1 2527 $REMOTE
t_rcpt 250 "-bdf: IPv6 client authorized for 3 s relays" $TTL6 ::1 2527 $REMOTE
t_rcpt 250 "-bdf, socketmap: the same" $TTL4 127.0.0.1 2537 $REMOTE
sleep_until "$(expiry $TTL4)"
t_rcpt 550 "-bdf, socketmap: refused from the second of expiry" $TTL4 127.0.0.1 2537 $REMOTE
t_rcpt_until 3 550 "-bdf: IPv4 refused again after the TTL" $TTL4 127.0.0.1 2527 $REMOTE
t_rcpt_until 3 550 "-bdf: IPv6 refused again after the TTL" $TTL6 ::1 2527 $REMOTE

auth $DROP4 $DROP6
t_rcpt 250 "-bdf: before DROP, relays" $DROP4 127.0.0.1 2527 $REMOTE
drop $DROP4 $DROP6
t_rcpt 550 "-bdf: refused right after DROP (next connection)" $DROP4 127.0.0.1 2527 $REMOTE
t_rcpt 550 "-bdf: IPv6 refused right after DROP" $DROP6 ::1 2527 $REMOTE
t_rcpt 550 "-bdf, socketmap: refused right after DROP" $DROP6 ::1 2537 $REMOTE

# Debian-exim cannot read a 0600 map: relaying deferred, local accepted.
chmod 600 "$T/dracd.db"
t_rcpt "451 250" "-bdf, map unreadable: relaying deferred, local mail accepted" \
    $OK4 127.0.0.1 2527 $REMOTE $LOCAL
chmod 644 "$T/dracd.db"
t_rcpt 250 "-bdf, map readable again: relays, no restart" $OK4 127.0.0.1 2527 $REMOTE
t_match 'drac: relay allowed for 192\.0\.2\.10' "$(cat "$T/exim-file/log/mainlog")" \
    "the snippet logs each recipient it lets through"
mta_stop ex_file
mta_stop ex_smap

t_done
