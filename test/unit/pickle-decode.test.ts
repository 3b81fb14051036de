// Decoder behaviour beyond the repr: identity of shared parts, flags and the API around one pickle.
import { describe, expect, it } from 'vitest';
import { repr } from '../../src/common/repr';
import type { PyValue } from '../../src/common/value';
import { decodePickle, decodePickleAt, disassemblePickle } from '../../src/codecs/pickle';
import { LARGE_PICKLE_BYTES } from '../../src/codecs/pickle/sites';
import { pickleLayers } from '../../src/clients/mp/layers';
import { MAX_LAYER_FIELDS } from '../../src/common/frames';
import { runPython } from '../helpers/python';

const dumps = (expr: string, protocol: number, python?: string): Uint8Array =>
  Uint8Array.from(
    Buffer.from(
      runPython(`import pickle,sys,binascii; sys.stdout.write(binascii.hexlify(pickle.dumps(${expr}, ${protocol})).decode())`, python ? { python } : {}).trim(),
      'hex',
    ),
  );

describe('decodePickle', () => {
  it('keeps memoized parts shared and self-references pointing at themselves', () => {
    for (const protocol of [0, 2, 4, 5]) {
      const v = decodePickle(dumps('(lambda s, l: [s, s, l.append(l) or l])([1], [])', protocol));
      expect(v.t).toBe('list');
      if (v.t !== 'list') return;
      expect(v.items[0]).toBe(v.items[1]);
      const rec = v.items[2];
      expect(rec.t === 'list' && rec.items[0] === rec).toBe(true);
      expect(repr(v)).toBe('[[1], [1], [[...]]]');
    }
  });

  it('gives every empty list and dict an array of its own that can grow', () => {
    // shared (memo GET) and unshared empties, inside lists, dicts, tuples, sets and objects
    const expr = "(lambda e: [[], {}, [[]], {'a': [], 'b': {}}, ([],), e, e, __import__('collections').OrderedDict(k=[]), set(), [{}]])([])";
    for (const protocol of [0, 1, 2, 3, 4, 5]) {
      const v = decodePickle(dumps(expr, protocol));
      const containers = new Set<PyValue>();
      const arrays = new Set<unknown[]>();
      const visit = (x: PyValue): void => {
        if (x.t === 'list' || x.t === 'tuple' || x.t === 'set' || x.t === 'dict') containers.add(x);
        if (x.t === 'list' || x.t === 'tuple' || x.t === 'set') {
          arrays.add(x.items);
          x.items.forEach(visit);
        } else if (x.t === 'dict') {
          arrays.add(x.kv);
          x.kv.forEach(visit);
        } else if (x.t === 'object') {
          x.args.forEach(visit);
          x.dictItems?.forEach(visit);
        }
      };
      visit(v);
      const before = repr(v);
      expect(before).toBe("[[], {}, [[]], {'a': [], 'b': {}}, ([],), [], [], OrderedDict([('k', [])]), set(), [{}]]");
      // none shares its array with another (the shared empty list is one container)
      expect(containers.size).toBeGreaterThanOrEqual(13);
      expect(arrays.size).toBe(containers.size);
      for (const a of arrays) expect(Object.isFrozen(a)).toBe(false);
      if (v.t !== 'list') throw new Error('not a list');
      const first = v.items[0];
      if (first.t !== 'list') throw new Error('not a list');
      first.items.push({ t: 'none' });
      expect(repr(v)).toBe("[[None], {}, [[]], {'a': [], 'b': {}}, ([],), [], [], OrderedDict([('k', [])]), set(), [{}]]");
      // an empty list or dict as the whole pickle
      for (const [expr, arrayOf] of [['[]', (x: PyValue) => (x.t === 'list' ? x.items : undefined)], ['{}', (x: PyValue) => (x.t === 'dict' ? x.kv : undefined)]] as const) {
        const arr = arrayOf(decodePickle(dumps(expr, protocol)));
        expect(arr).toEqual([]);
        expect(Object.isFrozen(arr)).toBe(false);
      }
    }
  });

  it('decodes a large reply (its own allocation sites) exactly as Python prints it, after small messages', () => {
    const rows = "[{'id': i, 'name': 'item %d' % i, 'price': i * 0.25, 'tags': ['a', (i,), (i, 'b'), (i, 2, 3), (1, 2, 3, 4)], 'e': [{}, [], ()], 'x': None} for i in range(3000)]";
    const expr = `(lambda r: [r, r[0], {'shared': r[1]}])(${rows})`;
    const expected = runPython(`print(repr(${expr}), end='')`);
    for (const protocol of [2, 4, 5]) {
      const small = dumps("('add', (2, 3), {})", protocol);
      for (let k = 0; k < 200; k++) decodePickle(small);
      const data = dumps(expr, protocol);
      expect(data.length).toBeGreaterThanOrEqual(LARGE_PICKLE_BYTES);
      const v = decodePickle(data);
      expect(repr(v)).toBe(expected);
      if (v.t !== 'list' || v.items[0].t !== 'list') throw new Error('not a list');
      expect(v.items[1]).toBe(v.items[0].items[0]); // the memo's sharing holds on this path too
    }
  });

  it('flags exceptions, including classes outside builtins', () => {
    const v = decodePickle(dumps("sys.path.insert(0, 'test/golden/pickle') or [KeyError('k'), __import__('golden_classes').MyError('x')]", 4));
    expect(v.t === 'list' && v.items.map((x) => x.t === 'object' && x.exception)).toEqual([true, true]);
  });

  it('reads one pickle of several and reports where it ended', () => {
    const a = dumps("'first'", 4);
    const b = dumps("'second'", 2);
    const both = new Uint8Array([...a, ...b]);
    const first = decodePickleAt(both, 0);
    expect(first.end).toBe(a.length);
    expect(repr(first.value)).toBe("'first'");
    expect(repr(decodePickleAt(both, first.end).value)).toBe("'second'");
    expect(disassemblePickle(both, first.end).ops[0]).toMatchObject({ offset: a.length, name: 'PROTO', arg: '2', depth: 0 });
  });

  it("lists a large pickle's first opcodes only, where the wire view asks for that", () => {
    const big = dumps('list(range(30000))', 4);
    const whole = disassemblePickle(big);
    const start = disassemblePickle(big, 0, 100);
    expect(start.ops).toEqual(whole.ops.slice(0, 100));
    expect(start.stoppedAt).toBe(whole.ops[100].offset);
    const lines = start.text.trimEnd().split('\n');
    expect(lines.slice(0, 100)).toEqual(whole.text.split('\n').slice(0, 100));
    expect(lines[100]).toBe(`... the listing stops after 100 opcodes, at offset ${whole.ops[100].offset} of ${big.length}`);
    expect(whole.stoppedAt).toBeUndefined();
    // the frame's layers: the listing's start, said in its title, and the value whole
    const layers = pickleLayers(big, 4, false);
    expect(layers[0].fields).toHaveLength(MAX_LAYER_FIELDS);
    expect(layers[0].title).toBe(`pickle protocol 4 (send(), ${big.length} bytes; the first 10,000 parts listed)`);
    expect(layers[1].text).toBe(`[${Array.from({ length: 30000 }, (_, i) => i).join(', ')}]`);
  });

  it('turns the Cookbook wrapped request (a pickle inside bytes) into bytes that decode again', () => {
    const outer = decodePickle(dumps("pickle.dumps(('add', (2, 3), {'z': 1}))", 4));
    expect(outer.t).toBe('bytes');
    if (outer.t === 'bytes') expect(repr(decodePickle(outer.v))).toBe("('add', (2, 3), {'z': 1})");
  });

  it('compares record keys again when a dict repeats a key the dict before it did not', () => {
    // Hand-assembled opcodes (Python's pickler never repeats a key): two records share memoized
    // keys, the second names 'a' twice. Python keeps the last value at the first position.
    const hex = runPython(
      [
        'import pickle, pickletools, binascii, sys',
        "a = b'\\x8c\\x01a\\x94'  # 'a', memo 0",
        "b = b'\\x8c\\x01b\\x94'  # 'b', memo 1",
        "first = b'}(' + a + b'K\\x01' + b + b'K\\x02u'",
        "second = b'}(h\\x00K\\x03h\\x00K\\x04u'",
        "third = b'}(h\\x00K\\x05h\\x01K\\x06u'",
        "p = b'\\x80\\x04](' + first + second + third + b'e.'",
        "assert repr(pickle.loads(p)) == \"[{'a': 1, 'b': 2}, {'a': 4}, {'a': 5, 'b': 6}]\", pickle.loads(p)",
        'sys.stdout.write(binascii.hexlify(p).decode())',
      ].join('\n'),
    ).trim();
    expect(repr(decodePickle(Uint8Array.from(Buffer.from(hex, 'hex'))))).toBe("[{'a': 1, 'b': 2}, {'a': 4}, {'a': 5, 'b': 6}]");
  });
});
