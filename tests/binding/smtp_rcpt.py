#!/usr/bin/env python3
"""smtp_rcpt.py: SMTP sessions up to RCPT, each from a chosen source address.

usage: smtp_rcpt.py [--host H] --port N [SRC SENDER RCPT]

With SRC SENDER RCPT: one session; prints "RCPT <rcpt>: CODE TEXT".
Without: reads such triples from stdin, one per line ("-" for the null
sender), one session each (a new connection, as a new client would),
and prints "SRC SENDER RCPT: CODE TEXT" per line.  A session that fails
before RCPT prints "session failed: ..." instead.  Every step has a
timeout.  Exit 0 unless the arguments are wrong.
"""
import argparse
import smtplib
import sys

TIMEOUT = 10


def session(host, port, src, sender, rcpt):
    try:
        s = smtplib.SMTP(host, port, local_hostname="client.example",
                         timeout=TIMEOUT, source_address=(src, 0))
        s.ehlo()
        code, text = s.mail(sender)
        if code // 100 == 2:
            code, text = s.rcpt(rcpt)
        try:
            s.quit()
        except (OSError, smtplib.SMTPException):
            pass
        return "%d %s" % (code, text.decode("utf-8", "replace"))
    except (OSError, smtplib.SMTPException) as e:
        return "session failed: %s" % e


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("case", nargs="*")
    a = ap.parse_args()
    if a.case:
        if len(a.case) != 3:
            ap.error("want SRC SENDER RCPT")
        src, sender, rcpt = a.case
        print("RCPT <%s>: %s" % (rcpt, session(a.host, a.port, src,
                                               sender, rcpt)))
        return 0
    for line in sys.stdin:
        f = line.split()
        if len(f) != 3:
            continue
        src, sender, rcpt = f
        print("%s %s %s: %s" % (src, sender, rcpt, session(
            a.host, a.port, src, "" if sender == "-" else sender, rcpt)))
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
