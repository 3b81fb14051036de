// Brine and RPyC message decoding on arbitrary bytes: a value or a declared RpcError, nothing else.
import fc from 'fast-check';
import { LONG_TIMEOUT, runs } from './fuzz-helpers';
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../src/common/errors';
import { decodeBrine, encodeBrine } from '../../src/codecs/rpyc/brine';
import { decodeMessage } from '../../src/codecs/rpyc/messages';

const DECLARED = new Set(['E_DECODE', 'E_PROTOCOL']);

function onlyDeclared(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(RpcError);
    expect(DECLARED.has((e as RpcError).code)).toBe(true);
  }
}

describe('brine fuzz', () => {
  it('decodes or refuses random bytes', { timeout: LONG_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        onlyDeclared(() => decodeBrine(b));
        onlyDeclared(() => decodeMessage(b));
      }),
      { numRuns: runs(5000) },
    );
  });

  it('re-encodes whatever it decodes to a value that decodes the same', { timeout: LONG_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        let v;
        try {
          v = decodeBrine(b);
        } catch {
          return;
        }
        expect(decodeBrine(encodeBrine(v))).toEqual(v);
      }),
      { numRuns: runs(5000) },
    );
  });
});
