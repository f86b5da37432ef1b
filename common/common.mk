# common/: code shared by the daemon, the library and the tools.
# MAC_OBJS needs SODIUM_LIBS at link time; MAPLOCK_OBJS is for the
# tools that read the map.

COMMON_OBJS	:= $(B)/common/addr.o $(B)/common/clock.o
MAPLOCK_OBJS	:= $(B)/common/maplock.o
LOG_OBJS	:= $(B)/common/log.o
MAC_OBJS	:= $(B)/common/mac.o
SODIUM_LIBS	:= -lsodium
