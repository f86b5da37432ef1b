# tests/hardening/: crash, fault, stream and authentication tests of rpc.dracd.

CHECK_TARGETS	+= tests/hardening/streams.sh tests/hardening/auth.sh \
		   tests/hardening/privs.sh tests/hardening/faults.sh \
		   tests/hardening/diskfull.sh tests/hardening/kill9.sh:nosan \
		   tests/hardening/kill9-state.sh:nosan
