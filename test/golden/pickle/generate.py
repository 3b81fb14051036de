# Golden pickle vectors. Run with Python 3.11 (the reference):
#   python3 test/golden/pickle/generate.py
# It re-runs itself with `--emit` under every CPython found in pyenv (2.7, 3.6-3.13) to collect
# the pickles each one writes for protocols 0..HIGHEST_PROTOCOL, keeps each distinct byte string
# once, and records what Python 3.11 makes of it: the repr (objects of classes the decoder cannot
# have are given in the decoder's own `<module.Name object ...>` form) and pickletools.dis text.
from __future__ import print_function

import glob
import io
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def values():
    import collections
    import datetime
    import decimal
    import pickle
    import uuid
    import golden_classes as gc

    PY3 = sys.version_info[0] >= 3
    out = []

    def add(name, v, min_proto=0):
        out.append((name, v, min_proto))

    for name, v in [('none', None), ('true', True), ('false', False)]:
        add(name, v)
    for n in [0, 1, -1, 255, 256, 65535, 65536, 2 ** 31 - 1, -2 ** 31, 2 ** 31, -2 ** 31 - 1, 2 ** 63,
              2 ** 64, -2 ** 64, 2 ** 1000, -2 ** 1000]:
        add('int %d' % n if abs(n) < 2 ** 70 else 'int %s2**1000' % ('-' if n < 0 else ''), n)
    for f in ['1.5', '-0.0', 'nan', 'inf', '-inf', '1e16', '1e-300', '0.1', '123456789.125']:
        add('float ' + f, float(f))
    add('complex', complex(1.5, -2))
    add('str empty', u'')
    add('str ascii', u'hello')
    add('str latin1', u'caf\xe9')
    add('str bmp', u'\u20ac and \u4e2d')
    add('str astral', u'\U0001F600')
    add('str escapes', u'quote\'s "x"\n\\ \t\x00 \x1a \r')
    add('str long', u'x' * 300)
    if PY3:
        add('bytes empty', b'')
        add('bytes binary', b'\x00\xff\x80abc')
        add('bytes 256', bytes(bytearray(range(256))))
    else:
        add('py2 str ascii', 'plain ascii')
    add('bytearray', bytearray(b'ab\x00'))
    add('list nested', [1, [2, [3, []]]])
    add('tuple 0', ())
    add('tuple 1', (1,))
    add('tuple 2', (1, u'a'))
    add('tuple 3', (1, 2, 3))
    add('tuple 5', (1, 2, 3, 4, 5))
    add('dict', {u'a': 1, u'b': [1, 2]})
    add('dict tuple keys', {(1, 2): u'x', 3: None})
    shared = [1]
    add('shared list', [shared, shared])
    rec = []
    rec.append(rec)
    add('recursive list', rec)
    d = {}
    d[u'self'] = d
    add('recursive dict', d)
    add('set', set([1, 2, 3]))
    add('frozenset', frozenset([4]))
    add('set of tuples', set([(1, 2)]))
    add('list 1500', list(range(1500)))
    add('TypeError', TypeError(u'bad operand'))
    add('KeyError', KeyError(u'k'))
    add('ValueError empty', ValueError())
    add('OSError 2', OSError(2, u'No such file'))
    add('custom exception', gc.MyError(u'boom'))
    add('instance dict', gc.Point(1, u'two'))
    add('instance slots', gc.Slotted(1, 2), 2)
    add('namedtuple', gc.Pt(1, 2))
    add('datetime', datetime.datetime(2024, 1, 2, 3, 4, 5, 6))
    add('datetime no us', datetime.datetime(2024, 1, 2, 3, 4, 5))
    add('date', datetime.date(1999, 12, 31))
    add('time', datetime.time(13, 4, 5))
    add('timedelta', datetime.timedelta(days=-1, seconds=5, microseconds=3))
    if PY3:
        add('datetime utc', datetime.datetime(2024, 1, 2, 3, 4, tzinfo=datetime.timezone.utc))
        add('datetime +0530', datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone(datetime.timedelta(hours=5, minutes=30))))
    add('decimal', decimal.Decimal('1.10'))
    add('ordereddict', collections.OrderedDict([(u'a', 1), (u'b', 2)]))
    add('uuid', uuid.UUID(int=0x12345678123456781234567812345678))
    # standard-library classes printed as Python prints them
    import array
    import fractions
    add('defaultdict', collections.defaultdict(list, {u'a': [1]}))
    add('defaultdict no factory', collections.defaultdict(None, {u'a': 1}))
    add('counter', collections.Counter(u'abbcccb'))
    add('counter empty', collections.Counter())
    add('deque', collections.deque([1, u'x']))
    add('deque maxlen', collections.deque([1, 2], maxlen=3))
    add('fraction', fractions.Fraction(-7, 3))
    add('fraction whole', fractions.Fraction(3))
    add('range', range(3) if PY3 else xrange(3))  # noqa: F821 (Python 2)
    add('range step', range(1, 10, 3) if PY3 else xrange(1, 10, 3))  # noqa: F821
    add('slice', slice(1, None, -1))
    add('ellipsis', Ellipsis)
    add('notimplemented', NotImplemented)
    # globals that are functions, and the types that pickle as type(x)
    add('builtin function', [len, max, print])
    add('builtin class', [int, dict, object])
    if PY3:
        add('type of None', [type(None), type(Ellipsis), type(NotImplemented)])
        import ipaddress
        add('ip addresses', [ipaddress.ip_address(u'10.1.2.3'), ipaddress.ip_address(u'::1'), ipaddress.ip_network(u'10.0.0.0/8'),
                             ipaddress.ip_interface(u'10.1.2.3/24'), ipaddress.ip_network(u'2001:db8::/32')])
    if PY3:
        import re
        add('patterns', [re.compile(u'a+'), re.compile(u'a|b', re.I | re.M), re.compile(b'x', re.I), re.compile(u'\\d', re.A),
                         re.compile(u'y' * 300), re.compile(u'(?x) z', re.S)])
    if PY3:
        import functools
        import os
        import time
        import types
        add('wrappers', [collections.UserDict({u'a': 1}), collections.UserList([1, u'x']), collections.UserString(u's'),
                         collections.ChainMap({u'a': 1}, {}), types.SimpleNamespace(a=1, b=u'x')])
        add('partial', [functools.partial(max, 1, key=abs), functools.partial(len)])
        add('struct sequences', [time.struct_time((2024, 1, 2, 3, 4, 5, 1, 2, 0)), os.stat_result(range(10))])
    if PY3:
        import json as json_module
        import socket
        import subprocess
        try:
            json_module.loads(u'{"a": 1,\n "b"')
        except ValueError as e:
            add('json decode error', e)
        add('subprocess errors', [subprocess.CalledProcessError(1, [u'false']), subprocess.CalledProcessError(-9, u'x'),
                                  subprocess.CalledProcessError(-50, u'y'), subprocess.TimeoutExpired(u'sleep 9', 5)])
        for i, exc in enumerate([subprocess.CalledProcessError(2, u'ls -l'), OSError(2, u'No such file', u'/nope'),
                                 OSError(2, u'x', None, None, u'/g'), socket.gaierror(-2, u'Name or service not known'),
                                 decimal.DivisionByZero(u'x'), UnicodeTranslateError(u'ab', 0, 1, u'bad'),
                                 UnicodeTranslateError(u'ab\u20ac', 0, 3, u'bad')]):
            add('exception %d' % i, exc)
    if sys.version_info >= (3, 11):
        add('exception group', ExceptionGroup(u'eg', [ValueError(1), TypeError(u't')]))  # noqa: F821 (3.11)
        add('base exception group', BaseExceptionGroup(u'beg', [KeyboardInterrupt()]))  # noqa: F821 (3.11)
        noted = ValueError(u'bad row')
        noted.add_note(u'while reading rows.csv')
        noted.add_note(u'line 3:\n  spam,eggs')
        add('exception notes', noted)
        for i, (exc, notes) in enumerate([(KeyError(u'k'), (u'a tuple', u'of notes')), (OSError(2, u'No such file', u'/nope'), [1, u'x']),
                                          (TypeError(u't'), [])]):
            exc.__notes__ = notes
            add('exception notes %d' % i, exc)
    if sys.version_info >= (3, 9):
        import datetime
        import zoneinfo
        add('zoneinfo', [zoneinfo.ZoneInfo(u'UTC'), datetime.datetime(2024, 1, 2, 3, 4, tzinfo=zoneinfo.ZoneInfo(u'Europe/Paris'))])
    for code, items in [('b', [-1, 2]), ('B', [255]), ('h', [-300]), ('H', [65535]), ('i', [-70000, 1]), ('I', [4000000000]),
                        ('l', [-2 ** 40]), ('L', [2 ** 40]), ('q', [-2 ** 62]), ('Q', [2 ** 63]), ('f', [0.1, 1.5]), ('d', [0.1, -0.0])]:
        try:
            add('array %s' % code, array.array(code, items))
        except (OverflowError, ValueError):
            pass  # a C long of 32 bits
    add('array empty', array.array('i'))
    add('array u', array.array('u', u'h\xe9\u20ac'))
    if PY3:
        import pathlib
        add('purepath', pathlib.PurePosixPath('/tmp/x y'))
        add('purepath relative', pathlib.PurePosixPath('a/b'))
        add('path', pathlib.PosixPath('/etc'))
    request = (u'add', (2, 3), {u'z': 1})
    add('cookbook request', request)
    for p in range(pickle.HIGHEST_PROTOCOL + 1):
        add('cookbook wrapped p%d' % p, pickle.dumps(request, p) if PY3 else bytearray(pickle.dumps(request, p)))
    return out


