#!/usr/bin/env python3
"""rawrpc.py: an independent DRAC client that builds every byte by hand.

The tests use it to check rpc.dracd against the wire format itself, not
against our own XDR code: the call records, the record marking and the
rpcbind lookup are written here with struct, from RFC 5531, RFC 1833
and rpc/drac.x, with nothing but the Python standard library.

As a command:

    rawrpc.py [options] null [VERS]
    rawrpc.py [options] v1 ADDR | v1 --int N
    rawrpc.py [options] v2 ADDR [--unsigned]
    rawrpc.py [options] add ADDR [--ttl S] [--user U]
    rawrpc.py [options] drop ADDR
    rawrpc.py [options] query ADDR
    rawrpc.py [options] list [--cursor C] [--max N] [--all]
    rawrpc.py [options] stats
    rawrpc.py [options] call VERS PROC [HEXARGS]
    rawrpc.py [options] bytes HEX
    rawrpc.py socketmap [-S SOCKET] [-t TIMEOUT] [--raw HEX] [REQUEST ...]
    rawrpc.py --serve DIR      (commands through FIFOs, see serve())

Options:
  -H HOST       server (127.0.0.1); an IPv6 address uses udp6/tcp6
  -p PORT       server port; without it rpcbind on HOST is asked
  -T            TCP with record marking instead of UDP
  -b ADDR       source address of the call
  -t SECONDS    how long to wait for the reply (2)
  -x XID        transaction id (0x5eed0001)
  -P PROG       program number put in the call (900101)
  --cred C      credentials: "sys" (AUTH_SYS) or FLAVOR[:HEX]; AUTH_NONE
  --key FILE    sign version 3 calls (DRAC3_AUTH_HMAC) with the key in
                FILE (64 hex digits, as rpc.dracd -K reads it)
  --ts N        timestamp of the signature (now)
  --nonce HEX   16-byte nonce of the signature (random)
  --hex         print the reply as hex bytes, undecoded
  --trail HEX   bytes appended after the arguments
  --cut N       send only the first N bytes of the call (on TCP the
                record mark then says N)
  --short N     TCP: the mark announces the whole call, N bytes follow,
                then the connection is closed without waiting
  --frag N      TCP: send the record in fragments of N bytes

Output: one "name=value" line per reply field; "noreply" when nothing
came back.  Exit status: 0 a reply was read, 3 no reply, 4 the reply
could not be decoded, 2 bad usage.
"""

import argparse
import hashlib
import hmac
import ipaddress
import os
import socket
import struct
import sys
import time

DRACPROG = 900101
PMAPPROG = 100000
CALL, REPLY = 0, 1
MSG_ACCEPTED, MSG_DENIED = 0, 1
ACCEPT_STATS = ["SUCCESS", "PROG_UNAVAIL", "PROG_MISMATCH",
                "PROC_UNAVAIL", "GARBAGE_ARGS", "SYSTEM_ERR"]
REJECT_STATS = ["RPC_MISMATCH", "AUTH_ERROR"]
DRAC3_INET, DRAC3_INET6 = 1, 2
LAST_FRAG = 0x80000000


class DecodeError(Exception):
    """The reply is shorter than its fields say, or otherwise broken."""


# ---- XDR encoding (RFC 4506) -------------------------------------------

def u32(n):
    return struct.pack(">I", n & 0xffffffff)


def i32(n):
    return struct.pack(">i", n)


def u64(n):
    return struct.pack(">Q", n & 0xffffffffffffffff)


def pad(b):
    return b + b"\0" * (-len(b) % 4)


def opaque_var(b):
    return u32(len(b)) + pad(b)


def string(s):
    return opaque_var(s.encode() if isinstance(s, str) else s)


def call_msg(xid, prog, vers, proc, args=b"", cred=(0, b"")):
    """A CALL message with the given credentials (AUTH_NONE by default)
    and an AUTH_NONE verifier."""
    return (u32(xid) + u32(CALL) + u32(2) + u32(prog) + u32(vers) +
            u32(proc) + u32(cred[0]) + opaque_var(cred[1]) +
            u32(0) + u32(0) + args)


def auth_sys(stamp=0, machine="mta.test.invalid", uid=0, gid=0):
    """AUTH_SYS (flavor 1) credentials, as clnt_create + authunix send."""
    return (1, u32(stamp) + string(machine) + u32(uid) + u32(gid) + u32(0))


