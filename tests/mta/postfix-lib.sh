# tests/mta/postfix-lib.sh: a private Postfix 3.7 for every test that
# needs one (sourced after tests/lib.sh, before t_init: the package is
# fetched first, see t_mtas).  It runs from the dpkg -x prefix with its
# own main.cf and master.cf in $PF_CONF, its log in $PF_LOG, and relays
# nothing until the test appends its restrictions to main.cf.
#
#   pf_listen PORT [OPT...]   an smtpd on 127.0.0.1 and [::1] port PORT,
#                             with master.cf's "-o OPT" for each OPT
#   pf_conf                   write main.cf and master.cf; then append
#                             the test's own lines to $PF_CONF/main.cf
#   pf_start                  postfix start-fg; waits for every port
#   pf_stop                   postfix stop; 1 if it had to be killed
#   pf_postmap ARG...         postmap with this configuration (after
#                             pf_conf)

t_mtas
PF_ROOT=$MTA_DIR/root/postfix
PF_LISTEN=""
PF_PID=""

pf() {
	local prog=$1
	shift
	LD_LIBRARY_PATH=$PF_ROOT/usr/lib/postfix "$PF_ROOT/usr/sbin/$prog" "$@"
}
pf_postmap() { pf postmap -c "$PF_CONF" "$@"; }

pf_listen() {
	local port=$1 o opts=""
	shift
	for o in "$@"; do opts="$opts -o $o"; done
	PF_LISTEN="$PF_LISTEN$port$opts
"
}

pf_conf() {
	local port opts a
	PF_CONF=$T/postfix/conf
	PF_LOG=$T/postfix/postfix.log
	mkdir -p "$PF_CONF/postfix-files.d" "$PF_CONF/dynamicmaps.cf.d" \
	    "$T/postfix/spool"
	cp "$PF_ROOT/etc/postfix/postfix-files" \
	    "$PF_ROOT/usr/share/postfix/dynamicmaps.cf" "$PF_CONF/"
	cat >"$PF_CONF/main.cf" <<EOF
compatibility_level = 3.7
command_directory = $PF_ROOT/usr/sbin
daemon_directory = $PF_ROOT/usr/lib/postfix/sbin
shlib_directory = $PF_ROOT/usr/lib/postfix
meta_directory = $PF_CONF
queue_directory = $T/postfix/spool
data_directory = $T/postfix/data
sendmail_path = $PF_ROOT/usr/sbin/sendmail
newaliases_path = $PF_ROOT/usr/bin/newaliases
mailq_path = $PF_ROOT/usr/bin/mailq
manpage_directory = /nonexistent
html_directory = no
readme_directory = no
mail_owner = mail
setgid_group = daemon
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C LD_LIBRARY_PATH
maillog_file = $PF_LOG
maillog_file_prefixes = $T/postfix
myhostname = mta.test.invalid
mydomain = test.invalid
mydestination = \$myhostname, localhost
inet_interfaces = loopback-only
inet_protocols = all
alias_maps =
alias_database =
biff = no
# loopback is not trusted here: the test clients connect over it
mynetworks = 127.0.0.0/32
default_transport = discard
local_transport = discard
EOF
	{
		while read -r port opts; do
			[ -n "$port" ] || continue
			for a in 127.0.0.1 '[::1]'; do
				echo "$a:$port inet n - n - - smtpd $opts"
			done
		done <<<"$PF_LISTEN"
		cat <<'EOF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
	} >"$PF_CONF/master.cf"
}

pf_listening() {
	bash -c "exec 3<>/dev/tcp/127.0.0.1/$1 && exec 4<>/dev/tcp/::1/$1"
}

pf_start() {
	local port opts
	pf postfix -c "$PF_CONF" start-fg >>"$T/postfix/start.out" 2>&1 &
	PF_PID=$!
	T_PIDS="$T_PIDS $PF_PID"
	while read -r port opts; do
		[ -n "$port" ] || continue
		t_wait 20 pf_listening "$port" && continue
		t_fail "Postfix does not listen on port $port"
		cat "$T/postfix/start.out" "$PF_LOG" 2>/dev/null
		exit 1
	done <<<"$PF_LISTEN"
}

pf_stop() {
	local rc=0
	[ -n "$PF_PID" ] || return 0
	pf postfix -c "$PF_CONF" stop >/dev/null 2>&1
	t_wait 10 sh -c "! kill -0 $PF_PID" || { kill -KILL "$PF_PID"; rc=1; }
	wait "$PF_PID" 2>/dev/null
	PF_PID=""
	return $rc
}
