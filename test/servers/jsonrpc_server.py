"""A JSON-RPC 2.0 server in pure stdlib, over one transport chosen by argv[1]:
  http   POST / (http.server, HTTP/1.1 keep-alive)
  tcp    newline-delimited JSON over TCP; requests run concurrently, replies go out as they finish
  ws     WebSocket text messages (a minimal RFC 6455 server: handshake, masking, ping, close)
Optional argv: --no-discover (rpc.discover is unknown; system.listMethods answers instead);
  for http: --chunked (bodies sent chunked), --gzip (bodies gzipped when the client accepts it),
  --idle-close (a kept-alive connection is closed after 0.2 s without a request),
  --no-nagle (TCP_NODELAY on each connection, as SimpleXMLRPCServer's handler sets: without it the
  headers and the body leave in two writes and the second waits for the client's delayed ACK);
  for tcp: --inline (each line answered in turn on the connection's thread, as a simple server does,
  instead of on a thread of its own);
  for http and ws: --tls CERT KEY (HTTPS, WSS).
Prints `PORT <n>` once listening on 127.0.0.1.
"""
import base64
import gzip
import hashlib
import json
import socket
import socketserver
import ssl
import struct
import sys
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1] if len(sys.argv) > 1 else 'http'
DISCOVER = '--no-discover' not in sys.argv
INLINE = '--inline' in sys.argv
NOTES = []


def add(a, b):
    return a + b


def subtract(minuend, subtrahend):
    return minuend - subtrahend


def echo(x):
    return x


def get(key):
    return {'a': 1}[key]


def sleep_then(ms, value):
    time.sleep(ms / 1000.0)
    return value


def note(msg):
    NOTES.append(msg)


def notes():
    return NOTES


def big(n):
    return 'x' * n


def fail(message, *notes):
    e = ValueError(message)
    for note in notes:
        e.add_note(note)
    raise e


def connection_port():
    """The client's port of the connection this request came on (http mode)."""
    return threading.current_thread().client_port


METHODS = {f.__name__: f for f in (add, subtract, echo, get, sleep_then, note, notes, big, fail, connection_port)}

OPENRPC = {
    'openrpc': '1.2.6',
    'info': {'title': 'test server', 'version': '1.0.0'},
    'methods': [
        {'name': 'add', 'summary': 'Add two integers.', 'paramStructure': 'either',
         'params': [{'$ref': '#/components/contentDescriptors/A'},
                    {'name': 'b', 'schema': {'$ref': '#/components/schemas/Int'}, 'required': True}],
         'result': {'name': 'sum', 'schema': {'type': 'integer'}}},
        {'name': 'subtract', 'description': 'minuend - subtrahend.',
         'params': [{'name': 'minuend', 'schema': {'type': 'number'}, 'required': True},
                    {'name': 'subtrahend', 'schema': {'type': 'number'}}],
         'result': {'name': 'difference', 'schema': {'type': 'number'}}},
        {'name': 'echo', 'params': [{'name': 'x', 'schema': {}}], 'result': {'name': 'x', 'schema': {}}},
        {'name': 'get', 'summary': 'Look a key up.', 'params': [{'name': 'key', 'schema': {'type': 'string'}, 'required': True}],
         'result': {'name': 'value', 'schema': {'type': ['integer', 'null']}}},
        {'name': 'sleep_then', 'params': [{'name': 'ms', 'schema': {'type': 'integer'}}, {'name': 'value', 'schema': {}}],
         'result': {'name': 'value', 'schema': {}}},
        {'name': 'note', 'summary': 'Remember a message (use as a notification).',
         'params': [{'name': 'msg', 'schema': {'type': 'string'}}], 'result': {'name': 'none', 'schema': {'type': 'null'}}},
        {'name': 'notes', 'params': [], 'result': {'name': 'notes', 'schema': {'type': 'array', 'items': {'type': 'string'}}}},
        {'name': 'big', 'params': [{'name': 'n', 'schema': {'type': 'integer'}}], 'result': {'name': 's', 'schema': {'type': 'string'}}},
    ],
    'components': {
        'schemas': {'Int': {'type': 'integer', 'title': 'Int'}},
        'contentDescriptors': {'A': {'name': 'a', 'schema': {'$ref': '#/components/schemas/Int'}, 'required': True}},
    },
}


def error(id_, code, message, data=None):
    err = {'code': code, 'message': message}
    if data is not None:
        err['data'] = data
    return {'jsonrpc': '2.0', 'error': err, 'id': id_}


def handle_one(req):
    """The response to one request object, or None for a notification."""
    if not isinstance(req, dict) or req.get('jsonrpc') != '2.0' or not isinstance(req.get('method'), str):
        return error(None, -32600, 'Invalid Request')
    is_note = 'id' not in req
    id_ = req.get('id')
    name = req['method']
    params = req.get('params', [])
    if name == 'rpc.discover' and DISCOVER:
        fn = lambda: OPENRPC
    elif name == 'system.listMethods' and not DISCOVER:
        fn = lambda: sorted(METHODS)
    else:
        fn = METHODS.get(name)
    if fn is None:
        return None if is_note else error(id_, -32601, 'Method not found', name)
    try:
        result = fn(**params) if isinstance(params, dict) else fn(*params)
    except TypeError as e:
        return None if is_note else error(id_, -32602, 'Invalid params', str(e))
    except Exception as e:
        return None if is_note else error(id_, -32000, str(e), {
            'type': type(e).__name__, 'message': str(e), 'traceback': traceback.format_exc()})
    return None if is_note else {'jsonrpc': '2.0', 'result': result, 'id': id_}