def parse_cred(text):
    """Credentials from "sys" (AUTH_SYS) or FLAVOR[:HEX] (any other)."""
    if text == "sys":
        return auth_sys()
    flavor, _, body = text.partition(":")
    return (int(flavor, 0), bytes.fromhex(body))


# ---- DRAC arguments ----------------------------------------------------

def v1_args(addr):
    """DRACVERS ADD: the IPv4 address as a host-order number, one u_int."""
    return u32(int(ipaddress.IPv4Address(addr)))


def v2_args(addr, signed=True):
    """DRACVERS6 ADD: 16 chars, each an XDR int (xdr_char).  A client
    whose char is signed sends bytes >= 0x80 sign-extended."""
    raw = ipaddress.IPv6Address(addr).packed
    if signed:
        return b"".join(i32(b - 256 if b >= 0x80 else b) for b in raw)
    return b"".join(u32(b) for b in raw)


def v3_auth_none():
    return u32(0)


def v3_auth_hmac(key, vers, proc, body, timestamp=None, nonce=None):
    """DRAC3_AUTH_HMAC block: HMAC-SHA-256 with key over "DRAC3",
    vers and proc (4 bytes each), timestamp (8), nonce (16) and body,
    the encoded arguments that follow the block (common/mac.h)."""
    if timestamp is None:
        timestamp = int(time.time())
    if nonce is None:
        nonce = os.urandom(16)
    head = b"DRAC3" + u32(vers) + u32(proc) + u64(timestamp)
    mac = hmac.new(key, head + nonce + body, hashlib.sha256).digest()
    return u32(1) + u64(timestamp) + nonce + mac


def load_key(path):
    """A key file as rpc.dracd -K reads it: 64 hexadecimal digits."""
    with open(path) as f:
        key = bytes.fromhex("".join(f.read().split()))
    if len(key) != 32:
        raise ValueError("%s: want 64 hexadecimal digits" % path)
    return key


def v3_addr(addr):
    ip = ipaddress.ip_address(addr)
    fam = DRAC3_INET if ip.version == 4 else DRAC3_INET6
    return u32(fam) + ip.packed


# Bodies of the version 3 calls: what follows the auth block.
def v3_add_body(addr, ttl=0, user=""):
    return v3_addr(addr) + u32(ttl) + string(user)


def v3_list_body(cursor=0, maxn=256):
    return u64(cursor) + u32(maxn)


def v3_add_args(addr, ttl=0, user=""):
    return v3_auth_none() + v3_add_body(addr, ttl, user)


def v3_addr_args(addr):
    return v3_auth_none() + v3_addr(addr)


def v3_list_args(cursor=0, maxn=256):
    return v3_auth_none() + v3_list_body(cursor, maxn)


def v3_stats_args():
    return v3_auth_none()


# ---- XDR decoding ------------------------------------------------------

class Dec:
    def __init__(self, data):
        self.d = data
        self.p = 0

    def take(self, n):
        if self.p + n > len(self.d):
            raise DecodeError("reply ends at byte %d, wanted %d more"
                              % (len(self.d), self.p + n - len(self.d)))
        b = self.d[self.p:self.p + n]
        self.p += n
        return b

    def u32(self):
        return struct.unpack(">I", self.take(4))[0]

    def u64(self):
        return struct.unpack(">Q", self.take(8))[0]

    def i64(self):
        return struct.unpack(">q", self.take(8))[0]

    def opaque(self, limit=1 << 20):
        n = self.u32()
        if n > limit:
            raise DecodeError("opaque of %d bytes, limit %d" % (n, limit))
        b = self.take(n)
        self.take(-n % 4)
        return b

    def rest(self):
        b = self.d[self.p:]
        self.p = len(self.d)
        return b


