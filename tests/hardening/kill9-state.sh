#!/bin/bash
# The state file (users, TTLs) through kill -9 and damage.  10 kills
# under v3 load: the user of every ADD acknowledged before a kill is
# back after the restart, since each ADD's record is in the state file
# (its page cache) before the reply.  A kill right after one ADD: its
# user is there at once.  Damage in the middle of the file: the start
# names it, reads the records after it, and the map loses nothing.  An
# ADD then its DROP: the address has no user after a restart, even when
# it comes back by a v1 ADD.  A state file of many dead records is
# compacted while the daemon serves, and no user is lost.  A state file
# that cannot be opened: the daemon does not start, and says which file.
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
t_init
rr_start
t_rpcbind
H="python3 $DRAC_TOP/tests/hardening/hclient.py"
: > "$T/acked"
for i in $(seq 1 10); do
	t_dracd -p 9704 -s 60 >/dev/null
	$H v3loop 9704 "$T/acked" 3 &
	loader=$!
	sleep 0.$((RANDOM % 7 + 3))
	kill -KILL "$DRACD_PID"
	wait "$DRACD_PID" 2>/dev/null
	kill "$loader" 2>/dev/null; wait "$loader" 2>/dev/null
done
t_dracd -p 9704 >/dev/null
t_dracd_stop
# The last acknowledged user of each address, against the files'.
awk '{ user[$1] = $2 } END { for (a in user) print a, user[a] }' \
    "$T/acked" | sort > "$T/want"
t_users > "$T/have"
t_eq "$(comm -23 "$T/want" "$T/have" | wc -l)" 0 \
    "every acknowledged user is in the state file ($(wc -l < "$T/want") acknowledged)"
t_match 'dracd.db.state: [0-9]+ records read' "$(cat "$T/dracd.log")" \
    "the restarts read the state file"
t_eq "$(t_dump | wc -l)" "$(wc -l < "$T/want")" "one map entry per address"

# A kill right after an ADD: no flush, no batch; the record is there.
rm -f "$T"/dracd.db*
t_dracd -p 9704 -s 60 >/dev/null
t_eq "$(field status "$(rr add 10.6.0.2 --user early)")" 0 "a v3 ADD"
kill -KILL "$DRACD_PID"; wait "$DRACD_PID" 2>/dev/null
t_eq "$(t_users)" "10.6.0.2 early" "its user is in the state file at once"

# Damage in the middle of the state file: the records after it count.
rm -f "$T"/dracd.db*
t_dracd -p 9704 -s 60 >/dev/null
for i in $(seq 1 40); do rr add "10.6.1.$i" --user "j$i" >/dev/null; done
kill -KILL "$DRACD_PID"; wait "$DRACD_PID" 2>/dev/null
# Records are 48 bytes here: bytes 600 to 1111 are in those of 10.6.1.13
# to 10.6.1.23.
dd if=/dev/urandom of="$T/dracd.db.state" bs=1 seek=600 count=512 \
    conv=notrunc 2>/dev/null
: > "$T/dracd.log"
t_dracd -p 9704 >/dev/null
t_match 'dracd.db.state: [0-9]+ damaged bytes skipped' "$(cat "$T/dracd.log")" \
    "the damage is named"
t_eq "$(field user "$(rr query 10.6.1.7)") $(field user "$(rr query 10.6.1.40)")" \
    "j7 j40" "the users before and after it are read"
t_eq "$(field status "$(rr query 10.6.1.15)") $(field how "$(rr query 10.6.1.15)")" \
    "0 0" "an entry whose record was damaged is served, without a user"
t_dracd_stop
t_eq "$(t_dump | wc -l)" 40 "the map lost nothing"

# An ADD and its DROP: the address does not get the user back.
rm -f "$T"/dracd.db*
t_dracd -p 9704 -s 60 >/dev/null
rr add 10.6.3.1 --user gone >/dev/null
rr add 10.6.3.2 --user kept >/dev/null
t_eq "$(field status "$(rr drop 10.6.3.1)")" 0 "a DROP"
t_dracd_stop
t_eq "$(t_users)" "10.6.3.2 kept" "after a restart only the ADD not dropped has a user"
t_dracd -p 9704 >/dev/null
t_eq "$($H v1 9704 10.6.3.1)" 0 "the dropped address back by a v1 ADD"
t_eq "$(field how "$(rr query 10.6.3.1)") $(field user "$(rr query 10.6.3.1)")" \
    "1 " "with how v1 and no user"
t_dracd_stop

# A state file of three records an entry: the daemon compacts it into a
# new file while it serves, renames that over it, and every entry keeps
# its user, also after a kill -9 and a restart.
FILL=$DRAC_BUILD/bench/dracfill
[ -x "$FILL" ] || FILL=${DRAC_BUILD%-san}/bench/dracfill
rm -f "$T"/dracd.db*
"$FILL" -n 30000 -r 3 "$T/dracd.db" > /dev/null || t_fail "dracfill failed"
: > "$T/dracd.log"
t_dracd -p 9704 >/dev/null
if t_wait 20 grep -q 'compacted from 90000 records to 30000' "$T/dracd.log"; then
	t_ok "90000 records for 30000 entries compacted to 30000"
else
	t_fail "no compaction: $(grep -i compact "$T/dracd.log")"
fi
t_eq "$(ls "$T" | grep -c 'dracd.db.state.new')" 0 "the new file took the old one's name"
t_eq "$(field user "$(rr query 100.64.0.1)") $(field user "$(rr query 100.64.117.48)")" \
    "bench bench" "the entries' users are read from the new file"
t_eq "$($H v3 9704 10.6.4.1)" 0 "an ADD after the compaction"
kill -KILL "$DRACD_PID"; wait "$DRACD_PID" 2>/dev/null
t_eq "$(t_users | grep -c ' bench$')" 30000 "after a kill -9 every entry has its user"
t_eq "$(t_users | grep '^10\.6\.4\.1 ')" "10.6.4.1 hoge" "and so has the ADD made after"

# A state file that cannot be opened: no start, the file named.
rm -f "$T"/dracd.db*
mkdir "$T/dracd.db.state"
out=$("$DRACD" -d -a "$T/dracd.allow" -P "$T/dracd.pid" -p 9704 "$T/dracd.db" 2>&1)
t_eq "$?" 1 "exit 1"
t_match 'dracd.db.state: Is a directory' "$out" "the state file is named"
t_done
