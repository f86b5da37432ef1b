#!/usr/bin/env python3
"""Test client for the POP/IMAP tests: log in from a chosen source address.

  mailclient.py pop3|imap [--src ADDR] [--host H] --port P [--hold SECS]
                USER PASSWORD
  mailclient.py smtp [--src ADDR] [--host H] --port P [--rcpt R] [--from F]

pop3/imap: logs in, keeps the session open for --hold seconds (a NOOP
every half second, so the server sees an active client), then logs out.
Prints "login ok" (POP3: and the reply to PASS on a second line) or
"login failed: ..." and exits 0 / 1.
smtp: EHLO, MAIL, RCPT; prints the RCPT reply code and exits 0 if it was
accepted (2xx), 1 if refused, 2 on any other error.
Every network wait is bounded by a 10 s socket timeout.
"""
import argparse
import imaplib
import poplib
import smtplib
import socket
import sys
import time

TIMEOUT = 10


def connect(host, port, src):
    source = (src, 0) if src else None
    return socket.create_connection((host, port), TIMEOUT, source)


class POP3From(poplib.POP3):
    def __init__(self, host, port, src):
        self._src = src
        super().__init__(host, port, TIMEOUT)

    def _create_socket(self, timeout):
        return connect(self.host, self.port, self._src)


class IMAPFrom(imaplib.IMAP4):
    def __init__(self, host, port, src):
        self._src = src
        super().__init__(host, port, TIMEOUT)

    def _create_socket(self, timeout=None):
        return connect(self.host, self.port, self._src)


def hold(seconds, noop):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(min(0.5, max(0.0, end - time.monotonic())))
        noop()


def pop3(a):
    try:
        p = POP3From(a.host, a.port, a.src)
        p.user(a.user)
        reply = p.pass_(a.password)
    except (OSError, poplib.error_proto) as e:
        print("login failed:", e)
        return 1
    print("login ok", flush=True)
    print(reply.decode(errors="replace"), flush=True)
    hold(a.hold, p.noop)
    p.quit()
    return 0


def imap(a):
    try:
        m = IMAPFrom(a.host, a.port, a.src)
        m.login(a.user, a.password)
    except (OSError, imaplib.IMAP4.error) as e:
        print("login failed:", e)
        return 1
    print("login ok", flush=True)
    hold(a.hold, m.noop)
    m.logout()
    return 0


def smtp(a):
    try:
        s = smtplib.SMTP(a.host, a.port, timeout=TIMEOUT,
                         source_address=(a.src, 0) if a.src else None)
        s.ehlo("client.test.invalid")
        code, msg = s.mail(a.sender)
        if code // 100 != 2:
            print("MAIL", code, msg.decode(errors="replace"))
            return 2
        code, msg = s.rcpt(a.rcpt)
        print(code, msg.decode(errors="replace"))
        s.quit()
    except (OSError, smtplib.SMTPException) as e:
        print("smtp error:", e)
        return 2
    return 0 if code // 100 == 2 else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("proto", choices=["pop3", "imap", "smtp"])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--src")
    ap.add_argument("--hold", type=float, default=0.0)
    ap.add_argument("--rcpt", default="user@remote.example")
    ap.add_argument("--from", dest="sender", default="tester@client.test.invalid")
    ap.add_argument("user", nargs="?")
    ap.add_argument("password", nargs="?")
    a = ap.parse_intermixed_args()
    if a.proto == "smtp":
        return smtp(a)
    if a.user is None or a.password is None:
        ap.error("pop3 and imap need USER and PASSWORD")
    return pop3(a) if a.proto == "pop3" else imap(a)


if __name__ == "__main__":
    sys.exit(main())
