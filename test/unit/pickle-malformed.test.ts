// Bad input never hangs or escapes as anything but RpcError (E_DECODE / E_LIMIT), and a pickle
// built to run a command is only described. Pickles come from the real python3.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RpcError } from '../../src/common/errors';
import { repr } from '../../src/common/repr';
import type { PyValue } from '../../src/common/value';
import { decodePickle, disassemblePickle, encodePickle } from '../../src/codecs/pickle';
import { runPython } from '../helpers/python';

const fromPython = (expr: string, protocol: number): Uint8Array =>
  Uint8Array.from(Buffer.from(runPython(`import pickle,sys,datetime,collections; sys.stdout.write(pickle.dumps(${expr}, ${protocol}).hex())`), 'hex'));

function decodeError(bytes: Uint8Array, opts = {}): RpcError {
  try {
    decodePickle(bytes, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(RpcError);
    return e as RpcError;
  }
  throw new Error('decoded without an error');
}

const SAMPLES = [
  "('add', (2, 3), {'z': 1, 'big': 2**70, 'f': 1.5, 's': 'h\\u20acllo', 'b': b'\\x00ab', 'l': [None, True, {1, 2}]})",
  "[datetime.datetime(2024, 1, 2, 3, 4, 5, 6), collections.OrderedDict(a=1), frozenset([4]), bytearray(b'x')]",
];

describe('truncated pickles', () => {
  for (const expr of SAMPLES) {
    for (const protocol of [0, 1, 2, 3, 4, 5]) {
      it(`every prefix of a protocol ${protocol} pickle fails with E_DECODE`, () => {
        const full = fromPython(expr, protocol);
        expect(() => decodePickle(full)).not.toThrow();
        for (let n = 0; n < full.length; n++) {
          const e = decodeError(full.subarray(0, n));
          expect(e.code).toBe('E_DECODE');
          expect(e.message).toMatch(/offset \d+/);
          const d = disassemblePickle(full.subarray(0, n));
          expect(d.error?.code).toBe('E_DECODE');
          expect(d.text).toContain('error: ');
        }
      });
    }
  }
});

describe('malformed pickles', () => {
  it('a length prefix beyond the input is refused before allocating', () => {
    // PROTO 4, BINBYTES8 claiming 4 GiB, with only a few bytes behind it
    const b = Uint8Array.from([0x80, 0x04, 0x8e, 0, 0, 0, 0, 1, 0, 0, 0, 0x61, 0x62, 0x2e]);
    const e = decodeError(b);
    expect(e.code).toBe('E_DECODE');
    expect(e.message).toBe('pickle: BINBYTES8 length 4294967296 exceeds the 3 bytes left at offset 2');
    for (const op of [0x42 /* BINBYTES */, 0x58 /* BINUNICODE */, 0x54 /* BINSTRING */]) {
      const e2 = decodeError(Uint8Array.from([0x80, 0x02, op, 0xff, 0xff, 0xff, 0x7f, 0x2e]));
      expect(e2.code).toBe('E_DECODE');
      expect(e2.message).toMatch(/length 2147483647 exceeds the 1 bytes left at offset 2/);
    }
    expect(decodeError(Uint8Array.from([0x80, 0x04, 0x95, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0x4e, 0x2e])).message).toMatch(/FRAME length 65535/);
  });

  it('names unknown opcodes, missing marks, stack underflow and memo misses', () => {
    expect(decodeError(Uint8Array.from([0x80, 0x04, 0xff])).message).toBe('pickle: unknown opcode 0xff at offset 2');
    expect(decodeError(Uint8Array.from([0x4e, 0x74, 0x2e])).message).toMatch(/TUPLE without a MARK at offset 1/);
    expect(decodeError(Uint8Array.from([0x52, 0x2e])).message).toMatch(/REDUCE needs more items/);
    expect(decodeError(Uint8Array.from([0x68, 0x07, 0x2e])).message).toMatch(/BINGET of memo key 7, which was never stored/);
    expect(decodeError(Uint8Array.from([0x2e])).message).toMatch(/STOP with an empty stack/);
    expect(decodeError(Uint8Array.from([0x80, 0x06, 0x4e, 0x2e])).message).toMatch(/unsupported pickle protocol 6/);
    expect(decodeError(Uint8Array.from([0x4b, 0x01, 0x4b, 0x02, 0x61, 0x2e])).message).toMatch(/APPEND to a int, not a list/);
    expect(decodeError(Uint8Array.from([0x4e, 0x29, 0x52, 0x2e])).message).toMatch(/REDUCE calls a none, not a global/);
  });

  it('refuses persistent ids, the extension registry and NEXT_BUFFER without buffers', () => {
    expect(decodeError(Uint8Array.from([0x50, 0x61, 0x0a, 0x2e])).message).toMatch(/PERSID: persistent ids are not supported/);
    expect(decodeError(Uint8Array.from([0x80, 0x02, 0x82, 0x01, 0x2e])).message).toMatch(/EXT1: the extension registry/);
    expect(decodeError(Uint8Array.from([0x80, 0x05, 0x97, 0x2e])).message).toBe('pickle: NEXT_BUFFER but no out-of-band buffers were given at offset 2');
    const v = decodePickle(Uint8Array.from([0x80, 0x05, 0x97, 0x98, 0x2e]), { buffers: [Uint8Array.from([1, 2])] });
    expect(repr(v)).toBe("b'\\x01\\x02'");
  });

  it('random bytes give a value or an RpcError, never anything else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        try {
          decodePickle(b);
        } catch (e) {
          expect(e).toBeInstanceOf(RpcError);
        }
        const d = disassemblePickle(b);
        expect(d.ops.every((op) => op.offset + op.length <= b.length)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('mutated real pickles give a value or an RpcError', () => {
    const base = fromPython(SAMPLES[0], 4);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }), (edits) => {
        const b = base.slice();
        for (const [at, byte] of edits) b[at] = byte;
        try {
          decodePickle(b);
        } catch (e) {
          expect(e).toBeInstanceOf(RpcError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('limits', () => {
  it('maxDepth bounds nesting built on the stack, with marks, and through the memo', () => {
    const nested = (n: number): PyValue => (n === 0 ? { t: 'none' } : { t: 'list', items: [nested(n - 1)] });
    const deep = encodePickle(nested(50), { protocol: 4, maxDepth: 100 });
    expect(() => decodePickle(deep, { maxDepth: 60 })).not.toThrow();
    expect(decodeError(deep, { maxDepth: 20 }).code).toBe('E_LIMIT');
    // tuples nest through MARKs
    const tuples = fromPython("__import__('functools').reduce(lambda a, _: (a,), range(10), (1, 2, 3, 4))", 1);
    expect(decodeError(tuples, { maxDepth: 5 }).code).toBe('E_LIMIT');
    // and through TUPLE1, with the stack one value high
    const tuple1s = fromPython("__import__('functools').reduce(lambda a, _: (a,), range(12), 1)", 2);
    expect(() => decodePickle(tuple1s, { maxDepth: 12 })).not.toThrow();
    expect(decodeError(tuple1s, { maxDepth: 11 }).code).toBe('E_LIMIT');
    // depth built with constant stack height: each list is stored, then fetched into the next one
    const chain: number[] = [0x80, 0x02, 0x5d, 0x71, 0];
    for (let k = 1; k < 40; k++) chain.push(0x5d, 0x68, k - 1, 0x61, 0x71, k, 0x30);
    chain.push(0x68, 39, 0x2e);
    expect(() => decodePickle(Uint8Array.from(chain), { maxDepth: 45 })).not.toThrow();
    expect(decodeError(Uint8Array.from(chain), { maxDepth: 30 }).code).toBe('E_LIMIT');
    // a recursive list is not infinitely deep
    expect(repr(decodePickle(fromPython('(lambda l: (l.append(l), l)[1])([])', 2), { maxDepth: 3 }))).toBe('[[...]]');
  });

  it('maxDepth is exact for every shape of nesting, every protocol, and empty containers get arrays of their own', () => {
    const { v: nesting } = fc.letrec<{ v: PyValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'medium', maxDepth: 14 },
        fc.constantFrom<PyValue>({ t: 'none' }, { t: 'int', v: 7n }, { t: 'str', v: 'k' }),
        fc.array(tie('v'), { maxLength: 3 }).map((items): PyValue => ({ t: 'list', items })),
        fc.array(tie('v'), { maxLength: 5 }).map((items): PyValue => ({ t: 'tuple', items })),
        fc.array(tie('v'), { maxLength: 2 }).map((vs): PyValue => ({ t: 'dict', kv: vs.flatMap((x, k) => [{ t: 'int', v: BigInt(k) }, x]) })),
        fc.array(tie('v'), { maxLength: 2 }).map((args): PyValue => ({ t: 'object', module: 'collections', name: 'OrderedDict', args: [], dictItems: args.flatMap((x, k) => [{ t: 'int', v: BigInt(k) }, x]) })),
      ),
    }));
    const CONTAINERS = new Set(['list', 'tuple', 'dict', 'set', 'frozenset', 'object']);
    const depth = (v: PyValue): number => {
      if (!CONTAINERS.has(v.t)) return 0;
      const kids = v.t === 'dict' ? v.kv : v.t === 'object' ? (v.dictItems ?? []) : (v as { items: PyValue[] }).items;
      return 1 + Math.max(0, ...kids.map(depth));
    };
    const ownArrays = (v: PyValue): boolean => {
      if (v.t === 'list' || v.t === 'tuple') return !Object.isFrozen(v.items) && v.items.every(ownArrays);
      if (v.t === 'dict') return !Object.isFrozen(v.kv) && v.kv.every(ownArrays);
      if (v.t === 'object') return (v.dictItems ?? []).every(ownArrays);
      return true;
    };
    fc.assert(
      fc.property(nesting, fc.integer({ min: 0, max: 5 }), fc.boolean(), (v, protocol, large) => {
        const d = depth(v);
        // a large pickle is decoded with the large-reply allocation sites (sites.ts)
        const value: PyValue = large ? { t: 'list', items: [v, { t: 'str', v: 'x'.repeat(70_000) }] } : v;
        const bytes = encodePickle(value, { protocol });
        const need = large ? d + 1 : d;
        const back = decodePickle(bytes);
        expect(depth(back)).toBe(need);
        expect(ownArrays(back)).toBe(true);
        expect(() => decodePickle(bytes, { maxDepth: need })).not.toThrow();
        if (need > 0) expect(decodeError(bytes, { maxDepth: need - 1 }).code).toBe('E_LIMIT');
      }),
      { numRuns: 1500, seed: 11 },
    );
  });

  it('maxContainerLength, maxMemo and maxBytes', () => {
    const big = fromPython('list(range(5000))', 4);
    expect(decodeError(big, { maxContainerLength: 1000 }).code).toBe('E_LIMIT');
    expect(decodeError(fromPython('tuple(range(50))', 2), { maxContainerLength: 10 }).message).toMatch(/TUPLE of 50 items exceeds maxContainerLength 10/);
    expect(decodeError(Uint8Array.from([0x4e, 0x72, 0xff, 0xff, 0xff, 0x00, 0x2e]), { maxMemo: 1000 }).code).toBe('E_LIMIT');
    expect(decodeError(big, { maxBytes: 100 }).code).toBe('E_LIMIT');
  });
});

describe('nothing is executed', () => {
  it('a __reduce__ that calls os.system decodes to a description of the call', () => {
    const hex = runPython(
      "import pickle,sys; sys.path.insert(0, 'test/golden/pickle'); import golden_classes as g; " +
        'sys.stdout.write(";".join(pickle.dumps(g.Evil(), p).hex() for p in range(6)))',
    );
    for (const h of hex.split(';')) {
      const v = decodePickle(Uint8Array.from(Buffer.from(h, 'hex')));
      expect(v.t).toBe('object');
      if (v.t !== 'object') continue;
      expect(['posix.system', 'os.system']).toContain(`${v.module}.${v.name}`);
      expect(repr(v)).toBe(`<${v.module}.system object args=('echo pwned',)>`);
      expect(disassemblePickle(Uint8Array.from(Buffer.from(h, 'hex'))).text).toMatch(/system/);
    }
  });
});
