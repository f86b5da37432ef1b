# daemon/: rpc.dracd.

DAEMON_OBJS	:= $(addprefix $(B)/daemon/, main.o net.o rpcsvc.o socketmap.o \
		   grant.o mapdb.o table.o allow.o log.o)
PROGRAMS	+= $(B)/daemon/rpc.dracd
INSTALL_TARGETS	+= install-daemon
UNINSTALL_TARGETS += uninstall-daemon

$(B)/daemon/rpc.dracd: $(DAEMON_OBJS) $(RPC_OBJS) $(COMMON_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(TIRPC_LIBS) -ldb-5.3

install-daemon: $(B)/daemon/rpc.dracd
	$(INSTALL) -d $(DESTDIR)$(SBINDIR)
	$(INSTALL) -m 755 $(B)/daemon/rpc.dracd $(DESTDIR)$(SBINDIR)/rpc.dracd

uninstall-daemon:
	rm -f $(DESTDIR)$(SBINDIR)/rpc.dracd

.PHONY: install-daemon uninstall-daemon
