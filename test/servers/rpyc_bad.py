# A server that speaks just enough RPyC framing to misbehave on purpose, for the client's error paths.
# usage: rpyc_bad.py MODE   (prints `PORT n`; serves one connection at a time)
#   huge     answers with a frame header claiming 4 GiB
#   badtag   answers with a well-framed payload holding an unknown brine tag
#   noflush  answers with a frame whose trailing byte is not '\n'
#   badzlib  answers with a compressed frame whose data is not zlib
#   v6       answers like RPyC 6 (a raw msg byte, then brine): not wire compatible with 5.x
#   close    closes the connection after reading the request
#   silent   reads the request and never answers
#   reverse  a real brine peer (needs Debian's python3 for rpyc.core.brine): answers GETROOT, then
#            collects 3 requests and replies to them in reverse order, each with its own seq
import socket
import struct
import sys
import time

mode = sys.argv[1]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen(8)
print('PORT %d' % srv.getsockname()[1], flush=True)


def frame(payload, compressed=0, flusher=b'\n'):
    return struct.pack('!LB', len(payload), compressed) + payload + flusher


def read_exactly(conn, n):
    buf = b''
    while len(buf) < n:
        chunk = conn.recv(n - len(buf))
        if not chunk:
            raise EOFError
        buf += chunk
    return buf


def read_message(conn):
    from rpyc.core import brine
    length, _ = struct.unpack('!LB', read_exactly(conn, 5))
    return brine.load(read_exactly(conn, length + 1)[:-1])


def serve_reverse(conn):
    from rpyc.core import brine
    msg, seq, args = read_message(conn)
    conn.sendall(frame(brine.dump((2, seq, (4, ('fake.Root', 1, 2))))))
    pending = [read_message(conn) for _ in range(3)]
    for msg, seq, (handler, boxed) in reversed(pending):
        conn.sendall(frame(brine.dump((2, seq, (1, 'reply to %d' % seq)))))
    time.sleep(0.5)


while True:
    conn, _ = srv.accept()
    if mode == 'reverse':
        serve_reverse(conn)
        conn.close()
        continue
    conn.recv(65536)
    if mode == 'huge':
        conn.sendall(struct.pack('!LB', 0xffffffff, 0) + b'\x00' * 16)
    elif mode == 'badtag':
        conn.sendall(frame(b'\x12\x52\x50\xf7'))
    elif mode == 'noflush':
        conn.sendall(frame(b'\x12\x52\x50\x11\x51\x00', flusher=b'X'))
    elif mode == 'badzlib':
        conn.sendall(frame(b'not zlib at all', compressed=1))
    elif mode == 'v6':
        conn.sendall(frame(b'\x02\x11\x50\x11\x51\x00'))
    elif mode == 'close':
        conn.close()
        continue
    elif mode == 'silent':
        time.sleep(60)
    time.sleep(0.5)
    conn.close()
