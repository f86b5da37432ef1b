#!/bin/bash
# make check-package: build the Debian packages from a copy of the tree,
# check their contents and lintian, install them on this machine (with a
# policy-rc.d so nothing starts on its own), run the packaged daemon in a
# private namespace (tests/ops/package-run.sh), build a program against
# libdrac-dev, then purge and check that the account and the map are gone.
# Needs root.  Leaves the machine as it found it, even on failure.
set -u
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
export DRAC_TOP
. "$DRAC_TOP/tests/lib.sh"
PKGS="drac libdrac-dev libdrac1"
W=""
MADE_POLICY=""

cleanup() {
	dpkg --purge $PKGS >/dev/null 2>&1
	[ -n "$MADE_POLICY" ] && rm -f /usr/sbin/policy-rc.d
	[ -n "$W" ] && [ -z "${T_KEEP:-}" ] && rm -rf "$W"
}

if [ "$(id -u)" != 0 ]; then
	echo "check-package: needs root (dpkg -i, adduser, namespaces)" >&2
	exit 1
fi
W=$(mktemp -d /tmp/drac-pkg.XXXXXX)
trap cleanup EXIT
trap 'exit 1' INT TERM

version=$(dpkg-parsechangelog -l "$DRAC_TOP/debian/changelog" -S Version)
arch=$(dpkg --print-architecture)
multiarch=$(dpkg-architecture -q DEB_HOST_MULTIARCH)

# ---- Build-Depends cover what the folders' packages.txt say a build needs
# (less build-essential and the sanitizer-only compiler) ------------------
want=$(cat "$DRAC_TOP"/*/packages.txt "$DRAC_TOP"/*/*/packages.txt 2>/dev/null |
    sed -n 's/^build:[[:space:]]*//p' | tr ' \t' '\n\n' |
    grep -vxE '|make|gcc|g\+\+|binutils|clang|libc6-dev|libclang-rt-[0-9]+-dev' | sort -u)
have=$(sed -n '/^Build-Depends:/,/^[A-Z][A-Za-z-]*:/p' "$DRAC_TOP/debian/control" |
    sed '1s/^Build-Depends://; $d' | tr ',' '\n' |
    sed 's/([^)]*)//; s/|.*//; s/^[[:space:]]*//; s/[[:space:]]*$//' | grep . | sort -u)
t_eq "$(comm -23 <(echo "$want") <(echo "$have") | tr '\n' ' ')" "" \
    "debian/control Build-Depends lists every build: package of */packages.txt"

# ---- build, from a copy: dh_auto_clean and the debian/ scratch stay there --
src=$W/drac-$version
mkdir -p "$src"
tar -C "$DRAC_TOP" --exclude=./.git --exclude='./build*' --exclude=./run \
    -cf - . | tar -C "$src" -xf -
start=$(date +%s)
(cd "$src" && DEB_BUILD_OPTIONS=parallel=2 dpkg-buildpackage -b -us -uc) \
    >"$W/build.log" 2>&1
rc=$?
t_eq $rc 0 "dpkg-buildpackage -b -us -uc ($(( $(date +%s) - start )) s)"
if [ $rc -ne 0 ]; then
	tail -n 40 "$W/build.log"
	t_done
	exit 1
fi
for p in drac libdrac1 libdrac-dev; do
	deb=$W/${p}_${version}_$arch.deb
	t_eq "$(test -s "$deb" && echo built)" built "$p package built"
done
# Development builds have -Werror; this one has Debian's flags
# (_FORTIFY_SOURCE, -O2) and -Wno-error, so a warning would pass unseen.
warnings=$(grep -E '(: warning:|^dpkg-[a-z]+: warning:)' "$W/build.log" | sort -u)
t_eq "$warnings" "" "no compiler or dpkg warning in the package build"
DRAC_DEB=$W/drac_${version}_$arch.deb
LIB_DEB=$W/libdrac1_${version}_$arch.deb
DEV_DEB=$W/libdrac-dev_${version}_$arch.deb

# ---- contents ---------------------------------------------------------
has() {
	if dpkg-deb -c "$1" | awk '{ print $6 }' | grep -qx -- "$2"; then
		t_ok "$(basename "$1" | cut -d_ -f1) has $2"
	else
		t_fail "$(basename "$1" | cut -d_ -f1) lacks $2"
	fi
}
for f in ./usr/sbin/rpc.dracd ./usr/sbin/dracdb ./usr/bin/dracauth \
    ./etc/init.d/drac ./etc/default/drac ./lib/systemd/system/drac.service \
    ./usr/share/man/man8/rpc.dracd.8.gz ./usr/share/man/man8/dracdb.8.gz \
    ./usr/share/man/man5/dracd.allow.5.gz \
    ./usr/share/doc/drac/examples/dracd.allow \
    ./usr/share/man/man7/drac-mta.7.gz ./usr/libexec/drac/drac-postlogin \
    ./usr/share/sendmail/cf/feature/drac.m4; do
	has "$DRAC_DEB" "$f"
done
has "$LIB_DEB" "./usr/lib/$multiarch/libdrac.so.1"
for f in ./usr/include/drac.h "./usr/lib/$multiarch/libdrac.a" \
    "./usr/lib/$multiarch/libdrac.so" "./usr/lib/$multiarch/pkgconfig/drac.pc"; do
	has "$DEV_DEB" "$f"
