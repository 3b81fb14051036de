// The pure base64 of value-json and XML-RPC: the same text as Python's base64.b64encode for every
// tail length and byte value, and back.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromBase64, toBase64 } from '../../src/common/base64';
import { runPython } from '../helpers/python';

describe('base64', () => {
  it("writes what Python's base64.b64encode writes", () => {
    const inputs = [0, 1, 2, 3, 4, 5, 6, 7, 255, 256, 257].map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 255));
    inputs.push(Uint8Array.from({ length: 256 }, (_, i) => i));
    const py = runPython('import base64, json, sys\nfor h in json.load(sys.stdin): print(base64.b64encode(bytes.fromhex(h)).decode())', {
      input: JSON.stringify(inputs.map((b) => Buffer.from(b).toString('hex'))),
    });
    expect(inputs.map(toBase64)).toEqual(py.trimEnd().split('\n').map((l) => l.trim()));
  });

  it('round-trips any bytes, and agrees with Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (b) => {
        const text = toBase64(b);
        expect(text).toBe(Buffer.from(b).toString('base64'));
        expect(fromBase64(text)).toEqual(b);
      }),
      { numRuns: 2000 },
    );
  });
});
