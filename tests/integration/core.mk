# tests/integration/core.mk: black-box tests of rpc.dracd with a real
# rpcbind and the hand-built client tests/rawrpc.py (core-lib.sh is
# their shared helpers, not a test).  valgrind cannot run an ASan
# binary, so core-valgrind.sh runs against the normal build only.

CHECK_TARGETS	+= tests/integration/core-wire.sh \
		   tests/integration/core-v3.sh \
		   tests/integration/core-refuse.sh \
		   tests/integration/core-lifecycle.sh \
		   tests/integration/core-expiry.sh \
		   tests/integration/core-clock.sh \
		   tests/integration/core-readers.sh \
		   tests/integration/core-options.sh \
		   tests/integration/core-variants.sh \
		   tests/integration/core-socketmap.sh \
		   tests/integration/core-valgrind.sh:nosan
DEPS_GROUPS	+= check
