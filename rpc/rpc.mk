# rpc/: drac.x is the only protocol source; rpcgen output is a build product.
# rpcgen names its include after the .x file, which would be lib/drac.h:
# the sed points it at the generated header instead.

RPCGEN		?= rpcgen

$(B)/rpc/drac_prot.h: rpc/drac.x
	@mkdir -p $(@D)
	$(RPCGEN) -h -o $@ rpc/drac.x

$(B)/rpc/drac_xdr.c: rpc/drac.x rpc/rpc.mk $(B)/rpc/drac_prot.h
	@mkdir -p $(@D)
	$(RPCGEN) -c rpc/drac.x | sed 's|^#include ".*drac.h"|#include "drac_prot.h"|' > $@.tmp
	mv $@.tmp $@

# rpcgen writes "register int32_t *buf;" it may not use.
$(B)/rpc/drac_xdr.o: $(B)/rpc/drac_xdr.c $(B)/rpc/drac_prot.h
	$(CC) $(CPPFLAGS_ALL) $(CFLAGS_ALL) -Wno-unused-variable -c -o $@ $<

RPC_OBJS	:= $(B)/rpc/drac_xdr.o