def emit():
    import pickle
    rows = []
    for name, v, min_proto in values():
        for p in range(min_proto, pickle.HIGHEST_PROTOCOL + 1):
            try:
                data = pickle.dumps(v, p)
            except Exception:
                continue  # e.g. __slots__ without __getstate__ at protocol 0/1
            rows.append({'name': name, 'proto': p, 'hex': bytearray(data).hex() if sys.version_info[0] >= 3 else data.encode('hex')})
    sys.stdout.write(json.dumps(rows))


def reference_repr(v, seen=None):
    """repr() as Python prints it, except for instances of golden_classes the decoder cannot have."""
    import golden_classes as gc
    if isinstance(v, gc.Point):
        return '<golden_classes.Point object %s>' % reference_repr(vars(v))
    if isinstance(v, gc.Slotted):
        return "<golden_classes.Slotted object (None, {'a': %r, 'b': %r})>" % (v.a, v.b)
    if isinstance(v, gc.Pt):
        return '<golden_classes.Pt object args=%r>' % (tuple(v),)
    if isinstance(v, list) and any(isinstance(x, (gc.Point, gc.Slotted, gc.Pt)) for x in v):
        return '[' + ', '.join(reference_repr(x) for x in v) + ']'
    return repr(v)


class Py313Unpickler(__import__('pickle').Unpickler):
    """Python 3.13 pickles paths as pathlib._local.PosixPath, a module 3.11 does not have."""

    def find_class(self, module, name):
        return super().find_class('pathlib' if module == 'pathlib._local' else module, name)


