#!/bin/sh
# setup.sh: fetch the real mail servers the MTA tests talk to, once.
# The POP and sender-binding tests use the same ones (t_mtas in
# tests/lib.sh calls this).
#
# sendmail, Postfix and Exim conflict as Debian packages, so they are not
# installed: `apt-get download` + `dpkg -x` puts each into its own prefix
# under the cache directory, where the tests run them with private
# configurations.  The same goes for ucspi-tcp-ipv6, which conflicts with
# the ucspi-tcp the IPv4 tests use.  Running it again is cheap: a stamp
# file naming the packages says the work is done.
#
#   tests/mta/setup.sh          prints the cache directory on success
#
# DRAC_MTA_CACHE overrides the cache directory (default /var/tmp/drac-mta).
# Needs root (the Debian-exim user) and the Debian mirror on the first run.
set -eu
cache=${DRAC_MTA_CACHE:-/var/tmp/drac-mta}
debs="sendmail-bin sendmail-cf postfix exim4-daemon-light ucspi-tcp-ipv6"
stamp=$cache/extracted

die() { echo "setup.sh: $*" >&2; exit 1; }

# Debian's exim4 has this user name compiled in and will not start
# without it; it needs no home and no shell.
exim_user() {
	getent passwd Debian-exim >/dev/null && return 0
	[ "$(id -u)" = 0 ] || die "user Debian-exim missing (run as root)"
	useradd --system --user-group --no-create-home \
	    --home-dir /nonexistent --shell /usr/sbin/nologin Debian-exim ||
	    die "useradd Debian-exim failed"
}

download() {
	apt="apt-get -q -o DPkg::Lock::Timeout=600"
	# shellcheck disable=SC2086
	(cd "$cache/debs" && $apt download $debs) >"$cache/download.log" 2>&1 &&
	    return 0
	# A fresh machine may not have package lists yet.
	$apt update >>"$cache/download.log" 2>&1 ||
	    die "apt-get update failed, see $cache/download.log"
	# shellcheck disable=SC2086
	(cd "$cache/debs" && $apt download $debs) >>"$cache/download.log" 2>&1 ||
	    die "apt-get download $debs failed, see $cache/download.log"
}

extract() {
	rm -rf "$cache/root"
	mkdir -p "$cache/root/sendmail" "$cache/root/postfix" \
	    "$cache/root/exim" "$cache/root/ucspi6"
	for d in sendmail-bin sendmail-cf; do
		dpkg -x "$cache"/debs/${d}_*.deb "$cache/root/sendmail"
	done
	dpkg -x "$cache"/debs/postfix_*.deb "$cache/root/postfix"
	dpkg -x "$cache"/debs/exim4-daemon-light_*.deb "$cache/root/exim"
	dpkg -x "$cache"/debs/ucspi-tcp-ipv6_*.deb "$cache/root/ucspi6"
}

# Libraries the extracted binaries need from the system; packages.txt
# installs them, this names the one that is missing.
libs_present() {
	for b in "$cache/root/sendmail/usr/libexec/sendmail/sendmail" \
	    "$cache/root/exim/usr/sbin/exim4"; do
		miss=$(ldd "$b" 2>/dev/null | sed -n 's/^[[:space:]]*\([^ ]*\) => not found.*/\1/p')
		[ -z "$miss" ] || die "$b needs $miss (install libwrap0, libidn12)"
	done
}

mkdir -p "$cache/debs"
chmod 755 "$cache"
exec 9>"$cache/lock"
flock -w 600 9 || die "$cache/lock: held by another setup for 600 s"
if [ "$(cat "$stamp" 2>/dev/null)" != "$debs" ]; then
	rm -f "$stamp" "$cache"/debs/*.deb
	download
	extract
	echo "$debs" > "$stamp"
fi
exim_user
libs_present
echo "$cache"
