"""A misbehaving TCP peer for error tests. Usage: raw_peer.py MODE
  silent   accept, read, never answer
  garbage  answer every connection with bytes that are not HTTP, then close
  huge     answer with HTTP headers announcing a 10 GB body
  badxml   answer HTTP 200 with a body that is not XML-RPC
  cut      send half a response, then close
Prints `PORT <n>` once listening on 127.0.0.1."""
import socket
import sys
import threading

mode = sys.argv[1]
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(('127.0.0.1', 0))
srv.listen(16)
print('PORT %d' % srv.getsockname()[1], flush=True)


def serve(c):
    c.recv(65536)
    if mode == 'silent':
        threading.Event().wait()
    elif mode == 'garbage':
        c.sendall(b'\x00\x01garbage that is not HTTP\r\n\r\n')
    elif mode == 'huge':
        c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 10000000000\r\n\r\n<?xml')
    elif mode == 'badxml':
        body = b'<html><body>hello</body></html>'
        c.sendall(b'HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n' % len(body) + body)
    elif mode == 'cut':
        c.sendall(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n<?xml ver')
    c.close()


while True:
    conn, _ = srv.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
