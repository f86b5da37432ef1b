#!/bin/sh
# make check: every fuzz target for a few seconds; fails on any finding.
set -eu
B=$(basename "${DRAC_BUILD:?}")
cd "${DRAC_TOP:?}"
targets=$(ls "$DRAC_BUILD"/fuzz/ | sed -n 's/^fuzz_\([a-z0-9_]*\)$/\1/p')
[ -n "$targets" ] || { echo "no fuzz targets built in $DRAC_BUILD/fuzz"; exit 1; }
# shellcheck disable=SC2086
sh fuzz/run.sh "$B" "${FUZZ_SHORT_SECONDS:-8}" $targets
