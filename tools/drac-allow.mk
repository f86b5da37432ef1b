# tools/drac-allow: authorizes $TCPREMOTEIP inside a tcpserver chain,
# then executes the rest of its command line.

PROGRAMS	+= $(B)/tools/drac-allow
INSTALL_TARGETS	+= install-drac-allow
UNINSTALL_TARGETS += uninstall-drac-allow

$(B)/tools/drac-allow: $(B)/tools/drac-allow.o $(RPC_OBJS) $(COMMON_OBJS) \
    $(B)/lib/libdrac.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBDRAC_LIBS)

install-drac-allow: $(B)/tools/drac-allow
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 755 $(B)/tools/drac-allow $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 man/drac-allow.8 $(DESTDIR)$(MANDIR)/man8/

uninstall-drac-allow:
	rm -f $(DESTDIR)$(BINDIR)/drac-allow $(DESTDIR)$(MANDIR)/man8/drac-allow.8

.PHONY: install-drac-allow uninstall-drac-allow
