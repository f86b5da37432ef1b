# sendmail/: FEATURE(`drac') for sendmail-cf, and the same lines for a
# hand-edited sendmail.cf.  This file also installs what the other MTAs
# need (contrib/postfix, contrib/exim) as examples, and drac-mta(7).
#
# drac.m4 goes where sendmail-cf looks for features: SENDMAIL_CF_DIR,
# by default /usr/share/sendmail/cf when that tree exists on this host
# (Debian's sendmail-cf); without one it is only installed as an example.
# Debian's sendmail-cf ships a feature/drac.m4 of its own (a map line for
# proto.m4's Relay_ok hook): ours replaces it, keeping it as drac.m4.dist,
# and uninstall puts it back.

DOCDIR		?= $(PREFIX)/share/doc/drac
SENDMAIL_CF_DIR	?= $(if $(wildcard /usr/share/sendmail/cf/feature),/usr/share/sendmail/cf)
MTA_EXAMPLES	 = sendmail/drac.m4:sendmail-drac.m4 \
		   sendmail/drac.cf.txt:sendmail-drac.cf.txt \
		   contrib/postfix/main.cf.btree:postfix-main.cf.btree \
		   contrib/postfix/main.cf.socketmap:postfix-main.cf.socketmap \
		   contrib/exim/drac-main.conf:exim-drac-main.conf \
		   contrib/exim/drac-rcpt-acl.conf:exim-drac-rcpt-acl.conf

INSTALL_TARGETS	+= install-sendmail
UNINSTALL_TARGETS += uninstall-sendmail

install-sendmail:
	$(INSTALL) -d $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(DOCDIR)/examples
	$(INSTALL) -m 644 man/drac-mta.7 $(DESTDIR)$(MANDIR)/man7/drac-mta.7
	for e in $(MTA_EXAMPLES); do \
	    $(INSTALL) -m 644 $${e%%:*} $(DESTDIR)$(DOCDIR)/examples/$${e#*:} || exit 1; \
	done
	@f=$(DESTDIR)$(SENDMAIL_CF_DIR)/feature/drac.m4; \
	if [ -z "$(SENDMAIL_CF_DIR)" ]; then \
	    echo "install-sendmail: no sendmail-cf here (set SENDMAIL_CF_DIR): drac.m4 only in $(DOCDIR)/examples"; \
	else \
	    $(INSTALL) -d $(DESTDIR)$(SENDMAIL_CF_DIR)/feature && \
	    if [ -f $$f ] && ! grep -q _DRAC_FEATURE_ $$f; then \
		echo "install-sendmail: keeping the existing $$f as drac.m4.dist"; \
		mv $$f $$f.dist; \
	    fi && \
	    echo "$(INSTALL) -m 644 sendmail/drac.m4 $$f" && \
	    $(INSTALL) -m 644 sendmail/drac.m4 $$f; \
	fi

uninstall-sendmail:
	rm -f $(DESTDIR)$(MANDIR)/man7/drac-mta.7
	for e in $(MTA_EXAMPLES); do rm -f $(DESTDIR)$(DOCDIR)/examples/$${e#*:}; done
	@f=$(DESTDIR)$(SENDMAIL_CF_DIR)/feature/drac.m4; \
	if [ -n "$(SENDMAIL_CF_DIR)" ] && [ -f $$f ] && grep -q _DRAC_FEATURE_ $$f; then \
	    rm -f $$f; \
	    if [ -f $$f.dist ]; then mv $$f.dist $$f; fi; \
	fi

.PHONY: install-sendmail uninstall-sendmail
