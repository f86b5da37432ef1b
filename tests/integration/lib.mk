# tests/integration/lib-*.sh: libdrac and dracauth(1) against a real
# rpcbind and the real rpc.dracd (tests/lib.sh), and against
# tests/olddracd.py, a stand-in for an unmodified DRAC 1.12 daemon.
# libcall drives both library APIs through libdrac.so.

LIBCALL		:= $(B)/tests/integration/libcall
PROGRAMS	+= $(LIBCALL)
CHECK_TARGETS	+= tests/integration/lib-abi.sh tests/integration/lib-api.sh \
		   tests/integration/lib-cli.sh \
		   tests/integration/lib-fallback.sh \
		   tests/integration/lib-timeout.sh
DEPS_GROUPS	+= check

$(LIBCALL): $(B)/tests/integration/libcall.o $(B)/lib/libdrac.so
	$(CC) $(LDFLAGS_ALL) -o $@ $(B)/tests/integration/libcall.o \
	    -L$(B)/lib -Wl,-rpath,$(abspath $(B)/lib) -ldrac -lpthread
