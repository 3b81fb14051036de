// Pickle decoding and disassembly on random bytes and on damaged pickles Python wrote (the golden
// vectors of CPython 2.7-3.13): a value or E_DECODE/E_LIMIT, never anything else, no allocation a
// length field asked for, and the decoder still decodes a good pickle right after a failure.
// FUZZ_RUNS=1000000 (npm run fuzz:long) for the long run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePickle, disassemblePickle } from '../../src/codecs/pickle';
import { repr } from '../../src/common/repr';
import { boundedAllocation, declaredOnly, fromHex, LONG_TIMEOUT, mutations, mutate, runs, tally } from './fuzz-helpers';

interface Vector {
  hex: string;
  repr: string;
  name: string;
}
const vectors = (JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'pickle', 'vectors.json'), 'utf8')) as Vector[]).map((v) => ({
  ...v,
  bytes: fromHex(v.hex),
}));
// decoded after every failure: the largest vector whose repr we print exactly as Python did
const GOOD = vectors
  .filter((v) => {
    try {
      return repr(decodePickle(v.bytes)) === v.repr;
    } catch {
      return false;
    }
  })
  .sort((a, b) => b.bytes.length - a.bytes.length)[0];
const DECLARED = ['E_DECODE', 'E_LIMIT'] as const;

function stillWorks(): void {
  expect(repr(decodePickle(GOOD.bytes))).toBe(GOOD.repr);
}

function check(bytes: Uint8Array): void {
  boundedAllocation(() => {
    const e = declaredOnly(() => decodePickle(bytes), DECLARED);
    const d = disassemblePickle(bytes); // documented never to throw
    expect(typeof d.text).toBe('string');
    if (e) stillWorks();
  });
}

afterAll(() => {
  if (process.env.FUZZ_RUNS) console.log(`pickle fuzz: ${tally.inputs} inputs, ${tally.values} decoded, ${tally.errors} refused`);
});

describe('pickle decoder fuzz', () => {
  it('has golden vectors from Python to mutate', () => {
    expect(vectors.length).toBeGreaterThan(50);
    expect(GOOD.bytes.length).toBeGreaterThan(20);
  });

  it('random bytes', { timeout: LONG_TIMEOUT }, () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 96 }), check), { numRuns: runs(1500) });
  });

  it('random bytes after a PROTO header', { timeout: LONG_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.uint8Array({ maxLength: 64 }), (p, tail) => check(Uint8Array.from([0x80, p, ...tail]))),
      { numRuns: runs(1500) },
    );
  });

  it('mutated golden pickles: bit flips, truncations, insertions, deletions, inflated lengths', { timeout: LONG_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.constantFrom(...vectors), mutations, (v, ms) => check(mutate(v.bytes, ms))),
      { numRuns: runs(3000) },
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
        const e = declaredOnly(() => decodePickle(bytes), DECLARED);
        expect(e, `opcode 0x${op.toString(16)}`).toBeDefined();
        if (width > 1) expect(e!.message, `opcode 0x${op.toString(16)}`).toMatch(/length \d{9,}/);
      });
      stillWorks();
    }
  });

  it('every golden vector decodes to the repr Python printed', () => {
    let same = 0;
    for (const v of vectors) {
      const e = declaredOnly(() => decodePickle(v.bytes), DECLARED);
      if (!e && repr(decodePickle(v.bytes)) === v.repr) same++;
    }
    // a few reprs differ by design (objects of classes we do not have); most must match
    expect(same).toBeGreaterThan(vectors.length * 0.8);
  });
});
