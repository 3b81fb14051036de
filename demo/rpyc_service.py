# Demo: seed 004's RPyC TestService (foo and bar), served by a ThreadedServer on 127.0.0.1 with a
# free port. Prints `PORT n` once bound. Needs rpyc (Debian's python3-rpyc).
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


if __name__ == '__main__':
    server = ThreadedServer(TestService, hostname='127.0.0.1', port=0)
    print('PORT %d' % server.port, flush=True)
    server.start()
