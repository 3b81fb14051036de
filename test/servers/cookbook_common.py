# Shared by the Cookbook-style test servers: command-line handling, the Listener loop, and the
# functions the servers register. Runs on Python 2.7 and 3.x.
#   --authkey-hex HEX   authkey bytes (hex, so any bytes can be given); no authkey when absent
#   --list              also register listMethods() returning the registered names
import binascii
import datetime
import os
import sys
import time
from multiprocessing.connection import Listener
from threading import Thread

try:
    from multiprocessing import AuthenticationError
except ImportError:  # pragma: no cover
    from multiprocessing.connection import AuthenticationError


class AppError(Exception):
    """An exception class only the server has."""


class Point(object):
    def __init__(self, x, y):
        self.x = x
        self.y = y


def add(x, y):
    return x + y


def sub(x, y):
    return x - y


def echo(*args, **kwargs):
    return [list(args), kwargs]


def values(kind):
    table = {
        'bigint': [2 ** 100, -2 ** 70, 2 ** 63, -1, 0],
        'float': [1e16, 0.1, -0.0, float('inf'), 1.5],
        'nested': {'a': [1, (2, 3), (4,)], 'b': {'c': None, 'd': True}, 'e': ()},
        'bytes': b'\x00\xffab',
        'set': [set([1, 2]), frozenset([4])],
        'none': None,
        'str': u'h\xe9llo \u2603',
        'datetime': datetime.datetime(2024, 1, 2, 3, 4, 5, 678),
        'point': Point(1, 2),
        'error': AppError('not raised, returned', 7),
    }
    return table[kind]


def with_notes(e, notes):
    """The exception with notes added (Python 3.11+; older Pythons have no add_note)."""
    for note in notes:
        if hasattr(e, 'add_note'):
            e.add_note(note)
    return e


def fail(kind, *notes):
    if kind == 'app':
        raise with_notes(AppError('custom failure', 42), notes)
    if kind == 'value':
        raise with_notes(ValueError('bad value'), notes)
    return {}['missing']


def slow(seconds):
    time.sleep(seconds)
    return 'done'


def big(n):
    return b'x' * n


def die():
    os._exit(3)


FUNCTIONS = [add, sub, echo, values, fail, slow, big, die]


def parse_args(argv):
    authkey = None
    listing = False
    i = 0
    while i < len(argv):
        if argv[i] == '--authkey-hex':
            authkey = binascii.unhexlify(argv[i + 1])
            i += 1
        elif argv[i] == '--list':
            listing = True
        i += 1
    return authkey, listing


def serve(handler, argv):
    authkey, listing = parse_args(argv)
    for f in FUNCTIONS:
        handler.register_function(f)
    if listing:
        def listMethods():
            return sorted(handler._functions)
        handler.register_function(listMethods)
    sock = Listener(('127.0.0.1', 0), authkey=authkey)
    sys.stdout.write('PORT %d\n' % sock.address[1])
    sys.stdout.flush()
    while True:
        # The recipe's loop dies on a failed handshake; keep serving so one server can take many tests.
        try:
            client = sock.accept()
        except (AuthenticationError, EOFError, IOError, OSError, AssertionError, ValueError) as e:
            sys.stderr.write('handshake failed: %r\n' % (e,))
            continue
        t = Thread(target=handler.handle_connection, args=(client,))
        t.daemon = True
        t.start()
