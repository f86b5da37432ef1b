#!/bin/bash
# core-expiry.sh: thousands of entries expiring at one second.  More than
# one pass of the expiry heap removes, so the daemon sweeps the map in
# key order.  Every due entry leaves the map within 1 s of its expiry;
# nothing live is touched (later expiries, an entry renewed before its
# time), the users of the live entries stay theirs, and a restart finds
# the same.  The state file is planted in the Berkeley DB format of
# earlier versions, which the start converts.  Once with a btree map,
# once with a hash map (-t hash), where the walk cannot resume by key
# order.  Then 200 due at one second, too few for a sweep: they leave by
# the heap, in several passes, with the same results.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
core_init

N=3000
# planted map|state NOW T0: db5.3_load -T input, a key line then its
# value line: N entries due at T0, 5 due ten minutes later.
planted() {
	local i
	for i in $(seq 0 $((N - 1))); do
		printf '10.77.%d.%d\n' $((i / 250)) $((i % 250 + 1))
		if [ "$1" = map ]; then echo "$3"; else echo "5 $2 3 u$i"; fi
	done
	for i in 1 2 3 4 5; do
		printf '10.78.0.%d\n' $i
		if [ "$1" = map ]; then echo $(($2 + 600)); else echo "600 $2 3 late$i"; fi
	done
}


expiry_case() {	# btree|hash
	local type=$1 now t0 gone t r
	rm -f "$T"/dracd.db*
	: > "$T/dracd.log"
	now=$(date +%s)
	t0=$((now + 5))
	planted map "$now" "$t0" | db5.3_load -T -t "$type" "$T/dracd.db"
	planted state "$now" "$t0" | db5.3_load -T -t btree "$T/dracd.db.state"

	t_dracd -t "$type"
	t_match 'dracd.db.state: converted from the Berkeley DB format, '$((N + 5))' records' \
	    "$(cat "$T/dracd.log")" "$type: the old state file converted"
	t_eq "$(counter live)" $((N + 5)) "$type: $N entries due at one second and 5 later ones loaded"
	r=$(rr add 10.77.0.1 --ttl 600 --user renewed)
	t_eq "$(field status "$r")" 0 "$type: one of the $N renewed before its expiry"
	gone=""
	for _ in $(seq 200); do	# at most 200 polls, about 10 s
		[ "$(date +%s)" -lt "$t0" ] && { sleep 0.1; continue; }
		t=$(now_f)
		if [ "$(map_keys | grep -c '^10\.77\.')" = 1 ]; then gone=$t; break; fi
		sleep 0.05
	done
	if [ -n "$gone" ] && float_le "$gone" $((t0 + 1)).05; then
		t_ok "$type: $((N - 1)) entries left the map within 1 s of their expiry ($gone vs $t0)"
	else
		t_fail "$type: $((N - 1)) due entries: still in the map at $(now_f), expiry $t0"
	fi
	t_eq "$(map_keys | grep -E '^10\.7[78]\.' | tr '\n' ' ')" \
	    "10.77.0.1 10.78.0.1 10.78.0.2 10.78.0.3 10.78.0.4 10.78.0.5 " \
	    "$type: the map keeps the renewed entry and the later ones"
	t_eq "$(map_value 10.78.0.3)" $((now + 600)) "$type: a later entry keeps its expiry"
	t_eq "$(t_users | grep -E '^10\.7[78]\.' | tr '\n' ' ')" \
	    "10.77.0.1 renewed 10.78.0.1 late1 10.78.0.2 late2 10.78.0.3 late3 10.78.0.4 late4 10.78.0.5 late5 " \
	    "$type: read offline, the live entries have their users, no others"
	t_eq "$(field user "$(rr query 10.77.0.1)")" renewed "$type: the renewed entry keeps its user"
	t_eq "$(field user "$(rr query 10.78.0.4)")" late4 "$type: a later entry keeps its user"
	t_eq "$(field status "$(rr query 10.77.0.2)")" 5 "$type: an expired entry: QUERY NOTFOUND"
	t_eq "$(counter expired) $(counter live)" "$((N - 1)) 6" "$type: STATS: $((N - 1)) expired, 6 live"
	r=$(rr add 10.77.0.2 --ttl 600 --user again)
	t_eq "$(field status "$r") $(map_keys | grep -c '^10\.77\.0\.2$')" "0 1" "$type: an expired address can be added again"
	t_dracd_stop

	t_dracd -t "$type"
	t_eq "$(counter live)" 7 "$type: restart: the 7 live entries, nothing resurrected"
	t_eq "$(field user "$(rr query 10.77.0.2)")" again "$type: restart: the re-added entry's user"
	t_dracd_stop
}

expiry_case btree
expiry_case hash
N=200 expiry_case btree
t_done
