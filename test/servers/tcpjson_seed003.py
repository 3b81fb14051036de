"""Seed 003's raw-TCP JSON RPC server, as the article writes it: one connection per call,
`recv(1024)`, `{"res": ...}` back, 'Please use the correct function' for unknown names, and no
error handling (an exception in a function stops the server).

Usage: tcpjson_seed003.py [--chunked]
  --chunked  send replies in 700-byte pieces with pauses (a reply spread over many reads)
Prints `PORT <n>` once listening on 127.0.0.1.
"""
import json
import socket
import sys
import time

CHUNKED = '--chunked' in sys.argv


class TCPServer(object):
    def __init__(self):
        self.serversocket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)

    def bind_listen(self, host, port):
        self.serversocket.bind((host, port))
        self.serversocket.listen(5)

    def accept_receive_close(self):
        clientsocket, address = self.serversocket.accept()
        r = clientsocket.recv(1024)
        data = self.process_request(r)
        if CHUNKED:
            raw = data.encode('utf-8')
            for i in range(0, len(raw), 700):
                clientsocket.sendall(raw[i:i + 700])
                time.sleep(0.01)
        else:
            clientsocket.sendall(data.encode('utf-8'))
        clientsocket.close()


class RPCStub(object):
    def __init__(self):
        self.funcs = {}

    def register_function(self, fn, name=None):
        if name is None:
            name = fn.__name__
        self.funcs[name] = fn


class JSONRPC(object):
    def __init__(self):
        self.data = None

    def from_data(self, data):
        self.data = json.loads(data.decode('utf-8'))

    def call_method(self):
        method_name = self.data.get('method_name', '')
        method_args = self.data.get('method_args', None)
        method_kwargs = self.data.get('method_kwargs', None)

        if (method_name in self.funcs):
            res = self.funcs[method_name](*method_args, **method_kwargs)
        else:
            res = 'Please use the correct function'
        data = {"res": res}
        return json.dumps(data)


class RPCServer(TCPServer, JSONRPC, RPCStub):
    def __init__(self):
        TCPServer.__init__(self)
        JSONRPC.__init__(self)
        RPCStub.__init__(self)

    def loop(self, host='0.0.0.0', port=5000):
        self.bind_listen(host, port)
        print('PORT %d' % self.serversocket.getsockname()[1], flush=True)
        while True:
            self.accept_receive_close()

    def process_request(self, data):
        self.from_data(data)
        return self.call_method()


def test(*args, **kwargs):
    print("test: args = {}, kwargs = {}".format(args, kwargs), file=sys.stderr)
    return 'the test function has been called'


def add(a, b):
    return a + b


def big(n):
    """A reply far larger than the seed client's recv(1024)."""
    return [{'i': i, 'name': 'item %d' % i} for i in range(n)]


def echo(*args, **kwargs):
    return {'args': args, 'kwargs': kwargs}


if __name__ == '__main__':
    s = RPCServer()
    for f in (test, add, big, echo):
        s.register_function(f)
    s.loop('127.0.0.1', 0)
