#!/bin/sh
# mta-setup.sh [DIR]: real sendmail and Postfix for the binding tests,
# from Debian packages fetched with "apt-get download" and unpacked with
# "dpkg -x" into DIR (default $DRAC_BINDING_MTA or
# /var/tmp/drac-binding-mta).  Nothing is installed system-wide; the
# two conflict as packages but not as unpacked trees.  Idempotent: a
# second run only checks.  Prints DIR.  Exit 1 if a package cannot be
# fetched (the tests then fail; they are never skipped silently).
set -eu
DIR=${1:-${DRAC_BINDING_MTA:-/var/tmp/drac-binding-mta}}
SM=$DIR/root/sendmail/usr/libexec/sendmail/sendmail
PF=$DIR/root/postfix/usr/sbin/postfix
mkdir -p "$DIR"
# One setup at a time: the normal and the sanitizer run may overlap.
exec 9>"$DIR/.lock"
flock -w 300 9 || { echo "mta-setup.sh: $DIR/.lock is held" >&2; exit 1; }
if [ -f "$DIR/.done" ] && [ -x "$SM" ] && [ -x "$PF" ]; then
	echo "$DIR"
	exit 0
fi
rm -rf "$DIR/debs" "$DIR/root"
mkdir -p "$DIR/debs" "$DIR/root/sendmail" "$DIR/root/postfix"
apt="apt-get -q -o DPkg::Lock::Timeout=300"
if ! (cd "$DIR/debs" && $apt download sendmail-bin sendmail-cf postfix \
    >"$DIR/download.log" 2>&1); then
	# The package lists may be missing on a fresh machine.
	$apt update >>"$DIR/download.log" 2>&1 || true
	(cd "$DIR/debs" && $apt download sendmail-bin sendmail-cf postfix \
	    >>"$DIR/download.log" 2>&1) || {
		echo "mta-setup.sh: apt-get download failed:" >&2
		tail -n 5 "$DIR/download.log" >&2
		exit 1
	}
fi
for p in sendmail-bin sendmail-cf; do
	dpkg -x "$DIR"/debs/${p}_*.deb "$DIR/root/sendmail"
done
dpkg -x "$DIR"/debs/postfix_*.deb "$DIR/root/postfix"
if [ ! -x "$SM" ] || [ ! -x "$PF" ]; then
	echo "mta-setup.sh: unpacked packages lack $SM or $PF" >&2
	exit 1
fi
: >"$DIR/.done"
echo "$DIR"
