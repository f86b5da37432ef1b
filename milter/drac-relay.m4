dnl drac-relay.m4: sendmail rules for drac-milter (sender binding).
dnl Append to sendmail.mc after the INPUT_MAIL_FILTER line.  For a
dnl recipient sendmail would only accept by relaying, they hand the
dnl decision to drac-milter: they set the macro {drac_relay} to yes and
dnl accept the recipient here; drac-milter then allows or refuses it.
dnl Other recipients get {drac_relay} = no and the usual rules.  The
dnl milter must be declared with F=T, so that relaying is deferred, not
dnl allowed, when it cannot be reached.  See drac-milter(8).
LOCAL_CONFIG
Kdrac_relay macro
LOCAL_RULESETS
SLocal_check_rcpt
R$*			$: $(drac_relay {drac_relay} $@ no $) $1
R<>			$@ empty
R$@			$@ empty
R$*			$: $1 $| $&{client_addr}
R$* $|			$@ local submission
R$* $| $*		$: $1 $| $>"Rcpt_ok" $1
R$* $| $#TEMP $*	$@ temporary
R$* $| $#$*		$#$2
R$* $| RELAY		$@ no relaying
R$* $| $*		$: $(drac_relay {drac_relay} $@ yes $) $1
R$*			$@ $#OK
