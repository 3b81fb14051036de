// Streaming and framing decoders: multiprocessing.connection's length prefixes (MpFrameDecoder) and
// handshake messages, RPyC channel frames and messages, brine. Random bytes, damaged frames of real
// traffic, inflated length fields, and valid streams split at every offset and at random places.
import { deflateSync, inflateSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { MpFrameDecoder, encodeMpFrame } from '../../src/codecs/mp-framing';
import { decodeBrine } from '../../src/codecs/rpyc/brine';
import { decodeFrameHeader, encodeFrame, framePayload, FRAME_HEADER_SIZE } from '../../src/codecs/rpyc/channel';
import { decodeMessage } from '../../src/codecs/rpyc/messages';
import { describeHandshake, digestNameAndPayload } from '../../src/clients/mp/auth';
import { RpcError } from '../../src/common/errors';
import { repr } from '../../src/common/repr';
import { boundedAllocation, declaredOnly, fromHex, LONG_TIMEOUT, mutations, mutate, runs, tally } from './fuzz-helpers';

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

interface BrineVector {
  hex: string;
  repr: string;
}
const BRINE = (JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'rpyc', 'brine-vectors.json'), 'utf8')) as BrineVector[]).map((v) => ({
  ...v,
  bytes: fromHex(v.hex),
}));
// seed 004's root.foo() exchange as rpyc 5.3.0 frames it (protocols.md)
const RPYC_FRAME = fromHex('0000000800' + '1251501153115102' + '0a');

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

const cutsOf = (n: number): fc.Arbitrary<number[]> => fc.uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: 12 }).map((c) => c.sort((a, b) => a - b));

afterAll(() => {
  if (process.env.FUZZ_RUNS) console.log(`framing fuzz: ${tally.inputs} inputs, ${tally.values} decoded, ${tally.errors} refused`);
});

describe('multiprocessing.connection framing', () => {
  it('a valid stream split at every offset gives the same messages', () => {
    const whole = mpDecode(MP_STREAM, []);
    expect(whole).toEqual(MP_PAYLOADS.map((p) => `${hex(encodeMpFrame(p).subarray(0, 4))}|${hex(p)}`));
    for (let cut = 0; cut <= MP_STREAM.length; cut++) expect(mpDecode(MP_STREAM, [cut])).toEqual(whole);
    // one byte at a time, too
    expect(mpDecode(MP_STREAM, [...Array(MP_STREAM.length).keys()])).toEqual(whole);
  });

  it('random multi-splits give the same messages', { timeout: LONG_TIMEOUT }, () => {
    const whole = mpDecode(MP_STREAM, []);
    fc.assert(fc.property(cutsOf(MP_STREAM.length), (cuts) => void expect(mpDecode(MP_STREAM, cuts)).toEqual(whole)), { numRuns: runs(500) });
  });

  it('random and damaged streams: messages or E_LIMIT/E_PROTOCOL, never an allocation the prefix asked for', { timeout: LONG_TIMEOUT }, () => {
    const damaged = fc.oneof(fc.uint8Array({ maxLength: 64 }), mutations.map((ms) => mutate(MP_STREAM, ms)));
    fc.assert(
      fc.property(damaged, cutsOf(64), (stream, cuts) =>
        boundedAllocation(() => {
          const r = declaredOnly(() => {
            const out = mpDecode(stream, cuts.filter((c) => c <= stream.length));
            if (out instanceof RpcError) throw out;
          }, ['E_LIMIT', 'E_PROTOCOL']);
          // the client starts a fresh decoder per message: a good stream decodes after any failure
          if (r) expect(Array.isArray(mpDecode(MP_STREAM, []))).toBe(true);
        }),
      ),
      { numRuns: runs(1500) },
    );
  });

  it('a prefix claiming 2 GiB or 2^62 bytes is refused with the claimed length, before buffering', () => {
    for (const header of [fromHex('7fffffff'), fromHex('ffffffff4000000000000000'), fromHex('ffffffff7fffffffffffffff')]) {
      boundedAllocation(() => {
        const d = new MpFrameDecoder(LIMIT);
        const e = declaredOnly(() => d.feed(header), ['E_LIMIT']);
        expect(e?.message).toMatch(/announced a message of \d{10,} bytes/);
      });
    }
    expect(declaredOnly(() => new MpFrameDecoder(LIMIT).feed(fromHex('80000000')), ['E_PROTOCOL'])?.code).toBe('E_PROTOCOL');
  });

  it('handshake messages: a digest name and payload, or E_PROTOCOL; the wire view never throws', { timeout: LONG_TIMEOUT }, () => {
    const challenge = fc.oneof(
      fc.uint8Array({ maxLength: 80 }),
      fc.tuple(fc.constantFrom('{sha256}', '{md5}', '{sha3_384}', '{nope}', '{', '{sha256', ''), fc.uint8Array({ maxLength: 70 })).map(([p, b]) => Uint8Array.from([...enc.encode(p), ...b])),
    );
    fc.assert(
      fc.property(challenge, fc.boolean(), (body, marked) => {
        declaredOnly(() => digestNameAndPayload(body), ['E_PROTOCOL']);
        const payload = marked ? Uint8Array.from([...enc.encode('#CHALLENGE#'), ...body]) : body;
        const layers = describeHandshake(payload, 4);
        expect(layers.length).toBeGreaterThan(0);
      }),
      { numRuns: runs(1500) },
    );
  });
});