def parse_reply(data):
    """The RPC reply header as a dict; 'results' holds what follows."""
    d = Dec(data)
    r = {"xid": d.u32()}
    if d.u32() != REPLY:
        raise DecodeError("not a REPLY message")
    stat = d.u32()
    if stat == MSG_ACCEPTED:
        r["reply"] = "MSG_ACCEPTED"
        d.u32()
        d.opaque(400)			# verifier
        a = d.u32()
        r["accept"] = ACCEPT_STATS[a] if a < len(ACCEPT_STATS) else str(a)
        if a == 2:
            r["low"] = d.u32()
            r["high"] = d.u32()
    elif stat == MSG_DENIED:
        r["reply"] = "MSG_DENIED"
        j = d.u32()
        r["reject"] = REJECT_STATS[j] if j < len(REJECT_STATS) else str(j)
        if j == 0:
            r["low"] = d.u32()
            r["high"] = d.u32()
        elif j == 1:
            r["auth"] = d.u32()
    else:
        raise DecodeError("reply_stat %d" % stat)
    r["results"] = d.rest()
    return r


def _addr(d):
    fam = d.u32()
    if fam == DRAC3_INET:
        return str(ipaddress.IPv4Address(d.take(4)))
    if fam == DRAC3_INET6:
        return str(ipaddress.IPv6Address(d.take(16)))
    raise DecodeError("address family %d" % fam)


def _entry(d):
    e = {"addr": _addr(d), "expires": d.i64(), "added": d.i64(),
         "ttl": d.u32(), "how": d.u32()}
    e["user"] = d.opaque(64).decode("utf-8", "backslashreplace")
    return e


def decode_results(vers, proc, data):
    """The procedure's result as a list of (name, value); raises
    DecodeError when the bytes do not match its type."""
    d = Dec(data)
    out = []
    if proc == 0:
        pass
    elif vers in (1, 2) and proc == 1:
        out.append(("addstat", d.u32()))
    elif vers == 3 and proc == 1:
        out += [("status", d.u32()), ("expires", d.i64())]
    elif vers == 3 and proc == 2:
        out.append(("status", d.u32()))
    elif vers == 3 and proc == 3:
        out.append(("status", d.u32()))
        out += list(_entry(d).items())
    elif vers == 3 and proc == 4:
        out.append(("status", d.u32()))
        n = d.u32()
        if n > 256:
            raise DecodeError("%d entries in one LIST reply" % n)
        for _ in range(n):
            e = _entry(d)
            out.append(("entry", "%s %d %d %d %d %s" % (
                e["addr"], e["expires"], e["added"], e["ttl"], e["how"],
                e["user"])))
        out.append(("cursor", d.u64()))
    elif vers == 3 and proc == 5:
        out.append(("status", d.u32()))
        n = d.u32()
        if n > 64:
            raise DecodeError("%d counters in one STATS reply" % n)
        for _ in range(n):
            name = d.opaque(32).decode("ascii", "backslashreplace")
            out.append(("counter." + name, d.u64()))
    else:
        return [("results", data.hex())]
    left = d.rest()
    if left:
        out.append(("trailing", left.hex()))
    return out


# ---- transports --------------------------------------------------------

