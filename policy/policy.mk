# policy/: drac-policyd, the Postfix SMTPD policy service for sender
# binding.

POLICYD_OBJS	:= $(addprefix $(B)/policy/, policyd.o serve.o pproto.o)
PROGRAMS	+= $(B)/policy/drac-policyd
INSTALL_TARGETS	+= install-policyd
UNINSTALL_TARGETS += uninstall-policyd

$(B)/policy/%.o: CPPFLAGS += -Ibinding

$(B)/policy/drac-policyd: $(POLICYD_OBJS) $(BINDING_OBJS) \
    $(B)/lib/libdrac.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBDRAC_LIBS)

install-policyd: $(B)/policy/drac-policyd
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5
	$(INSTALL) -m 755 $(B)/policy/drac-policyd $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 644 man/drac-policyd.8 $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -m 644 man/drac-users.5 $(DESTDIR)$(MANDIR)/man5/

uninstall-policyd:
	rm -f $(DESTDIR)$(SBINDIR)/drac-policyd \
	    $(DESTDIR)$(MANDIR)/man8/drac-policyd.8 \
	    $(DESTDIR)$(MANDIR)/man5/drac-users.5

.PHONY: install-policyd uninstall-policyd
