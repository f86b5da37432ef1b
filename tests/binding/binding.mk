# tests/binding/: sender binding.  cmocka unit and golden tests of the
# parsers and the decision (tests/golden/binding/), and integration
# tests with the real rpc.dracd, drac-policyd in front of a real
# Postfix and drac-milter behind a real sendmail (both from
# "apt-get download", see tests/mta/setup.sh).

BINDING_TESTS	:= test_usermap test_accessmap test_decide test_pproto
BINDING_TPROGS	:= $(addprefix $(B)/tests/binding/, $(BINDING_TESTS))
BINDING_TUTIL	:= $(B)/tests/binding/golden.o $(B)/tests/unit/testutil.o
CHECK_TARGETS	+= $(addprefix @tests/binding/, $(BINDING_TESTS)) \
		   tests/binding/docs.sh tests/binding/policyd.sh \
		   tests/binding/postfix.sh \
		   tests/binding/sendmail.sh
DEPS_GROUPS	+= check

ifeq ($(shell pkg-config --exists cmocka 2>/dev/null && echo yes),yes)
PROGRAMS	+= $(BINDING_TPROGS)
endif

$(B)/tests/binding/%.o: CPPFLAGS += -Ibinding -Ipolicy -Itests/unit

$(B)/tests/binding/test_usermap: $(B)/tests/binding/test_usermap.o \
    $(BINDING_TUTIL) $(BINDING_CORE_OBJS) $(COMMON_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka

$(B)/tests/binding/test_accessmap: $(B)/tests/binding/test_accessmap.o \
    $(BINDING_TUTIL) $(BINDING_CORE_OBJS) $(COMMON_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka

$(B)/tests/binding/test_decide: $(B)/tests/binding/test_decide.o \
    $(BINDING_TUTIL) $(BINDING_CORE_OBJS) $(COMMON_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka

$(B)/tests/binding/test_pproto: $(B)/tests/binding/test_pproto.o \
    $(B)/policy/pproto.o $(BINDING_TUTIL) $(BINDING_CORE_OBJS) \
    $(COMMON_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -lcmocka
