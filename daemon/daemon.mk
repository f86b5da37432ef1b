# daemon/: rpc.dracd.

DAEMON_OBJS	:= $(addprefix $(B)/daemon/, main.o net.o rpcsvc.o socketmap.o \
		   authn.o grant.o flush.o mapdb.o mapwrite.o guard.o \
		   statelog.o stateconv.o syncer.o repair.o table.o allow.o) \
		   $(LOG_OBJS) $(STATEFILE_OBJS)
PROGRAMS	+= $(B)/daemon/rpc.dracd
INSTALL_TARGETS	+= install-daemon
UNINSTALL_TARGETS += uninstall-daemon

$(B)/daemon/rpc.dracd: $(DAEMON_OBJS) $(RPC_OBJS) $(COMMON_OBJS) $(MAC_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(TIRPC_LIBS) -ldb-5.3 $(SODIUM_LIBS) -lpthread

install-daemon: $(B)/daemon/rpc.dracd
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(MANDIR)/man5
	$(INSTALL) -m 755 $(B)/daemon/rpc.dracd $(DESTDIR)$(SBINDIR)/rpc.dracd
	$(INSTALL) -m 644 man/rpc.dracd.8 $(DESTDIR)$(MANDIR)/man8/rpc.dracd.8
	$(INSTALL) -m 644 man/dracd.allow.5 $(DESTDIR)$(MANDIR)/man5/dracd.allow.5

uninstall-daemon:
	rm -f $(DESTDIR)$(SBINDIR)/rpc.dracd \
	    $(DESTDIR)$(MANDIR)/man8/rpc.dracd.8 \
	    $(DESTDIR)$(MANDIR)/man5/dracd.allow.5

.PHONY: install-daemon uninstall-daemon
