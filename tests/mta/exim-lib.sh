# tests/mta/exim-lib.sh: a private Exim 4.96 (sourced after mta-lib.sh),
# Debian's exim4-daemon-light run from the dpkg -x prefix.  The
# configuration .includes this tree's contrib/exim snippets unchanged.
#
#   ex_conf NAME PORT MACRO=VALUE   $T/exim-NAME/exim.conf, the macro
#                               DRAC_MAP (the file) or DRAC_SMAP set
#   ex_bh NAME CLIENT RCPT...   -bh session (no network): the RCPT codes
#   ex_start NAME               exim -bdf on 127.0.0.1 and ::1 PORT

EX=$MTA_DIR/root/exim/usr/sbin/exim4

ex_conf() {
	local d=$T/exim-$1
	mkdir -p "$d/spool" "$d/log"
	# Exim writes both as Debian-exim; it creates the log files itself.
	chown Debian-exim:Debian-exim "$d/spool" "$d/log"
	cat > "$d/exim.conf" <<EOF
primary_hostname = mta.test.invalid
domainlist local_domains = @ : localhost
spool_directory = $d/spool
log_file_path = $d/log/%slog
keep_environment =
host_lookup = !*
rfc1413_hosts =
tls_advertise_hosts =
daemon_smtp_ports = $2
local_interfaces = <; 127.0.0.1 ; ::1
acl_smtp_rcpt = acl_check_rcpt
${3%%=*} = ${3#*=}
.include $DRAC_TOP/contrib/exim/drac-main.conf

begin acl
acl_check_rcpt:
  accept  hosts = :
.include $DRAC_TOP/contrib/exim/drac-rcpt-acl.conf
  require message = relay not permitted
          domains = +local_domains
  accept

begin routers
discard_all:
  driver = redirect
  data = :blackhole:
EOF
	eval "EX_PORT_$1=$2"
}

ex_bh() {
	local name=$1 client=$2 r
	shift 2
	{
		printf 'EHLO client.test.invalid\r\n'
		printf 'MAIL FROM:<tester@client.test.invalid>\r\n'
		for r in "$@"; do printf 'RCPT TO:<%s>\r\n' "$r"; done
		printf 'QUIT\r\n'
	} | "$EX" -C "$T/exim-$name/exim.conf" -bh "$client" 2>/dev/null |
	    tr -d '\r' | awk '/^[0-9][0-9][0-9] / { n++; c[n] = $1 }
		END { s = ""; for (i = 4; i < n; i++) s = s (s == "" ? "" : " ") c[i]
		      print s }'
}

ex_start() {
	local port
	eval "port=\$EX_PORT_$1"
	mta_start "ex_$1" "$EX" -C "$T/exim-$1/exim.conf" -bdf \
	    -oP "$T/exim-$1/exim.pid"
	wait_port 127.0.0.1 "$port" && wait_port ::1 "$port"
}
