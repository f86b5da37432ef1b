#!/bin/sh
# run.sh BUILD SECONDS TARGET...: runs each fuzz target on its seed corpus
# (fuzz/corpus/TARGET, in the tree) plus what earlier runs found (under
# BUILD), and prints one line per target with its execution count.
# Exit 1 if any target found a crash, a leak or a sanitizer report.
set -u
B=$1; secs=$2; shift 2
top=$(cd "$(dirname "$0")/.." && pwd)
rc=0
for t in "$@"; do
	work=$top/$B/fuzz/corpus-$t
	seeds=$top/fuzz/corpus/$t
	mkdir -p "$work" "$seeds"
	log=$top/$B/fuzz/$t.log
	( cd "$top/$B/fuzz" &&
	    LSAN_OPTIONS=suppressions=$top/fuzz/lsan.supp "./fuzz_$t" -max_total_time="$secs" \
	    -print_final_stats=1 -artifact_prefix="$top/$B/fuzz/$t-" \
	    "$work" "$seeds" ) >"$log" 2>&1
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	if [ $st -eq 0 ]; then
		echo "fuzz $t: ${execs:-?} executions in $secs s, no findings"
	else
		rc=1
		echo "fuzz $t: FAILED (status $st) after ${execs:-?} executions:"
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -n 10
	fi
done
exit $rc
