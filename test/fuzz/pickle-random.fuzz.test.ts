// Pickle decoding and disassembly on random bytes, bare and after a PROTO header: a value or
// E_DECODE/E_LIMIT, never anything else, no allocation a length field asked for, and the decoder
// still decodes a good pickle right after a failure. Mutated golden pickles: pickle-mutated.fuzz.test.ts.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { LONG_TIMEOUT, runs, saveTally, timed } from './fuzz-helpers';
import { checkPickle } from './pickle-fixtures';

saveTally('pickle-random');

describe('pickle decoder fuzz: random bytes', () => {
  it('random bytes', { timeout: LONG_TIMEOUT }, () => {
    timed('pickle', () => fc.assert(fc.property(fc.uint8Array({ maxLength: 96 }), checkPickle), { numRuns: runs(1500, 0.3) }));
  });

  it('random bytes after a PROTO header', { timeout: LONG_TIMEOUT }, () => {
    timed('pickle', () =>
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 5 }), fc.uint8Array({ maxLength: 64 }), (p, tail) => checkPickle(Uint8Array.from([0x80, p, ...tail]))),
        { numRuns: runs(1500, 0.3) },
      ),
    );
  });
});
