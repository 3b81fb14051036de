# A misbehaving multiprocessing.connection peer, for error-path tests. Runs on Python 2.7 and 3.x.
#   huge     answer any request with the length prefix 7f ff ff ff and some garbage
#   garbage  answer with a well-framed payload that is not a pickle
#   close    read the request, then close without a reply
import socket
import struct
import sys
import threading

mode = sys.argv[1]


def handle(conn):
    try:
        header = conn.recv(4)
        if len(header) == 4:
            n = struct.unpack('!i', header)[0]
            while n > 0:
                chunk = conn.recv(min(n, 65536))
                if not chunk:
                    break
                n -= len(chunk)
        if mode == 'huge':
            conn.sendall(b'\x7f\xff\xff\xff' + b'garbage' * 100)
        elif mode == 'garbage':
            conn.sendall(struct.pack('!i', 5) + b'\xffnope')
        conn.close()
    except Exception:
        pass


srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.bind(('127.0.0.1', 0))
srv.listen(5)
sys.stdout.write('PORT %d\n' % srv.getsockname()[1])
sys.stdout.flush()
while True:
    c, _ = srv.accept()
    t = threading.Thread(target=handle, args=(c,))
    t.daemon = True
    t.start()
