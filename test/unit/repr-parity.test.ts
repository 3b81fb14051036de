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
  const input = JSON.stringify(values.map(toJsonSafe));
  return JSON.parse(runPython(PY_REPR, { input })) as [string, string][];
}

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

