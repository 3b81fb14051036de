// The pickle fuzz targets' inputs and per-input check: the golden vectors of CPython 2.7-3.13 to
// mutate, and a good pickle decoded after every failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePickle, disassemblePickle } from '../../src/codecs/pickle';
import { repr } from '../../src/common/repr';
import { boundedAllocation, check, declaredOnly, fromHex } from './fuzz-helpers';

export interface Vector {
  hex: string;
  repr: string;
  name: string;
  bytes: Uint8Array;
}

export const vectors: Vector[] = (JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'pickle', 'vectors.json'), 'utf8')) as Vector[]).map((v) => ({
  ...v,
  bytes: fromHex(v.hex),
}));

export const DECLARED = ['E_DECODE', 'E_LIMIT'] as const;

/**
 * Decoded after every failure: the largest vector of at most 512 bytes whose repr we print exactly
 * as Python did (the decoder is a function, so a small one shows any state a failure left behind
 * as well as a large one would, and a million of them stay quick).
 */
export const GOOD = vectors
  .filter((v) => {
    try {
      return v.bytes.length <= 512 && repr(decodePickle(v.bytes)) === v.repr;
    } catch {
      return false;
    }
  })
  .sort((a, b) => b.bytes.length - a.bytes.length)[0];

export function stillWorks(): void {
  const r = repr(decodePickle(GOOD.bytes));
  check(r === GOOD.repr, () => `after a failure, ${GOOD.name} decodes to ${r}, not ${GOOD.repr}`);
}

/** One input: a value or E_DECODE/E_LIMIT, a disassembly that never throws, bounded allocation. */
export function checkPickle(bytes: Uint8Array): void {
  boundedAllocation(() => {
    const e = declaredOnly('pickle', () => decodePickle(bytes), DECLARED);
    // documented never to throw: no error is declared
    declaredOnly('pickle disassembly', () => check(typeof disassemblePickle(bytes).text === 'string', 'no disassembly text'), []);
    if (e) stillWorks();
  });
}
