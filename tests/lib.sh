# tests/lib.sh: shared harness of the integration tests (sourced, bash).
#
#   . "$DRAC_TOP/tests/lib.sh"
#   t_init                 private mount+net+UTS namespace, temp dir $T
#   t_addr 10.1.2.3 ...    put client addresses on the namespace's loopback
#   t_rpcbind              a real rpcbind, private to the namespace ($RPCBIND_PID)
#   t_dracd [ARG...]       the real rpc.dracd on $T/dracd.db, $T/dracd.allow
#   t_dracd_stop           SIGTERM; asserts exit 0 (and a clean valgrind/ASan)
#   t_eq GOT WANT MSG, t_match REGEX TEXT MSG, t_ok MSG, t_fail MSG
#   t_dump [DB]            the map as "key value" lines, sorted
#   t_users [DB]           "address user" of each live entry with a user,
#                          as dracdb reads the map and its state file
#   t_wallclock_env FILE   env assignments that offset a program's wall
#                          clock by what FILE says ("+0", "-1h")
#   t_mtas                 before t_init (the namespace has no network):
#                          sendmail, Postfix, Exim and ucspi-tcp-ipv6
#                          unpacked by tests/mta/setup.sh, in $MTA_DIR
#   t_done                 summary line; exit 1 if any check failed
#
# Environment: DRAC_BUILD (build dir), DRAC_TOP (source tree), set by
# tests/run.sh; DRAC_VALGRIND=1 runs the daemon under valgrind memcheck.
# Every wait is bounded; nothing leaves the namespace.

set -u
: "${DRAC_TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
: "${DRAC_BUILD:=$DRAC_TOP/build}"
DRACD=$DRAC_BUILD/daemon/rpc.dracd
DRACAUTH=$DRAC_BUILD/tools/dracauth
T_PASS=0
T_FAIL=0
T_PIDS=""
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=86}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=87}

t_log() { printf '%s\n' "$*"; }
t_ok() { T_PASS=$((T_PASS + 1)); t_log "ok   $*"; }
t_fail() { T_FAIL=$((T_FAIL + 1)); t_log "FAIL $*"; }

t_eq() {
	if [ "$1" = "$2" ]; then t_ok "$3"; else
		t_fail "$3: got '$1', want '$2'"; fi
}

t_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$1"; then t_ok "$3"; else
		t_fail "$3: '$2' does not match /$1/"; fi
}

t_nomatch() {
	if printf '%s\n' "$2" | grep -Eq -- "$1"; then
		t_fail "$3: '$2' matches /$1/"; else t_ok "$3"; fi
}

# t_wait SECONDS CMD...: run CMD every 0.05 s until it succeeds, for at
# most SECONDS of wall-clock time however slow CMD is.
t_wait() {
	local end=$((SECONDS + $1 + 1)); shift
	while [ $SECONDS -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	return 1
}

# t_answers PORT: rpc.dracd answers NULLPROC over UDP on 127.0.0.1:PORT,
# without asking rpcbind.
t_answers() {
	python3 - "$1" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
s.sendto(struct.pack(">10I", 1, 0, 2, 900101, 1, 0, 0, 0, 0, 0), ("127.0.0.1", int(sys.argv[1])))
sys.exit(0 if len(s.recv(64)) >= 24 else 1)
PY
}

# t_alive_and CMD...: CMD succeeds, or the daemon has died (then fail fast).
t_alive_and() {
	kill -0 "$DRACD_PID" 2>/dev/null || return 2
	"$@"
}

t_cleanup() {
	local p
	for p in $T_PIDS; do kill -TERM "$p" 2>/dev/null; done
	for p in $T_PIDS; do
		t_wait 5 sh -c "! kill -0 $p" || kill -KILL "$p" 2>/dev/null
	done
	[ -n "${T_KEEP:-}" ] || rm -rf "$T"
}

# Exported: the script runs again inside the namespace.
t_mtas() {
	[ -n "${MTA_DIR:-}" ] && return 0
	MTA_DIR=$(sh "$DRAC_TOP/tests/mta/setup.sh") || exit 1
	export MTA_DIR
}

# Re-executes the calling script inside new namespaces, once.
t_init() {
	if [ -z "${DRAC_IN_NETNS:-}" ]; then
		exec env DRAC_IN_NETNS=1 unshare --mount --net --uts --fork \
		    bash "$0" "$@"
	fi
	T=$(mktemp -d /tmp/drac-test.XXXXXX)
	chmod 755 "$T"
	trap t_cleanup EXIT
	trap 'exit 1' INT TERM
	ip link set lo up
	mount -t tmpfs tmpfs /run
	mkdir -p /run/lock
	hostname mta.test.invalid
	printf 'passwd: files\ngroup: files\nhosts: files\n' > "$T/nsswitch.conf"
	mount --bind "$T/nsswitch.conf" /etc/nsswitch.conf
	printf '127.0.0.1 localhost mta.test.invalid\n::1 localhost ip6-localhost\n' > "$T/hosts"
	mount --bind "$T/hosts" /etc/hosts
}

t_addr() {
	local a
	for a in "$@"; do
		case $a in
		*:*) ip addr add "$a/128" dev lo nodad ;;
		*) ip addr add "$a/32" dev lo ;;
		esac
	done
}

