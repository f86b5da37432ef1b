#!/bin/bash
# dist/drac.service: systemd-analyze verify (no running systemd needed),
# the settings the unit promises (foreground, after rpcbind, reload by
# SIGHUP, hardening that leaves the map directory writable), its exposure
# score, and the daemon run exactly as ExecStart runs it: in the
# foreground as an unprivileged user, reloading on SIGHUP, exiting 0 on
# SIGTERM.  Also shellcheck on the init script.
. "${DRAC_TOP:?}/tests/lib.sh"
t_init "$@"
UNIT=$DRAC_TOP/dist/drac.service
DB=$DRAC_BUILD/admin/dracdb

key() { sed -n "s/^$1=//p" "$UNIT"; }

# ---- what the unit says -------------------------------------------------
t_eq "$(key Type)" simple "Type=simple"
t_match '^/usr/sbin/rpc\.dracd -d ' "$(key ExecStart)" "ExecStart runs rpc.dracd -d (foreground)"
t_match 'rpcbind\.service' "$(key After)" "After=rpcbind.service"
t_match 'rpcbind\.service' "$(key Wants)" "Wants=rpcbind.service"
t_eq "$(key ExecReload)" '/bin/kill -HUP $MAINPID' "reload is SIGHUP to the main pid"
t_eq "$(key ProtectSystem)" strict "ProtectSystem=strict"
t_eq "$(key PrivateTmp)" yes "PrivateTmp=yes"
t_eq "$(key NoNewPrivileges)" yes "NoNewPrivileges=yes"
t_eq "$(key ProtectHome)" yes "ProtectHome=yes"
t_eq "$(key User)" _drac "runs as _drac"
db=$(. "$DRAC_TOP/dist/default"; echo "$DRACD_DB")
t_eq "$(key Environment)" "DRACD_DB=$db" "unit's default map is the options file's"
t_eq "$(key ReadWritePaths)" "$(dirname "$db")" "the map's directory is writable"
t_eq "$(key StateDirectory)" "$(basename "$(dirname "$db")")" "StateDirectory creates it for _drac"
t_match "/run/$(key RuntimeDirectory)/" "$(key ExecStart)" "pid file in RuntimeDirectory"

# ---- systemd-analyze verify ----------------------------------------------
if ! command -v systemd-analyze >/dev/null; then
	t_fail "systemd-analyze missing: install the systemd package (dist/packages.txt)"
	t_done; exit 1
fi
# Point ExecStart at the built daemon and MANPATH at our pages, so that
# verify checks both instead of the installed ones.
mkdir -p "$T/man/man8"
ln -s "$DRAC_TOP"/man/*.8 "$T/man/man8/"
sed "s|/usr/sbin/rpc\.dracd|$DRAC_BUILD/daemon/rpc.dracd|" "$UNIT" > "$T/drac.service"
out=$(MANPATH=$T/man systemd-analyze verify "$T/drac.service" 2>&1); rc=$?
t_eq "$rc:$out" "0:" "systemd-analyze verify: no errors, no warnings"
sed 's|^ExecStart=/[^ ]*|ExecStart=/nonexistent/rpc.dracd|' "$T/drac.service" > "$T/bad.service"
out=$(MANPATH=$T/man systemd-analyze verify "$T/bad.service" 2>&1)
t_match 'not executable' "$out" "verify does catch a broken unit"
out=$(systemd-analyze security --offline=true "$T/drac.service" 2>&1)
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for drac.service: \([0-9.]*\).*/\1/p')
t_match '^[0-9]+\.[0-9]+$' "$score" "systemd-analyze security gives an exposure level ($score)"
t_eq "$(awk -v s="${score:-99}" 'BEGIN { print (s <= 2.0) }')" 1 "exposure level is at most 2.0"

# ---- the daemon as ExecStart runs it --------------------------------------
t_rpcbind
mkdir -p "$T/state" "$T/rundir"
chown nobody: "$T/state" "$T/rundir"
args=$(key ExecStart | sed "s|^/usr/sbin/rpc\.dracd ||; s|/run/drac/|$T/rundir/|; s|\\\$DRACD_OPTS|-a $T/dracd.allow|; s|\\\$DRACD_DB|$T/state/dracd.db|")
t_match "^-d -P $T/rundir/rpc\.dracd\.pid -a $T/dracd\.allow $T/state/dracd\.db\$" "$args" \
    "ExecStart's arguments with the options file substituted"
printf '127.0.0.0/8\n::1/128\n' > "$T/dracd.allow"
# shellcheck disable=SC2086
(umask "$(key UMask)"; exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
    --no-new-privs "$DRAC_BUILD/daemon/rpc.dracd" $args) >"$T/unit.log" 2>&1 &
main=$!
T_PIDS="$T_PIDS $main"
t_wait 20 rpcinfo -u 127.0.0.1 900101 3
t_eq $? 0 "unprivileged daemon registers with rpcbind"
t_eq "$(cat "$T/rundir/rpc.dracd.pid" 2>/dev/null)" "$main" \
    "it stays in the foreground: MAINPID is the daemon (Type=simple)"
"$DB" -a 192.0.2.60
t_eq $? 0 "it accepts an ADD"
t_eq "$(stat -c '%U %a' "$T/state/dracd.db")" "nobody 644" "map written with UMask, readable by MTAs"
kill -HUP "$main"
t_wait 5 sh -c "'$DB' -s | grep -qx 'reloads 1'"
t_eq $? 0 "ExecReload's SIGHUP reloads the allow file"
kill -TERM "$main"
t_wait 10 sh -c "! kill -0 $main"
wait "$main"
t_eq $? 0 "SIGTERM (systemctl stop) exits 0"
t_eq "$(grep -ci 'error' "$T/unit.log")" 0 "no error in the daemon's log"

# ---- the init script ------------------------------------------------------
if command -v shellcheck >/dev/null; then
	out=$(shellcheck -s sh "$DRAC_TOP/dist/init.d/drac" 2>&1)
	t_eq "$?:$out" "0:" "shellcheck: init script"
else
	t_fail "shellcheck missing: install it (dist/packages.txt)"
fi
out=$(sh -n "$DRAC_TOP/dist/default" 2>&1)
t_eq "$?:$out" "0:" "options file is valid sh (the init script sources it)"
t_match '^# Provides: +drac$' "$(cat "$DRAC_TOP/dist/init.d/drac")" "LSB header: Provides"
t_match '^# Required-Start:.*rpcbind' "$(cat "$DRAC_TOP/dist/init.d/drac")" "LSB header: after rpcbind"
t_done
