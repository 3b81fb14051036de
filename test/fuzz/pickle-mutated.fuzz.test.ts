// Pickle decoding and disassembly on damaged pickles Python wrote (the golden vectors of CPython
// 2.7-3.13): bit flips, truncations, insertions, deletions and inflated length fields give a value or
// E_DECODE/E_LIMIT, never anything else, no allocation a length field asked for, and the decoder
// still decodes a good pickle right after a failure. Random bytes: pickle-random.fuzz.test.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePickle } from '../../src/codecs/pickle';
import { repr } from '../../src/common/repr';
import { boundedAllocation, declaredOnly, LONG_TIMEOUT, mutations, mutate, runs, saveTally, timed } from './fuzz-helpers';
import { checkPickle, DECLARED, GOOD, stillWorks, vectors } from './pickle-fixtures';

saveTally('pickle-mutated');

describe('pickle decoder fuzz: damaged golden pickles', () => {
  it('has golden vectors from Python to mutate', () => {
    expect(vectors.length).toBeGreaterThan(50);
    expect(GOOD.bytes.length).toBeGreaterThan(100);
  });

  it('mutated golden pickles: bit flips, truncations, insertions, deletions, inflated lengths', { timeout: LONG_TIMEOUT }, () => {
    timed('pickle', () =>
      fc.assert(
        fc.property(fc.constantFrom(...vectors), mutations, (v, ms) => checkPickle(mutate(v.bytes, ms))),
        { numRuns: runs(3000, 0.4) },
      ),
    );
  });

  it('an inflated length field is refused before allocating, naming the length', () => {
    // every length-prefixed opcode, claiming ~2 GiB (4-byte) or ~2^62 (8-byte) with 2 bytes behind it
    const cases: [number, number][] = [
      [0x42, 4], // BINBYTES
      [0x58, 4], // BINUNICODE
      [0x54, 4], // BINSTRING
      [0x8a, 1], // LONG1 (length 255: merely too short)
      [0x8b, 4], // LONG4
      [0x8d, 8], // BINUNICODE8
      [0x8e, 8], // BINBYTES8
      [0x96, 8], // BYTEARRAY8
      [0x95, 8], // FRAME
    ];
    for (const [op, width] of cases) {
      const len = new Uint8Array(width).fill(0xff);
      len[width - 1] = width === 1 ? 0xff : width === 4 ? 0x7f : 0x3f;
      const bytes = Uint8Array.from([0x80, 0x05, op, ...len, 0x61, 0x2e]);
      boundedAllocation(() => {
        const e = declaredOnly('pickle', () => decodePickle(bytes), DECLARED);
        expect(e, `opcode 0x${op.toString(16)}`).toBeDefined();
        if (width > 1) expect(e!.message, `opcode 0x${op.toString(16)}`).toMatch(/length \d{9,}/);
      });
      stillWorks();
    }
  });

  it('every golden vector decodes to the repr Python printed', () => {
    let same = 0;
    for (const v of vectors) {
      const e = declaredOnly('pickle', () => decodePickle(v.bytes), DECLARED);
      if (!e && repr(decodePickle(v.bytes)) === v.repr) same++;
    }
    // a few reprs differ by design (objects of classes we do not have); most must match
    expect(same).toBeGreaterThan(vectors.length * 0.8);
  });
});
