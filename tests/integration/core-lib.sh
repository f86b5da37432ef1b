# core-lib.sh: helpers shared by the core-*.sh tests (sourced after
# tests/lib.sh).  Not a test itself.
#
#   core_init            t_init, rr_start and a private rpcbind: the
#                        start of most core-*.sh tests
#   rr_start             start one rawrpc.py that serves every rr call
#   rr ARG...            tests/rawrpc.py, the hand-built RPC client
#   field NAME TEXT      value of the first "NAME=..." line of TEXT
#   fields NAME TEXT     values of every "NAME=..." line
#   field_sp NAME TEXT   value of the first "NAME ..." line
#   map_value KEY        the map's value for KEY ("" if absent)
#   map_keys             the map's keys, one per line, sorted
#   t_range N LO HI MSG  passes when LO <= N <= HI
#   t_alive MSG          the daemon runs and answers NULLPROC (UDP, TCP)
#   counter NAME [SRC]   a STATS counter, asked from SRC (127.0.0.1)
#   now_f                epoch seconds with fractions
#   t_present VALUE MSG  passes when VALUE is not empty

RAWRPC=$DRAC_TOP/tests/rawrpc.py
export PYTHONDONTWRITEBYTECODE=1

# The Debian interpreter, not a wrapper (pyenv shims cost a second a call).
if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi

# rr_start: one rawrpc.py serves every later rr call through two FIFOs
# (call it after t_init).  Without it, or if it died, rr runs rawrpc.py
# directly.
rr_start() {
	t_log "work directory $T (T_KEEP=1 keeps it)"
	RR_DIR=$T/rawrpc
	mkdir -p "$RR_DIR"
	mkfifo "$RR_DIR/in" "$RR_DIR/out"
	"$PYTHON" "$RAWRPC" --serve "$RR_DIR" </dev/null &
	RR_PID=$!
	T_PIDS="$T_PIDS $RR_PID"
}

core_init() {
	t_init
	rr_start
	t_rpcbind
}

rr() {
	local rc=3
	if [ -n "${RR_PID:-}" ] && kill -0 "$RR_PID" 2>/dev/null; then
		printf '%s\0' "$@" > "$RR_DIR/in"
		{ IFS= read -r rc; cat; } < "$RR_DIR/out"
		[ -s "$RR_DIR/err" ] && cat "$RR_DIR/err" >&2
		return "$rc"
	fi
	"$PYTHON" "$RAWRPC" "$@"
}

# Shell builtins only: these run hundreds of times per test.
field() {
	local l
	while IFS= read -r l; do
		case $l in "$1="*) printf '%s\n' "${l#"$1="}"; return ;; esac
	done <<<"$2"
}

fields() {
	local l
	while IFS= read -r l; do
		case $l in "$1="*) printf '%s\n' "${l#"$1="}" ;; esac
	done <<<"$2"
}

field_sp() {
	local l
	while IFS= read -r l; do
		case $l in "$1 "*) printf '%s\n' "${l#"$1 "}"; return ;; esac
	done <<<"$2"
}

map_value() { t_dump | K=$1 awk '$1 == ENVIRON["K"] { print $2 }'; }

map_keys() { t_dump | awk '{ print $1 }'; }

now_f() { date +%s.%N; }

t_range() {
	if [ -n "$1" ] && [ "$1" -ge "$2" ] 2>/dev/null &&
	    [ "$1" -le "$3" ]; then
		t_ok "$4"
	else
		t_fail "$4: got '$1', want $2..$3"
	fi
}

t_alive() {
	local u t
	if ! kill -0 "$DRACD_PID" 2>/dev/null; then
		t_fail "$1: rpc.dracd is gone"
		tail -n 20 "$T/dracd.log"
		return
	fi
	u=$(rr ${PORT:+-p "$PORT"} null | grep -c '^accept=SUCCESS$')
	t=$(rr ${PORT:+-p "$PORT"} -T null | grep -c '^accept=SUCCESS$')
	t_eq "$u $t" "1 1" "$1: daemon alive, NULLPROC over UDP and TCP"
}

counter() {
	field "counter.$1" "$(rr -b "${2:-127.0.0.1}" ${PORT:+-p "$PORT"} stats)"
}

# float_le A B: A <= B for decimal fractions.
float_le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

t_present() { if [ -n "$1" ]; then t_ok "$2"; else t_fail "$2: absent"; fi; }
