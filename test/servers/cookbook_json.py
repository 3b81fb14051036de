# Seed 001's JSON variant: connection.send(json.dumps(r)); on an exception it calls json.dumps(e),
# which itself raises, so the handler thread dies and the connection closes mid-call.
import json
import sys

from cookbook_common import serve


class RPCHandler(object):
    def __init__(self):
        self._functions = {}

    def register_function(self, func):
        self._functions[func.__name__] = func

    def handle_connection(self, connection):
        try:
            while True:
                # Receive a message
                func_name, args, kwargs = json.loads(connection.recv())
                # Run the RPC and send a response
                try:
                    r = self._functions[func_name](*args, **kwargs)
                    connection.send(json.dumps(r))
                except Exception as e:
                    connection.send(json.dumps(e))
        except EOFError:
            pass


if __name__ == '__main__':
    serve(RPCHandler(), sys.argv[1:])
