#!/bin/sh
# run.sh BUILD: "make run".  Starts rpcbind if none answers, then runs
# rpc.dracd in the foreground on a map under ./run, trusting loopback.
set -eu
B=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
dir=$top/run
mkdir -p "$dir"
if ! rpcinfo -p 127.0.0.1 >/dev/null 2>&1; then
	echo "run: starting rpcbind"
	rpcbind -w
	i=0
	until rpcinfo -p 127.0.0.1 >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -le 50 ] || { echo "run: rpcbind did not start" >&2; exit 1; }
		sleep 0.1
	done
fi
[ -f "$dir/dracd.allow" ] || printf '# make run: trust loopback only\n127.0.0.0/8\n::1/128\n' > "$dir/dracd.allow"
cat <<MSG
rpc.dracd: map $dir/dracd.db (sendmail map name $dir/dracd), allow $dir/dracd.allow
Try it from another terminal:
  $top/$B/tools/dracauth -u alice 192.0.2.10      # authorize for 30 minutes
  $top/$B/tools/dracauth -q 192.0.2.10            # query
  db5.3_dump -p $dir/dracd.db                     # what the MTA reads
  $top/$B/tools/dracauth -x 192.0.2.10            # drop (logout)
Wire sendmail: FEATURE(\`drac', \`$dir/dracd')dnl in sendmail.mc (see README).
Stop with Ctrl-C.
MSG
exec "$top/$B/daemon/rpc.dracd" -d -a "$dir/dracd.allow" -P "$dir/rpc.dracd.pid" "$dir/dracd.db"
