# tests/pop/: the POP/IMAP side against real servers (Dovecot, tcpserver,
# Postfix).  Tests that load the plugin into Dovecot cannot run under
# ASan (Dovecot is not instrumented): they are :nosan.

CHECK_TARGETS	+= tests/pop/watch-golden.sh \
		   tests/pop/watch-dovecot.sh \
		   tests/pop/watch-clock.sh \
		   tests/pop/drac-allow.sh \
		   tests/pop/dovecot-postlogin.sh \
		   tests/pop/dovecot-plugin.sh:nosan \
		   tests/pop/e2e-relay.sh:nosan
DEPS_GROUPS	+= check
