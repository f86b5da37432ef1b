# tests/unit/: cmocka unit tests, one program per module, run by
# "make check" (tests/run.sh) in the normal and the sanitizer build.
# Environment: DRAC_TOP (source tree, for golden files and
# allow.example), DRAC_SEED (repeat a property test run),
# DRAC_GOLDEN_UPDATE=1 (rewrite tests/golden/*/*.out; review the diff).

UNIT_TESTS	:= test_addr test_allow test_table test_syncer test_statelog \
		   test_mapwrite test_grant
UNIT_PROGS	:= $(addprefix $(B)/tests/unit/, $(UNIT_TESTS))
UNIT_UTIL	:= $(B)/tests/unit/testutil.o
CHECK_TARGETS	+= $(addprefix @tests/unit/, $(UNIT_TESTS))
DEPS_GROUPS	+= check

# "make all" builds them once libcmocka-dev is there ("make check"
# installs it first), so "make run" does not need it.
ifeq ($(shell pkg-config --exists cmocka 2>/dev/null && echo yes),yes)
PROGRAMS	+= $(UNIT_PROGS)
endif

unit: $(UNIT_PROGS)

$(B)/tests/unit/%.o: CPPFLAGS += -Idaemon

$(B)/tests/unit/test_addr: $(B)/tests/unit/test_addr.o $(UNIT_UTIL) \
    $(COMMON_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka

$(B)/tests/unit/test_allow: $(B)/tests/unit/test_allow.o $(UNIT_UTIL) \
    $(B)/daemon/allow.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka

$(B)/tests/unit/test_table: $(B)/tests/unit/test_table.o $(UNIT_UTIL) \
    $(B)/daemon/table.o $(COMMON_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka

$(B)/tests/unit/test_syncer: $(B)/tests/unit/test_syncer.o \
    $(B)/daemon/syncer.o
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka -lpthread

$(B)/tests/unit/test_statelog: $(B)/tests/unit/test_statelog.o $(UNIT_UTIL) \
    $(addprefix $(B)/daemon/, statelog.o stateconv.o guard.o) \
    $(STATEFILE_OBJS) $(COMMON_OBJS) $(LOG_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka -ldb-5.3

$(B)/tests/unit/test_mapwrite: $(B)/tests/unit/test_mapwrite.o $(UNIT_UTIL) \
    $(B)/daemon/mapwrite.o $(B)/daemon/guard.o $(LOG_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka -ldb-5.3

$(B)/tests/unit/test_grant: $(B)/tests/unit/test_grant.o $(UNIT_UTIL) \
    $(addprefix $(B)/daemon/, grant.o flush.o table.o mapdb.o mapwrite.o \
    guard.o statelog.o stateconv.o syncer.o) $(STATEFILE_OBJS) \
    $(COMMON_OBJS) $(LOG_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka -ldb-5.3 -lpthread

.PHONY: unit
