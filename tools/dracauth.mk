# tools/dracauth: add, drop and query DRAC authorizations (dracauth(1)).
# Linked with libdrac.a so the installed program needs no -ldrac.

PROGRAMS	+= $(B)/tools/dracauth
INSTALL_TARGETS	+= install-dracauth
UNINSTALL_TARGETS += uninstall-dracauth

$(B)/tools/dracauth: $(B)/tools/dracauth.o $(B)/lib/libdrac.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBDRAC_LIBS)

install-dracauth: $(B)/tools/dracauth
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	$(INSTALL) -m 755 $(B)/tools/dracauth $(DESTDIR)$(BINDIR)/dracauth
	$(INSTALL) -m 644 man/dracauth.1 $(DESTDIR)$(MANDIR)/man1/dracauth.1

uninstall-dracauth:
	rm -f $(DESTDIR)$(BINDIR)/dracauth $(DESTDIR)$(MANDIR)/man1/dracauth.1

.PHONY: install-dracauth uninstall-dracauth
