# contrib/dovecot/: the Dovecot 2.3 mail plugin, built against Debian's
# dovecot-dev headers and linked with libdrac, whose symbols stay hidden
# inside the plugin.  Dovecot itself is not built with ASan, so the
# plugin is left out of SAN=1 builds.

DOVECOT_CONFIG	?= /usr/lib/dovecot/dovecot-config
DOVECOT_INC	?= /usr/include/dovecot
DOVECOT_MODULEDIR ?= $(or $(shell sed -n 's/^dovecot_moduledir=//p' \
		   $(DOVECOT_CONFIG) 2>/dev/null),/usr/lib/dovecot/modules)
DOVECOT_PLUGIN	:= $(B)/contrib/dovecot/lib90_drac_plugin.so
DRAC_LIBEXECDIR	?= $(PREFIX)/libexec/drac

ifneq ($(SAN),1)
PROGRAMS	+= $(DOVECOT_PLUGIN)
INSTALL_TARGETS	+= install-dovecot-plugin
UNINSTALL_TARGETS += uninstall-dovecot-plugin
endif

# Dovecot's headers are system headers here: our warnings are for our code.
$(B)/contrib/dovecot/drac_plugin.o: contrib/dovecot/drac_plugin.c lib/drac.h
	@mkdir -p $(@D)
	$(CC) -DHAVE_CONFIG_H -isystem $(DOVECOT_INC) -Ilib $(CFLAGS_ALL) \
	    $(DEPFLAGS) -c -o $@ $<

$(DOVECOT_PLUGIN): $(B)/contrib/dovecot/drac_plugin.o $(RPC_OBJS) \
    $(COMMON_OBJS) $(B)/lib/libdrac.a contrib/dovecot/drac_plugin.map
	$(CC) -shared $(LDFLAGS_ALL) -Wl,--version-script=contrib/dovecot/drac_plugin.map \
	    -Wl,--exclude-libs,ALL -o $@ \
	    $(B)/contrib/dovecot/drac_plugin.o $(RPC_OBJS) $(COMMON_OBJS) \
	    $(B)/lib/libdrac.a $(LIBDRAC_LIBS)

# The post-login script (no plugin needed) is installed with it, pointed
# at the installed dracauth.
install-dovecot-plugin: $(DOVECOT_PLUGIN)
	$(INSTALL) -d $(DESTDIR)$(DOVECOT_MODULEDIR) $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(DRAC_LIBEXECDIR)
	$(INSTALL) -m 644 $(DOVECOT_PLUGIN) $(DESTDIR)$(DOVECOT_MODULEDIR)/
	$(INSTALL) -m 644 man/drac-dovecot.7 $(DESTDIR)$(MANDIR)/man7/
	sed 's|/usr/local/bin/dracauth|$(BINDIR)/dracauth|' \
	    contrib/dovecot/drac-postlogin > $(DESTDIR)$(DRAC_LIBEXECDIR)/drac-postlogin
	chmod 755 $(DESTDIR)$(DRAC_LIBEXECDIR)/drac-postlogin

uninstall-dovecot-plugin:
	rm -f $(DESTDIR)$(DOVECOT_MODULEDIR)/lib90_drac_plugin.so \
	    $(DESTDIR)$(MANDIR)/man7/drac-dovecot.7 \
	    $(DESTDIR)$(DRAC_LIBEXECDIR)/drac-postlogin

.PHONY: install-dovecot-plugin uninstall-dovecot-plugin
