# tests/ops/: the admin tool, the init script, the systemd unit, install
# and uninstall, and (make check-package) the Debian packages.

CHECK_TARGETS	+= tests/ops/dracdb.sh tests/ops/initscript.sh \
		   tests/ops/unit.sh:nosan tests/ops/install.sh:nosan
DEPS_GROUPS	+= check

# Builds the .debs, installs them on this machine, runs and purges them:
# root only, a few minutes.  CI runs it after make check.
check-package:
	sh mk/deps.sh build run check package
	bash tests/ops/package.sh

.PHONY: check-package

# Unit test of dracdb's parts, built when libcmocka-dev is there (as
# tests/unit/ does); it shares tests/unit's testutil.
ifeq ($(shell pkg-config --exists cmocka 2>/dev/null && echo yes),yes)
PROGRAMS	+= $(B)/tests/ops/test_dracdb
CHECK_TARGETS	+= @tests/ops/test_dracdb
endif

$(B)/tests/ops/test_dracdb.o: CPPFLAGS += -Iadmin -Itests/unit

$(B)/tests/ops/test_dracdb: $(B)/tests/ops/test_dracdb.o \
    $(B)/tests/unit/testutil.o $(filter-out $(B)/admin/dracdb.o, \
    $(DRACDB_OBJS)) $(RPC_OBJS) $(COMMON_OBJS) $(MAPLOCK_OBJS) \
    $(STATEFILE_OBJS) $(MAC_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(TIRPC_LIBS) $(DB_LIBS) $(SODIUM_LIBS) \
	    -lcmocka
