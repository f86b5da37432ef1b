# fuzz/: libFuzzer targets over the real parsers and dispatch.
#   make fuzz                 every target for FUZZ_SECONDS (default 60)
#   make fuzz FUZZ_SECONDS=600 FUZZ_TARGETS=rpc
# make check runs each for a few seconds (tests/fuzz-short.sh).

FUZZ_SECONDS	?= 60
FUZZ_CC		?= clang
FUZZ_FLAGS	 = -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
		   -fno-sanitize-recover=all
FUZZ_TARGETS	+= rpc allow socketmap watch policy maps statefile
FUZZ_O		 = $(B)/fuzz/o

$(FUZZ_O)/%.o: %.c $(B)/rpc/drac_prot.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS_ALL) -Idaemon -Iwatch -Ibinding -Ipolicy -std=gnu11 $(WARNFLAGS) \
	    -Wno-unused-variable $(FUZZ_FLAGS) $(DEPFLAGS) -c -o $@ $<

FUZZ_DAEMON	 = $(addprefix $(FUZZ_O)/daemon/, rpcsvc.o authn.o grant.o \
		   flush.o mapdb.o mapwrite.o guard.o statelog.o stateconv.o \
		   syncer.o table.o allow.o socketmap.o) \
		   $(FUZZ_O)/common/log.o $(FUZZ_O)/common/statefile.o \
		   $(FUZZ_O)/common/addr.o $(FUZZ_O)/common/clock.o \
		   $(FUZZ_O)/common/mac.o \
		   $(FUZZ_O)/$(B)/rpc/drac_xdr.o
FUZZ_LIBS	 = $(TIRPC_LIBS) -ldb-5.3 $(SODIUM_LIBS) -lpthread

$(B)/fuzz/fuzz_rpc: $(FUZZ_O)/fuzz/fuzz_rpc.o $(FUZZ_DAEMON)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)
$(B)/fuzz/fuzz_allow: $(FUZZ_O)/fuzz/fuzz_allow.o $(FUZZ_DAEMON)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)
$(B)/fuzz/fuzz_socketmap: $(FUZZ_O)/fuzz/fuzz_socketmap.o $(FUZZ_DAEMON)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^ $(FUZZ_LIBS)

$(B)/fuzz/fuzz_watch: $(FUZZ_O)/fuzz/fuzz_watch.o \
    $(FUZZ_O)/watch/pattern.o $(FUZZ_O)/common/log.o
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^

$(B)/fuzz/fuzz_policy: $(FUZZ_O)/fuzz/fuzz_policy.o $(FUZZ_O)/policy/pproto.o \
    $(FUZZ_O)/binding/mapfile.o
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^
$(B)/fuzz/fuzz_maps: $(FUZZ_O)/fuzz/fuzz_maps.o \
    $(addprefix $(FUZZ_O)/binding/, usermap.o accessmap.o mapfile.o) \
    $(FUZZ_O)/common/addr.o
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^

$(B)/fuzz/fuzz_statefile: $(FUZZ_O)/fuzz/fuzz_statefile.o \
    $(FUZZ_O)/common/statefile.o
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $^

fuzz-build: $(foreach t,$(FUZZ_TARGETS),$(B)/fuzz/fuzz_$(t))

fuzz: fuzz-build
	sh fuzz/run.sh $(B) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

CHECK_PREREQS	+= fuzz-build
CHECK_TARGETS	+= fuzz/short.sh:nosan

.PHONY: fuzz fuzz-build
