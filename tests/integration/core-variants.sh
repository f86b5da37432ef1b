#!/bin/bash
# core-variants.sh: the map variants DRAC chose at compile time, chosen
# here at run time: -c CIDR keys, -z NUL-terminated key and value,
# -t hash.  Each checked with db5.3_dump, byte for byte.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
. "$DRAC_TOP/tests/integration/core-lib.sh"
core_init

fresh() { rm -f "$T/dracd.db" "$T/dracd.db.state"; }

# adds: one address of each kind, through v1, v2 and v3.
adds() {
	before=$(date +%s)
	rr v1 10.1.2.3 >/dev/null
	rr v2 2001:db8::1 >/dev/null
	exp=$(field expires "$(rr add 10.1.2.4 --ttl 600 --user alice)")
	after=$(date +%s)
}

# ---- -c: CIDR keys -------------------------------------------------------
fresh
t_dracd -c
adds
t_eq "$(map_keys | tr '\n' ' ')" "10.1.2.3/32 10.1.2.4/32 2001:db8::1/128 " "-c: keys 10.1.2.3/32 and 2001:db8::1/128"
t_eq "$(map_value 10.1.2.4/32)" "$exp" "-c: value is the bare expiry"
t_range "$(map_value 10.1.2.3/32)" $((before + 1800)) $((after + 1801)) "-c: v1 value = now + 30 min"
r=$(rr query 10.1.2.4)
t_eq "$(field status "$r") $(field user "$r")" "0 alice" "-c: QUERY finds the entry by address"
t_eq "$(field status "$(rr drop 2001:db8::1)")" 0 "-c: DROP"
t_eq "$(map_keys | tr '\n' ' ')" "10.1.2.3/32 10.1.2.4/32 " "-c: DROP removed the /128 key"
t_dracd_stop
t_dracd -c
t_eq "$(field user "$(rr query 10.1.2.4)")" alice "-c: restart reads its own keys back"
t_dracd_stop

# ---- -z: NUL-terminated key and value -----------------------------------
fresh
t_dracd -z
adds
t_eq "$(map_keys | tr '\n' ' ')" '10.1.2.3\0 10.1.2.4\0 2001:db8::1\0 ' "-z: keys end in NUL"
t_eq "$(map_value '10.1.2.4\0')" "$exp\\0" "-z: value is the expiry plus a NUL"
t_eq "$(db5.3_dump "$T/dracd.db" | grep -c '^ 31302e312e322e3300$')" 1 "-z: raw key bytes 10.1.2.3 NUL"
t_eq "$(field status "$(rr query 2001:db8::1)")" 0 "-z: QUERY finds the entry"
t_dracd_stop
t_dracd -z
t_eq "$(field user "$(rr query 10.1.2.4)")" alice "-z: restart reads its own keys back"
t_dracd_stop

# ---- -c -z together ------------------------------------------------------
fresh
t_dracd -cz
adds
t_eq "$(map_keys | tr '\n' ' ')" '10.1.2.3/32\0 10.1.2.4/32\0 2001:db8::1/128\0 ' "-cz: CIDR keys ending in NUL"
t_dracd_stop

# ---- -t hash -------------------------------------------------------------
fresh
t_dracd -t hash
adds
t_eq "$(db5.3_dump -p "$T/dracd.db" | sed -n 's/^type=//p')" hash "-t hash: db5.3_dump shows type=hash"
t_eq "$(map_keys | tr '\n' ' ')" "10.1.2.3 10.1.2.4 2001:db8::1 " "-t hash: DRAC keys"
t_eq "$(map_value 10.1.2.4)" "$exp" "-t hash: value is the expiry"
t_dracd_stop
t_dracd -t hash
t_eq "$(field user "$(rr query 10.1.2.4)")" alice "-t hash: restart keeps the entry"
t_dracd_stop

# ---- default: btree ------------------------------------------------------
fresh
t_dracd
adds
t_eq "$(db5.3_dump -p "$T/dracd.db" | sed -n 's/^type=//p')" btree "default map type is btree"
t_eq "$(map_keys | tr '\n' ' ')" "10.1.2.3 10.1.2.4 2001:db8::1 " "default: plain keys"
t_dracd_stop
t_done
