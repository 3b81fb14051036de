// repr() parity with CPython: random values are printed here and by Python 3 (which rebuilds them
// from their JSON-safe form), and the texts must be identical.
//
// Set order: the printer prints a set in the order the value model holds (the order the server
// sent). Python's own order depends on hashing, which is reproducible only for small non-negative
// ints (hash(i) == i lands in slot i of a table of at least 8 slots), so the sets generated here hold
// distinct ints 0..7 in ascending order, which is exactly the order Python prints them in.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { repr, pyStr } from '../../src/common/repr';
import { toJsonSafe } from '../../src/common/value-json';
import type { PyValue } from '../../src/common/value';
import { runPython } from '../helpers/python';

const PY_REPR = `
import json, sys
sys.path.insert(0, ${JSON.stringify(__dirname)})
from pyjson import decode
out = []
for j in json.load(sys.stdin):
    v = decode(j)
    out.append([repr(v), str(v)])
json.dump(out, sys.stdout)
`;

/** repr and str of each value, as Python prints them. */
function pythonReprs(values: PyValue[]): [string, string][] {
  const input = JSON.stringify(values.map(toJsonSafe));
  return JSON.parse(runPython(PY_REPR, { input })) as [string, string][];
}

const tricky = fc.constantFrom("'", '"', '\\', '\n', '\t', '\r', '\x00', '\x7f', '\x80', '\xa0', '\xad', '\u2028', '\u200b', '\ud800', '\udfff', '\u{1f600}', '\u{e0001}', '\u{10ffff}', 'é', '\u0378', ' ');
const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(fc.oneof(tricky, fc.string({ maxLength: 2 })), { maxLength: 8 }).map((a) => a.join('')),
  fc.string({ unit: fc.integer({ min: 0, max: 0x2fff }).map((c) => String.fromCodePoint(c)), maxLength: 10 }),
);
const floats = fc.oneof(
  fc.double(),
  fc.constantFrom(0.1, 100, 1e16, 1e15, 9999999999999998, 1e-5, 1e-4, 5e-324, 1.5e300, -0, NaN, Infinity, -Infinity, 2 ** 53, 123456789012345680, 0.30000000000000004),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 1000),
);
const ints = fc.oneof(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), fc.bigInt({ min: -300n, max: 300n }));
const smallIntSet = fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 8 }).map((a) => a.sort((x, y) => x - y).map((n): PyValue => ({ t: 'int', v: BigInt(n) })));

const scalar: fc.Arbitrary<PyValue> = fc.oneof(
  fc.constant<PyValue>({ t: 'none' }),
  fc.boolean().map((v): PyValue => ({ t: 'bool', v })),
  ints.map((v): PyValue => ({ t: 'int', v })),
  floats.map((v): PyValue => ({ t: 'float', v })),
  fc.tuple(floats, floats).map(([re, im]): PyValue => ({ t: 'complex', re, im })),
  fc.tuple(fc.constantFrom(0, -0), floats).map(([re, im]): PyValue => ({ t: 'complex', re, im })),
  anyString.map((v): PyValue => ({ t: 'str', v })),
  fc.uint8Array({ maxLength: 12 }).map((v): PyValue => ({ t: 'bytes', v })),
  fc.array(fc.constantFrom(0x27, 0x22, 0x5c, 0x41, 0x00, 0x7f, 0x80, 0xff, 0x0a), { maxLength: 6 }).map((a): PyValue => ({ t: 'bytes', v: Uint8Array.from(a) })),
  fc.uint8Array({ maxLength: 6 }).map((v): PyValue => ({ t: 'bytearray', v })),
  smallIntSet.map((items): PyValue => ({ t: 'set', items })),
  smallIntSet.map((items): PyValue => ({ t: 'frozenset', items })),
);

const { value } = fc.letrec<{ value: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }).map((items): PyValue => ({ t: 'list', items })),
    fc.array(tie('value'), { maxLength: 4 }).map((items): PyValue => ({ t: 'tuple', items })),
    fc
      .uniqueArray(fc.tuple(fc.oneof(anyString, fc.bigInt({ min: -1000n, max: 1000n }).map(String)), tie('value')), { selector: ([k]) => k, maxLength: 4 })
      .map((entries): PyValue => ({ t: 'dict', entries: entries.map(([k, v]) => [{ t: 'str', v: k }, v]) })),
    fc
      .tuple(fc.constantFrom('ValueError', 'KeyError', 'TypeError', 'RuntimeError', 'Exception'), fc.array(tie('value'), { maxLength: 3 }))
      .map(([name, args]): PyValue => ({ t: 'object', module: 'builtins', name, args })),
  ),
}));

describe('repr parity with CPython', () => {
  it('prints random values exactly like Python', () => {
    const values = fc.sample(value, { numRuns: 1500, seed: 20240611 });
    const python = pythonReprs(values);
    const mismatches: string[] = [];
    values.forEach((v, i) => {
      if (repr(v) !== python[i][0]) mismatches.push(`repr: ts ${repr(v)} python ${python[i][0]}`);
      if (pyStr(v) !== python[i][1]) mismatches.push(`str: ts ${pyStr(v)} python ${python[i][1]}`);
    });
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('prints every non-BMP and BMP code point class like Python', () => {
    // every 7th code point across the whole range, so each category is sampled
    const chars: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp += 7) chars.push(String.fromCodePoint(cp));
    const values: PyValue[] = [];
    for (let i = 0; i < chars.length; i += 64) values.push({ t: 'str', v: chars.slice(i, i + 64).join('') });
    const python = pythonReprs(values);
    const bad = values.filter((v, i) => repr(v) !== python[i][0]).map((v) => repr(v));
    expect(bad.slice(0, 3)).toEqual([]);
  });
});

