# watch/: dracwatch, the log watcher for servers that cannot call libdrac.

WATCH_OBJS	:= $(B)/watch/main.o $(B)/watch/act.o $(B)/watch/follow.o \
		   $(B)/watch/keys.o $(B)/watch/pattern.o $(LOG_OBJS)

PROGRAMS	+= $(B)/watch/dracwatch
INSTALL_TARGETS	+= install-dracwatch
UNINSTALL_TARGETS += uninstall-dracwatch

$(B)/watch/dracwatch: $(WATCH_OBJS) $(RPC_OBJS) $(COMMON_OBJS) \
    $(B)/lib/libdrac.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBDRAC_LIBS)

install-dracwatch: $(B)/watch/dracwatch
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 755 $(B)/watch/dracwatch $(DESTDIR)$(SBINDIR)/
	$(INSTALL) -m 644 man/dracwatch.8 $(DESTDIR)$(MANDIR)/man8/

uninstall-dracwatch:
	rm -f $(DESTDIR)$(SBINDIR)/dracwatch $(DESTDIR)$(MANDIR)/man8/dracwatch.8

.PHONY: install-dracwatch uninstall-dracwatch
