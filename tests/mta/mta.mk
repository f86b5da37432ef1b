# tests/mta: the MTA side against real sendmail, Postfix, Exim and
# tcpserver, fetched once by setup.sh into /var/tmp/drac-mta (or
# $DRAC_MTA_CACHE).  smtp-rcpt is the tests' SMTP client.

SMTP_RCPT	:= $(B)/tests/mta/smtp-rcpt
PROGRAMS	+= $(SMTP_RCPT)
CHECK_TARGETS	+= tests/mta/sendmail.sh \
		   tests/mta/postfix.sh \
		   tests/mta/exim.sh \
		   tests/mta/qmail.sh
DEPS_GROUPS	+= check

$(SMTP_RCPT): $(B)/tests/mta/smtp-rcpt.o
	$(CC) $(LDFLAGS_ALL) -o $@ $^
