#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/ (run from the tree's top)."""
import os, struct

def call(prog, vers, proc, args, xid=1, cred=(0, b"")):
    flavor, body = cred
    pad = body + b"\0" * (-len(body) % 4)
    return (struct.pack(">IIIIII", xid, 0, 2, prog, vers, proc)
            + struct.pack(">II", flavor, len(body)) + pad
            + struct.pack(">II", 0, 0) + args)

def xstr(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)

NOAUTH = struct.pack(">I", 0)
V4 = struct.pack(">I", 1) + bytes([10, 1, 2, 3])
V6 = struct.pack(">I", 2) + bytes.fromhex("20010db8000000010001000100010001")
ip6 = b"".join(struct.pack(">i", b - 256 if b > 127 else b)
               for b in bytes.fromhex("20010db8000000000000000000000005"))
sys_cred = (1, struct.pack(">II", 0, 4) + b"host" + struct.pack(">IIII", 0, 0, 1, 0))
rpc = {
    "null": call(900101, 1, 0, b""),
    "v1add": call(900101, 1, 1, struct.pack(">I", 0x0A010203)),
    "v1add-authsys": call(900101, 1, 1, struct.pack(">I", 0x0A010203), cred=sys_cred),
    "v2add": call(900101, 2, 1, ip6),
    "v3add": call(900101, 3, 1, NOAUTH + V4 + struct.pack(">I", 60) + xstr("hoge")),
    "v3add6": call(900101, 3, 1, NOAUTH + V6 + struct.pack(">I", 0) + xstr("")),
    "v3drop": call(900101, 3, 2, NOAUTH + V4),
    "v3query": call(900101, 3, 3, NOAUTH + V6),
    "v3list": call(900101, 3, 4, NOAUTH + struct.pack(">QI", 0, 10)),
    "v3stats": call(900101, 3, 5, NOAUTH),
    "v3hmac": call(900101, 3, 1, struct.pack(">IQ", 1, 1700000000) + b"n" * 16
                   + b"m" * 32 + V4 + struct.pack(">I", 60) + xstr("u")),
}
smap = {"hit": b"13:drac 10.1.2.3,", "miss": b"15:drac 10.9.9.9x,",
        "ipv6tag": b"23:drac IPv6:2001:db8::5,", "two": b"13:drac 10.1.2.3,9:m ::ffff,"}
allow = {"example": open("allow.example", "rb").read() if os.path.exists("allow.example") else b"",
         "mixed": b"255.255.255.0 192.168.1.0\n10.0.0.0/8 # c\n2001:db8::/32\n::ffff:10.0.0.0/104\nbad line here\n"}
def read(path):
    return open(path, "rb").read() if os.path.exists(path) else b""
watch = {"builtin-lines": b"\0" + read("tests/golden/watch/builtin.log"),
         "custom-conf": b"\1" + read("tests/golden/watch/custom.conf"),
         "bad-conf": b"\1" + read("tests/golden/watch/bad.conf")}
import glob
policy = {os.path.basename(f): read(f) for f in glob.glob("tests/golden/binding/*.policy")}
policy["good"] = (b"request=smtpd_access_policy\nprotocol_state=RCPT\nclient_address=10.1.2.3\n"
                  b"sender=hoge@example.com\nrecipient=a@remote.example\n\n")
maps = {os.path.basename(f): (b"\0" if f.endswith(".users") else b"\1") + read(f)
        for f in glob.glob("tests/golden/binding/*.users") + glob.glob("tests/golden/binding/*.access")}
def srec(kind, addr, expires=0, added=0, ttl=0, how=0, user=b""):
    """A state record (common/statefile.h), its checksum as statefile.c makes it."""
    if len(addr) == 4:
        addr = b"\0" * 10 + b"\xff\xff" + addr
    body = (struct.pack("<IBBBB", 0, kind, how, len(user), 0) + addr
            + struct.pack("<qqI", expires, added, ttl) + user)
    body += b"\0" * (-len(body) % 8)
    h = 0x9e3779b97f4a7c15 ^ len(body)
    for i in range(0, len(body), 8):
        w = struct.unpack_from("<Q", body, i)[0]
        if i == 0:
            w &= ~0xffffffff
        h = ((h ^ w) * 0xff51afd7ed558ccd) & (2**64 - 1)
        h ^= h >> 32
    h = (h * 0xc4ceb9fe1a85ec53) & (2**64 - 1)
    return struct.pack("<I", (h ^ (h >> 29)) & 0xffffffff) + body[4:]
V6A = bytes.fromhex("20010db8000000000000000000000005")
statefile = {"three": srec(1, bytes([10, 1, 2, 3]), 1795540722, 1795538922, 1800, 3, b"hoge")
             + srec(1, V6A, 1795538983, 1795538923, 60, 3) + srec(2, bytes([10, 1, 2, 3])),
             "damaged": srec(1, bytes([10, 1, 2, 3]), 1795540722, 1795538922, 1800, 3, b"hoge")
             + b"\x55" * 24 + srec(1, V6A, 1795538983, 1795538923, 60, 2) + b"\0" * 16}
for name, seeds in (("policy", policy), ("statefile", statefile), ("maps", maps), ("watch", watch), ("rpc", {k: b"\0" + v for k, v in rpc.items()}), ("socketmap", smap), ("allow", allow)):
    d = os.path.join("fuzz", "corpus", name)
    os.makedirs(d, exist_ok=True)
    for k, v in seeds.items():
        with open(os.path.join(d, k), "wb") as f:
            f.write(v)
