#!/bin/bash
# lib-abi.sh: libdrac as a program links it.  libdrac.so.1 exports
# exactly drac.h's functions under one version node; a DRAC 1.12 style
# caller links unchanged against the shared and the static library;
# drac.h is clean C99 and C++; drac.pc works; the man pages are lint
# free and dracauth's usage is its SYNOPSIS.  Needs no network.
: "${DRAC_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$DRAC_TOP/tests/lib.sh"
T=$(mktemp -d /tmp/drac-abi.XXXXXX)
trap 'rm -rf "$T"' EXIT
L=$DRAC_BUILD/lib
SO=$L/libdrac.so.1

# Programs built here use the sanitizers when the library does.
CC=cc
SAN=""
if nm -D "$SO" | grep -q ' U __asan_'; then
	CC=clang
	SAN="-fsanitize=address,undefined -fno-sanitize-recover=all"
fi

want=$(grep -oE '\bdrac[a-z0-9_]*\(' "$DRAC_TOP/lib/drac.h" | tr -d '(' | sort -u)
got=$(nm -D --defined-only "$SO" | awk '$2 == "T" { sub(/@.*/, "", $3); print $3 }' | sort -u)
t_eq "$got" "$want" "libdrac.so.1 exports exactly the functions of drac.h"
t_eq "$(echo "$want" | wc -l)" 19 "drac.h declares 19 functions"
t_eq "$(nm -D --defined-only "$SO" | awk '$2 != "A"' | grep -vc '@@LIBDRAC_1$')" 0 "every export carries version LIBDRAC_1"
t_eq "$(nm -D --defined-only "$SO" | awk '$2 != "T" && $2 != "A"' | wc -l)" 0 "no data symbols exported"
t_match 'SONAME.*\[libdrac\.so\.1\]' "$(readelf -d "$SO")" "soname libdrac.so.1"
t_match 'NEEDED.*\[libtirpc\.so\.3\]' "$(readelf -d "$SO")" "links libtirpc"
t_eq "$(readlink "$L/libdrac.so")" libdrac.so.1 "libdrac.so -> libdrac.so.1"
t_eq "$(ar t "$L/libdrac.a" | sort | tr '\n' ' ')" "addr.o client.o clock.o compat.o dlist.o dproto.o drac_xdr.o drpc.o dserver.o mac.o " "libdrac.a members"

# A DRAC 1.12 caller: its own prototypes, no drac.h (patches had none).
cat > "$T/old.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
extern int dracauth(char *, unsigned long, char **);
extern int dracauth6(char *, unsigned char *, char **);
extern int dracconn(char *, char **);
extern int dracsend(unsigned long, char **);
extern int dracdisc(char **);
int
main(void)
{
	unsigned char a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 };
	char *err = NULL;
	int a, b, c, d, e;

	/* A malformed server list fails before any network traffic. */
	a = dracauth("a,,b", inet_addr("10.1.2.3"), &err);
	printf("%d %s\n", a, err);
	b = dracauth6("a,,b", a6, NULL);
	c = dracsend(inet_addr("10.1.2.3"), &err);
	d = dracconn("a,,b", &err);
	e = dracdisc(&err);
	printf("%d %d %d %d %s\n", b, c, d, e, err);
	return 0;
}
C
want_out=$(printf '%s\n' '-1 server "": empty server name' '-1 -1 -1 0 Client disconnected')
if $CC $SAN -o "$T/old-shared" "$T/old.c" -L"$L" -Wl,-rpath,"$L" -ldrac 2>"$T/cc.err"; then
	t_ok "DRAC 1.12 caller links with -ldrac (shared)"
	t_eq "$("$T/old-shared")" "$want_out" "DRAC 1.12 caller (shared): return values and messages"
else
	t_fail "DRAC 1.12 caller does not link: $(cat "$T/cc.err")"
fi
if $CC $SAN -o "$T/old-static" "$T/old.c" "$L/libdrac.a" $(PKG_CONFIG_PATH=$L pkg-config --static --libs-only-l drac | sed 's/-ldrac//') 2>"$T/cc.err"; then
	t_ok "DRAC 1.12 caller links with libdrac.a and pkg-config --static's libraries"
	t_eq "$("$T/old-static")" "$want_out" "DRAC 1.12 caller (static): return values and messages"
else
	t_fail "DRAC 1.12 caller does not link statically: $(cat "$T/cc.err")"
fi

# The header alone, strict C and C++.
printf '#include "drac.h"\nint main(void) { struct drac_info i; (void)i; return drac_strerror(0) == 0; }\n' > "$T/h.c"
if cc -std=c99 -pedantic -Wall -Wextra -Werror -I"$DRAC_TOP/lib" -fsyntax-only "$T/h.c" 2>"$T/cc.err"; then
	t_ok "drac.h: C99 -pedantic clean"
else
	t_fail "drac.h under C99: $(cat "$T/cc.err")"
fi
cp "$T/h.c" "$T/h.cc"
if ! command -v c++ >/dev/null; then
	t_fail "no C++ compiler to check drac.h with (install g++)"
elif c++ -std=c++11 -pedantic -Wall -Wextra -Werror -I"$DRAC_TOP/lib" -fsyntax-only "$T/h.cc" 2>"$T/cc.err"; then
	t_ok "drac.h: C++11 clean"
else
	t_fail "drac.h under C++: $(cat "$T/cc.err")"
fi

# drac.pc
pc() { PKG_CONFIG_PATH=$L pkg-config "$@" drac | sed 's/ *$//'; }
t_eq "$(pc --libs-only-l)" "-ldrac" "drac.pc: --libs-only-l"
t_match "^(-L$(pc --variable=libdir))?\$" "$(pc --libs-only-L)" "drac.pc: -L is its libdir (none for a system dir)"
t_match "^(-I$(pc --variable=includedir))?\$" "$(pc --cflags)" "drac.pc: --cflags is its includedir, nothing else"
t_match 'tirpc.*sodium' "$(PKG_CONFIG_PATH=$L pkg-config --static --libs drac)" "drac.pc: --static pulls in libtirpc and libsodium"

# Man pages.
for m in dracauth.1 dracauth.3; do
	t_eq "$(mandoc -Tlint -W warning "$DRAC_TOP/man/$m" 2>&1)" "" "mandoc -Tlint $m"
done
syn=$(mandoc -Tascii "$DRAC_TOP/man/dracauth.1" | col -b |
    awk '/^SYNOPSIS/ { s = 1; next } /^[A-Z]/ { s = 0 } s' | tr -s ' \t\n' ' ' | sed 's/^ //; s/ $//')
use=$("$DRACAUTH" 2>&1 | tr -s ' \t\n' ' ' | sed 's/^usage: //; s/ $//')
t_eq "$use" "$syn" "dracauth usage() equals the SYNOPSIS of dracauth(1)"
t_done