t_rpcbind() {
	rpcbind -f -w &
	RPCBIND_PID=$!
	T_PIDS="$T_PIDS $RPCBIND_PID"
	t_wait 5 rpcinfo -p 127.0.0.1 || { t_fail "rpcbind did not start"; exit 1; }
}

# t_dracd [ARG...]: starts the daemon on $T/dracd.db with $T/dracd.allow
# (created trusting loopback if absent); waits until it answers NULLPROC
# over UDP through rpcbind, or on the -p port when one is given.
t_dracd() {
	local port="" a prev=""
	for a in "$@"; do
		[ "$prev" = "-p" ] && port=$a
		prev=$a
	done
	[ -f "$T/dracd.allow" ] || printf '127.0.0.0/8\n::1/128\n' > "$T/dracd.allow"
	if [ -n "${DRAC_VALGRIND:-}" ]; then
		valgrind --quiet --error-exitcode=99 --leak-check=full \
		    --show-leak-kinds=definite,indirect \
		    --errors-for-leak-kinds=definite,indirect \
		    --log-file="$T/valgrind.log" \
		    "$DRACD" -d -a "$T/dracd.allow" -P "$T/dracd.pid" "$@" \
		    "$T/dracd.db" >>"$T/dracd.log" 2>&1 &
	else
		"$DRACD" -d -a "$T/dracd.allow" -P "$T/dracd.pid" "$@" \
		    "$T/dracd.db" >>"$T/dracd.log" 2>&1 &
	fi
	DRACD_PID=$!
	T_PIDS="$T_PIDS $DRACD_PID"
	if [ -n "$port" ]; then
		t_wait 20 t_alive_and t_answers "$port"
	else
		t_wait 20 t_alive_and rpcinfo -u 127.0.0.1 900101 1
	fi
	if ! kill -0 "$DRACD_PID" 2>/dev/null ||
	    { [ -n "$port" ] && ! t_answers "$port"; } ||
	    { [ -z "$port" ] && ! rpcinfo -u 127.0.0.1 900101 1 >/dev/null 2>&1; }; then
		t_fail "rpc.dracd did not start"
		cat "$T/dracd.log"
		exit 1
	fi
}

# t_dracd_stop: SIGTERM, expects exit status 0 within 10 s.
t_dracd_stop() {
	local rc
	kill -TERM "$DRACD_PID"
	if ! t_wait 10 sh -c "! kill -0 $DRACD_PID"; then
		t_fail "rpc.dracd did not exit within 10 s of SIGTERM"
		kill -KILL "$DRACD_PID"
	fi
	wait "$DRACD_PID"; rc=$?
	t_eq "$rc" 0 "rpc.dracd exits 0 on SIGTERM"
	if [ -n "${DRAC_VALGRIND:-}" ]; then
		t_eq "$(cat "$T/valgrind.log")" "" "valgrind reports nothing"
	fi
}

# t_dump [DB]: "key value" per entry, NULs shown as \0, sorted.  Reads
# under a shared lock, as an MTA does, so a write in progress is not seen
# half done; a corrupt file can make db5.3_dump loop, hence the timeout.
t_dump() {
	flock -s "${1:-$T/dracd.db}" timeout 30 db5.3_dump -p "${1:-$T/dracd.db}" | awk '
		/^HEADER=END/ { body = 1; next }
		/^DATA=END/ { body = 0 }
		body { sub(/^ /, ""); gsub(/\\00/, "\\0");
		       if (k == "") k = $0; else { print k, $0; k = "" } }' | sort
}

# t_users [DB]: "address user" per live entry that has a user, sorted,
# read offline by dracdb -D -f: the state file's records joined to the
# map's entries, as rpc.dracd joins them at a start.
t_users() {
	"$DRAC_BUILD/admin/dracdb" -D -f "${1:-$T/dracd.db}" |
	    awk '!/^#/ && NF >= 3 { print $1, $3 }' | sort
}

# t_wallclock_env FILE: assignments for env(1) under which a program's
# wall clock (CLOCK_REALTIME, time()) is the real one moved by the offset
# in FILE ("+0", "-1h", "+90"), read again at every call, while its
# monotonic clock stays real (libfaketime).  Empty, and a failure, when
# libfaketime is missing.
t_wallclock_env() {
	local lib
	lib=$(ls /usr/lib/*/faketime/libfaketimeMT.so.1 2>/dev/null | head -n 1)
	if [ -z "$lib" ]; then
		t_fail "no libfaketimeMT.so.1: apt-get install faketime"
		return 1
	fi
	printf '%s ' "LD_PRELOAD=$lib" "FAKETIME_TIMESTAMP_FILE=$1" \
	    FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \
	    "ASAN_OPTIONS=$ASAN_OPTIONS:verify_asan_link_order=0"
}

t_done() {
	t_log "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
