# milter/: drac-milter, the sendmail milter for sender binding
# (libmilter from libmilter-dev).

MILTER_OBJS	:= $(addprefix $(B)/milter/, milter.o filter.o)
PROGRAMS	+= $(B)/milter/drac-milter
INSTALL_TARGETS	+= install-milter
UNINSTALL_TARGETS += uninstall-milter

$(B)/milter/%.o: CPPFLAGS += -Ibinding -pthread

$(B)/milter/drac-milter: $(MILTER_OBJS) $(BINDING_OBJS) $(B)/lib/libdrac.a
	$(CC) $(LDFLAGS_ALL) -pthread -o $@ $^ -lmilter $(LIBDRAC_LIBS)

install-milter: $(B)/milter/drac-milter
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 755 $(B)/milter/drac-milter $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 644 man/drac-milter.8 $(DESTDIR)$(MANDIR)/man8/
	$(INSTALL) -d $(DESTDIR)$(PREFIX)/share/drac
	$(INSTALL) -m 644 milter/drac-relay.m4 $(DESTDIR)$(PREFIX)/share/drac/

uninstall-milter:
	rm -f $(DESTDIR)$(SBINDIR)/drac-milter \
	    $(DESTDIR)$(MANDIR)/man8/drac-milter.8 \
	    $(DESTDIR)$(PREFIX)/share/drac/drac-relay.m4

.PHONY: install-milter uninstall-milter
