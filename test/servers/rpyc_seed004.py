# Seed 004's RPyC service (TestService with @rpyc.service and @rpyc.exposed foo/bar, exactly as the
# article writes it), extended with what the client's tests need: kwargs with a docstring, netrefs
# (a Counter object), remote lists, exceptions, a slow call, a call that iterates an argument, the
# `exposed_` prefix style and a method that is not exposed. ThreadedServer on 127.0.0.1, port 0;
# prints `PORT n` once bound. Run with Debian's /usr/bin/python3 (it has python3-rpyc).
import sys
import time

import rpyc
from rpyc.utils.server import ThreadedServer


@rpyc.service
class TestService(rpyc.Service):
    @rpyc.exposed
    def foo(self):
        return 'foo'

    @rpyc.exposed
    def bar(self):
        return 'bar'


@rpyc.service
class Meta(object):
    exposed_name = 'meta'


@rpyc.service
class Counter(object):
    exposed_kind = 'counter'  # attributes, read as c.kind, c.start, c.meta.name

    def __init__(self, start=0):
        self.n = start
        self.exposed_start = start
        self.exposed_meta = Meta()

    @rpyc.exposed
    def incr(self, by=1):
        """Add `by` to the counter and return the new value."""
        self.n += by
        return self.n

    @rpyc.exposed
    def value(self):
        return self.n


@rpyc.service
class ExtendedService(TestService):
    @rpyc.exposed
    def add(self, a, b=0):
        """Return a + b."""
        return a + b

    @rpyc.exposed
    def echo(self, x):
        return x

    @rpyc.exposed
    def counter(self, start=0):
        return Counter(start)

    @rpyc.exposed
    def get_list(self):
        return [1, 2, 3]

    @rpyc.exposed
    def get_nested(self):
        return {'a': [1, (2, 'x')], 'b': {3, 4}, 'c': None}

    @rpyc.exposed
    def get_big_list(self, n):
        return list(range(n))

    @rpyc.exposed
    def fail(self, *notes):
        e = ValueError('boom')
        for note in notes:
            e.add_note(note)
        raise e

    @rpyc.exposed
    def slow(self, s):
        print('SLOW %s' % s, flush=True)  # tests wait for this to know the call is running
        time.sleep(s)
        return s

    @rpyc.exposed
    def total(self, items):
        """Sum an iterable the caller passes (the server iterates it through the connection)."""
        return sum(x for x in items)

    @rpyc.exposed
    def length(self, items):
        return len(items)

    @rpyc.exposed
    def lookup(self, mapping, key):
        return mapping[key]

    @rpyc.exposed
    def describe(self, obj):
        return repr(obj)

    def exposed_legacy(self, x):
        """Old-style exposed method."""
        return ('legacy', x)

    def hidden(self):
        return 'secret'


def main():
    service = TestService if '--plain' in sys.argv else ExtendedService
    server = ThreadedServer(service, hostname='127.0.0.1', port=0,
                            protocol_config={'allow_public_attrs': False})
    # start() only listen()s later: listen now so a client that connects on seeing PORT is not refused
    server.listener.listen(server.backlog)
    print('PORT %d' % server.port, flush=True)
    server.start()


if __name__ == '__main__':
    main()
