# binding/: sender binding shared by drac-policyd and drac-milter: the
# user map, the access map, the decision, the rpc.dracd lookup, logging,
# and the options, start-up and reload both daemons share (service.c).

BINDING_CORE_OBJS := $(addprefix $(B)/binding/, mapfile.o usermap.o \
		   accessmap.o decide.o)
BINDING_OBJS	:= $(BINDING_CORE_OBJS) $(addprefix $(B)/binding/, \
		   maps.o opt.o query.o service.o pidfile.o) $(LOG_OBJS)

$(B)/binding/%.o: CPPFLAGS += -Ibinding
