// multiprocessing.connection: the length-prefix framing (MpFrameDecoder) and the authkey handshake
// messages. Random bytes, damaged frames of real traffic, inflated length fields, and valid streams
// split at every offset and at random places.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MpFrameDecoder, encodeMpFrame } from '../../src/codecs/mp-framing';
import { answerFor, describeHandshake, isChallenge, verifyAnswer } from '../../src/clients/mp/auth';
import { RpcError } from '../../src/common/errors';
import { boundedAllocation, check, declaredOnly, fromHex, LONG_TIMEOUT, mutations, mutate, runs, saveTally, sideRuns, timed } from './fuzz-helpers';

saveTally('mp');

const enc = new TextEncoder();
const LIMIT = 1024 * 1024;

// Captured from Python 3.11 (protocols.md): the add(2, 3) request and its reply, plus handshakes.
const REQUEST = fromHex('80049518000000000000008c036164649c944b024b0386947d948c017a944b017387942e');
const MP_PAYLOADS: Uint8Array[] = [
  fromHex('80044b062e'),
  Uint8Array.from([...enc.encode('#CHALLENGE#'), ...new Uint8Array(20).fill(7)]),
  Uint8Array.from([...enc.encode('#CHALLENGE#{sha256}'), ...new Uint8Array(40).fill(9)]),
  enc.encode('#WELCOME#'),
  new Uint8Array(16).fill(3),
  new Uint8Array(0),
  REQUEST,
  new Uint8Array(300).map((_, i) => i & 0xff),
];
const MP_STREAM = Uint8Array.from(MP_PAYLOADS.flatMap((p) => [...encodeMpFrame(p)]));

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Feed `stream` to a fresh decoder in the given pieces; the messages (as hex), or the error. */
function mpDecode(stream: Uint8Array, cuts: number[]): string[] | RpcError {
  const d = new MpFrameDecoder(LIMIT);
  const out: string[] = [];
  let at = 0;
  try {
    for (const cut of [...cuts, stream.length]) {
      d.feed(stream.subarray(at, cut));
      at = cut;
      for (let m = d.take(); m; m = d.take()) out.push(`${hex(m.header)}|${hex(m.payload)}`);
    }
    return out;
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  }
}

const WHOLE = mpDecode(MP_STREAM, []);
const cutsOf = (n: number): fc.Arbitrary<number[]> => fc.uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: 12 }).map((c) => c.sort((a, b) => a - b));

describe('multiprocessing.connection framing', () => {
  it('a valid stream split at every offset gives the same messages', () => {
    expect(WHOLE).toEqual(MP_PAYLOADS.map((p) => `${hex(encodeMpFrame(p).subarray(0, 4))}|${hex(p)}`));
    for (let cut = 0; cut <= MP_STREAM.length; cut++) expect(mpDecode(MP_STREAM, [cut])).toEqual(WHOLE);
    // one byte at a time, too
    expect(mpDecode(MP_STREAM, [...Array(MP_STREAM.length).keys()])).toEqual(WHOLE);
  });

  it('random multi-splits give the same messages', { timeout: LONG_TIMEOUT }, () => {
    fc.assert(fc.property(cutsOf(MP_STREAM.length), (cuts) => void expect(mpDecode(MP_STREAM, cuts)).toEqual(WHOLE)), { numRuns: sideRuns(500) });
  });

  it('random and damaged streams: messages or E_LIMIT/E_PROTOCOL, never an allocation the prefix asked for', { timeout: LONG_TIMEOUT }, () => {
    const damaged = fc.oneof(fc.uint8Array({ maxLength: 64 }), mutations.map((ms) => mutate(MP_STREAM, ms)));
    timed('mp framing', () =>
      fc.assert(
        fc.property(damaged, cutsOf(64), (stream, cuts) =>
          boundedAllocation(() => {
            const r = declaredOnly(
              'mp framing',
              () => {
                const out = mpDecode(stream, cuts.filter((c) => c <= stream.length));
                if (out instanceof RpcError) throw out;
              },
              ['E_LIMIT', 'E_PROTOCOL'],
            );
            // the client starts a fresh decoder per message: a good stream decodes after any failure
            if (r) check(Array.isArray(mpDecode(MP_STREAM, [])), 'a good stream fails after a failure');
          }),
        ),
        { numRuns: runs(3000) },
      ),
    );
  });

  it('a prefix claiming 2 GiB or 2^62 bytes is refused with the claimed length, before buffering', () => {
    for (const header of [fromHex('7fffffff'), fromHex('ffffffff4000000000000000'), fromHex('ffffffff7fffffffffffffff')]) {
      boundedAllocation(() => {
        const d = new MpFrameDecoder(LIMIT);
        const e = declaredOnly('mp framing', () => d.feed(header), ['E_LIMIT']);
        expect(e?.message).toMatch(/announced a message of \d{10,} bytes/);
      });
    }
    expect(declaredOnly('mp framing', () => new MpFrameDecoder(LIMIT).feed(fromHex('80000000')), ['E_PROTOCOL'])?.code).toBe('E_PROTOCOL');
  });
});

describe('multiprocessing.connection handshake', () => {
  const KEY = enc.encode('peekaboo');
  const OURS = Uint8Array.from([...enc.encode('{sha256}'), ...new Uint8Array(40).fill(5)]);

  /**
   * What the client does with a handshake message: answer a challenge (its digest name and nonce
   * parsed), or check an answer to our challenge; the wire view describes any message.
   */
  function handshake(message: Uint8Array): void {
    if (isChallenge(message)) answerFor(KEY, message.subarray(11));
    else verifyAnswer(KEY, OURS, message);
    check(describeHandshake(message, 4).length > 0, 'no handshake layer');
  }

  const REAL = [MP_PAYLOADS[1], MP_PAYLOADS[2], MP_PAYLOADS[3], MP_PAYLOADS[4], enc.encode('#FAILURE#'), answerFor(KEY, OURS), answerFor(KEY, new Uint8Array(20).fill(1))];

  it('real messages answer and verify', () => {
    expect(verifyAnswer(KEY, OURS, answerFor(KEY, OURS))).toBe(true);
    for (const m of REAL) expect(declaredOnly('mp handshake', () => handshake(m), ['E_PROTOCOL'])).toBeUndefined();
  });

  it('random and damaged messages: an answer, a verdict or E_PROTOCOL; the wire view never throws', { timeout: LONG_TIMEOUT }, () => {
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      fc.tuple(fc.constantFrom('{sha256}', '{md5}', '{sha3_384}', '{nope}', '{', '{sha256', ''), fc.uint8Array({ maxLength: 70 })).map(([p, b]) => Uint8Array.from([...enc.encode(p), ...b])),
    );
    const message = fc.oneof(
      fc.tuple(body, fc.boolean()).map(([b, marked]) => (marked ? Uint8Array.from([...enc.encode('#CHALLENGE#'), ...b]) : b)),
      fc.tuple(fc.constantFrom(...REAL), mutations).map(([m, ms]) => mutate(m, ms)),
    );
    timed('mp handshake', () =>
      fc.assert(
        fc.property(message, (m) => boundedAllocation(() => void declaredOnly('mp handshake', () => handshake(m), ['E_PROTOCOL']))),
        { numRuns: runs(3000) },
      ),
    );
  });
});