def main():
    import pickle
    import pickletools
    import traceback
    pythons = sorted(glob.glob('/root/.pyenv/versions/*/bin/python'))
    unique = {}
    order = []
    for py in pythons:
        ver = subprocess.check_output([py, '-c', 'import sys; print("%d.%d" % sys.version_info[:2])']).decode().strip()
        rows = json.loads(subprocess.check_output([py, os.path.abspath(__file__), '--emit'], env=dict(os.environ, PYTHONHASHSEED='0')).decode())
        for r in rows:
            key = r['hex']
            if key not in unique:
                unique[key] = {'name': r['name'], 'hex': key, 'from': []}
                order.append(key)
            unique[key]['from'].append('%s p%d' % (ver, r['proto']))
    vectors = []
    for key in order:
        vec = unique[key]
        data = bytes.fromhex(key)
        try:
            value = pickle.loads(data)
        except UnicodeDecodeError:
            value = pickle.loads(data, encoding='latin1')  # Python 2 str holding binary data
        except ImportError:
            value = Py313Unpickler(io.BytesIO(data)).load()
        vec['repr'] = reference_repr(value)
        if isinstance(value, BaseException):
            full = ''.join(traceback.format_exception_only(type(value), value))
            notes = vars(value).pop('__notes__', None)
            without = ''.join(traceback.format_exception_only(type(value), value))
            if notes is not None:
                value.__notes__ = notes
            vec['lastLine'] = without.rstrip('\n').split('\n')[-1]
            if full != without:
                vec['notes'] = full[len(without):].rstrip('\n').split('\n')
        out = io.StringIO()
        try:
            pickletools.dis(data, out)
            vec['dis'] = out.getvalue()
        except Exception as e:  # pickletools rejects a few valid pickles (e.g. binary Python 2 str)
            vec['disError'] = '%s: %s' % (type(e).__name__, e)
        vectors.append(vec)
    with open(os.path.join(HERE, 'vectors.json'), 'w') as f:
        json.dump(vectors, f, indent=0, sort_keys=True)
        f.write('\n')
    print('%d distinct pickles from %d interpreters' % (len(vectors), len(pythons)))


if __name__ == '__main__':
    if '--emit' in sys.argv:
        emit()
    else:
        main()
