"""A TCP proxy in front of a real server that injects one fault into its first connection; every later
connection is passed through untouched, so a client can show it recovers.

Usage: fault_proxy.py UPSTREAM_PORT MODE HEADER
  MODE    silent     read the request, never answer
          halfclose  read the request, shutdown(SHUT_WR) (the client sees EOF), keep the socket open
          garbage    forward the request; keep the first HEADER bytes of the real reply, replace what
                     follows in that read with bytes that decode as nothing
          die        read the request, then the whole proxy process exits (a server killed mid-call)
          slow       pass both ways, the server's bytes in 16 KB pieces 20 ms apart (a slow link),
                     on every connection
  HEADER  how much of the reply to keep for garbage: a byte count, or 'http' (through the blank line)
Prints `PORT <n>` once listening on 127.0.0.1.
"""
import os
import socket
import sys
import threading
import time

UPSTREAM = ('127.0.0.1', int(sys.argv[1]))
MODE = sys.argv[2]
HEADER = sys.argv[3] if len(sys.argv) > 3 else '0'
count = [0]
lock = threading.Lock()


def trickle(dst, data):
    for i in range(0, len(data), 16384):
        dst.sendall(data[i:i + 16384])
        time.sleep(0.02)


def pipe(src, dst, transform=None, send=None):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if transform is not None:
                data = transform(data)
            if send is not None:
                send(dst, data)
            else:
                dst.sendall(data)
    except OSError:
        pass
    for s in (dst,):
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass


class Garbler(object):
    """Keeps the reply's header and garbles what follows it in the same read (or the next read, when
    the header ended a read), newlines excepted (line framings still deliver a message). Later
    replies pass untouched: a client that kept the connection in sync can go on using it."""

    def __init__(self):
        self.seen = b''
        self.state = 'header'

    def __call__(self, data):
        if self.state == 'done':
            return data
        if self.state == 'body':
            self.state = 'done'
            return self.garble(data)
        self.seen += data
        if HEADER == 'http':
            end = self.seen.find(b'\r\n\r\n')
            if end < 0:
                return data
            keep = end + 4
        else:
            keep = int(HEADER)
            if len(self.seen) < keep:
                return data
        start = len(self.seen) - len(data)
        cut = max(0, keep - start)
        self.state = 'body' if cut == len(data) else 'done'
        return data[:cut] + self.garble(data[cut:])

    @staticmethod
    def garble(data):
        return bytes(b if b == 10 else 0xff for b in data)


def handle(c, first):
    if MODE == 'slow':
        up = socket.create_connection(UPSTREAM)
        threading.Thread(target=pipe, args=(up, c, None, trickle), daemon=True).start()
        pipe(c, up)
        return
    if not first:
        up = socket.create_connection(UPSTREAM)
        threading.Thread(target=pipe, args=(up, c), daemon=True).start()
        pipe(c, up)
        return
    if MODE == 'garbage':
        up = socket.create_connection(UPSTREAM)
        threading.Thread(target=pipe, args=(up, c, Garbler()), daemon=True).start()
        pipe(c, up)
        return
    c.recv(65536)
    if MODE == 'silent':
        threading.Event().wait()
    elif MODE == 'halfclose':
        c.shutdown(socket.SHUT_WR)
        threading.Event().wait()
    elif MODE == 'die':
        os._exit(1)


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen(64)
print('PORT %d' % srv.getsockname()[1], flush=True)
while True:
    conn, _ = srv.accept()
    with lock:
        count[0] += 1
        first = count[0] == 1
    threading.Thread(target=handle, args=(conn, first), daemon=True).start()
