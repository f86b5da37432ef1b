# tests/pop/dovecot.lib.sh: a private Dovecot 2.3 for the tests (sourced
# after tests/lib.sh and t_init, so inside the test's namespaces).
#
#   dc_start [plugin|postlogin]
#                       POP3 on port 1110, IMAP on 1143, every address;
#                       "plugin" loads $DRAC_BUILD's drac plugin with the
#                       settings in $DC_PLUGIN_CONF (a plugin {} body);
#                       "postlogin" runs contrib/dovecot/drac-postlogin
#                       with $DRAC_BUILD's dracauth after each login
#   dc_stop             SIGTERM, bounded wait
#   dc_login PROTO SRC USER PASS [HOLD]   mailclient.py, its output on stdout
#
# Users (passwd-file, uid 65534): alice/secret, bob/secret (bob's userdb
# entry turns drac_drop_on_logout off), carol/secret, dave/secret (with
# an unusable drac_ttl from the userdb).
# Dovecot writes its log to $DC/dovecot.log (DC_LOG to change it).

DC=$T/dovecot
DC_LOG=${DC_LOG:-$DC/dovecot.log}
DC_PLUGIN_CONF=${DC_PLUGIN_CONF:-}
DC_CLIENT=$DRAC_TOP/tests/pop/mailclient.py
DC_PID=""
# Debian's interpreter: a python3 shim earlier in PATH may take seconds.
DC_PYTHON=/usr/bin/python3
[ -x "$DC_PYTHON" ] || DC_PYTHON=python3

dc_write_conf() {
	local plugin=$1
	mkdir -p "$DC/run" "$DC/state" "$DC/home/alice" "$DC/home/bob" \
	    "$DC/home/carol" "$DC/home/dave"
	chown -R 65534:65534 "$DC/home"
	cat > "$DC/users" <<EOF
alice:{PLAIN}secret:65534:65534::$DC/home/alice::
bob:{PLAIN}secret:65534:65534::$DC/home/bob::userdb_drac_drop_on_logout=no
carol:{PLAIN}secret:65534:65534::$DC/home/carol::
dave:{PLAIN}secret:65534:65534::$DC/home/dave::userdb_drac_ttl=forever
EOF
	chgrp dovecot "$DC/users"
	chmod 640 "$DC/users"
	cat > "$DC/dovecot.conf" <<EOF
# private Dovecot for the drac tests
protocols = pop3 imap
listen = *, ::
base_dir = $DC/run
state_dir = $DC/state
instance_name = drac-test-$$
log_path = $DC_LOG
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
auth_verbose = yes
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $DC/users
}
userdb {
  driver = passwd-file
  args = username_format=%u $DC/users
}
mail_location = maildir:~/Maildir
pop3_uidl_format = %08Xu%08Xv
service pop3-login {
  inet_listener pop3 {
    port = 1110
  }
  inet_listener pop3s {
    port = 0
  }
}
service imap-login {
  inet_listener imap {
    port = 1143
  }
  inet_listener imaps {
    port = 0
  }
}
EOF
	if [ "$plugin" = postlogin ]; then
		# Dovecot gives the script a clean environment: the settings
		# come from a wrapper, as a site would set them in the script.
		cat > "$DC/postlogin" <<EOF
#!/bin/sh
DRACAUTH=$DRACAUTH DRAC_SERVERS=127.0.0.1 DRAC_TTL=60 DRAC_TIMEOUT=500
export DRACAUTH DRAC_SERVERS DRAC_TTL DRAC_TIMEOUT
exec $DRAC_TOP/contrib/dovecot/drac-postlogin "\$@"
EOF
		chmod 755 "$DC/postlogin"
		cat >> "$DC/dovecot.conf" <<EOF
service pop3 {
  executable = pop3 postlogin
}
service imap {
  executable = imap postlogin
}
service postlogin {
  executable = script-login $DC/postlogin
  user = \$default_internal_user
  # no address space limit: an ASan dracauth reserves terabytes
  vsz_limit = 0
  unix_listener postlogin {
  }
}
EOF
	fi
	if [ "$plugin" = plugin ]; then
		cat >> "$DC/dovecot.conf" <<EOF
mail_plugin_dir = $DRAC_BUILD/contrib/dovecot
mail_plugins = \$mail_plugins drac
plugin {
$DC_PLUGIN_CONF
}
EOF
	fi
}

dc_listening() {
	(exec 3<>/dev/tcp/127.0.0.1/1110) 2>/dev/null &&
	    (exec 3<>/dev/tcp/127.0.0.1/1143) 2>/dev/null
}

dc_start() {
	dc_write_conf "${1:-}"
	dovecot -F -c "$DC/dovecot.conf" >>"$DC/master.out" 2>&1 &
	DC_PID=$!
	T_PIDS="$T_PIDS $DC_PID"
	if ! t_wait 15 dc_listening; then
		t_fail "dovecot did not start"
		cat "$DC/master.out" "$DC_LOG" 2>/dev/null
		exit 1
	fi
}

dc_stop() {
	[ -n "$DC_PID" ] || return 0
	kill -TERM "$DC_PID" 2>/dev/null
	t_wait 15 sh -c "! kill -0 $DC_PID" || kill -KILL "$DC_PID"
	wait "$DC_PID" 2>/dev/null
	DC_PID=""
# Debian's interpreter: a python3 shim earlier in PATH may take seconds.
DC_PYTHON=/usr/bin/python3
[ -x "$DC_PYTHON" ] || DC_PYTHON=python3
}

dc_login() {
	local proto=$1 src=$2 user=$3 pass=$4 hold=${5:-0} host=127.0.0.1 port
	case $src in *:*) host=::1 ;; esac
	case $proto in pop3) port=1110 ;; imap) port=1143 ;; esac
	"$DC_PYTHON" "$DC_CLIENT" "$proto" --host "$host" --port "$port" \
	    --src "$src" --hold "$hold" "$user" "$pass"
}