def _family(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


def _sock(host, kind, src):
    s = socket.socket(_family(host), kind)
    if src:
        s.bind((src, 0))
    return s


def udp_call(host, port, msg, timeout=2.0, src=None, xid=None):
    """Sends one datagram; returns the first reply whose xid matches
    (any reply when xid is None), or None after timeout seconds."""
    s = _sock(host, socket.SOCK_DGRAM, src)
    try:
        s.sendto(msg, (host, port))
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return None
            s.settimeout(left)
            try:
                data = s.recv(65536)
            except socket.timeout:
                return None
            if xid is None or data[:4] == u32(xid):
                return data
    finally:
        s.close()


def _recv_exact(s, n, end):
    b = b""
    while len(b) < n:
        left = end - time.monotonic()
        if left <= 0:
            return None
        s.settimeout(left)
        try:
            c = s.recv(n - len(b))
        except (socket.timeout, ConnectionResetError):
            return None
        if not c:
            return None
        b += c
    return b


def tcp_read_record(s, end):
    """One whole record (all fragments), or None on close or timeout."""
    rec = b""
    for _ in range(1024):
        h = _recv_exact(s, 4, end)
        if h is None:
            return None
        mark = struct.unpack(">I", h)[0]
        n = mark & 0x7fffffff
        if n > (1 << 20):
            return None
        body = _recv_exact(s, n, end)
        if body is None:
            return None
        rec += body
        if mark & LAST_FRAG:
            return rec
    return None


def tcp_frame(msg, frag=0):
    """Record marking (RFC 5531 section 11): fragments of frag bytes."""
    if not frag or frag >= len(msg):
        return u32(LAST_FRAG | len(msg)) + msg
    out = b""
    for i in range(0, len(msg), frag):
        part = msg[i:i + frag]
        last = LAST_FRAG if i + frag >= len(msg) else 0
        out += u32(last | len(part)) + part
    return out


def tcp_call(host, port, msg, timeout=2.0, src=None, frag=0, short=None):
    """Sends one record and reads one reply record (None if none).
    With short=N the mark announces the whole message, only N bytes
    follow, and the connection is closed without waiting."""
    s = _sock(host, socket.SOCK_STREAM, src)
    try:
        s.settimeout(timeout)
        s.connect((host, port))
        if short is not None:
            s.sendall(u32(LAST_FRAG | len(msg)) + msg[:short])
            return None
        s.sendall(tcp_frame(msg, frag))
        return tcp_read_record(s, time.monotonic() + timeout)
    finally:
        s.close()


# ---- rpcbind -----------------------------------------------------------

def getport(host, prog, vers, tcp=False, timeout=2.0):
    """The port of (prog, vers) on host from rpcbind: version 3 GETADDR
    sent over the transport asked about (rpcbind answers for the
    transport a question arrives on, whatever netid it names)."""
    netid = ("tcp" if tcp else "udp") + ("6" if ":" in host else "")
    args = u32(prog) + u32(vers) + string(netid) + string("") + string("")
    xid = int.from_bytes(os.urandom(4), "big")
    msg = call_msg(xid, PMAPPROG, 3, 3, args)
    try:
        if tcp:
            data = tcp_call(host, 111, msg, timeout)
        else:
            data = udp_call(host, 111, msg, timeout, xid=xid)
    except OSError:
        return None
    if data is None:
        return None
    r = parse_reply(data)
    if r.get("accept") != "SUCCESS":
        return None
    uaddr = Dec(r["results"]).opaque(200).decode()
    if not uaddr:
        return None
    hi, lo = uaddr.split(".")[-2:]
    return int(hi) * 256 + int(lo)


# ---- socketmap (netstrings) --------------------------------------------

def netstring(s):
    b = s.encode() if isinstance(s, str) else s
    return str(len(b)).encode() + b":" + b + b","


def _sm_connect(where, timeout):
    if where.startswith("/"):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(timeout)
        s.connect(where)
        return s
    host, _, port = where.rpartition(":")
    host = host.strip("[]")
    s = socket.socket(_family(host), socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect((host, int(port)))
    return s


def sm_read(s, end):
    """One netstring payload, or None if the peer closed or went quiet;
    raises DecodeError on a reply that is not a netstring."""
    digits = b""
    for _ in range(12):
        c = _recv_exact(s, 1, end)
        if c is None:
            return None
        if c == b":":
            break
        if not c.isdigit():
            raise DecodeError("netstring length has %r" % c)
        digits += c
    else:
        raise DecodeError("netstring length too long")
    if not digits or len(digits) > 6:
        raise DecodeError("netstring length %r" % digits)
    n = int(digits)
    body = _recv_exact(s, n + 1, end)
    if body is None:
        return None
    if body[-1:] != b",":
        raise DecodeError("netstring without its comma")
    return body[:-1].decode("ascii", "backslashreplace")


def socketmap(where, requests, raw=None, timeout=2.0):
    """Sends each request (or the raw bytes) on one connection and
    returns the list of reply payloads and whether the peer closed."""
    s = _sm_connect(where, timeout)
    out = []
    try:
        if raw is not None:
            s.sendall(raw)
            end = time.monotonic() + timeout
            for _ in range(16):
                r = sm_read(s, end)
                if r is None:
                    break
                out.append(r)
            return out, _closed(s, end)
        for q in requests:
            s.sendall(netstring(q))
            r = sm_read(s, time.monotonic() + timeout)
            if r is None:
                return out, True
            out.append(r)
        return out, False
    finally:
        s.close()


def _closed(s, end):
    """True when the peer has closed (or reset) before end."""
    left = max(0.0, end - time.monotonic())
    s.settimeout(left or 0.01)
    try:
        return s.recv(1) == b""
    except socket.timeout:
        return False
    except ConnectionResetError:
        return True


# ---- command line ------------------------------------------------------

def _build(a):
    """(vers, proc, body, is_v3) for the parsed command; a version 3
    body still needs its auth block."""
    if a.cmd == "null":
        return a.vers, 0, b"", False
    if a.cmd == "v1":
        if a.int is not None:
            return 1, 1, u32(a.int), False
        return 1, 1, v1_args(a.addr), False
    if a.cmd == "v2":
        return 2, 1, v2_args(a.addr, not a.unsigned), False
    if a.cmd == "add":
        return 3, 1, v3_add_body(a.addr, a.ttl, a.user), True
    if a.cmd == "drop":
        return 3, 2, v3_addr(a.addr), True
    if a.cmd == "query":
        return 3, 3, v3_addr(a.addr), True
    if a.cmd == "list":
        return 3, 4, v3_list_body(a.cursor, a.max), True
    if a.cmd == "stats":
        return 3, 5, b"", True
    if a.cmd == "call":
        return a.vers, a.proc, bytes.fromhex(a.args), False
    raise ValueError(a.cmd)


def _args(a, vers, proc, body, is_v3):
    """The argument bytes: the auth block of a version 3 call (signed
    with --key, over the trailing bytes too, as the server reads them),
    the body, then --trail."""
    rest = body + bytes.fromhex(a.trail)
    if not is_v3:
        return rest
    if a.key is None:
        return v3_auth_none() + rest
    nonce = bytes.fromhex(a.nonce) if a.nonce else None
    return v3_auth_hmac(load_key(a.key), vers, proc, rest, a.ts,
                        nonce) + rest


def _exchange(a, port, msg, xid):
    if a.tcp:
        return tcp_call(a.host, port, msg, a.timeout, a.bind, a.frag,
                        a.short)
    return udp_call(a.host, port, msg, a.timeout, a.bind,
                    None if a.cmd == "bytes" else xid)


def _print_reply(a, data, vers, proc):
    if a.hex or a.cmd == "bytes":
        print("reply=" + data.hex())
        return 0
    try:
        r = parse_reply(data)
        print("xid=%d" % r["xid"])
        for k in ("reply", "accept", "reject", "low", "high", "auth"):
            if k in r:
                print("%s=%s" % (k, r[k]))
        if r.get("accept") == "SUCCESS":
            for k, v in decode_results(vers, proc, r["results"]):
                print("%s=%s" % (k, v))
        elif r["results"]:
            print("trailing=" + r["results"].hex())
    except DecodeError as e:
        print("undecodable=%s (%s)" % (data.hex(), e))
        return 4
    return 0


def _list_all(a, port):
    """Pages through LIST until the cursor is 0 (at most 1000 pages)."""
    cursor = a.cursor
    for page in range(1000):
        xid = (a.xid + page) & 0xffffffff
        msg = call_msg(xid, a.prog, 3, 4,
                       _args(a, 3, 4, v3_list_body(cursor, a.max), True),
                       parse_cred(a.cred))
        data = _exchange(a, port, msg, xid)
        if data is None:
            print("noreply")
            return 3
        r = parse_reply(data)
        if r.get("accept") != "SUCCESS":
            print("accept=%s" % r.get("accept", r.get("reject")))
            return 4
        res = decode_results(3, 4, r["results"])
        print("page=%d" % page)
        for k, v in res:
            if k == "cursor":
                cursor = v
            print("%s=%s" % (k, v))
        if cursor == 0 or res[0][1] != 0:
            return 0
    print("too many pages")
    return 4


def _socketmap_cmd(a):
    raw = bytes.fromhex(a.raw) if a.raw is not None else None
    timeout = a.sm_timeout if a.sm_timeout is not None else a.timeout
    try:
        replies, closed = socketmap(a.socket, a.request, raw, timeout)
    except DecodeError as e:
        print("undecodable (%s)" % e)
        return 4
    except OSError as e:
        print("connect failed: %s" % e)
        return 3
    for r in replies:
        print("reply=" + r)
    print("closed" if closed else "open")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="rawrpc.py",
                                description="hand-built DRAC RPC calls")
    p.add_argument("-H", dest="host", default="127.0.0.1")
    p.add_argument("-p", dest="port", type=int)
    p.add_argument("-T", dest="tcp", action="store_true")
    p.add_argument("-b", dest="bind")
    p.add_argument("-t", dest="timeout", type=float, default=2.0)
    p.add_argument("-x", dest="xid", type=lambda s: int(s, 0),
                   default=0x5eed0001)
    p.add_argument("-P", dest="prog", type=int, default=DRACPROG)
    p.add_argument("--cred", default="0")
    p.add_argument("--key")
    p.add_argument("--ts", type=int)
    p.add_argument("--nonce")
    p.add_argument("--hex", action="store_true")
    p.add_argument("--trail", default="")
    p.add_argument("--cut", type=int)
    p.add_argument("--short", type=int)
    p.add_argument("--frag", type=int, default=0)
    sub = p.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("null")
    c.add_argument("vers", type=int, nargs="?", default=1)
    c = sub.add_parser("v1")
    c.add_argument("addr", nargs="?")
    c.add_argument("--int", type=lambda s: int(s, 0))
    c = sub.add_parser("v2")
    c.add_argument("addr")
    c.add_argument("--unsigned", action="store_true")
    c = sub.add_parser("add")
    c.add_argument("addr")
    c.add_argument("--ttl", type=int, default=0)
    c.add_argument("--user", default="")
    for name in ("drop", "query"):
        sub.add_parser(name).add_argument("addr")
    c = sub.add_parser("list")
    c.add_argument("--cursor", type=int, default=0)
    c.add_argument("--max", type=int, default=256)
    c.add_argument("--all", action="store_true")
    sub.add_parser("stats")
    c = sub.add_parser("call")
    c.add_argument("vers", type=int)
    c.add_argument("proc", type=int)
    c.add_argument("args", nargs="?", default="")
    sub.add_parser("bytes").add_argument("data")
    c = sub.add_parser("socketmap")
    c.add_argument("-S", dest="socket", default="127.0.0.1:7999")
    c.add_argument("-t", dest="sm_timeout", type=float)
    c.add_argument("--raw")
    c.add_argument("request", nargs="*")
    a = p.parse_args(argv)

    if a.cmd == "socketmap":
        return _socketmap_cmd(a)
    if a.cmd == "v1" and (a.addr is None) == (a.int is None):
        p.error("v1 needs an address or --int")
    port = a.port
    if port is None:
        port = getport(a.host, DRACPROG, 1, a.tcp, a.timeout)
        if port is None:
            print("rpcbind does not know program %d" % DRACPROG)
            return 3
    if a.cmd == "list" and a.all:
        return _list_all(a, port)
    if a.cmd == "bytes":
        vers, proc = 0, 0
        msg = bytes.fromhex(a.data)
    else:
        vers, proc, body, is_v3 = _build(a)
        msg = call_msg(a.xid, a.prog, vers, proc,
                       _args(a, vers, proc, body, is_v3),
                       parse_cred(a.cred))
    if a.cut is not None:
        msg = msg[:a.cut]
    try:
        data = _exchange(a, port, msg, a.xid)
    except OSError as e:
        print("error=%s" % e)
        return 3
    if data is None:
        print("noreply")
        return 3
    return _print_reply(a, data, vers, proc)


def serve(where):
    """Runs commands for a shell, so that a test pays for one Python
    start-up, not one per call.  Each request is written to the FIFO
    WHERE/in as NUL-terminated arguments; the reply goes to the FIFO
    WHERE/out as the exit status on a line, then what the command
    printed; what it said on stderr is left in WHERE/err."""
    import contextlib
    import io
    while True:
        with open(os.path.join(where, "in"), "rb") as f:
            req = f.read()
        argv = [x.decode("utf-8", "surrogateescape")
                for x in req.split(b"\0")[:-1]]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                rc = main(argv)
            except SystemExit as e:
                rc = e.code if isinstance(e.code, int) else 1
            except Exception as e:		# report it, keep serving
                print("error=%s" % e)
                rc = 3
        with open(os.path.join(where, "err"), "w") as f:
            f.write(err.getvalue())
        with open(os.path.join(where, "out"), "w") as f:
            f.write("%d\n%s" % (rc or 0, out.getvalue()))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--serve":
        serve(sys.argv[2])
    sys.exit(main())
