divert(-1)
dnl drac.m4: sendmail-cf FEATURE for DRAC (POP/IMAP-before-SMTP relaying):
dnl a client whose address rpc.dracd(8) has put in the map may relay.
dnl
dnl   FEATURE(`drac')dnl                    btree map /etc/mail/dracd(.db)
dnl   FEATURE(`drac', `/path/map')dnl       btree map /path/map(.db)
dnl   FEATURE(`drac', `/path/map.db')dnl    the same
dnl   FEATURE(`drac', `socket:local:/run/drac/socketmap')dnl  rpc.dracd -S
dnl   FEATURE(`drac', `socket:inet:7779@127.0.0.1')dnl    rpc.dracd -S
dnl   FEATURE(`drac', `hash -o /etc/mail/drac')dnl  any class and flags
dnl
dnl The map is named drac.  A client found in it gets $#OK from
dnl Local_check_rcpt; on a miss the workspace is put back as it came, so
dnl Local_check_rcpt rules of the site's own (LOCAL_RULESETS after the
dnl FEATURE line) still run.  ${client_addr} of an IPv6 client reads
dnl IPv6:2001:db8:0:0:0:0:0:5 when sendmail is built with IPV6_FULL (as
dnl Debian's is) and UseCompressedIPv6Addresses is off, but the map holds
dnl inet_ntop() text (2001:db8::5): the rules strip the tag and compress
dnl the address as inet_ntop() does, so the FEATURE works with either
dnl setting and changes no option.  A temporary lookup failure (socket
dnl map down) defers what would otherwise be refused and leaves alone
dnl what is accepted anyway, such as mail for local users.  See
dnl drac-mta(7).
dnl
ifdef(`_DRAC_FEATURE_',
	`errprint(`*** ERROR: FEATURE(`drac') given twice
')')
define(`_DRAC_FEATURE_', `1')
dnl The map specification: path, socket:SPEC or "class [flags] file".
dnl sendmail adds ".db" to the path itself: one given with it is cut.
define(`_DRAC_PATH_', `ifelse(substr(`$1', eval(len(`$1') - 3)), `.db',
	`substr(`$1', 0, eval(len(`$1') - 3))', `$1')')
define(`_DRAC_SPEC_', `ifelse(defn(`_ARG_'), `', `btree /etc/mail/dracd',
	substr(defn(`_ARG_'), 0, 1), `/', `btree '_DRAC_PATH_(defn(`_ARG_')),
	substr(defn(`_ARG_'), 0, 7), `socket:', `socket 'substr(defn(`_ARG_'), 7),
	`defn(`_ARG_')')')
ifelse(index(_DRAC_SPEC_, ` '), -1,
	`errprint(`*** ERROR: FEATURE(drac): map "'defn(`_ARG_')`" is not a path, socket:SPEC or "class file"
')')
dnl -T<TMPF> goes right after the class: a failed lookup says so.
define(`_DRAC_CLASS_', `substr(_DRAC_SPEC_, 0, index(_DRAC_SPEC_, ` '))')
define(`_DRAC_REST_', `substr(_DRAC_SPEC_, incr(index(_DRAC_SPEC_, ` ')))')

LOCAL_CONFIG
# DRAC: address -> expiry, written or served by rpc.dracd
Kdrac _DRAC_CLASS_ -T<TMPF> _DRAC_REST_
LOCAL_RULESETS
SLocal_check_rcpt
# DRAC: the client address in front, the workspace kept behind $|
R$*			$: <DRAC> $&{client_addr} $| $1
R<DRAC> IPv6 : $* $| $*	$: <DRAC> $1 $| $2
# an IPv4 client on an IPv6 socket: rpc.dracd keys it as IPv4
R<DRAC> :: ffff : $-.$-.$-.$- $| $*	$: <DRAC> $1.$2.$3.$4 $| $5
R<DRAC> 0:0:0:0:0:ffff:$-.$-.$-.$- $| $*	$: <DRAC> $1.$2.$3.$4 $| $5
# IPV6_FULL: compress the longest (first) run of zero groups as inet_ntop
R<DRAC> 0:0:0:0:0:0:0:0 $| $*	$: <DRAC> :: $| $1
R<DRAC> 0:0:0:0:0:0:0:$- $| $*	$: <DRAC> ::$1 $| $2
R<DRAC> $-:0:0:0:0:0:0:0 $| $*	$: <DRAC> $1:: $| $2
R<DRAC> 0:0:0:0:0:0:$-:$- $| $*	$: <DRAC> ::$1:$2 $| $3
R<DRAC> $-:0:0:0:0:0:0:$- $| $*	$: <DRAC> $1::$2 $| $3
R<DRAC> $-:$-:0:0:0:0:0:0 $| $*	$: <DRAC> $1:$2:: $| $3
R<DRAC> 0:0:0:0:0:$-:$-:$- $| $*	$: <DRAC> ::$1:$2:$3 $| $4
R<DRAC> $-:0:0:0:0:0:$-:$- $| $*	$: <DRAC> $1::$2:$3 $| $4
R<DRAC> $-:$-:0:0:0:0:0:$- $| $*	$: <DRAC> $1:$2::$3 $| $4
R<DRAC> $-:$-:$-:0:0:0:0:0 $| $*	$: <DRAC> $1:$2:$3:: $| $4
R<DRAC> 0:0:0:0:$-:$-:$-:$- $| $*	$: <DRAC> ::$1:$2:$3:$4 $| $5
R<DRAC> $-:0:0:0:0:$-:$-:$- $| $*	$: <DRAC> $1::$2:$3:$4 $| $5
R<DRAC> $-:$-:0:0:0:0:$-:$- $| $*	$: <DRAC> $1:$2::$3:$4 $| $5
R<DRAC> $-:$-:$-:0:0:0:0:$- $| $*	$: <DRAC> $1:$2:$3::$4 $| $5
R<DRAC> $-:$-:$-:$-:0:0:0:0 $| $*	$: <DRAC> $1:$2:$3:$4:: $| $5
R<DRAC> 0:0:0:$-:$-:$-:$-:$- $| $*	$: <DRAC> ::$1:$2:$3:$4:$5 $| $6
R<DRAC> $-:0:0:0:$-:$-:$-:$- $| $*	$: <DRAC> $1::$2:$3:$4:$5 $| $6
R<DRAC> $-:$-:0:0:0:$-:$-:$- $| $*	$: <DRAC> $1:$2::$3:$4:$5 $| $6
R<DRAC> $-:$-:$-:0:0:0:$-:$- $| $*	$: <DRAC> $1:$2:$3::$4:$5 $| $6
R<DRAC> $-:$-:$-:$-:0:0:0:$- $| $*	$: <DRAC> $1:$2:$3:$4::$5 $| $6
R<DRAC> $-:$-:$-:$-:$-:0:0:0 $| $*	$: <DRAC> $1:$2:$3:$4:$5:: $| $6
R<DRAC> 0:0:$-:$-:$-:$-:$-:$- $| $*	$: <DRAC> ::$1:$2:$3:$4:$5:$6 $| $7
R<DRAC> $-:0:0:$-:$-:$-:$-:$- $| $*	$: <DRAC> $1::$2:$3:$4:$5:$6 $| $7
R<DRAC> $-:$-:0:0:$-:$-:$-:$- $| $*	$: <DRAC> $1:$2::$3:$4:$5:$6 $| $7
R<DRAC> $-:$-:$-:0:0:$-:$-:$- $| $*	$: <DRAC> $1:$2:$3::$4:$5:$6 $| $7
R<DRAC> $-:$-:$-:$-:0:0:$-:$- $| $*	$: <DRAC> $1:$2:$3:$4::$5:$6 $| $7
R<DRAC> $-:$-:$-:$-:$-:0:0:$- $| $*	$: <DRAC> $1:$2:$3:$4:$5::$6 $| $7
R<DRAC> $-:$-:$-:$-:$-:$-:0:0 $| $*	$: <DRAC> $1:$2:$3:$4:$5:$6:: $| $7
# look it up; on a temporary failure defer only what would be refused
R<DRAC> $+ $| $*	$: <DRAC> $(drac $1 $: <?> $) $| $2
R<DRAC> $* <TMPF> $| $*	$: <DRACTMPF> $2 $| $>"Basic_check_rcpt" $2
R<DRACTMPF> $* $| $#error $*	$#error $@ 4.3.0 $: "451 Temporary failure of the drac map"
R<DRACTMPF> $* $| $*	$: $1
# miss, or no client address: the workspace as it was, for the next rules
R<DRAC> <?> $| $*	$: $1
R<DRAC> $| $*		$: $1
R<DRAC> $+ $| $*	$#OK
