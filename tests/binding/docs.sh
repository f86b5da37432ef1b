#!/bin/bash
# docs.sh: the sender-binding documentation says what the programs do:
# man pages lint clean and complete, SYNOPSIS equal to usage(), the
# sendmail rules in the man page and README equal to the shipped
# milter/drac-relay.m4, and the example maps load with the counts the
# pages state.  No network, no daemons.
. "${DRAC_TOP:?}/tests/lib.sh"
POLICYD=$DRAC_BUILD/policy/drac-policyd
MILTER=$DRAC_BUILD/milter/drac-milter
MAN=$DRAC_TOP/man
W=$(mktemp -d /tmp/drac-binding-docs.XXXXXX)
trap 'rm -rf "$W"' EXIT
# The README's sender-binding section.
README=$W/readme-binding.md
sed -n '/^## Per-user sender binding/,/^## Running it in production/p' \
    "$DRAC_TOP/README.md" >"$README"

# Whitespace runs to one space, trimmed.
norm() { tr -s ' \t\n' '   ' | sed 's/^ //; s/ $//'; }

for m in drac-users.5 drac-policyd.8 drac-milter.8; do
	# Cross-references resolve only where the other pages are installed.
	t_eq "$(mandoc -Tlint "$MAN/$m" 2>&1 |
	    grep -v -e 'referenced manual not found' -e 'outdated mandoc.db')" \
	    "" "$m: mandoc -Tlint clean"
done

for prog in drac-policyd drac-milter; do
	case $prog in
	drac-policyd) bin=$POLICYD ;;
	*) bin=$MILTER ;;
	esac
	usage=$("$bin" -Z 2>&1 | sed -n '/^usage:/,$p' | norm)
	t_match '^usage: ' "$usage" "$prog: a bad option prints usage"
	"$bin" -Z >/dev/null 2>&1
	t_eq "$?" 1 "$prog: a bad option exits 1"
	# mandoc -Tascii marks bold and underline with backspaces.
	page=$(mandoc -Tascii -Owidth=200 "$MAN/$prog.8" | sed 's/.\x08//g')
	syn=$(printf '%s\n' "$page" |
	    awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on' | norm)
	t_eq "usage: $syn" "$usage" "$prog.8: SYNOPSIS equals usage()"
	missing=""
	for o in $(printf '%s\n' "$usage" | grep -o '\[-[A-Za-z]*' |
	    sed 's/^\[-//' | fold -w 1); do
		printf '%s\n' "$page" | grep -Eq "^ +-$o( |$)" ||
			missing="$missing -$o"
	done
	for sec in DESCRIPTION FILES SIGNALS 'EXIT STATUS' EXAMPLES \
	    'SEE ALSO' HISTORY; do
		printf '%s\n' "$page" | grep -q "^$sec" || missing="$missing $sec"
	done
	t_eq "$missing" "" "$prog.8 describes every option, has every section"
	out=$("$bin" -t 99 -n 2>&1); rc=$?
	t_eq "$rc" 1 "$prog -t 99: exit 1"
	t_match '-t 99: want a whole number from 100 to 60000' "$out" \
	    "$prog -t 99: the message names the flag and the range"
	out=$("$bin" -e maybe -n 2>&1); rc=$?
	t_eq "$rc" 1 "$prog -e maybe: exit 1"
	t_match '-e maybe: want' "$out" "$prog -e maybe: the message names it"
done

# The rules: shipped file, man page and README agree byte for byte.
grep -v '^dnl' "$DRAC_TOP/milter/drac-relay.m4" >"$W/rules"
t_eq "$(grep -c '^R' "$W/rules")" 11 "drac-relay.m4 holds the 11 rules"
awk '/^LOCAL_CONFIG$/ { on = 1 } on { print } on && /[$]@ [$]#OK$/ { exit }' \
    "$MAN/drac-milter.8" >"$W/man-rules"
t_eq "$(cmp "$W/rules" "$W/man-rules" 2>&1)" "" \
    "drac-milter.8 shows drac-relay.m4 as it is"
awk '/^    LOCAL_CONFIG$/ { on = 1 } on { print substr($0, 5) }
    on && /[$]@ [$]#OK$/ { exit }' "$README" >"$W/readme-rules"
t_eq "$(cmp "$W/rules" "$W/readme-rules" 2>&1)" "" \
    "the README shows drac-relay.m4 as it is"

# The example maps of drac-users(5) load, with the counts it states.
awk '/^A user map:$/ { f = 1 } /^An access map:$/ { f = 2 }
    /^\.Bd -literal/ && f { on = f; next } /^\.Ed/ { on = 0; f = 0 }
    on == 1 { print > "'"$W"'/users" } on == 2 { print > "'"$W"'/access" }' \
    "$MAN/drac-users.5"
want=$(awk '/^\$ drac-policyd -n$/ { getline; print; exit }' \
    "$MAN/drac-users.5")
t_eq "$("$POLICYD" -n -u "$W/users" -a "$W/access" 2>&1)" "$want" \
    "drac-users.5 examples load as the page says ($want)"
# And those of the README.
awk '/^`\/etc\/mail\/drac-users`/ { f = 1 } /^`\/etc\/mail\/drac-access`/ { f = 2 }
    /^    / && f == 1 { print substr($0, 5) > "'"$W"'/rusers" }
    /^    / && f == 2 { print substr($0, 5) > "'"$W"'/raccess" }
    /^Login names/ { f = 0 }' "$README"
t_match 'drac-policyd: 6 user map entries, 4 access map ranges' \
    "$("$POLICYD" -n -u "$W/rusers" -a "$W/raccess" 2>&1)" \
    "the README's example maps load"
t_match 'drac-milter: 6 user map entries, 4 access map ranges' \
    "$("$MILTER" -n -u "$W/rusers" -a "$W/raccess" 2>&1)" \
    "drac-milter reads them alike"
t_done