def handle_text(text):
    """The reply text for one message, or None when nothing is to be sent back."""
    try:
        msg = json.loads(text)
    except ValueError:
        return json.dumps(error(None, -32700, 'Parse error'))
    if isinstance(msg, list):
        if not msg:
            return json.dumps(error(None, -32600, 'Invalid Request'))
        out = [r for r in (handle_one(m) for m in msg) if r is not None]
        return json.dumps(out) if out else None
    r = handle_one(msg)
    return None if r is None else json.dumps(r)


class HttpHandler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    if '--idle-close' in sys.argv:
        timeout = 0.2
    disable_nagle_algorithm = '--no-nagle' in sys.argv

    def do_POST(self):
        threading.current_thread().client_port = self.client_address[1]
        body = self.rfile.read(int(self.headers.get('Content-Length', 0))).decode('utf-8')
        reply = handle_text(body)
        if reply is None:
            self.send_response(204)
            self.send_header('Content-Length', '0')
            self.end_headers()
            return
        data = reply.encode('utf-8')
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        if '--gzip' in sys.argv and 'gzip' in self.headers.get('Accept-Encoding', ''):
            data = gzip.compress(data)
            self.send_header('Content-Encoding', 'gzip')
        if '--chunked' in sys.argv:
            self.send_header('Transfer-Encoding', 'chunked')
            self.end_headers()
            for i in range(0, len(data), 1000):
                piece = data[i:i + 1000]
                self.wfile.write(b'%x\r\n' % len(piece) + piece + b'\r\n')
                self.wfile.flush()
            self.wfile.write(b'0\r\n\r\n')
            return
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class LineHandler(socketserver.BaseRequestHandler):
    """Newline-delimited JSON; each line handled on its own thread so slow calls answer later
    (with --inline, in turn)."""

    def handle(self):
        lock = threading.Lock()
        buf = b''

        def work(line):
            reply = handle_text(line.decode('utf-8'))
            if reply is not None:
                with lock:
                    self.request.sendall(reply.encode('utf-8') + b'\n')

        while True:
            data = self.request.recv(65536)
            if not data:
                return
            buf += data
            while b'\n' in buf:
                line, buf = buf.split(b'\n', 1)
                if not line.strip():
                    continue
                if INLINE:
                    work(line)
                else:
                    threading.Thread(target=work, args=(line,), daemon=True).start()


WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'


class WsHandler(socketserver.BaseRequestHandler):
    def recv_exact(self, n):
        out = b''
        while len(out) < n:
            chunk = self.request.recv(n - len(out))
            if not chunk:
                raise EOFError
            out += chunk
        return out

    def send_frame(self, opcode, payload):
        head = bytes([0x80 | opcode])
        n = len(payload)
        if n < 126:
            head += bytes([n])
        elif n < 65536:
            head += bytes([126]) + struct.pack('>H', n)
        else:
            head += bytes([127]) + struct.pack('>Q', n)
        with self.lock:
            self.request.sendall(head + payload)

    def handle(self):
        self.lock = threading.Lock()
        head = b''
        while b'\r\n\r\n' not in head:
            chunk = self.request.recv(4096)
            if not chunk:
                return
            head += chunk
        key = ''
        for line in head.decode('latin1').split('\r\n')[1:]:
            if line.lower().startswith('sec-websocket-key:'):
                key = line.split(':', 1)[1].strip()
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.request.sendall(('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                              'Sec-WebSocket-Accept: %s\r\n\r\n' % accept).encode())
        message = b''
        try:
            while True:
                b0, b1 = self.recv_exact(2)
                opcode = b0 & 0x0f
                n = b1 & 0x7f
                if n == 126:
                    n = struct.unpack('>H', self.recv_exact(2))[0]
                elif n == 127:
                    n = struct.unpack('>Q', self.recv_exact(8))[0]
                mask = self.recv_exact(4) if b1 & 0x80 else b'\0\0\0\0'
                payload = bytes(c ^ mask[i % 4] for i, c in enumerate(self.recv_exact(n)))
                if opcode == 8:
                    self.send_frame(8, payload[:2])
                    return
                if opcode == 9:
                    self.send_frame(10, payload)
                    continue
                if opcode in (0, 1):
                    message += payload
                    if b0 & 0x80:
                        text, message = message.decode('utf-8'), b''
                        threading.Thread(target=self.work, args=(text,), daemon=True).start()
        except (EOFError, ConnectionError):
            return

    def work(self, text):
        reply = handle_text(text)
        if reply is not None:
            self.send_frame(1, reply.encode('utf-8'))


class Threading(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


if __name__ == '__main__':
    if MODE == 'http':
        server = ThreadingHTTPServer(('127.0.0.1', 0), HttpHandler)
        server.daemon_threads = True
    else:
        server = Threading(('127.0.0.1', 0), LineHandler if MODE == 'tcp' else WsHandler)
    if '--tls' in sys.argv:
        i = sys.argv.index('--tls')
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[i + 1], sys.argv[i + 2])
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    print('PORT %d' % server.server_address[1], flush=True)
    server.serve_forever()
