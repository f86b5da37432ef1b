#!/bin/sh
# deps.sh GROUP...: install the Debian packages the named groups need.
# Each folder lists its own in packages.txt (one or two levels deep), lines "group: pkg pkg ...".
# Runs apt-get only when something is missing, and only as root.
set -eu
cd "$(dirname "$0")/.."
want=""
for f in */packages.txt */*/packages.txt; do
	[ -f "$f" ] || continue
	for g in "$@"; do
		want="$want $(sed -n "s/^$g:[[:space:]]*//p" "$f")"
	done
done
missing=""
for p in $want; do
	case " $missing " in *" $p "*) continue ;; esac
	s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[ "$s" = "install ok installed" ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: missing Debian packages:$missing (run as root to install)" >&2
	exit 1
fi
echo "deps.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt="apt-get -q -o DPkg::Lock::Timeout=600 -o Dpkg::Use-Pty=0"
# Packages with a daemon (rpcbind, dovecot) must not start it from postinst.
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
$apt update >/dev/null
# shellcheck disable=SC2086
$apt install -y --no-install-recommends $missing >/dev/null
