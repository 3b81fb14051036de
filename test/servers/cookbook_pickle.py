# The Python Cookbook's pickle RPC server (recipe 11.8): connection.send(pickle.dumps(r)).
# --nowrap receives the request and sends the result as objects (connection.recv() / connection.send(r)),
# as variants that drop the redundant pickle.dumps do.
import pickle
import sys

from cookbook_common import serve


class RPCHandler(object):
    def __init__(self, wrap):
        self._functions = {}
        self._wrap = wrap

    def register_function(self, func):
        self._functions[func.__name__] = func

    def _send(self, connection, obj):
        if self._wrap:
            connection.send(pickle.dumps(obj))
        else:
            connection.send(obj)

    def handle_connection(self, connection):
        try:
            while True:
                # Receive a message
                msg = connection.recv()
                func_name, args, kwargs = pickle.loads(msg) if self._wrap else msg
                # Run the RPC and send a response
                try:
                    r = self._functions[func_name](*args, **kwargs)
                    self._send(connection, r)
                except Exception as e:
                    self._send(connection, e)
        except EOFError:
            pass


if __name__ == '__main__':
    serve(RPCHandler('--nowrap' not in sys.argv), sys.argv[1:])
