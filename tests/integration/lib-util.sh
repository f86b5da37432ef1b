# lib-util.sh: helpers of the lib-*.sh tests (sourced after tests/lib.sh).
# Not a test itself.
#
#   l_init               t_init, and sanitizer reports go to $T/san.*
#   l_done               fails if any sanitizer report was written; t_done
#   lc ARG...            run libcall; its output is in $OUT; fails the
#                        test if libcall itself does not exit 0
#   f NAME [TEXT]        value of the first "NAME=..." line ($OUT)
#   mapval KEY           the map's value for KEY ("" if absent)
#   in_range N LO HI MSG passes when LO <= N <= HI
#   t_present VALUE MSG  passes when VALUE is not empty
#   now_ms               monotonic enough wall clock, milliseconds
#   user_of ADDR         the user the daemon keeps for ADDR (query)

LIBCALL=$DRAC_BUILD/tests/integration/libcall
OLDDRACD=$DRAC_TOP/tests/olddracd.py

l_init() {
	t_init
	# Reports of the ASan build (library, libcall, dracauth, daemon)
	# land in files, so that none goes unnoticed in captured output.
	export ASAN_OPTIONS="$ASAN_OPTIONS:log_path=$T/san"
	export UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$T/san"
}

l_done() {
	local r
	for r in "$T"/san.*; do
		[ -e "$r" ] || continue
		t_fail "sanitizer report $(basename "$r")"
		head -n 40 "$r"
	done
	t_done
}

lc() {
	local rc
	OUT=$("$LIBCALL" "$@" 2>&1); rc=$?
	[ $rc -eq 0 ] || t_fail "libcall $*: exit status $rc: $OUT"
}

f() { printf '%s\n' "${2-$OUT}" | sed -n "s/^$1=//p" | head -n 1; }

mapval() { t_dump | awk -v k="$1" '$1 == k { print $2 }'; }

in_range() {
	if [ -n "$1" ] && [ "$1" -ge "$2" ] 2>/dev/null &&
	    [ "$1" -le "$3" ]; then
		t_ok "$4"
	else
		t_fail "$4: got '$1', want $2..$3"
	fi
}

t_present() { if [ -n "$1" ]; then t_ok "$2"; else t_fail "$2: absent"; fi; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

user_of() { "$LIBCALL" query "$1" | sed -n 's/^user=//p'; }

# olddracd PORT [ARG...]: the DRAC 1.12 stand-in, logging to $T/old.log.
olddracd() {
	local port=$1; shift
	: > "$T/old.out"
	python3 "$OLDDRACD" -p "$port" -l "$T/old.log" "$@" \
	    >>"$T/old.out" 2>&1 &
	OLD_PID=$!
	T_PIDS="$T_PIDS $OLD_PID"
	# It prints "ready" once its sockets are bound (and registered).
	t_wait 20 grep -q '^olddracd: ready' "$T/old.out" ||
	    { t_fail "olddracd did not start"; cat "$T/old.out"; exit 1; }
}

olddracd_stop() {
	kill -TERM "$OLD_PID"
	t_wait 5 sh -c "! kill -0 $OLD_PID" || kill -KILL "$OLD_PID"
	wait "$OLD_PID" 2>/dev/null
}
