# Golden HTTP/1.1 responses for the response parser: real Python servers on 127.0.0.1, asked over a
# raw socket, every byte they sent on the connection kept until they closed it.
#   python3 test/golden/http/capture.py > test/golden/http/responses.json
# Each stream: the bytes as received (hex), and the responses as Python's http.client reads them
# from the same bytes (status, reason, version, headers; the body de-chunked and decompressed, as its
# length and SHA-256), the oracle the parser is compared against.
#
# Servers: xmlrpc.server.SimpleXMLRPCServer as the Cookbook's KeyValueServer runs it (HTTP/1.0,
# one request per connection; gzip for big replies), the same handler speaking HTTP/1.1 with
# keep-alive, http.server handlers that send Content-Length, chunked bodies with chunk extensions
# and trailers, gzip and deflate bodies, a body delimited by the close and 100 Continue, and the
# test suite's JSON-RPC server (test/servers/jsonrpc_server.py http --chunked --gzip).
import gzip
import hashlib
import http.client
import io
import json
import os
import platform
import socket
import subprocess
import sys
import threading
import xmlrpc.client
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

HERE = os.path.dirname(os.path.abspath(__file__))
SERVERS = os.path.join(HERE, '..', '..', 'servers')


def request(method, path, body=b'', headers=()):
    head = ['%s %s HTTP/1.1' % (method, path), 'Host: 127.0.0.1']
    head += ['%s: %s' % h for h in headers]
    if method == 'POST':
        head.append('Content-Length: %d' % len(body))
    return ('\r\n'.join(head) + '\r\n\r\n').encode('latin-1') + body


def exchange(port, requests):
    """Send the requests in one write and read until the server closes the connection."""
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    s.sendall(b''.join(requests))
    out = b''
    while True:
        d = s.recv(65536)
        if not d:
            break
        out += d
    s.close()
    return out


class _Unclosable(io.BytesIO):
    def close(self):
        pass  # http.client closes the file after each response; the next one reads on


class _Sock:
    def __init__(self, data):
        self.f = _Unclosable(data)

    def makefile(self, *args, **kwargs):
        return self.f


def python_reads(data, count):
    """The responses http.client reads from `data`, one after another, as the parser must."""
    sock = _Sock(data)
    out = []
    for _ in range(count):
        r = http.client.HTTPResponse(sock, method='POST')
        r.begin()
        body = r.read()
        coding = (r.getheader('Content-Encoding') or '').lower()
        if coding in ('gzip', 'x-gzip'):
            body = gzip.decompress(body)
        elif coding == 'deflate':
            body = zlib.decompress(body)
        out.append({
            'version': 'HTTP/1.1' if r.version == 11 else 'HTTP/1.0',
            'status': r.status,
            'reason': r.reason,
            'headers': [[k, v] for k, v in r.getheaders()],
            'bodyLength': len(body),
            'bodySha256': hashlib.sha256(body).hexdigest(),
        })
    rest = sock.f.read()
    assert rest == b'', 'bytes after the last response: %r' % rest[:40]
    return out


STREAMS = []


def capture(name, note, port, requests, count):
    data = exchange(port, requests)
    STREAMS.append({'name': name, 'note': note, 'hex': data.hex(), 'responses': python_reads(data, count)})


def serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


# --- xmlrpc.server --------------------------------------------------------------------------------

def add(a, b):
    return a + b


def get(key):
    return {'spam': [1, 2, 3]}[key]


def big(n):
    return 'x' * n


def kv_server(handler):
    server = SimpleXMLRPCServer(('127.0.0.1', 0), requestHandler=handler, logRequests=False, allow_none=True)
    server.register_introspection_functions()
    server.register_multicall_functions()
    for f in (add, get, big):
        server.register_function(f)
    return server


def call(name, *args, headers=(('Content-Type', 'text/xml'),)):
    return request('POST', '/RPC2', xmlrpc.client.dumps(args, name).encode('utf-8'), headers)


port = serve(kv_server(SimpleXMLRPCRequestHandler))
capture('xmlrpc-add', 'SimpleXMLRPCServer (HTTP/1.0, closes): add(2, 3)', port, [call('add', 2, 3)], 1)
capture('xmlrpc-fault', "SimpleXMLRPCServer: get('nope') raises KeyError, a fault", port, [call('get', 'nope')], 1)
capture('xmlrpc-listmethods', 'SimpleXMLRPCServer: system.listMethods()', port, [call('system.listMethods')], 1)
capture('xmlrpc-gzip', 'SimpleXMLRPCServer: big(20000), gzipped for a client that accepts it', port,
        [call('big', 20000, headers=(('Content-Type', 'text/xml'), ('Accept-Encoding', 'gzip')))], 1)


class Http11Handler(SimpleXMLRPCRequestHandler):
    protocol_version = 'HTTP/1.1'


port = serve(kv_server(Http11Handler))
capture('xmlrpc-keepalive-pipelined', 'SimpleXMLRPCRequestHandler with HTTP/1.1: four calls pipelined on one kept-alive connection', port,
        [call('add', 2, 3), call('get', 'spam'), call('big', 3000, headers=(('Content-Type', 'text/xml'), ('Accept-Encoding', 'gzip'))),
         call('add', 'a', 'b', headers=(('Content-Type', 'text/xml'), ('Connection', 'close')))], 4)


# --- http.server ----------------------------------------------------------------------------------

PAYLOAD = json.dumps({'jsonrpc': '2.0', 'result': [1, 'two', {'three': 3.0}], 'id': 1}).encode()
LARGE = (b'<value><string>' + bytes(range(32, 127)) * 200 + b'</string></value>\n')


