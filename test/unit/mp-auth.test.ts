// The authkey MACs against CPython's own _create_response / _verify_challenge (3.12+ code, which also
// speaks the legacy form), for both challenge forms and several keys.
import { describe, expect, it } from 'vitest';
import { answerFor, authkeyBytes, challengeLike, digestNameAndPayload, verifyAnswer } from '../../src/clients/mp/auth';
import { allPythons, runPython } from '../helpers/python';

const modern = allPythons().find((p) => p.mm[0] === 3 && p.mm[1] >= 12);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

const PY = String.raw`
import sys, binascii
from multiprocessing.connection import _create_response, _verify_challenge
key, body, answer = (binascii.unhexlify(x) for x in sys.argv[1:4])
print(binascii.hexlify(_create_response(key, body)).decode())
try:
    _verify_challenge(key, body, answer)
    print('ok')
except Exception as e:
    print('rejected')
`;

describe.runIf(modern)('authkey MACs', () => {
  const keys = ['peekaboo', 'clé été', '🔑'];
  const bodies = [
    new Uint8Array(20).map((_, i) => i * 7), // legacy: 20 random bytes
    new Uint8Array([...new TextEncoder().encode('{sha256}'), ...new Uint8Array(40).map((_, i) => 255 - i)]),
    new Uint8Array([...new TextEncoder().encode('{sha3_384}'), ...new Uint8Array(40).fill(9)]),
  ];
  for (const key of keys) {
    for (const body of bodies) {
      it(`answers ${digestNameAndPayload(body).digest || 'md5'} challenges like Python (key ${JSON.stringify(key)})`, () => {
        const k = new TextEncoder().encode(key);
        const ours = answerFor(k, body);
        const [theirs, verdict] = runPython(PY, { python: modern!.path, args: [hex(k), hex(body), hex(ours)] }).trim().split('\n');
        expect(hex(ours)).toBe(theirs);
        expect(verdict).toBe('ok');
        expect(verifyAnswer(k, body, bytes(theirs))).toBe(true);
        expect(verifyAnswer(new TextEncoder().encode('other'), body, bytes(theirs))).toBe(false);
      });
    }
  }

  it('challenges in the form the server used', () => {
    expect(challengeLike(bodies[0]).length).toBe(20);
    const c = challengeLike(bodies[1]);
    expect(new TextDecoder().decode(c.subarray(0, 8))).toBe('{sha256}');
    expect(c.length).toBe(48);
  });

  it('rejects an unknown digest', () => {
    expect(() => digestNameAndPayload(new TextEncoder().encode('{whirlpool}' + 'x'.repeat(40)))).toThrow(/unsupported/);
  });
});

describe('authkey text to bytes', () => {
  // what Python's ast.literal_eval makes of the same text: the bytes a server's authkey= holds
  const literal = (text: string) => runPython(`import ast, sys, binascii; print(binascii.hexlify(ast.literal_eval(sys.argv[1])).decode())`, { args: [text] }).trim();

  it.each([String.raw`b'\x8f\xff\x00pee'`, String.raw`B"\x00"`, String.raw`rb'\x8f'`, String.raw`b'it' b's'`, `b''`])('%s is the bytes Python reads', (text) => {
    expect(hex(authkeyBytes(text))).toBe(literal(text));
  });

  it('other text is its UTF-8, including text that only starts like a literal', () => {
    for (const text of ['peekaboo', 'clé', "b'open", "bb'x'", "'quoted'"]) expect(authkeyBytes(text)).toEqual(new TextEncoder().encode(text));
  });

  it('a malformed literal is E_AUTH, and the message does not repeat the key', () => {
    const secret = String.raw`b'\xZZsecret'`;
    let err: unknown;
    try {
      authkeyBytes(secret);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'E_AUTH' });
    expect((err as Error).message).not.toContain('secret');
  });
});
