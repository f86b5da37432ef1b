# common/: code shared by the daemon, the library and the tools.

COMMON_OBJS	:= $(B)/common/addr.o
