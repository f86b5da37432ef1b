#!/usr/bin/env python3
"""olddracd.py: a stand-in for an unmodified DRAC 1.12 rpc.dracd.

Speaks only what DRAC 1.12 (and Debian's IPv6 build of it) put on the
wire: program 900101 version 1 ADD (one XDR unsigned int, the IPv4
address in host order) and version 2 ADD (16 XDR ints, one per byte of
the IPv6 address, as rpcgen's xdr_char sends them), plus NULLPROC.
Any other version gets PROG_MISMATCH, as an old daemon's dispatcher
answers a version 3 call.  Every ADD is appended to the log file as

    v1 10.1.2.3
    v2 2001:db8::5 ints=20,1,d,ffffffb8,...
    mismatch v3

so a test can check exactly what the client sent.  Independent of the
C code under test on purpose: written from the protocol description.

usage: olddracd.py -p PORT -l LOGFILE [-1] [-r] [-s STATUS]
  -1         DRAC 1.12 without IPv6: version 1 only
  -r         also register with rpcbind (portmapper SET from port < 1024)
  -s STATUS  the addstat to answer ADD with (default 0, ADD_SUCCESS)
"""

import argparse
import ipaddress
import os
import select
import signal
import socket
import struct
import sys

PROG = 900101
PMAP_PROG, PMAP_VERS, PMAP_SET, PMAP_UNSET = 100000, 2, 1, 2
IPPROTO_TCP, IPPROTO_UDP = 6, 17
MAX_RECORD = 65536
MAX_CLIENTS = 16

SUCCESS, PROG_UNAVAIL, PROG_MISMATCH, PROC_UNAVAIL, GARBAGE_ARGS = range(5)


class Garbage(Exception):
    pass


def skip_auth(buf, off):
    if off + 8 > len(buf):
        raise Garbage()
    _flavor, length = struct.unpack_from(">II", buf, off)
    if length > 400:
        raise Garbage()
    off += 8 + ((length + 3) & ~3)
    if off > len(buf):
        raise Garbage()
    return off


def accepted(xid, stat, body=b""):
    return struct.pack(">IIIIII", xid, 1, 0, 0, 0, stat) + body


class Server:
    def __init__(self, opts):
        self.opts = opts
        self.high = 1 if opts.v1_only else 2
        self.log = open(opts.log, "a", buffering=1)

    def add_v1(self, args):
        if len(args) != 4:
            raise Garbage()
        (host_order,) = struct.unpack(">I", args)
        self.log.write("v1 %s\n" % ipaddress.IPv4Address(host_order))

    def add_v2(self, args):
        if len(args) != 64:
            raise Garbage()
        ints = struct.unpack(">16I", args)
        raw = bytearray()
        for v in ints:
            # xdr_char: a signed char, so 0x80..0xff may come sign-extended
            if v > 0xFF and v < 0xFFFFFF80:
                raise Garbage()
            raw.append(v & 0xFF)
        self.log.write("v2 %s ints=%s\n" % (
            ipaddress.IPv6Address(bytes(raw)),
            ",".join("%x" % v for v in ints)))

    def handle(self, msg):
        """One call record in, one reply record out (None: drop it)."""
        if len(msg) < 24:
            return None
        xid, mtype, rpcvers, prog, vers, proc = struct.unpack_from(
            ">IIIIII", msg, 0)
        if mtype != 0 or rpcvers != 2:
            return None
        try:
            off = skip_auth(msg, 24)
            off = skip_auth(msg, off)
        except Garbage:
            return None
        args = msg[off:]
        if prog != PROG:
            return accepted(xid, PROG_UNAVAIL)
        if vers < 1 or vers > self.high:
            self.log.write("mismatch v%d\n" % vers)
            return accepted(xid, PROG_MISMATCH, struct.pack(">II", 1,
                                                            self.high))
        if proc == 0:
            return accepted(xid, SUCCESS)
        if proc != 1:
            return accepted(xid, PROC_UNAVAIL)
        try:
            (self.add_v1 if vers == 1 else self.add_v2)(args)
        except Garbage:
            return accepted(xid, GARBAGE_ARGS)
        return accepted(xid, SUCCESS, struct.pack(">I", self.opts.status))


def pmap_call(proc, vers, prot, port):
    """Portmapper SET/UNSET over UDP from a reserved port, as root can."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for p in range(1023, 600, -1):
            try:
                s.bind(("127.0.0.1", p))
                break
            except OSError:
                continue
        s.settimeout(2)
        call = struct.pack(">IIIIIIIIIIIIII", 0x4F4C4400 + proc + vers,
                           0, 2, PMAP_PROG, PMAP_VERS, proc, 0, 0, 0, 0,
                           PROG, vers, prot, port)
        s.sendto(call, ("127.0.0.1", 111))
        reply = s.recv(512)
        ok = len(reply) >= 28 and struct.unpack_from(">I", reply, 24)[0] == 1
        if not ok:
            sys.exit("olddracd: rpcbind refused %s of version %d" % (
                "SET" if proc == PMAP_SET else "UNSET", vers))
    finally:
        s.close()


def serve(opts):
    srv = Server(opts)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    udp.bind(("127.0.0.1", opts.port))
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    tcp.bind(("127.0.0.1", opts.port))
    tcp.listen(8)
    regs = []
    if opts.register:
        for vers in range(1, srv.high + 1):
            for prot in (IPPROTO_UDP, IPPROTO_TCP):
                pmap_call(PMAP_SET, vers, prot, opts.port)
                regs.append((vers, prot))

    def stop(_sig, _frame):
        for vers, prot in regs:
            pmap_call(PMAP_UNSET, vers, prot, 0)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    clients = {}
    print("olddracd: ready on port %d" % opts.port, flush=True)
    while True:
        rd, _, _ = select.select([udp, tcp] + list(clients), [], [])
        for s in rd:
            if s is udp:
                msg, peer = udp.recvfrom(MAX_RECORD)
                reply = srv.handle(msg)
                if reply is not None:
                    udp.sendto(reply, peer)
            elif s is tcp:
                c, _ = tcp.accept()
                if len(clients) >= MAX_CLIENTS:
                    c.close()
                else:
                    clients[c] = b""
            else:
                tcp_input(srv, s, clients)


def tcp_input(srv, c, clients):
    """Record marking: answer every complete record, keep the rest."""
    data = c.recv(MAX_RECORD)
    buf = clients[c] + data
    if not data or len(buf) > 2 * MAX_RECORD:
        del clients[c]
        c.close()
        return
    while True:
        off, record, done = 0, b"", False
        while len(buf) - off >= 4:
            (mark,) = struct.unpack_from(">I", buf, off)
            length = mark & 0x7FFFFFFF
            if len(buf) - off - 4 < length:
                break
            record += buf[off + 4:off + 4 + length]
            off += 4 + length
            if mark & 0x80000000:
                done = True
                break
        if not done:
            break
        buf = buf[off:]
        reply = srv.handle(record)
        if reply is not None:
            c.sendall(struct.pack(">I", 0x80000000 | len(reply)) + reply)
    clients[c] = buf


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-p", dest="port", type=int, required=True)
    ap.add_argument("-l", dest="log", required=True)
    ap.add_argument("-1", dest="v1_only", action="store_true")
    ap.add_argument("-r", dest="register", action="store_true")
    ap.add_argument("-s", dest="status", type=int, default=0,
                    choices=range(4))
    opts = ap.parse_args()
    if not 1 <= opts.port <= 65535:
        ap.error("port out of range")
    os.umask(0o22)
    serve(opts)


if __name__ == "__main__":
    main()
