# common/: code shared by the daemon, the library and the tools.
# MAC_OBJS needs SODIUM_LIBS at link time; MAPLOCK_OBJS is for the
# tools that read the map, STATEFILE_OBJS for those that read or write
# the state file beside it.

COMMON_OBJS	:= $(B)/common/addr.o $(B)/common/clock.o
MAPLOCK_OBJS	:= $(B)/common/maplock.o
STATEFILE_OBJS	:= $(B)/common/statefile.o
LOG_OBJS	:= $(B)/common/log.o
MAC_OBJS	:= $(B)/common/mac.o
SODIUM_LIBS	:= -lsodium
