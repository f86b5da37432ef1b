# drac: Dynamic Relay Authorization Control.
#
#   make            build everything into $(B)/
#   make run        install what is missing, start rpc.dracd in the foreground
#   make check      install what is missing, run every test
#   make install    PREFIX=/usr/local DESTDIR=
#
# Each folder adds its programs, install steps and tests in its own *.mk
# file, included below; this file only holds what they share.

ifeq ($(SAN),1)
B		?= build-san
else
B		?= build
endif
PREFIX		?= /usr/local
SBINDIR		?= $(PREFIX)/sbin
BINDIR		?= $(PREFIX)/bin
LIBDIR		?= $(PREFIX)/lib
INCLUDEDIR	?= $(PREFIX)/include
MANDIR		?= $(PREFIX)/share/man
PKGCONFIGDIR	?= $(LIBDIR)/pkgconfig
SYSCONFDIR	?= /etc
DESTDIR		?=

CC		?= cc
CFLAGS		?= -O2 -g
WARNFLAGS	 = -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		   -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
TIRPC_CFLAGS	:= $(shell pkg-config --cflags libtirpc 2>/dev/null || echo -I/usr/include/tirpc)
TIRPC_LIBS	:= $(shell pkg-config --libs libtirpc 2>/dev/null || echo -ltirpc)
CPPFLAGS_ALL	 = -D_GNU_SOURCE -I$(B)/rpc -Icommon -Ilib $(TIRPC_CFLAGS) $(CPPFLAGS)
CFLAGS_ALL	 = -std=gnu11 -fPIC $(WARNFLAGS) $(CFLAGS) $(SANFLAGS)
LDFLAGS_ALL	 = $(LDFLAGS) $(SANFLAGS)
INSTALL		?= install

# SAN=1 builds with AddressSanitizer and UBSan (clang), into build-san/.
ifeq ($(SAN),1)
CC		 = clang
SANFLAGS	 = -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all
endif

# Filled in by the *.mk files.
PROGRAMS	:=
LIBRARIES	:=
INSTALL_TARGETS	:=
UNINSTALL_TARGETS :=
CHECK_TARGETS	:=
CHECK_PREREQS	:=
DEPS_GROUPS	:= build

all:

include rpc/rpc.mk common/common.mk
include $(sort $(filter-out rpc/rpc.mk common/common.mk, \
	$(wildcard */*.mk */*/*.mk)))

all: $(LIBRARIES) $(PROGRAMS)

# Dependency files name each object both ways, absolute and relative:
# tests/ops/install.sh builds with B=/abs/path, and a later make with
# B=build must still see the header changes of that object.
DEPFLAGS	 = -MMD -MP -MT $(abspath $@) \
		   -MT $(patsubst $(CURDIR)/%,%,$(abspath $@))

# Objects: $(B)/dir/file.o from dir/file.c; headers from rpc/ first.
$(B)/%.o: %.c $(B)/rpc/drac_prot.h
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) $(DEPFLAGS) -c -o $@ $<

-include $(shell find $(B) -name '*.d' 2>/dev/null)

deps:
	sh mk/deps.sh $(sort $(DEPS_GROUPS))

run: ; @sh mk/deps.sh build run && $(MAKE) --no-print-directory all && sh mk/run.sh $(B)

# Every test, then the unit and integration tests again under ASan+UBSan.
check:
	sh mk/deps.sh build run check
	$(MAKE) --no-print-directory all $(CHECK_PREREQS)
	$(MAKE) --no-print-directory SAN=1 B=$(B)-san all
	sh tests/run.sh $(B) $(B)-san $(CHECK_TARGETS)

install: all $(INSTALL_TARGETS)
uninstall: $(UNINSTALL_TARGETS)

clean:
	rm -rf $(B) $(B)-san

.PHONY: all deps run check install uninstall clean
