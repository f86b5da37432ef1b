#!/usr/bin/env python3
"""Hostile and heavy clients for the hardening tests (standard library only).

  hclient.py port PORT                     the UDP port rpcbind has for v1
  hclient.py v1 PORT ADDR                  one v1 ADD over UDP; prints the addstat
  hclient.py v1loop PORT OUTFILE SECONDS   v1 ADDs of 10.x.y.z one after the other;
                                           appends each acknowledged address to OUTFILE
  hclient.py fill PORT OUTFILE MAX         v1 ADDs of 10.9.x.y until 3 SYSERR replies or MAX
                                           calls; acknowledged addresses to OUTFILE; prints
                                           "syserr N" or the first unexpected reply
  hclient.py v3 PORT ADDR [--key HEX] [--ts N] [--nonce HEX] [--bad-mac] [--tcp]
                                           one v3 ADD; prints the status (or RPC error)
  hclient.py idle PORT COUNT SECONDS       COUNT idle TCP connections held SECONDS
  hclient.py bigmark PORT SECONDS          a record mark of 2 GiB, then silence
  hclient.py trickle PORT SECONDS          part of a record, then a byte every 3 s
  hclient.py tcpadd PORT ADDR              one v1 ADD over TCP; prints the addstat
The MAC is computed here independently of the C code (hmac, hashlib).
"""
import hashlib, hmac, os, random, socket, struct, sys, time

PROG = 900101


def header(xid, vers, proc):
    return struct.pack(">IIIIIIIIII", xid, 0, 2, PROG, vers, proc, 0, 0, 0, 0)


def udp_call(port, msg, timeout=2.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    s.sendto(msg, ("127.0.0.1", port))
    try:
        return s.recv(9000)
    finally:
        s.close()


def tcp_call(port, msg, timeout=2.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(struct.pack(">I", 0x80000000 | len(msg)) + msg)
    data = b""
    while len(data) < 4 or len(data) < 4 + (struct.unpack(">I", data[:4])[0] & 0x7FFFFFFF):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    s.close()
    return data[4:]


def result(reply):
    """Status word of an accepted, successful reply, or a description."""
    xid, mtype, stat = struct.unpack(">III", reply[:12])
    if stat != 0:
        return "denied"
    accept = struct.unpack(">I", reply[20:24])[0]
    if accept != 0:
        return "accept_stat=%d" % accept
    return str(struct.unpack(">I", reply[24:28])[0])


def v1_msg(xid, addr):
    return header(xid, 1, 1) + socket.inet_aton(addr)


def xstr(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b + b"\0" * (-len(b) % 4)


def v3_add_msg(addr, key=None, ts=None, nonce=None, bad_mac=False, user="hoge"):
    body = struct.pack(">I", 1) + socket.inet_aton(addr) + struct.pack(">I", 0) + xstr(user)
    if key is None:
        auth = struct.pack(">I", 0)
    else:
        ts = int(time.time()) if ts is None else ts
        nonce = os.urandom(16) if nonce is None else nonce
        text = b"DRAC3" + struct.pack(">IIQ", 3, 1, ts) + nonce + body
        mac = hmac.new(key, text, hashlib.sha256).digest()
        if bad_mac:
            mac = bytes([mac[0] ^ 1]) + mac[1:]
        auth = struct.pack(">IQ", 1, ts) + nonce + mac
    return header(random.randrange(1 << 31), 3, 1) + auth + body


def main(argv):
    cmd = argv[1]
    if cmd == "port":
        getport = struct.pack(">IIIIIIIIII", 5, 0, 2, 100000, 2, 3, 0, 0, 0, 0)
        reply = udp_call(111, getport + struct.pack(">IIII", PROG, 1, 17, 0))
        print(struct.unpack(">I", reply[-4:])[0])
    elif cmd == "v1":
        print(result(udp_call(int(argv[2]), v1_msg(1, argv[3]))))
    elif cmd == "tcpadd":
        print(result(tcp_call(int(argv[2]), v1_msg(2, argv[3]))))
    elif cmd in ("v1loop", "v3loop"):
        # ADDs of fresh addresses until the time is up; one line per
        # acknowledged call: the address (v1), or address and user (v3,
        # each call with a user of its own).
        port, out, end = int(argv[2]), argv[3], time.time() + float(argv[4])
        n = random.randrange(1 << 20)
        with open(out, "a") as f:
            while time.time() < end:
                n += 1
                addr = "10.%d.%d.%d" % ((n >> 16) & 255, (n >> 8) & 255, n & 255 or 1)
                if cmd == "v1loop":
                    msg, line = v1_msg(n, addr), addr
                else:
                    user = "u%d" % n
                    msg, line = v3_add_msg(addr, user=user), "%s %s" % (addr, user)
                try:
                    if result(udp_call(port, msg, 0.5)) == "0":
                        f.write(line + "\n")
                        f.flush()
                except OSError:
                    time.sleep(0.05)
    elif cmd == "fill":
        port, out, most = int(argv[2]), argv[3], int(argv[4])
        syserr = 0
        with open(out, "a") as f:
            for n in range(1, most + 1):
                addr = "10.9.%d.%d" % (n // 250, n % 250 + 1)
                r = result(udp_call(port, v1_msg(n, addr)))
                if r == "0":
                    f.write(addr + "\n")
                elif r == "2":
                    syserr += 1
                    if syserr == 3:
                        break
                else:
                    print("unexpected reply %s for %s" % (r, addr))
                    return
        print("syserr %d" % syserr)
    elif cmd == "v3":
        args = argv[4:]
        opt = lambda name: args[args.index(name) + 1] if name in args else None
        key = bytes.fromhex(opt("--key")) if opt("--key") else None
        ts = int(opt("--ts")) if opt("--ts") else None
        nonce = bytes.fromhex(opt("--nonce")) if opt("--nonce") else None
        msg = v3_add_msg(argv[3], key, ts, nonce, "--bad-mac" in args)
        call = tcp_call if "--tcp" in args else udp_call
        print(result(call(int(argv[2]), msg)))
    elif cmd == "idle":
        port, count, secs = int(argv[2]), int(argv[3]), float(argv[4])
        conns = []
        for _ in range(count):
            try:
                conns.append(socket.create_connection(("127.0.0.1", port), timeout=2))
            except OSError:
                break
        print(len(conns), flush=True)
        time.sleep(secs)
    elif cmd == "bigmark":
        s = socket.create_connection(("127.0.0.1", int(argv[2])), timeout=2)
        s.sendall(struct.pack(">I", 0x80000000 | 0x7FFFFFFF))
        time.sleep(float(argv[3]))
    elif cmd == "trickle":
        s = socket.create_connection(("127.0.0.1", int(argv[2])), timeout=2)
        msg = v1_msg(3, "10.200.0.1")
        s.sendall(struct.pack(">I", 0x80000000 | len(msg)) + msg[:10])
        end = time.time() + float(argv[3])
        try:
            for b in msg[10:]:
                if time.time() > end:
                    break
                time.sleep(3)
                s.sendall(bytes([b]))
        except OSError:
            print("closed by server", flush=True)
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
