# Demo: the Python Cookbook's pickle RPC server (recipe 11.8), authkey b'peekaboo', functions add
# and sub. Listens on 127.0.0.1 with a free port and prints `PORT n` once listening. Unlike the
# recipe, it survives a failed handshake.
import pickle
import sys
from multiprocessing import AuthenticationError
from multiprocessing.connection import Listener
from threading import Thread


class RPCHandler:
    def __init__(self):
        self._functions = {}

    def register_function(self, func):
        self._functions[func.__name__] = func

    def handle_connection(self, connection):
        try:
            while True:
                # Receive a message
                func_name, args, kwargs = pickle.loads(connection.recv())
                # Run the RPC and send a response
                try:
                    r = self._functions[func_name](*args, **kwargs)
                    connection.send(pickle.dumps(r))
                except Exception as e:
                    connection.send(pickle.dumps(e))
        except EOFError:
            pass


def rpc_server(handler, address, authkey):
    sock = Listener(address, authkey=authkey)
    print('PORT %d' % sock.address[1], flush=True)
    while True:
        # The recipe's loop ends on the first failed handshake (a wrong or missing authkey); the demo
        # keeps serving, since one typo must not take it down for the rest of the session.
        try:
            client = sock.accept()
        except (AuthenticationError, EOFError, OSError) as e:
            print('handshake failed: %r' % (e,), file=sys.stderr, flush=True)
            continue
        t = Thread(target=handler.handle_connection, args=(client,))
        t.daemon = True
        t.start()


# Some remote functions
def add(x, y):
    return x + y


def sub(x, y):
    return x - y


if __name__ == '__main__':
    handler = RPCHandler()
    handler.register_function(add)
    handler.register_function(sub)
    rpc_server(handler, ('127.0.0.1', 0), authkey=b'peekaboo')
