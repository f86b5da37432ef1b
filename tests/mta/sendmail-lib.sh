# tests/mta/sendmail-lib.sh: a private sendmail 8.17 (sourced after
# mta-lib.sh).  Configurations are built from a .mc with Debian's
# sendmail-cf and this tree's FEATURE(`drac').
#
#   sm_cf NAME PORT FEATURE-ARGS   $T/sm-NAME/sendmail.cf; FEATURE-ARGS is
#                                  what follows `drac' in FEATURE(), ""
#                                  for the default map, "-" for none
#   sm_check NAME CLIENT RCPT      what check_rcpt returns in address
#                                  test mode for ${client_addr} CLIENT
#   sm_start NAME                  sendmail -bD on 127.0.0.1 and ::1 PORT
#
# Every configuration carries two Local_check_rcpt rules of the site's
# own after the FEATURE, to show that they keep working: mail to
# friend.example may be relayed by anyone, mail to spamtrap@ is refused.

SM=$MTA_DIR/root/sendmail/usr/libexec/sendmail/sendmail

# Debian's cf tree with feature/drac.m4 replaced by ours (symlinks).
sm_cftree() {
	[ -d "$T/cf" ] && return 0
	cp -rs "$MTA_DIR/root/sendmail/usr/share/sendmail/cf" "$T/cf"
	rm -f "$T/cf/feature/drac.m4"
	ln -s "$DRAC_TOP/sendmail/drac.m4" "$T/cf/feature/drac.m4"
}

sm_cf() {
	local name=$1 port=$2 feature=$3 d=$T/sm-$1
	sm_cftree
	mkdir -p "$d/queue"
	chmod 700 "$d/queue"
	printf 'hosts\t\tfiles\naliases\t\tfiles\n' > "$d/service.switch"
	printf 'root: root\n' > "$d/aliases"
	: > "$d/helpfile"
	case $feature in
	-) feature="" ;;
	"") feature="FEATURE(\`drac')dnl" ;;
	*) feature="FEATURE(\`drac', $feature)dnl" ;;
	esac
	cat > "$d/sendmail.mc" <<EOF
divert(-1)
# drac test: $name
divert(0)dnl
VERSIONID(\`drac test $name')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mta.test.invalid')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`QUEUE_DIR', \`$d/queue')dnl
define(\`confPID_FILE', \`$d/sendmail.pid')dnl
define(\`STATUS_FILE', \`$d/statistics')dnl
define(\`ALIAS_FILE', \`$d/aliases')dnl
define(\`confHELP_FILE', \`$d/helpfile')dnl
define(\`confCW_FILE', \`-o $d/local-host-names')dnl
define(\`confSERVICE_SWITCH_FILE', \`$d/service.switch')dnl
define(\`confLOG_LEVEL', \`9')dnl
define(\`confDELIVERY_MODE', \`queueonly')dnl
define(\`confTO_IDENT', \`0s')dnl
dnl the map lives under /tmp, a sticky world-writable directory
define(\`confDONT_BLAME_SENDMAIL', \`TrustStickyBit')dnl
DAEMON_OPTIONS(\`Port=$port, Addr=127.0.0.1, Name=MTA')dnl
DAEMON_OPTIONS(\`Port=$port, Addr=::1, Family=inet6, Name=MTA6')dnl
FEATURE(\`no_default_msa')dnl
FEATURE(\`accept_unresolvable_domains')dnl
$feature
LOCAL_RULESETS
SLocal_check_rcpt
R< \$+ @ friend . example >	\$#OK
R< spamtrap @ \$* >		\$#error \$@ 5.7.1 \$: "550 spamtrap (site rule)"
MAILER(\`local')dnl
MAILER(\`smtp')dnl
EOF
	m4 -D_CF_DIR_="$T/cf/" "$T/cf/m4/cf.m4" "$d/sendmail.mc" \
	    >"$d/sendmail.cf" 2>"$d/m4.err" ||
	    { t_fail "m4 $name: $(cat "$d/m4.err")"; return 1; }
	eval "SM_PORT_$name=$port"
}

sm_check() {
	printf '.D{client_addr}%s\ncheck_rcpt <%s>\n' "$2" "$3" |
	    "$SM" -C "$T/sm-$1/sendmail.cf" -bt 2>&1 |
	    sed -n 's/^check_rcpt *returns: //p'
}

sm_start() {
	local port
	eval "port=\$SM_PORT_$1"
	mta_start "sm_$1" "$SM" -C "$T/sm-$1/sendmail.cf" -bD
	wait_port 127.0.0.1 "$port" && wait_port ::1 "$port"
}