done
t_eq "$(dpkg-deb -f "$LIB_DEB" Package)" libdrac1 "library package named after its SONAME"
dpkg-deb --fsys-tarfile "$LIB_DEB" |
    tar -xOf - "./usr/lib/$multiarch/libdrac.so.1" > "$W/libdrac.so.1"
t_eq "$(objdump -p "$W/libdrac.so.1" | awk '$1 == "SONAME" { print $2 }')" \
    libdrac.so.1 "SONAME is libdrac.so.1"
t_eq "$(dpkg-deb --ctrl-tarfile "$DRAC_DEB" | tar -xOf - ./conffiles | sort | tr '\n' ' ')" \
    "/etc/default/drac /etc/init.d/drac " "options file and init script are conffiles"

# ---- lintian ----------------------------------------------------------
lintian -I --fail-on error,warning "$W/drac_${version}_$arch.changes" \
    >"$W/lintian.log" 2>&1
rc=$?
grep -v '^running with root privileges' "$W/lintian.log" | sed 's/^/    lintian: /'
t_eq $rc 0 "lintian: no errors or warnings"

# ---- install, with nothing started on its own ---------------------------
dpkg --purge $PKGS >/dev/null 2>&1
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	MADE_POLICY=1
fi
dpkg -i "$LIB_DEB" "$DRAC_DEB" "$DEV_DEB" >"$W/install.log" 2>&1
rc=$?
t_eq $rc 0 "dpkg -i of the three packages"
[ $rc -eq 0 ] || cat "$W/install.log"
t_match '^_drac:x:[0-9]+:[0-9]+:[^:]*:/var/lib/drac:/usr/sbin/nologin$' \
    "$(getent passwd _drac)" "postinst creates the system user _drac"
t_eq "$(stat -c '%U:%G %a' /var/lib/drac 2>&1)" "_drac:_drac 755" \
    "postinst creates /var/lib/drac for _drac"
# Other tests may run their own rpc.dracd: count only the packaged one.
packaged_running() {
	local p n=0
	for p in $(pgrep -x rpc.dracd); do
		[ "$(readlink "/proc/$p/exe")" = /usr/sbin/rpc.dracd ] && n=$((n + 1))
	done
	echo $n
}
t_eq "$(packaged_running)" 0 "policy-rc.d kept the daemon from starting"
t_match '^diversion of /usr/share/sendmail/cf/feature/drac\.m4 to /usr/share/sendmail/cf/feature/drac\.m4\.sendmail by drac$' \
    "$(dpkg-divert --list '*/feature/drac.m4')" "sendmail-cf's drac.m4 is diverted, not overwritten"

# ---- libdrac-dev: a program built with pkg-config ------------------------
cat > "$W/use.c" <<'EOF'
#include <stdio.h>
#include <drac.h>

int
main(void)
{
	printf("%s\n", drac_strerror(DRAC_NOTFOUND));
	return 0;
}
EOF
# shellcheck disable=SC2046
gcc -Wall -Werror -o "$W/use" "$W/use.c" $(pkg-config --cflags --libs drac) 2>&1
t_eq $? 0 "a program builds against libdrac-dev with pkg-config"
out=$("$W/use" 2>&1)
t_eq $? 0 "it runs with the packaged libdrac.so.1"
t_match '.' "$out" "drac_strerror answers"
t_match "libdrac\.so\.1 => (/usr)?/lib/$multiarch/libdrac\.so\.1" "$(ldd "$W/use")" \
    "it links the packaged shared library"
# shellcheck disable=SC2046
gcc -o "$W/use-static" "$W/use.c" $(pkg-config --cflags drac) \
    -Wl,-Bstatic -ldrac -Wl,-Bdynamic $(pkg-config --static --libs-only-l drac | sed 's/-ldrac//') 2>&1
t_eq $? 0 "a program links the static libdrac.a"
t_nomatch 'libdrac' "$(ldd "$W/use-static")" "the static build needs no libdrac.so"

# ---- the packaged daemon, init script and dracauth, in a namespace --------
bash "$DRAC_TOP/tests/ops/package-run.sh"
t_eq $? 0 "packaged daemon: start, dracauth, map, dracdb, stop (package-run.sh)"

# ---- purge ------------------------------------------------------------
dpkg --purge $PKGS >"$W/purge.log" 2>&1
rc=$?
t_eq $rc 0 "dpkg --purge"
[ $rc -eq 0 ] || cat "$W/purge.log"
t_eq "$(getent passwd _drac)" "" "purge removes the user _drac"
t_eq "$(getent group _drac)" "" "purge removes the group _drac"
t_eq "$(test -e /var/lib/drac && echo present || echo gone)" gone "purge removes /var/lib/drac"
t_eq "$(ls /etc/default/drac /etc/init.d/drac /lib/systemd/system/drac.service \
    /usr/sbin/rpc.dracd /usr/sbin/dracdb 2>/dev/null)" "" "purge removes the files and conffiles"
t_eq "$(find /etc/rc?.d /etc/systemd/system -name '*drac*' 2>/dev/null)" "" \
    "purge removes the rc.d and systemd links"
t_eq "$(dpkg-divert --list '*/feature/drac.m4')" "" "remove takes the diversion back"
t_done
