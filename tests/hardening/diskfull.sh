#!/bin/bash
# A full disk: ADDs that cannot be stored get SYSERR, never SUCCESS; no
# entry acknowledged earlier is lost; service is normal once space returns.
. "$DRAC_TOP/tests/lib.sh"
t_init
t_rpcbind
H="python3 $DRAC_TOP/tests/hardening/hclient.py"
mkdir "$T/small"
mount -t tmpfs -o size=400k tmpfs "$T/small"
printf '127.0.0.0/8\n' > "$T/dracd.allow"
"$DRACD" -d -a "$T/dracd.allow" -P "$T/dracd.pid" -p 9703 "$T/small/dracd.db" >>"$T/dracd.log" 2>&1 &
DRACD_PID=$!; T_PIDS="$T_PIDS $DRACD_PID"
t_wait 10 rpcinfo -n 9703 -u 127.0.0.1 900101 1 || t_fail "daemon did not start"
dd if=/dev/zero of="$T/small/filler" bs=4k 2>/dev/null
: > "$T/acked"
t_eq "$($H fill 9703 "$T/acked" 4000)" "syserr 3" \
	"SYSERR while the disk is full (after $(wc -l < "$T/acked") stored)"
rm -f "$T/small/filler"
t_eq "$($H v1 9703 10.8.0.1)" 0 "ADD works again once space returns"
echo 10.8.0.1 >> "$T/acked"
kill -TERM $DRACD_PID; wait $DRACD_PID
db5.3_dump -p "$T/small/dracd.db" | sed -n 's/^ //p' | awk 'NR % 2' | sort > "$T/have"
sort "$T/acked" > "$T/want"
t_eq "$(comm -23 "$T/want" "$T/have" | wc -l)" 0 "every acknowledged entry is in the map"
t_match 'No space left|write' "$(cat "$T/dracd.log")" "the disk-full error is logged"
umount "$T/small"
t_done