describe('RPyC channel frames, messages and brine', () => {
  const payloadOf = (frame: Uint8Array): PyValueRepr => repr(decodeMessage(framePayload(frame, (d) => new Uint8Array(inflateSync(d)))).args);
  type PyValueRepr = string;

  it('real frames decode, plain and zlib-compressed alike', () => {
    const body = RPYC_FRAME.subarray(FRAME_HEADER_SIZE, RPYC_FRAME.length - 1);
    expect(payloadOf(RPYC_FRAME)).toBe(payloadOf(encodeFrame(new Uint8Array(deflateSync(body, { level: 1 })), true)));
  });

  it('damaged frames: a message or a declared error, bounded allocation', { timeout: LONG_TIMEOUT }, () => {
    const frames = [RPYC_FRAME, ...BRINE.slice(0, 40).map((v) => encodeFrame(v.bytes)), encodeFrame(new Uint8Array(deflateSync(RPYC_FRAME.subarray(5, 13))), true)];
    fc.assert(
      fc.property(fc.constantFrom(...frames), mutations, (frame, ms) =>
        boundedAllocation(() => {
          const bad = mutate(frame, ms);
          declaredOnly(() => decodeFrameHeader(bad, LIMIT), ['E_DECODE', 'E_LIMIT']);
          declaredOnly(
            () =>
              decodeMessage(
                framePayload(bad, (d) => {
                  try {
                    return new Uint8Array(inflateSync(d, { maxOutputLength: LIMIT }));
                  } catch (e) {
                    // the client maps zlib failures the same way
                    throw new RpcError('E_DECODE', `bad zlib data: ${(e as Error).message}`);
                  }
                }),
              ),
            ['E_DECODE', 'E_PROTOCOL', 'E_LIMIT'],
          );
          expect(payloadOf(RPYC_FRAME)).toContain('(1, ())');
        }),
      ),
      { numRuns: runs(1500) },
    );
  });

  it('a header claiming 4 GiB is refused with E_LIMIT naming the length', () => {
    const e = declaredOnly(() => decodeFrameHeader(fromHex('ffffffff00'), LIMIT), ['E_LIMIT']);
    expect(e?.message).toMatch(/4294967295 bytes/);
  });

  it('brine: random bytes and damaged golden vectors from rpyc 5.3.0', { timeout: LONG_TIMEOUT }, () => {
    const input = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.tuple(fc.constantFrom(...BRINE), mutations).map(([v, ms]) => mutate(v.bytes, ms)));
    const good = BRINE[BRINE.length - 1];
    fc.assert(
      fc.property(input, (b) =>
        boundedAllocation(() => {
          if (declaredOnly(() => decodeBrine(b), ['E_DECODE', 'E_PROTOCOL', 'E_LIMIT'])) expect(repr(decodeBrine(good.bytes))).toBe(good.repr);
          declaredOnly(() => decodeMessage(b), ['E_DECODE', 'E_PROTOCOL', 'E_LIMIT']);
        }),
      ),
      { numRuns: runs(2000) },
    );
  });
});
