#!/bin/bash
# make install DESTDIR=... then make uninstall DESTDIR=... leaves no file;
# the installed init script and unit name the installed daemon; an
# options file the admin already has survives both.
set -u
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${DRAC_BUILD:=$DRAC_TOP/build}"
. "$DRAC_TOP/tests/lib.sh"
T=$(mktemp -d /tmp/drac-install.XXXXXX)
trap '[ -n "${T_KEEP:-}" ] || rm -rf "$T"' EXIT

mk() { make -C "$DRAC_TOP" --no-print-directory B="$DRAC_BUILD" "$@"; }
files() { (cd "$1" && find . -type f -o -type l | sort); }

mk install DESTDIR="$T/root" >"$T/install.log" 2>&1
rc=$?
t_eq $rc 0 "make install DESTDIR"
[ $rc -eq 0 ] || tail -n 20 "$T/install.log"
got=$(files "$T/root")
for f in ./usr/local/sbin/rpc.dracd ./usr/local/sbin/dracdb \
    ./usr/local/share/man/man8/dracdb.8 ./usr/local/share/man/man8/rpc.dracd.8 \
    ./usr/local/share/man/man5/dracd.allow.5 \
    ./etc/init.d/drac ./etc/default/drac \
    ./usr/local/lib/systemd/system/drac.service \
    ./usr/local/share/doc/drac/examples/dracd.allow; do
	t_match "^${f//./\\.}\$" "$got" "installed $f"
done
t_eq "$(stat -c %a "$T/root/etc/init.d/drac" 2>&1)" 755 "init script is executable"
t_match '^DRACD=/usr/local/sbin/rpc\.dracd$' "$(cat "$T/root/etc/init.d/drac")" \
    "init script names the installed daemon"
t_match '^ExecStart=/usr/local/sbin/rpc\.dracd -d ' \
    "$(cat "$T/root/usr/local/lib/systemd/system/drac.service")" "unit names the installed daemon"
t_nomatch '/usr/sbin/rpc\.dracd' "$(cat "$T/root/etc/init.d/drac" \
    "$T/root/usr/local/lib/systemd/system/drac.service")" "no stale /usr/sbin path left"

mk uninstall DESTDIR="$T/root" >"$T/uninstall.log" 2>&1
t_eq $? 0 "make uninstall DESTDIR"
t_eq "$(files "$T/root")" "" "uninstall leaves no file behind"

# Packaging layout (PREFIX=/usr, units in /lib) round trips as well.
mk install DESTDIR="$T/pkg" PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system \
    >"$T/install2.log" 2>&1
t_eq $? 0 "make install PREFIX=/usr"
t_match '^\./lib/systemd/system/drac\.service$' "$(files "$T/pkg")" "unit in SYSTEMDUNITDIR"
t_match '^\./usr/sbin/dracdb$' "$(files "$T/pkg")" "dracdb in /usr/sbin"
mk uninstall DESTDIR="$T/pkg" PREFIX=/usr SYSTEMDUNITDIR=/lib/systemd/system >/dev/null 2>&1
t_eq "$(files "$T/pkg")" "" "PREFIX=/usr uninstall leaves no file behind"

# The admin's own options file is neither overwritten nor removed.
mkdir -p "$T/admin/etc/default"
echo 'DRACD_OPTS="-e 60"' > "$T/admin/etc/default/drac"
mk install DESTDIR="$T/admin" >/dev/null 2>&1
t_eq "$(cat "$T/admin/etc/default/drac")" 'DRACD_OPTS="-e 60"' "install keeps an existing options file"
mk uninstall DESTDIR="$T/admin" >/dev/null 2>&1
t_eq "$(files "$T/admin")" "./etc/default/drac" "uninstall keeps the admin's options file only"
t_done
