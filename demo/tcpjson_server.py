# Demo: seed 003's raw-TCP JSON RPC server. One request per connection:
# {"method_name", "method_args", "method_kwargs"} in, {"res": ...} out, then the server closes.
# Prints `PORT n` once listening.
import json
import socket


class RPCServer:
    def __init__(self):
        self.funcs = {}
        self.serversocket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.serversocket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)

    def register_function(self, fn, name=None):
        self.funcs[name or fn.__name__] = fn

    def call_method(self, data):
        method_name = data.get('method_name', '')
        method_args = data.get('method_args', None)
        method_kwargs = data.get('method_kwargs', None)
        if method_name in self.funcs:
            res = self.funcs[method_name](*method_args, **method_kwargs)
        else:
            res = 'Please use the correct function'
        return json.dumps({'res': res})

    def loop(self, host='127.0.0.1', port=0):
        self.serversocket.bind((host, port))
        self.serversocket.listen(5)
        print('PORT %d' % self.serversocket.getsockname()[1], flush=True)
        while True:
            clientsocket, _ = self.serversocket.accept()
            try:
                r = clientsocket.recv(1024)
                clientsocket.sendall(self.call_method(json.loads(r.decode('utf-8'))).encode('utf-8'))
            except Exception:
                pass
            finally:
                clientsocket.close()


def test(*args, **kwargs):
    return {'args': list(args), 'kwargs': kwargs}


def add(a, b):
    return a + b


if __name__ == '__main__':
    s = RPCServer()
    s.register_function(test)
    s.register_function(add)
    s.loop()
