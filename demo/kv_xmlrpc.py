# Demo: seed 002's XML-RPC KeyValueServer (get/set/delete/exists/keys, allow_none), with
# introspection registered so the method list can be discovered. Prints `PORT n` once listening.
from xmlrpc.server import SimpleXMLRPCServer


class KeyValueServer:
    _rpc_methods_ = ['get', 'set', 'delete', 'exists', 'keys']

    def __init__(self, address):
        self._data = {}
        self._serv = SimpleXMLRPCServer(address, allow_none=True, logRequests=False)
        for name in self._rpc_methods_:
            self._serv.register_function(getattr(self, name))
        self._serv.register_introspection_functions()

    def get(self, name):
        """Return the value stored under name (KeyError when there is none)."""
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
        """The stored names."""
        return list(self._data)

    def serve_forever(self):
        print('PORT %d' % self._serv.server_address[1], flush=True)
        self._serv.serve_forever()


if __name__ == '__main__':
    KeyValueServer(('127.0.0.1', 0)).serve_forever()
