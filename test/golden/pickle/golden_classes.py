# Classes the golden pickles refer to. Importable by Python 2.7 and 3.x alike.
import collections


class Point(object):
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted(object):
    __slots__ = ('a', 'b')

    def __init__(self, a, b):
        self.a = a
        self.b = b


class MyError(Exception):
    def __init__(self, msg):
        Exception.__init__(self, msg)
        self.code = 5


Pt = collections.namedtuple('Pt', ['x', 'y'])


class Evil(object):
    """Unpickling this would run a shell command: the decoder must only describe it."""

    def __reduce__(self):
        import os
        return (os.system, ('echo pwned',))
