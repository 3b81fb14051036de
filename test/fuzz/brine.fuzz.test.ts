// Brine (RPyC's serializer) on random bytes and on damaged golden vectors from rpyc 5.3.0: a value or
// E_DECODE/E_PROTOCOL/E_LIMIT, nothing else, bounded allocation, and a good vector decodes right after
// a failure. Whatever decodes re-encodes to bytes that decode the same.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBrine, encodeBrine } from '../../src/codecs/rpyc/brine';
import { repr } from '../../src/common/repr';
import { boundedAllocation, check, declaredOnly, fromHex, LONG_TIMEOUT, mutations, mutate, runs, saveTally, sideRuns, timed } from './fuzz-helpers';

saveTally('brine');

interface BrineVector {
  hex: string;
  repr: string;
}
const BRINE = (JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'rpyc', 'brine-vectors.json'), 'utf8')) as BrineVector[]).map((v) => ({
  ...v,
  bytes: fromHex(v.hex),
}));
const GOOD = BRINE[BRINE.length - 1];

function checkBrine(b: Uint8Array): void {
  boundedAllocation(() => {
    if (declaredOnly('brine', () => decodeBrine(b), ['E_DECODE', 'E_PROTOCOL', 'E_LIMIT'])) {
      const r = repr(decodeBrine(GOOD.bytes));
      check(r === GOOD.repr, () => `after a failure the golden vector decodes to ${r}`);
    }
  });
}

describe('brine fuzz', () => {
  it('has golden vectors from rpyc to mutate', () => {
    expect(BRINE.length).toBeGreaterThan(50);
    expect(repr(decodeBrine(GOOD.bytes))).toBe(GOOD.repr);
  });

  it('random bytes: a value or a declared error', { timeout: LONG_TIMEOUT }, () => {
    timed('brine', () => fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), checkBrine), { numRuns: runs(3000, 0.5) }));
  });

  it('damaged golden vectors: a value or a declared error', { timeout: LONG_TIMEOUT }, () => {
    timed('brine', () =>
      fc.assert(
        fc.property(fc.constantFrom(...BRINE), mutations, (v, ms) => checkBrine(mutate(v.bytes, ms))),
        { numRuns: runs(3000, 0.5) },
      ),
    );
  });

  it('re-encodes whatever it decodes to a value that decodes the same', { timeout: LONG_TIMEOUT }, () => {
    const input = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.tuple(fc.constantFrom(...BRINE), mutations).map(([v, ms]) => mutate(v.bytes, ms)));
    fc.assert(
      fc.property(input, (b) => {
        let v;
        try {
          v = decodeBrine(b);
        } catch {
          return;
        }
        expect(decodeBrine(encodeBrine(v))).toEqual(v);
      }),
      { numRuns: sideRuns(5000) },
    );
  });
});
