# admin/: dracdb, the admin tool (list, add, delete, dump, load, stats).

DRACDB_OBJS	:= $(B)/admin/dracdb.o $(B)/admin/entries.o \
		   $(B)/admin/load.o $(B)/admin/mapfile.o \
		   $(B)/admin/output.o $(B)/admin/remote.o
DB_LIBS		?= -ldb

PROGRAMS	+= $(B)/admin/dracdb

$(B)/admin/dracdb: $(DRACDB_OBJS) $(RPC_OBJS) $(COMMON_OBJS) $(MAPLOCK_OBJS) \
    $(STATEFILE_OBJS) $(MAC_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(TIRPC_LIBS) $(DB_LIBS) $(SODIUM_LIBS)

INSTALL_TARGETS	+= install-dracdb
UNINSTALL_TARGETS += uninstall-dracdb

install-dracdb: $(B)/admin/dracdb
	$(INSTALL) -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 755 $(B)/admin/dracdb $(DESTDIR)$(SBINDIR)/dracdb
	$(INSTALL) -m 644 man/dracdb.8 $(DESTDIR)$(MANDIR)/man8/dracdb.8

uninstall-dracdb:
	rm -f $(DESTDIR)$(SBINDIR)/dracdb $(DESTDIR)$(MANDIR)/man8/dracdb.8

.PHONY: install-dracdb uninstall-dracdb
