# bench/: the benchmark suite (issue 6).  "make bench" installs what is
# missing, builds the daemon, the library and the tools below, and runs
# bench/run.sh: figures and PASS/FAIL per target on standard output.  A
# missed target does not fail the make (it is a measurement, not a
# test); a broken harness does.  The figures are also left in
# $(B)/bench-results.txt; docs/BENCHMARKS.md explains them.  BENCH_SECS,
# BENCH_ROUNDS, BENCH_WARMUP, BENCH_ONLY, BENCH_EXPIRY, BENCH_DRACD: see
# bench/run.sh.

BENCH_PROGS	:= $(addprefix $(B)/bench/, dracbench dracwait dracstart \
		   dracfill draclookup dracauthbench dracwatchbench dractable)
BENCH_UTIL	:= $(B)/bench/opt.o $(B)/common/clock.o
BENCH_WIRE	:= $(B)/bench/wire.o $(BENCH_UTIL)
BENCH_LOAD	:= $(addprefix $(B)/bench/, load.o hist.o)
DEPS_GROUPS	+= bench
# The log watcher is measured when the tree has it.
BENCH_WATCH	:= $(if $(wildcard watch/watch.mk),$(B)/watch/dracwatch)

bench-progs: $(BENCH_PROGS)
# tests/integration/core-readers.sh loads the daemon with dracbench.
CHECK_PREREQS	+= bench-progs

bench:
	sh mk/deps.sh build run bench
	$(MAKE) --no-print-directory $(B)/daemon/rpc.dracd $(B)/lib/libdrac.a \
	    $(BENCH_WATCH) $(BENCH_PROGS)
	DRAC_BUILD=$(CURDIR)/$(B) DRAC_TOP=$(CURDIR) bash bench/run.sh

$(B)/bench/dracbench: $(B)/bench/dracbench.o $(BENCH_LOAD) $(BENCH_WIRE)
	$(CC) $(LDFLAGS_ALL) -o $@ $^

$(B)/bench/dracwait: $(B)/bench/dracwait.o $(BENCH_WIRE)
	$(CC) $(LDFLAGS_ALL) -o $@ $^

$(B)/bench/dracstart: $(B)/bench/dracstart.o $(BENCH_WIRE)
	$(CC) $(LDFLAGS_ALL) -o $@ $^

$(B)/bench/dracwatchbench: $(B)/bench/dracwatchbench.o $(B)/bench/hist.o \
    $(BENCH_WIRE)
	$(CC) $(LDFLAGS_ALL) -o $@ $^

$(B)/bench/dracfill: $(B)/bench/dracfill.o $(BENCH_UTIL) \
    $(STATEFILE_OBJS) $(B)/common/addr.o
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -ldb-5.3

$(B)/bench/draclookup: $(B)/bench/draclookup.o $(BENCH_UTIL)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ -ldb-5.3

$(B)/bench/dractable.o: CPPFLAGS += -Idaemon

$(B)/bench/dractable: $(B)/bench/dractable.o $(B)/daemon/table.o \
    $(BENCH_UTIL) $(COMMON_OBJS)
	$(CC) $(LDFLAGS_ALL) -o $@ $^

$(B)/bench/dracauthbench: $(B)/bench/dracauthbench.o $(BENCH_LOAD) \
    $(BENCH_UTIL) $(B)/lib/libdrac.a
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LIBDRAC_LIBS) -lpthread

.PHONY: bench bench-progs
