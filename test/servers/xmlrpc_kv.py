"""The Cookbook's KeyValueServer (SimpleXMLRPCServer) plus functions returning every XML-RPC type.

Usage: xmlrpc_kv.py [--no-none] [--no-introspection] [--no-multicall] [--http11] [--tls CERT KEY]
Prints `PORT <n>` once listening on 127.0.0.1.
"""
import datetime
import ssl
import sys
import xmlrpc.client
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

argv = sys.argv[1:]
CONNECTIONS = [0]


class Handler(SimpleXMLRPCRequestHandler):
    rpc_paths = ('/', '/RPC2')
    if '--http11' in argv:
        protocol_version = 'HTTP/1.1'

    def setup(self):
        CONNECTIONS[0] += 1
        super().setup()


class KeyValueServer:
    _rpc_methods_ = ['get', 'set', 'delete', 'exists', 'keys']

    def __init__(self, address, allow_none):
        self._data = {}
        self._serv = SimpleXMLRPCServer(address, requestHandler=Handler, allow_none=allow_none, logRequests=False)
        for name in self._rpc_methods_:
            self._serv.register_function(getattr(self, name))

    def get(self, name):
        """Return the value stored under name."""
        return self._data[name]

    def set(self, name, value):
        """Store value under name."""
        self._data[name] = value

    def delete(self, name):
        """Remove name."""
        del self._data[name]

    def exists(self, name):
        """Whether name is stored."""
        return name in self._data

    def keys(self):
        """All stored names."""
        return list(self._data)


def add(a, b):
    """Add two numbers."""
    return a + b


def echo(x):
    return x


def when():
    """A fixed date-time."""
    return datetime.datetime(2024, 1, 2, 3, 4, 5)


def blob(n):
    """n bytes 0..255 repeating, as Binary."""
    return xmlrpc.client.Binary(bytes(i % 256 for i in range(n)))


def all_types():
    return {
        'int': 42, 'neg': -2**31, 'bool': True, 'str': 'héllo <&>', 'float': 2.5, 'inf': float('inf'),
        'date': datetime.datetime(2024, 1, 2, 3, 4, 5), 'bin': xmlrpc.client.Binary(b'\x00\xffab'),
        'list': [1, [2, [3, ['deep']]]], 'struct': {'a': {'b': {'c': 1}}}, 'empty': [],
    }


def big_struct(n):
    return {'key%d' % i: i for i in range(n)}


def big_reply(mb):
    """About mb megabytes of XML: a list of small structs."""
    row = {'id': 1, 'name': 'item', 'price': 1.5, 'tags': ['a', 'b'], 'ok': True}
    return [dict(row, id=i) for i in range(int(mb * 1024 * 1024 / 400))]


def nothing():
    """Return None (a fault unless the server allows None)."""
    return None


def fail(msg):
    raise ValueError(msg)


def connections():
    """How many TCP connections the server has accepted."""
    return CONNECTIONS[0]


if __name__ == '__main__':
    kv = KeyValueServer(('127.0.0.1', 0), allow_none='--no-none' not in argv)
    serv = kv._serv
    for f in (add, echo, when, blob, all_types, big_struct, big_reply, nothing, fail, connections):
        serv.register_function(f)
    if '--no-introspection' not in argv:
        serv.register_introspection_functions()
    if '--no-multicall' not in argv:
        serv.register_multicall_functions()
    if '--tls' in argv:
        i = argv.index('--tls')
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(argv[i + 1], argv[i + 2])
        serv.socket = ctx.wrap_socket(serv.socket, server_side=True)
    print('PORT %d' % serv.server_address[1], flush=True)
    serv.serve_forever()
