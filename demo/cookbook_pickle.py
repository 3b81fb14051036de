# Demo: the Python Cookbook's pickle RPC server (recipe 11.8), authkey b'peekaboo', functions add
# and sub. Listens on 127.0.0.1 with a free port and prints `PORT n` once listening.
import pickle
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
        client = sock.accept()
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
