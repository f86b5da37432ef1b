# dist/: how rpc.dracd is started: a SysV init script with LSB headers,
# a systemd unit, the options file both read, and an example allow file.
# The files name /usr/sbin and /etc; installing rewrites them for
# SBINDIR and SYSCONFDIR.

SYSTEMDUNITDIR	?= $(PREFIX)/lib/systemd/system
DOCDIR		?= $(PREFIX)/share/doc/drac
DIST_SED	 = sed -e 's|/usr/sbin/rpc\.dracd|$(SBINDIR)/rpc.dracd|g' \
		       -e 's|/etc/default/drac|$(SYSCONFDIR)/default/drac|g'

INSTALL_TARGETS	+= install-dist
UNINSTALL_TARGETS += uninstall-dist

# An existing options file is the admin's: it is kept on install, and
# removed on uninstall only when it is still the one shipped.
install-dist:
	$(INSTALL) -d $(DESTDIR)$(SYSCONFDIR)/init.d \
	    $(DESTDIR)$(SYSCONFDIR)/default $(DESTDIR)$(SYSTEMDUNITDIR) \
	    $(DESTDIR)$(DOCDIR)/examples
	$(DIST_SED) dist/init.d/drac > $(DESTDIR)$(SYSCONFDIR)/init.d/drac.tmp
	chmod 755 $(DESTDIR)$(SYSCONFDIR)/init.d/drac.tmp
	mv $(DESTDIR)$(SYSCONFDIR)/init.d/drac.tmp $(DESTDIR)$(SYSCONFDIR)/init.d/drac
	$(DIST_SED) dist/drac.service > $(DESTDIR)$(SYSTEMDUNITDIR)/drac.service.tmp
	chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/drac.service.tmp
	mv $(DESTDIR)$(SYSTEMDUNITDIR)/drac.service.tmp $(DESTDIR)$(SYSTEMDUNITDIR)/drac.service
	[ -e $(DESTDIR)$(SYSCONFDIR)/default/drac ] || \
	    $(INSTALL) -m 644 dist/default $(DESTDIR)$(SYSCONFDIR)/default/drac
	$(INSTALL) -m 644 dist/dracd.allow $(DESTDIR)$(DOCDIR)/examples/dracd.allow

uninstall-dist:
	rm -f $(DESTDIR)$(SYSCONFDIR)/init.d/drac \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/drac.service \
	    $(DESTDIR)$(DOCDIR)/examples/dracd.allow
	! cmp -s dist/default $(DESTDIR)$(SYSCONFDIR)/default/drac || \
	    rm -f $(DESTDIR)$(SYSCONFDIR)/default/drac

.PHONY: install-dist uninstall-dist
