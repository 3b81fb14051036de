// encodePickle against the real interpreters: Python 3 loads every encoded value (all protocols)
// and prints the same repr we do; Python 2.7 loads protocol 0-2 pickles and pickles the value back,
// which must decode to what we sent. Values come from fast-check.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { repr } from '../../src/common/repr';
import { dict, kvPairs, type PyValue } from '../../src/common/value';
import { decodePickle, encodePickle } from '../../src/codecs/pickle';
import { allPythons, runPython } from '../helpers/python';
import { pyValue } from './arbitraries';

/** Length-prefixed pickles in one stdin, so one interpreter run checks a whole batch. */
function batch(pickles: Uint8Array[]): Uint8Array {
  const total = pickles.reduce((n, p) => n + 4 + p.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of pickles) {
    view.setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}

const READ_BATCH = `
import pickle, struct, sys, json
data = sys.stdin.buffer.read() if hasattr(sys.stdin, 'buffer') else sys.stdin.read()
at, values = 0, []
while at < len(data):
    (n,) = struct.unpack('>I', data[at:at + 4])
    values.append(pickle.loads(data[at + 4:at + 4 + n]))
    at += 4 + n
`;

const hasBytes = (v: PyValue): boolean => {
  switch (v.t) {
    case 'bytes':
      return true;
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset':
      return v.items.some(hasBytes);
    case 'dict':
      return v.kv.some(hasBytes);
    case 'object':
      return v.args.some(hasBytes);
    default:
      return false;
  }
};

/** Python 2 dicts have no order: compare with every dict's entries sorted by key. */
function sortedDicts(v: PyValue): PyValue {
  switch (v.t) {
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset':
      return { ...v, items: v.items.map(sortedDicts) };
    case 'dict': {
      const entries = kvPairs(v.kv).map(([k, x]): [PyValue, PyValue] => [sortedDicts(k), sortedDicts(x)]);
      return dict(entries.sort((a, b) => (repr(a[0]) < repr(b[0]) ? -1 : 1)));
    }
    case 'object':
      return { ...v, args: v.args.map(sortedDicts) };
    default:
      return v;
  }
}

const CALLS: PyValue[] = [
  { t: 'tuple', items: [{ t: 'str', v: 'add' }, { t: 'tuple', items: [{ t: 'int', v: 2n }, { t: 'int', v: 3n }] }, { t: 'dict', kv: [{ t: 'str', v: 'z' }, { t: 'int', v: 1n }] }] },
  { t: 'list', items: Array.from({ length: 2500 }, (_, k): PyValue => ({ t: 'int', v: BigInt(k * 7919) })) },
  { t: 'global', module: 'collections', name: 'OrderedDict' },
  { t: 'object', module: 'decimal', name: 'Decimal', args: [{ t: 'str', v: '1.10' }] },
  { t: 'object', module: 'datetime', name: 'date', args: [{ t: 'bytes', v: Uint8Array.from([7, 232, 1, 2]) }] },
  // each int opcode's edges, a list whose last batch holds one item, strings around the short form
  { t: 'list', items: [0n, 255n, 256n, 65535n, 65536n, -1n, 2n ** 31n - 1n, 2n ** 31n, -(2n ** 31n), -(2n ** 31n) - 1n, 2n ** 64n].map((v): PyValue => ({ t: 'int', v })) },
  { t: 'list', items: Array.from({ length: 1001 }, (_, k): PyValue => ({ t: 'int', v: BigInt(k) })) },
  { t: 'list', items: ['x'.repeat(255), 'x'.repeat(256), 'é'.repeat(127), 'é'.repeat(128), 'abc é', 'lone \ud800', '😀'].map((v): PyValue => ({ t: 'str', v })) },
];

describe('encodePickle loads in Python 3', () => {
  const values = [...CALLS, ...fc.sample(pyValue, { numRuns: 400, seed: 42 })];
  for (const protocol of [0, 1, 2, 3, 4, 5]) {
    it(`protocol ${protocol}: pickle.loads gives the same repr`, () => {
      const input = batch(values.map((v) => encodePickle(v, { protocol })));
      const out = runPython(READ_BATCH + 'import collections, datetime, decimal\nsys.stdout.write(json.dumps([repr(v) for v in values]))', { input });
      const reprs: string[] = JSON.parse(out);
      values.forEach((v, k) => {
        const expected = k === 3 ? "Decimal('1.10')" : k === 4 ? 'datetime.date(2024, 1, 2)' : repr(v);
        expect(reprs[k], `value ${k}: ${repr(v)}`).toBe(expected);
      });
    });
  }

  it('shared and recursive references stay shared', () => {
    const inner: PyValue = { t: 'list', items: [{ t: 'int', v: 1n }] };
    const self: PyValue = { t: 'list', items: [] };
    self.items.push(self, inner, inner);
    for (const protocol of [0, 2, 4]) {
      const out = runPython(READ_BATCH + 'v = values[0]\nprint(v[0] is v, v[1] is v[2], repr(v))', { input: batch([encodePickle(self, { protocol })]) });
      expect(out.trim()).toBe('True True [[...], [1], [1]]');
      const back = decodePickle(encodePickle(self, { protocol }));
      expect(back.t === 'list' && back.items[0] === back && back.items[1] === back.items[2]).toBe(true);
    }
  });

  it('shared containers of every kind stay shared, recursive dicts too', () => {
    const d: PyValue = { t: 'dict', kv: [{ t: 'str', v: 'k' }, { t: 'int', v: 1n }] };
    d.kv.push({ t: 'str', v: 'self' }, d);
    const s: PyValue = { t: 'set', items: [{ t: 'int', v: 2n }] };
    const fs: PyValue = { t: 'frozenset', items: [{ t: 'int', v: 3n }] };
    const ba: PyValue = { t: 'bytearray', v: Uint8Array.of(1, 2) };
    const od: PyValue = { t: 'object', module: 'collections', name: 'OrderedDict', args: [], dictItems: [{ t: 'str', v: 'a' }, { t: 'int', v: 4n }] };
    const v: PyValue = { t: 'list', items: [d, d, s, s, fs, fs, ba, ba, od, od] };
    const check = "print(v[0]['self'] is v[0], all(v[k] is v[k + 1] for k in range(0, 10, 2)))";
    for (const protocol of [0, 2, 4, 5]) {
      const out = runPython(READ_BATCH + 'v = values[0]\n' + check, { input: batch([encodePickle(v, { protocol })]) });
      expect(out.trim(), `protocol ${protocol}`).toBe('True True');
      const back = decodePickle(encodePickle(v, { protocol }));
      expect(back.t === 'list' && back.items.every((x, k) => x === back.items[k ^ 1])).toBe(true);
    }
  });

  it('leaves the value as it was, also when it cannot be pickled', () => {
    const values = fc.sample(pyValue, { numRuns: 200, seed: 3 });
    const before = structuredClone(values);
    for (const v of values) encodePickle(v);
    expect(values).toEqual(before);

    const shared: PyValue = { t: 'dict', kv: [] };
    const refInside: PyValue = { t: 'list', items: [shared, { t: 'set', items: [] }, shared, { t: 'ref', cls: 'builtins.list', handle: '1' }] };
    const deep: PyValue = { t: 'list', items: [shared, { t: 'list', items: [{ t: 'list', items: [{ t: 'list', items: [] }] }] }] };
    const snapshot = structuredClone([refInside, deep]);
    expect(() => encodePickle(refInside)).toThrow(/remote reference/);
    expect(() => encodePickle(deep, { maxDepth: 2 })).toThrow(/deeper than 2/);
    expect([refInside, deep]).toEqual(snapshot);
    // and the next encode of the same value is what a first one gives
    expect(encodePickle(deep)).toEqual(encodePickle(structuredClone(deep)));
  });
});

describe('encodePickle loads in Python 2.7', () => {
  const py2 = allPythons().find((p) => p.mm[0] === 2);
  const values = [...CALLS.slice(0, 3), ...fc.sample(pyValue.filter((v) => !hasBytes(v)), { numRuns: 300, seed: 7 })];
  for (const protocol of [0, 1, 2]) {
    it.runIf(py2)(`protocol ${protocol}: Python 2 rebuilds the value`, () => {
      const input = batch(values.map((v) => encodePickle(v, { protocol })));
      const out = runPython(READ_BATCH + "sys.stdout.write(json.dumps([pickle.dumps(v, 2).encode('hex') for v in values]))", { input, python: py2!.path });
      const back: string[] = JSON.parse(out);
      values.forEach((v, k) => {
        const got = decodePickle(Uint8Array.from(Buffer.from(back[k], 'hex')));
        expect(repr(sortedDicts(got)), `value ${k}`).toBe(repr(sortedDicts(v)));
      });
    });
  }
});
