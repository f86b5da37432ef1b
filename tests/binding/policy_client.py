#!/usr/bin/env python3
"""policy_client.py: talk the Postfix policy delegation protocol to a server.

  policy_client.py SOCKET ask CLIENT SENDER [RECIPIENT [STATE]]
      one request as Postfix 3.7 sends it at RCPT; prints the answer line
  policy_client.py SOCKET raw FILE
      sends FILE as is and closes its side, then prints every answer line
      until the server closes ("closed") or is quiet for 5 s ("quiet")
  policy_client.py SOCKET fuzz SEED COUNT
      COUNT random, damaged and oversized requests; each must get exactly
      one well-formed answer, or (when over the size limit) a close

SOCKET is a unix socket path or HOST:PORT.  Exit 0 on success, 1 when the
server broke the protocol, 2 on usage errors.  Every wait has a timeout.
"""
import random
import socket
import sys
import time

TIMEOUT = 5.0
REQUEST_MAX = 16384

BASE = [
    ("request", "smtpd_access_policy"), ("protocol_state", "RCPT"),
    ("protocol_name", "ESMTP"), ("client_address", "10.1.2.3"),
    ("client_name", "unknown"), ("reverse_client_name", "unknown"),
    ("helo_name", "client.example"), ("sender", "hoge@example.com"),
    ("recipient", "user@remote.example"), ("recipient_count", "0"),
    ("queue_id", ""), ("instance", "1.2.3.0"), ("size", "0"),
    ("etrn_domain", ""), ("stress", ""), ("sasl_method", ""),
    ("sasl_username", ""), ("sasl_sender", ""), ("ccert_subject", ""),
    ("ccert_issuer", ""), ("ccert_fingerprint", ""),
    ("encryption_protocol", ""), ("encryption_cipher", ""),
    ("encryption_keysize", "0"), ("policy_context", ""),
    ("server_address", "127.0.0.1"), ("server_port", "25"),
    ("compatibility_level", "3.7"), ("mail_version", "3.7.11"),
]


def connect(spec):
    if spec.startswith("/"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(TIMEOUT)
        s.connect(spec)
    else:
        host, port = spec.rsplit(":", 1)
        s = socket.create_connection((host.strip("[]"), int(port)),
                                     timeout=TIMEOUT)
    return s


def request(client, sender, rcpt="user@remote.example", state="RCPT"):
    d = dict(BASE)
    d.update(client_address=client, sender=sender, recipient=rcpt,
             protocol_state=state)
    return "".join("%s=%s\n" % (k, d[k]) for k, _ in BASE).encode() + b"\n"


def read_answer(s, buf):
    """One answer (bytes up to and with the empty line), or None on close."""
    deadline = time.monotonic() + TIMEOUT
    while b"\n\n" not in buf[0]:
        if time.monotonic() > deadline:
            raise TimeoutError("no answer within %.0f s" % TIMEOUT)
        chunk = s.recv(4096)
        if not chunk:
            return None
        buf[0] += chunk
    ans, buf[0] = buf[0].split(b"\n\n", 1)
    return ans


def well_formed(ans):
    lines = ans.split(b"\n")
    return (len(lines) == 1 and lines[0].startswith(b"action=") and
            all(32 <= c < 127 for c in lines[0]))


def ask(spec, args):
    s = connect(spec)
    s.sendall(request(*args))
    ans = read_answer(s, [b""])
    s.close()
    if ans is None:
        print("closed")
        return 1
    print(ans.decode())
    return 0 if well_formed(ans) else 1


def raw(spec, path):
    with open(path, "rb") as f:
        data = f.read()
    s = connect(spec)
    try:
        s.sendall(data)
        s.shutdown(socket.SHUT_WR)
    except OSError:
        pass    # closed early: the server stopped reading; see below
    buf = [b""]
    while True:
        try:
            ans = read_answer(s, buf)
        except TimeoutError:
            print("quiet")
            return 0
        except ConnectionResetError:
            ans = None
        if ans is None:
            print("closed")
            return 0
        print(ans.decode("ascii", "replace"))
        if not well_formed(ans):
            return 1


def damaged(rng):
    """One request body (no empty line inside) with random damage."""
    lines = ["%s=%s" % kv for kv in BASE]
    kind = rng.randrange(8)
    if kind == 0:
        lines[rng.randrange(len(lines))] = "no-equals-sign"
    elif kind == 1:
        lines.insert(rng.randrange(len(lines)), "sender=dup@example.com")
    elif kind == 2:
        lines += ["x%d=y" % i for i in range(rng.randrange(100, 300))]
    elif kind == 3:
        del lines[0]
    elif kind == 4:
        lines[3] = "client_address=" + rng.choice(
            ["", "garbage", "999.1.1.1", "::ffff:10.1.2.3", "2001:db8::5",
             "10.1.2.5", "10.1.3.7", "[10.1.2.3]"])
    elif kind == 5:
        lines[7] = "sender=" + "".join(
            rng.choice("<>@%\"\\ abc.") for _ in range(rng.randrange(400)))
    elif kind == 6:
        lines[1] = "protocol_state=" + rng.choice(
            ["CONNECT", "MAIL", "DATA", "END-OF-MESSAGE", "", "rcpt"])
    body = "\n".join(lines).encode()
    if kind == 7 or rng.random() < 0.3:
        b = bytearray(body)
        for _ in range(rng.randrange(1, 20)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        body = bytes(b)
    return body


def one_request(rng):
    """(bytes, expect_close): exactly one request, or one over the limit."""
    r = rng.random()
    if r < 0.05:
        return b"request=smtpd_access_policy\nx=" + b"y" * \
            rng.randrange(REQUEST_MAX, REQUEST_MAX * 2) + b"\n\n", True
    if r < 0.25:
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 600)))
    else:
        body = damaged(rng)
    while b"\n\n" in body:
        body = body.replace(b"\n\n", b"\n")
    body = body.lstrip(b"\n").rstrip(b"\n")
    if not body:
        body = b"x"
    return body + b"\n\n", False


def fuzz(spec, seed, count):
    rng = random.Random(seed)
    s, buf = connect(spec), [b""]
    answers = closes = 0
    for i in range(count):
        data, expect_close = one_request(rng)
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            if not expect_close:
                print("request %d: connection lost while sending" % i)
                return 1
        try:
            ans = read_answer(s, buf)
        except ConnectionResetError:
            ans = None
        if expect_close:
            if ans is not None:
                print("request %d: oversized request answered: %r" %
                      (i, ans))
                return 1
            closes += 1
        elif ans is None:
            print("request %d: server closed instead of answering %r" %
                  (i, data[:200]))
            return 1
        elif not well_formed(ans):
            print("request %d: malformed answer %r" % (i, ans))
            return 1
        else:
            answers += 1
        if ans is None or rng.random() < 0.05:
            s.close()
            s, buf = connect(spec), [b""]
    s.close()
    print("fuzz: %d answers, %d closes" % (answers, closes))
    return 0


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    spec, cmd, args = argv[1], argv[2], argv[3:]
    if cmd == "ask" and 2 <= len(args) <= 4:
        return ask(spec, args)
    if cmd == "raw" and len(args) == 1:
        return raw(spec, args[0])
    if cmd == "fuzz" and len(args) == 2:
        return fuzz(spec, int(args[0]), int(args[1]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
