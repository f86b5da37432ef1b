# tools/drac-check: the SMTP side for qmail/tcpserver; reads the map with
# Berkeley DB directly, so it needs no daemon and no RPC.

DRAC_CHECK	:= $(B)/tools/drac-check
PROGRAMS	+= $(DRAC_CHECK)
INSTALL_TARGETS	+= install-drac-check
UNINSTALL_TARGETS += uninstall-drac-check

$(DRAC_CHECK): $(B)/tools/drac-check.o $(COMMON_OBJS) $(MAPLOCK_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -ldb

install-drac-check: $(DRAC_CHECK)
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 755 $(DRAC_CHECK) $(DESTDIR)$(SBINDIR)/drac-check
	$(INSTALL) -m 644 man/drac-check.8 $(DESTDIR)$(MANDIR)/man8/drac-check.8

uninstall-drac-check:
	rm -f $(DESTDIR)$(SBINDIR)/drac-check $(DESTDIR)$(MANDIR)/man8/drac-check.8

.PHONY: install-drac-check uninstall-drac-check
