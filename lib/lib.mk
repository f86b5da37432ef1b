# lib/: libdrac.a, libdrac.so.1 (exporting only drac.h's names, see
# libdrac.map) and drac.pc.  The XDR routines, common/addr.c and
# common/clock.c are compiled in, so a caller links -ldrac and nothing of
# ours besides.

DRAC_VERSION	?= 1.0
LIB_SRCS	:= lib/client.c lib/compat.c lib/dlist.c lib/dproto.c \
		   lib/drpc.c lib/dserver.c
LIB_OBJS	:= $(LIB_SRCS:%.c=$(B)/%.o)
LIB_ALL_OBJS	:= $(LIB_OBJS) $(RPC_OBJS) $(COMMON_OBJS) $(MAC_OBJS)
# What a program linking libdrac.a needs besides.
LIBDRAC_LIBS	:= $(TIRPC_LIBS) $(SODIUM_LIBS)
LIBDRAC_A	:= $(B)/lib/libdrac.a
LIBDRAC_SO	:= $(B)/lib/libdrac.so.1

# -z defs catches a missing library at link time; the sanitizer runtime
# is only linked into executables, so not under SAN=1.
ifneq ($(SAN),1)
LIB_ZDEFS	:= -Wl,-z,defs
endif

# dracauth(3) documents every function; the other names link to it.
MAN3_LINKS	:= dracconn dracsend dracdisc dracauth6 dracconn6 dracsend6 \
		   dracdisc6 drac_add drac_drop drac_query drac_client_new \
		   drac_client_add drac_client_add_sa drac_client_drop \
		   drac_client_drop_sa drac_client_query drac_client_free \
		   drac_strerror

LIBRARIES	+= $(LIBDRAC_A) $(LIBDRAC_SO) $(B)/lib/libdrac.so $(B)/lib/drac.pc
INSTALL_TARGETS	+= install-lib
UNINSTALL_TARGETS += uninstall-lib

$(LIBDRAC_A): $(LIB_ALL_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBDRAC_SO): $(LIB_ALL_OBJS) lib/libdrac.map
	$(CC) $(LDFLAGS_ALL) -shared -Wl,-soname,libdrac.so.1 \
	    -Wl,--version-script=lib/libdrac.map $(LIB_ZDEFS) \
	    -o $@ $(LIB_ALL_OBJS) $(LIBDRAC_LIBS)

$(B)/lib/libdrac.so: $(LIBDRAC_SO)
	ln -sf libdrac.so.1 $@

# Made again at install time, so "make install PREFIX=..." is right.
DRAC_PC_SED	= sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
		    -e 's|@VERSION@|$(DRAC_VERSION)|' \
		    -e 's|@TIRPC_LIBS@|$(strip $(LIBDRAC_LIBS))|' lib/drac.pc.in

$(B)/lib/drac.pc: lib/drac.pc.in lib/lib.mk
	@mkdir -p $(@D)
	$(DRAC_PC_SED) > $@

install-lib: $(LIBRARIES)
	$(INSTALL) -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) \
	    $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man3
	$(INSTALL) -m 644 $(LIBDRAC_A) $(DESTDIR)$(LIBDIR)/libdrac.a
	$(INSTALL) -m 755 $(LIBDRAC_SO) $(DESTDIR)$(LIBDIR)/libdrac.so.1
	ln -sf libdrac.so.1 $(DESTDIR)$(LIBDIR)/libdrac.so
	$(INSTALL) -m 644 lib/drac.h $(DESTDIR)$(INCLUDEDIR)/drac.h
	$(DRAC_PC_SED) > $(DESTDIR)$(PKGCONFIGDIR)/drac.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/drac.pc
	$(INSTALL) -m 644 man/dracauth.3 $(DESTDIR)$(MANDIR)/man3/dracauth.3
	for n in $(MAN3_LINKS); do \
		ln -sf dracauth.3 $(DESTDIR)$(MANDIR)/man3/$$n.3 || exit 1; \
	done

uninstall-lib:
	rm -f $(DESTDIR)$(LIBDIR)/libdrac.a $(DESTDIR)$(LIBDIR)/libdrac.so.1 \
	    $(DESTDIR)$(LIBDIR)/libdrac.so $(DESTDIR)$(INCLUDEDIR)/drac.h \
	    $(DESTDIR)$(PKGCONFIGDIR)/drac.pc \
	    $(DESTDIR)$(MANDIR)/man3/dracauth.3
	for n in $(MAN3_LINKS); do rm -f $(DESTDIR)$(MANDIR)/man3/$$n.3; done

.PHONY: install-lib uninstall-lib

# The server list parser's unit test (tests/unit/test_dlist.c).
ifeq ($(shell pkg-config --exists cmocka 2>/dev/null && echo yes),yes)
PROGRAMS	+= $(B)/tests/unit/test_dlist
endif
CHECK_TARGETS	+= @tests/unit/test_dlist

$(B)/tests/unit/test_dlist: $(B)/tests/unit/test_dlist.o \
    $(B)/tests/unit/testutil.o $(B)/lib/dlist.o
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka
