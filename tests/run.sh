#!/bin/sh
# run.sh BUILD SANBUILD TEST...: run each test, once against BUILD and
# once against the sanitizer build SANBUILD unless marked NAME:nosan.
# A test is a script (tests/.../x.sh) or a built program (@path, found
# under the build directory).  Each writes its log to $BUILD/test-logs.
# Ends with the line "N passed, N failed".
set -u
B=$1; SANB=$2; shift 2
# The tests use Debian's tools (mk/deps.sh installs them): a per-user
# python3 shim first on PATH costs seconds per start.
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
export PATH
top=$(cd "$(dirname "$0")/.." && pwd)
pass=0; failn=0; failed=""
for build in "$B" "$SANB"; do
	[ -d "$top/$build" ] || continue
	logs=$top/$build/test-logs
	mkdir -p "$logs"
	for t in "$@"; do
		name=${t%:nosan}
		[ "$build" = "$SANB" ] && [ "$name" != "$t" ] && continue
		case $name in
		@*) cmd="$top/$build/${name#@}"; name=${name#@} ;;
		*) cmd="$top/$name" ;;
		esac
		log=$logs/$(echo "$name" | tr / _).log
		start=$(date +%s)
		if DRAC_BUILD=$top/$build DRAC_TOP=$top timeout 900 "$cmd" >"$log" 2>&1; then
			pass=$((pass + 1))
			echo "ok   [$build] $name ($(( $(date +%s) - start )) s)"
		else
			failn=$((failn + 1))
			failed="$failed [$build]$name"
			echo "FAIL [$build] $name: last lines of $log:"
			tail -n 60 "$log" | sed 's/^/     /'
		fi
	done
done
[ $failn -eq 0 ] || echo "failed:$failed"
echo "$pass passed, $failn failed"
[ $failn -eq 0 ]