def chunks(data, sizes):
    out, at = [], 0
    for n in sizes:
        out.append(data[at:at + n])
        at += n
    if at < len(data):
        out.append(data[at:])
    return [c for c in out if c]


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers.get('Content-Length', 0)))
        self.do_GET()

    def do_GET(self):
        path = self.path
        if path == '/length':
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(PAYLOAD)))
            self.end_headers()
            self.wfile.write(PAYLOAD)
        elif path == '/empty':
            self.send_response(204, 'No Content')
            self.send_header('Content-Length', '0')
            self.end_headers()
        elif path == '/error':
            body = b'{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": 7}'
            self.send_response(500, 'Internal Server Error')
            self.send_header('Content-Type', 'application/json')
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif path in ('/chunked', '/chunked-trailers', '/chunked-gzip', '/chunked-large'):
            data = LARGE if path == '/chunked-large' else PAYLOAD
            if path == '/chunked-gzip':
                data = gzip.compress(LARGE, mtime=0)
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('Transfer-Encoding', 'chunked')
            if path == '/chunked-gzip':
                self.send_header('Content-Encoding', 'gzip')
            if path == '/chunked-trailers':
                self.send_header('Trailer', 'X-Checksum, X-Count')
            self.end_headers()
            sizes = [17000, 1, 1500] if path == '/chunked-large' else [1, 16, 3, 40, 200]
            for i, c in enumerate(chunks(data, sizes)):
                ext = ';seq=%d;name="part %d"' % (i, i) if path != '/chunked-large' and i % 2 == 0 else ''
                # upper-case hex for the large one, as some servers send it
                size = ('%X' if path == '/chunked-large' else '%x') % len(c)
                self.wfile.write(size.encode() + ext.encode() + b'\r\n' + c + b'\r\n')
            if path == '/chunked-trailers':
                self.wfile.write(b'0;last\r\nX-Checksum: %08x\r\nX-Count: 5\r\n\r\n' % zlib.crc32(data))
            else:
                self.wfile.write(b'0\r\n\r\n')
        elif path == '/deflate':
            data = zlib.compress(LARGE)
            self.send_response(200)
            self.send_header('Content-Type', 'text/xml')
            self.send_header('Content-Encoding', 'deflate')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        elif path == '/until-close':
            # an HTTP/1.0 answer with no length: the body ends where the connection does
            self.protocol_version = 'HTTP/1.0'
            self.close_connection = True
            self.send_response(200)
            self.send_header('Content-Type', 'text/xml')
            self.end_headers()
            self.wfile.write(LARGE[:3000])
        else:
            self.send_error(404)


port = serve(ThreadingHTTPServer(('127.0.0.1', 0), Handler))
close = ('Connection', 'close')
capture('length', 'http.server, HTTP/1.1: a Content-Length body, then close', port, [request('POST', '/length', b'{}', [close])], 1)
capture('chunked-extensions', 'http.server: a chunked body with chunk extensions', port, [request('GET', '/chunked', headers=[close])], 1)
capture('chunked-trailers', 'http.server: chunked with extensions and two trailers', port, [request('GET', '/chunked-trailers', headers=[close])], 1)
capture('chunked-large', 'http.server: chunks of 17000, 1, 1500 bytes and the rest, sizes in upper-case hex', port, [request('GET', '/chunked-large', headers=[close])], 1)
capture('chunked-gzip', 'http.server: a gzip body sent chunked', port, [request('GET', '/chunked-gzip', headers=[close])], 1)
capture('deflate', 'http.server: a deflate body with Content-Length', port, [request('GET', '/deflate', headers=[close])], 1)
capture('until-close', 'http.server: HTTP/1.0, no Content-Length, the body runs until the close', port, [request('GET', '/until-close')], 1)
capture('continue', 'http.server: 100 Continue, then the response', port,
        [request('POST', '/length', b'{"id": 1}', [('Expect', '100-continue'), close])], 1)
capture('keepalive-pipelined', 'http.server: seven requests pipelined on one kept-alive connection', port,
        [request('POST', '/length', b'[]'), request('GET', '/chunked-trailers'), request('GET', '/empty'), request('GET', '/chunked-gzip'),
         request('POST', '/error', b'{}'), request('GET', '/deflate'), request('GET', '/nope', headers=[close])], 7)
capture('keepalive-then-close', 'http.server: a kept-alive response, a 100 Continue, then one delimited by the close', port,
        [request('GET', '/chunked'), request('POST', '/length', b'1', [('Expect', '100-continue')]), request('GET', '/until-close')], 3)


# --- the test suite's JSON-RPC server ---------------------------------------------------------------

proc = subprocess.Popen([sys.executable, os.path.join(SERVERS, 'jsonrpc_server.py'), 'http', '--chunked', '--gzip'], stdout=subprocess.PIPE, text=True)
try:
    port = int(proc.stdout.readline().split()[1])
    rpc = lambda method, params, id_, extra=(): request(  # noqa: E731
        'POST', '/', json.dumps({'jsonrpc': '2.0', 'method': method, 'params': params, 'id': id_}).encode(),
        [('Content-Type', 'application/json')] + list(extra))
    capture('jsonrpc-server-chunked-gzip', 'test/servers/jsonrpc_server.py http --chunked --gzip: three calls pipelined, gzip accepted for two', port,
            [rpc('add', [2, 3], 1, [('Accept-Encoding', 'gzip')]), rpc('get', ['nope'], 2), rpc('big', [5000], 3, [('Accept-Encoding', 'gzip'), close])], 3)
finally:
    proc.terminate()
    proc.wait()

json.dump({'python': platform.python_version(), 'streams': STREAMS}, sys.stdout, indent=1)
sys.stdout.write('\n')
