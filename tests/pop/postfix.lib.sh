# tests/pop/postfix.lib.sh: a private Postfix 3.7 for the end-to-end test,
# Debian's package unpacked with dpkg -x (it conflicts with other MTAs as
# an installed package, and needs no system change this way).
# Sourced after tests/lib.sh, before t_init: pf_fetch needs the network.
#
#   pf_fetch     before t_init (needs the network): apt-get download into
#                $DRAC_CACHE (default /var/cache/drac-tests), once
#   pf_start MAP smtpd on 127.0.0.1:2526 and [::1]:2526, relaying only for
#                clients found in btree:MAP (MAP without ".db")
#   pf_stop
#   pf_smtp SRC  RCPT to a remote domain from SRC; prints the reply code

PF_CACHE=${DRAC_CACHE:-/var/cache/drac-tests}
PF_ROOT=$PF_CACHE/postfix

pf_fetch() {
	[ -x "$PF_ROOT/usr/sbin/postfix" ] && return 0
	mkdir -p "$PF_CACHE"
	(
		flock -w 120 9 || exit 1
		[ -x "$PF_ROOT/usr/sbin/postfix" ] && exit 0
		cd "$PF_CACHE" || exit 1
		rm -f postfix_*.deb
		apt-get -q -o DPkg::Lock::Timeout=120 download postfix \
		    >/dev/null 2>&1 ||
		    { apt-get -q update >/dev/null 2>&1 &&
		      apt-get -q download postfix >/dev/null 2>&1; } || exit 1
		rm -rf "$PF_ROOT.tmp"
		dpkg -x postfix_*.deb "$PF_ROOT.tmp" &&
		    mv "$PF_ROOT.tmp" "$PF_ROOT"
	) 9>"$PF_CACHE/.lock"
	[ -x "$PF_ROOT/usr/sbin/postfix" ] || {
		echo "cannot fetch Debian's postfix package into $PF_CACHE" >&2
		exit 1
	}
}

PF=""			# $T/postfix, set by pf_start
PF_PID=""
export LD_LIBRARY_PATH=$PF_ROOT/usr/lib/postfix

pf_conf() {
	local map=$1
	mkdir -p "$PF/conf/dynamicmaps.cf.d" "$PF/conf/postfix-files.d" \
	    "$PF/spool"
	cp "$PF_ROOT/etc/postfix/postfix-files" "$PF/conf/"
	cp "$PF_ROOT/usr/share/postfix/dynamicmaps.cf" "$PF/conf/"
	cat > "$PF/conf/main.cf" <<EOF
compatibility_level = 3.7
command_directory = $PF_ROOT/usr/sbin
daemon_directory = $PF_ROOT/usr/lib/postfix/sbin
shlib_directory = $PF_ROOT/usr/lib/postfix
meta_directory = $PF/conf
queue_directory = $PF/spool
data_directory = $PF/data
sendmail_path = $PF_ROOT/usr/sbin/sendmail
newaliases_path = $PF_ROOT/usr/bin/newaliases
mailq_path = $PF_ROOT/usr/bin/mailq
manpage_directory = /nonexistent
html_directory = no
readme_directory = no
mail_owner = mail
setgid_group = daemon
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C LD_LIBRARY_PATH
maillog_file = $PF/postfix.log
maillog_file_prefixes = $PF
myhostname = mta.test.invalid
mydomain = test.invalid
mydestination = \$myhostname, localhost
inet_interfaces = loopback-only
inet_protocols = all
alias_maps =
alias_database =
biff = no
mynetworks = 127.0.0.0/32
smtpd_relay_restrictions =
smtpd_recipient_restrictions = check_client_access btree:$map, reject_unauth_destination
default_transport = discard
EOF
	cat > "$PF/conf/master.cf" <<EOF
127.0.0.1:2526 inet n - n - - smtpd
[::1]:2526 inet n - n - - smtpd
pickup unix n - n 60 1 pickup
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
verify unix - - n - 1 verify
flush unix n - n 1000? 0 flush
proxymap unix - - n - - proxymap
error unix - - n - - error
retry unix - - n - - error
discard unix - - n - - discard
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
postlog unix-dgram n - n - 1 postlogd
EOF
}

pf_listening() { (exec 3<>/dev/tcp/127.0.0.1/2526) 2>/dev/null; }

pf_start() {
	PF=$T/postfix
	pf_conf "$1"
	"$PF_ROOT/usr/sbin/postfix" -c "$PF/conf" start-fg \
	    >>"$PF/start.out" 2>&1 &
	PF_PID=$!
	T_PIDS="$T_PIDS $PF_PID"
	if ! t_wait 20 pf_listening; then
		t_fail "postfix did not start"
		cat "$PF/start.out" "$PF/postfix.log" 2>/dev/null
		exit 1
	fi
}

pf_stop() {
	[ -n "$PF_PID" ] || return 0
	"$PF_ROOT/usr/sbin/postfix" -c "$PF/conf" stop >/dev/null 2>&1
	t_wait 10 sh -c "! kill -0 $PF_PID" || kill -KILL "$PF_PID"
	wait "$PF_PID" 2>/dev/null
	PF_PID=""
}

pf_smtp() {
	local src=$1 host=127.0.0.1
	case $src in *:*) host=::1 ;; esac
	"$DC_PYTHON" "$DRAC_TOP/tests/pop/mailclient.py" smtp --host "$host" \
	    --port 2526 --src "$src" | cut -d' ' -f1
}
