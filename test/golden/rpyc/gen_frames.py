# Golden RPyC channel frames: run with Debian's /usr/bin/python3 (python3-rpyc 5.3.0).
#   /usr/bin/python3 test/golden/rpyc/gen_frames.py > test/golden/rpyc/frames.json
# Each frame: the bytes rpyc's Channel.send writes for one message (a u32 length, the compressed
# flag, the brine payload, zlib-compressed past 3000 bytes, and the '\n' flusher), as hex.
import json
import sys

from rpyc.core import brine, vinegar
from rpyc.core.channel import Channel


class Sink:
    MAX_IO_CHUNK = 1 << 20

    def __init__(self):
        self.out = b''

    def write(self, b):
        self.out += b


def frame(data):
    s = Sink()
    Channel(s).send(data)
    return s.out


MSGS = [
    ('getroot', (1, 0, (3, (1, ())))),
    ('callattr', (1, 5, (8, (2, ((3, ('__main__.S', 11, 22)), (1, 'add'), (1, (2, 3)), (1, (('b', 4),))))))),
    ('getattr', (1, 6, (5, ((3, ('__main__.S', 11, 22)), 'exposed_foo')))),
    ('reply-value', (2, 1, (1, ('he', 7, 'llo', 8, (), 900, None, True, 18.2, 2 ** 70)))),
    ('reply-ref', (2, 7, (4, ('builtins.list', 9759744, 140320294714624)))),
    ('reply-big', (2, 1, (1, tuple(range(2000))))),
    ('del', (1, 8, (2, (('__main__.S', 11, 22), 1)))),
]
try:
    {}['nope']
except KeyError:
    MSGS.append(('exception', (3, 9, vinegar.dump(*sys.exc_info(), include_local_traceback=True, include_local_version=True))))

out = [{'name': name, 'hex': frame(brine.dump(msg)).hex()} for name, msg in MSGS]
print('[\n' + ',\n'.join(json.dumps(x) for x in out) + '\n]')
