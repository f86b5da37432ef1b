#!/bin/bash
# kill -9 under v3 load, 10 times: the user of every ADD acknowledged
# before a kill is in the state file after the restart.  The flush
# interval is long (-s 60), so the last records before each kill are
# only in the journal, and the restart must replay them.  A DROP puts
# them in the state file before it deletes.  A QUERY, which
# reads the state file, has it written first.  Without a journal the
# state file is written at every change.
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
# The last acknowledged user of each address, against the state file's.
awk '{ user[$1] = $2 } END { for (a in user) print a, user[a] }' \
    "$T/acked" | sort > "$T/want"
t_dump "$T/dracd.db.state" | awk '{ print $1, $5 }' | sort > "$T/have"
t_eq "$(comm -23 "$T/want" "$T/have" | wc -l)" 0 \
    "every acknowledged user is in the state file ($(wc -l < "$T/want") acknowledged)"
t_match 'state records replayed' "$(cat "$T/dracd.log")" \
    "the restarts replayed the journal"
t_eq "$(t_dump | wc -l)" "$(wc -l < "$T/want")" "one map entry per address"

# A read of the state file (QUERY) writes it first: no replay needed.
rm -f "$T"/dracd.db*
t_dracd -p 9704 -s 60 >/dev/null
t_eq "$(field status "$(rr add 10.6.0.2 --user early)")" 0 "a v3 ADD"
t_eq "$(field user "$(rr query 10.6.0.2)")" early "its QUERY gives the user"
kill -KILL "$DRACD_PID"; wait "$DRACD_PID" 2>/dev/null
t_eq "$(t_dump "$T/dracd.db.state" | awk '{ print $1, $5 }')" "10.6.0.2 early" \
    "the QUERY had the state file written"

# A kill -9, then a damaged state file: the start rebuilds it from the
# map, and the users that only the journal held are not lost to the
# map's bare entries.
rm -f "$T"/dracd.db*
t_dracd -p 9704 -s 60 >/dev/null
for i in $(seq 1 40); do rr add "10.6.1.$i" --user "j$i" >/dev/null; done
kill -KILL "$DRACD_PID"; wait "$DRACD_PID" 2>/dev/null
size=$(stat -c %s "$T/dracd.db.state")
dd if=/dev/urandom of="$T/dracd.db.state" bs=512 seek=1 \
    count=$((size / 512 - 1)) conv=notrunc 2>/dev/null
: > "$T/dracd.log"
t_dracd -p 9704 >/dev/null
t_match 'state file damaged' "$(cat "$T/dracd.log")" "the damaged state file is found"
t_eq "$(field user "$(rr query 10.6.1.7)") $(field user "$(rr query 10.6.1.40)")" \
    "j7 j40" "the rebuilt state file has the journal's users"
t_dracd_stop

# An ADD and its DROP between two writes of the state file: the state
# record, which waits in the journal, must not come back after the DROP.
rm -f "$T"/dracd.db*
t_dracd -p 9704 -s 60 >/dev/null
rr add 10.6.3.1 --user gone >/dev/null
rr add 10.6.3.2 --user kept >/dev/null
t_eq "$(field status "$(rr drop 10.6.3.1)")" 0 "a DROP of a journaled ADD"
t_dracd_stop
t_eq "$(t_dump "$T/dracd.db.state" | awk '{ print $1, $5 }')" "10.6.3.2 kept" \
    "after a clean stop the state file holds only the ADD not dropped"

# Without a journal (a directory stands in its way) the daemon says so
# and writes the state file at every change instead.
rm -f "$T"/dracd.db*
mkdir "$T/dracd.db.state.journal"
: > "$T/dracd.log"
t_dracd -p 9704 -s 60 >/dev/null
t_match 'dracd.db.state.journal: .*writing the state file at every change' \
    "$(cat "$T/dracd.log")" "a journal that cannot be opened is named"
t_eq "$($H v3 9704 10.6.0.1)" 0 "ADD works without a journal"
kill -KILL "$DRACD_PID"; wait "$DRACD_PID" 2>/dev/null
t_eq "$(t_dump "$T/dracd.db.state" | awk '{ print $1, $5 }')" "10.6.0.1 hoge" \
    "its user is in the state file at once"
t_done
