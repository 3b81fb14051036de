# Golden vectors for brine: run with Debian's /usr/bin/python3 (python3-rpyc 5.3.0).
#   /usr/bin/python3 test/golden/rpyc/gen_brine.py > test/golden/rpyc/brine-vectors.json
# Each vector: the value as tagged JSON (mirroring rpcscope's PyValue), repr(value), brine.dump hex.
import json
import math
import struct

from rpyc.core import brine


def tag(v):
    if v is None:
        return {'t': 'none'}
    if v is Ellipsis:
        return {'t': 'ellipsis'}
    if v is NotImplemented:
        return {'t': 'notimplemented'}
    if isinstance(v, bool):
        return {'t': 'bool', 'v': v}
    if isinstance(v, int):
        return {'t': 'int', 'v': str(v)}
    if isinstance(v, float):
        return {'t': 'float', 'hex': struct.pack('>d', v).hex()}
    if isinstance(v, complex):
        return {'t': 'complex', 'hex': struct.pack('>dd', v.real, v.imag).hex()}
    if isinstance(v, str):
        return {'t': 'str', 'v': v}
    if isinstance(v, bytes):
        return {'t': 'bytes', 'hex': v.hex()}
    if isinstance(v, tuple):
        return {'t': 'tuple', 'items': [tag(x) for x in v]}
    if isinstance(v, frozenset):
        return {'t': 'frozenset', 'items': [tag(x) for x in v]}
    if isinstance(v, slice):
        return {'t': 'slice', 'items': [tag(v.start), tag(v.stop), tag(v.step)]}
    raise TypeError(type(v))


VALUES = [
    None, True, False, Ellipsis, NotImplemented,
    0, 1, -1, -48, -49, 159, 160, 255, 256, 2**31, -2**31 - 1, 2**63, -2**64, 10**100, -10**300, 10**299,
    0.0, -0.0, 1.5, -2.25, 1e16, 1e-310, math.inf, -math.inf, math.nan, 3.141592653589793,
    1j, complex(1.5, -2), complex(0, math.inf),
    '', 'a', 'hello', 'x' * 255, 'y' * 256, 'é', '日本語', '\x00\n\'"', '\U0001f600' * 3,
    b'', b'\x00', b'ab', b'abc', b'abcd', b'abcde', bytes(range(256)), b'z' * 255, b'q' * 3000,
    (), (1,), (1, 2), (1, 2, 3), (1, 2, 3, 4), (1, 2, 3, 4, 5), tuple(range(255)), tuple(range(256)),
    ((), ((),), (((1,),),)), ('he', 7, 'llo', 8, (), 900, None, True, Ellipsis, 18.2, 18.2j + 13),
    frozenset(), frozenset([5]), frozenset([1, 'a', b'b', (2, 3)]),
    slice(1, 2, 3), slice(None, 5, None), slice('a', (1,), -1.5),
    (1, 0, (3, (1, ()))),
    (2, 5, (4, ('__main__.Counter', 94791234567890, 140320294766224))),
]

vectors = [{'value': tag(v), 'repr': repr(v), 'hex': brine.dump(v).hex()} for v in VALUES]
print('[\n' + ',\n'.join(json.dumps(x) for x in vectors) + '\n]')
