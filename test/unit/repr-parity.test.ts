// repr() parity with CPython: random values are printed here and by Python 3 (which rebuilds them
// from their JSON-safe form), and the texts must be identical.
//
// Set order: the printer prints a set in the order the value model holds (the order the server
// sent). Python's own order depends on hashing, which is reproducible only for small non-negative
// ints (hash(i) == i lands in slot i of a table of at least 8 slots), so the sets generated here hold
// distinct ints 0..7 in ascending order, which is exactly the order Python prints them in.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { floatRepr, repr, pyStr } from '../../src/common/repr';
import { toJsonSafe } from '../../src/common/value-json';
import type { PyValue } from '../../src/common/value';
import { runPython } from '../helpers/python';
import { pyValue as value } from './arbitraries';

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
  const input = JSON.stringify(values.map((v) => toJsonSafe(v)));
  return JSON.parse(runPython(PY_REPR, { input })) as [string, string][];
}

/** The exact double, for Python's float.fromhex (no decimal rounding on the way). */
function hexFloat(x: number): string {
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const bits = new BigUint64Array(new Float64Array([x]).buffer)[0];
  const sign = bits >> 63n ? '-' : '';
  const e = Number((bits >> 52n) & 0x7ffn);
  const m = (bits & ((1n << 52n) - 1n)).toString(16).padStart(13, '0');
  return e === 0 ? `${sign}0x0.${m}p-1022` : `${sign}0x1.${m}p${e - 1023}`;
}

describe('repr parity with CPython', () => {
  it('prints every byte value in bytes and bytearray, with each quote mix, as Python does', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const mixes = [[0x27], [0x22], [0x27, 0x22], [0x27, 0x5c, 0x0a], []].map((a) => Uint8Array.from(a));
    const values: PyValue[] = [all, ...mixes].flatMap((v): PyValue[] => [
      { t: 'bytes', v },
      { t: 'bytearray', v },
    ]);
    expect(values.map((v) => [repr(v), pyStr(v)])).toEqual(pythonReprs(values));
  });

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

  it('prints floats like Python at every magnitude, and next to where the layout changes', () => {
    const near = (x: number) => {
      const b = new Float64Array([x]);
      const bits = new BigInt64Array(b.buffer);
      return [-2n, -1n, 0n, 1n, 2n].map((d) => {
        const n = new BigInt64Array([bits[0] + d]);
        return new Float64Array(n.buffer)[0];
      });
    };
    const xs = [
      ...fc.sample(fc.double({ noNaN: true }), { numRuns: 5000, seed: 7 }),
      ...fc.sample(fc.integer({ min: -1e9, max: 1e9 }), { numRuns: 1000, seed: 8 }).map((n) => n / 1024),
      ...[1e-4, 1e-5, 1e15, 1e16, 1e17, 1e21, 2 ** 53, 1, 100].flatMap((x) => [...near(x), ...near(-x)]),
    ];
    const py = runPython('import json, sys\nprint(json.dumps([repr(float.fromhex(h)) for h in json.load(sys.stdin)]))', {
      input: JSON.stringify(xs.map(hexFloat)),
    });
    const expected = JSON.parse(py) as string[];
    const mismatches = xs.flatMap((x, i) => (floatRepr(x) === expected[i] ? [] : [`${hexFloat(x)}: ts ${floatRepr(x)} python ${expected[i]}`]));
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

