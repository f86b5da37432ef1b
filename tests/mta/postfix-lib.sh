# tests/mta/postfix-lib.sh: a private Postfix 3.7 (sourced after
# mta-lib.sh), run from the dpkg -x prefix with its own main.cf and
# master.cf under $T/postfix.  main.cf ends with this tree's snippet
# contrib/postfix/main.cf.btree, the map path pointed at $T/dracd; each
# smtpd service of master.cf overrides smtpd_relay_restrictions with a
# variant of the snippets, named drac_NAME:
#
#   pf_service NAME PORT SNIPPET FROM TO   drac_NAME = SNIPPET's value,
#                                          FROM replaced by TO, on
#                                          127.0.0.1 and ::1 port PORT
#   pf_start / pf_stop                     postfix start-fg / stop
#   pf_postmap ARGS...                     postmap with this config

PF_ROOT=$MTA_DIR/root/postfix
PF_CONF=${T:-}/postfix/conf
PF_SERVICES=""

pf() {
	local prog=$1
	shift
	LD_LIBRARY_PATH=$PF_ROOT/usr/lib/postfix "$PF_ROOT/usr/sbin/$prog" "$@"
}
pf_postmap() { pf postmap -c "$PF_CONF" "$@"; }

# The restriction list of a snippet, on one line, paths replaced.
pf_value() {
	sed -n '/^smtpd_relay_restrictions =/,$p' "$DRAC_TOP/contrib/postfix/$1" |
	    sed '1s/^smtpd_relay_restrictions =//; s/^[[:space:]]*//' |
	    tr '\n' ' ' | sed "s|$2|$3|g; s/  */ /g; s/ *\$//; s/^ *//"
}

pf_service() {
	PF_SERVICES="$PF_SERVICES$1 $2 $(pf_value "$3" "$4" "$5")
"
}

pf_conf() {
	PF_CONF=$T/postfix/conf
	mkdir -p "$PF_CONF" "$T/postfix/spool"
	cp "$PF_ROOT/etc/postfix/postfix-files" "$PF_CONF/"
	cp "$PF_ROOT/usr/share/postfix/dynamicmaps.cf" "$PF_CONF/"
	mkdir -p "$PF_CONF/postfix-files.d" "$PF_CONF/dynamicmaps.cf.d"
	cat > "$PF_CONF/main.cf" <<EOF
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
maillog_file = $T/postfix/postfix.log
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
		while read -r name port value; do
			[ -n "$name" ] && echo "drac_$name = $value"
		done <<< "$PF_SERVICES"
		# proxymap serves only tables named here (default: main.cf's)
		echo "proxy_read_maps = \$local_recipient_maps" \
		    "\$smtpd_relay_restrictions$(printf '%s' "$PF_SERVICES" |
		    awk '{ printf " $drac_%s", $1 }')"
		echo
		sed "s|/etc/mail/dracd|$T/dracd|g" \
		    "$DRAC_TOP/contrib/postfix/main.cf.btree"
	} >> "$PF_CONF/main.cf"
	{
		while read -r name port value; do
			[ -n "$name" ] || continue
			for a in 127.0.0.1 '[::1]'; do
				printf '%s:%s inet n - n - - smtpd -o smtpd_relay_restrictions=$drac_%s\n' \
				    "$a" "$port" "$name"
			done
		done <<< "$PF_SERVICES"
		cat <<'EOF'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
proxymap  unix  -       -       n       -       -       proxymap
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
	} > "$PF_CONF/master.cf"
}

pf_start() {
	local name port value
	mta_start postfix pf postfix -c "$PF_CONF" start-fg
	while read -r name port value; do
		[ -n "$name" ] || continue
		wait_port 127.0.0.1 "$port" && wait_port ::1 "$port"
	done <<< "$PF_SERVICES"
}

pf_stop() {
	pf postfix -c "$PF_CONF" stop >/dev/null 2>&1
	mta_stop postfix
}
