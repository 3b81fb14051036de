// The repr/str printer on a table of cases whose expected text is CPython 3.11's (see the parity
// test for the same checked against a live interpreter).
import { describe, expect, it } from 'vitest';
import { complexRepr, floatRepr, isPrintable, MAX_REPR_DEPTH, pyStr, repr } from '../../src/common/repr';
import type { PyList, PyObject, PyValue } from '../../src/common/value';
import { bytes, dict, float, frozenset, int, list, None, set, str, strDict, True, tuple } from '../../src/common/value';

const obj = (module: string, name: string, args: PyValue[] = [], extra: Partial<PyObject> = {}): PyObject => ({ t: 'object', module, name, args, ...extra });

describe('repr', () => {
  it.each<[number, string]>([
    [1e16, '1e+16'],
    [1e-5, '1e-05'],
    [5e-324, '5e-324'],
    [0.1, '0.1'],
    [100, '100.0'],
    [1.5e300, '1.5e+300'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [-0, '-0.0'],
    [0.0001, '0.0001'],
    [9999999999999998, '9999999999999998.0'],
    [123456789012345680, '1.2345678901234568e+17'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
  ])('float %s -> %s', (x, text) => {
    expect(floatRepr(x)).toBe(text);
  });

  it.each<[number, number, string]>([
    [1, 2, '(1+2j)'],
    [0, 1, '1j'],
    [-0, -1, '(-0-1j)'],
    [NaN, Infinity, '(nan+infj)'],
    [0, NaN, 'nanj'],
    [1e16, 1e-5, '(1e+16+1e-05j)'],
    [1.5, -0, '(1.5-0j)'],
  ])('complex(%s, %s) -> %s', (re, im, text) => {
    expect(complexRepr(re, im)).toBe(text);
  });

  it.each<[PyValue, string]>([
    [None, 'None'],
    [True, 'True'],
    [int(2n ** 100n), '1267650600228229401496703205376'],
    [str("it's"), `"it's"`],
    [str(`'"`), `'\\'"'`],
    [str('a\nb\t\\\x00\x7f\u00a0\u00ad\u2028\u{1f600}\u{e0001}'), "'a\\nb\\t\\\\\\x00\\x7f\\xa0\\xad\\u2028\u{1f600}\\U000e0001'"],
    [bytes(Uint8Array.from([0, 0x27, 0x41, 0xff])), `b"\\x00'A\\xff"`],
    [{ t: 'bytearray', v: Uint8Array.from([0x27]) }, `bytearray(b"\\'")`],
    [tuple([int(1)]), '(1,)'],
    [tuple([]), '()'],
    [list([]), '[]'],
    [dict([]), '{}'],
    [strDict([['a', int(1)]]), "{'a': 1}"],
    [set([int(1), int(2)]), '{1, 2}'],
    [set([]), 'set()'],
    [frozenset([int(4)]), 'frozenset({4})'],
    [frozenset([]), 'frozenset()'],
    [dict([[tuple([int(1), str('x')]), list([float(0.5)])]]), "{(1, 'x'): [0.5]}"],
    [obj('builtins', 'TypeError', [str('msg')]), "TypeError('msg')"],
    [obj('builtins', 'KeyError', [str('nope')]), "KeyError('nope')"],
    [obj('builtins', 'ValueError', [int(1), int(2)]), 'ValueError(1, 2)'],
    [obj('builtins', 'ValueError'), 'ValueError()'],
    [obj('mymod', 'Outer.BadThing', [str('x')], { exception: true }), "BadThing('x')"],
    [obj('common', 'Point', [], { state: strDict([['x', int(1)], ['y', int(2)]]) }), "<common.Point object {'x': 1, 'y': 2}>"],
    [obj('common', 'Point'), '<common.Point object>'],
    [obj('m', 'N', [int(1), int(2)]), '<m.N object args=(1, 2)>'],
    [obj('m', 'N', [int(1)], { kwargs: [['k', int(3)]] }), "<m.N object args=(1,) kwargs={'k': 3}>"],
    [obj('collections', 'OrderedDict', [], { dictItems: [str('a'), int(1)] }), "<collections.OrderedDict object items={'a': 1}>"],
    [obj('datetime', 'date', [], { display: 'datetime.date(2024, 1, 2)' }), 'datetime.date(2024, 1, 2)'],
    [{ t: 'global', module: 'builtins', name: 'int' }, "<class 'int'>"],
    [{ t: 'global', module: 'common', name: 'Point' }, "<class 'common.Point'>"],
    [{ t: 'ref', cls: 'builtins.list', handle: '7', repr: '[1, 2]' }, '[1, 2]'],
    [{ t: 'ref', cls: '__main__.Counter', handle: '9' }, '<netref __main__.Counter 9>'],
  ])('case %#', (v, text) => {
    expect(repr(v)).toBe(text);
  });

  it('prints a list that contains itself like Python', () => {
    const l: PyList = list([int(1)]);
    l.items.push(l);
    expect(repr(l)).toBe('[1, [...]]');
    const d = dict([]);
    d.kv.push(str('me'), d);
    expect(repr(list([d, d]))).toBe("[{'me': {...}}, {'me': {...}}]");
  });

  it('prints very deep nesting without exhausting the stack', () => {
    let v: PyValue = int(0);
    for (let i = 0; i < 100_000; i++) v = list([v]);
    const text = repr(v);
    expect(text.startsWith('['.repeat(MAX_REPR_DEPTH) + '[...]')).toBe(true);
  });

  it('knows which code points Python escapes', () => {
    expect(isPrintable(0x41)).toBe(true);
    expect(isPrintable(0x20)).toBe(true);
    expect(isPrintable(0xa0)).toBe(false);
    expect(isPrintable(0x0378)).toBe(false);
    expect(isPrintable(0x1f600)).toBe(true);
    expect(isPrintable(0x10ffff)).toBe(false);
  });
});

describe('pyStr', () => {
  it.each<[PyValue, string]>([
    [str('plain'), 'plain'],
    [int(3), '3'],
    [obj('builtins', 'ValueError'), ''],
    [obj('builtins', 'ValueError', [str('bad value')]), 'bad value'],
    [obj('builtins', 'ValueError', [int(1), str('b')]), "(1, 'b')"],
    [obj('builtins', 'KeyError', [str('nope')]), "'nope'"],
    [obj('builtins', 'FileNotFoundError', [int(2), str('No such file or directory'), str('x')]), "[Errno 2] No such file or directory: 'x'"],
    [obj('builtins', 'OSError', [int(2), str('msg'), str('a'), None, str('b')]), "[Errno 2] msg: 'a' -> 'b'"],
    [obj('builtins', 'UnicodeDecodeError', [str('utf-8'), bytes(Uint8Array.from([0xff])), int(0), int(1), str('invalid start byte')]), "'utf-8' codec can't decode byte 0xff in position 0: invalid start byte"],
    [obj('builtins', 'UnicodeEncodeError', [str('ascii'), str('a\u1234'), int(1), int(2), str('ordinal not in range(128)')]), "'ascii' codec can't encode character '\\u1234' in position 1: ordinal not in range(128)"],
    [obj('builtins', 'SyntaxError', [str('invalid syntax'), tuple([str('/x/f.py'), int(1), int(4), str('1 +\n')])]), 'invalid syntax (f.py, line 1)'],
  ])('case %#', (v, text) => {
    expect(pyStr(v)).toBe(text);
  });
});
