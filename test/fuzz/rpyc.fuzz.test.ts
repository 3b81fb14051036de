// RPyC channel frames and messages on damaged frames rpyc 5.3.0 wrote (test/golden/rpyc/frames.json,
// plain and zlib-compressed) and on random bytes: the client's path from frame header to message
// gives a message or E_DECODE/E_PROTOCOL/E_LIMIT, nothing else, with bounded allocation, and a real
// frame decodes right after a failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFrameHeader, encodeFrame, framePayload, FRAME_HEADER_SIZE } from '../../src/codecs/rpyc/channel';
import { decodeMessage } from '../../src/codecs/rpyc/messages';
import { RpcError } from '../../src/common/errors';
import { repr } from '../../src/common/repr';
import { boundedAllocation, check, declaredOnly, fromHex, LONG_TIMEOUT, mutations, mutate, runs, saveTally, timed } from './fuzz-helpers';

saveTally('rpyc');

const LIMIT = 1024 * 1024;
const DECLARED = ['E_DECODE', 'E_PROTOCOL', 'E_LIMIT'] as const;

const FRAMES = (JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'rpyc', 'frames.json'), 'utf8')) as { name: string; hex: string }[]).map((f) => ({
  ...f,
  bytes: fromHex(f.hex),
}));
const GETROOT = FRAMES.find((f) => f.name === 'getroot')!.bytes;

/** zlib as the client inflates: bounded by the limit, its failures E_DECODE. */
function inflate(d: Uint8Array): Uint8Array {
  try {
    return new Uint8Array(inflateSync(d, { maxOutputLength: LIMIT }));
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new RpcError('E_LIMIT', 'inflates past the limit');
    throw new RpcError('E_DECODE', `bad zlib data: ${(e as Error).message}`);
  }
}

/** What the client does with a frame: the header against the limit, the payload, the message. */
function readFrame(frame: Uint8Array): string {
  decodeFrameHeader(frame, LIMIT);
  return repr(decodeMessage(framePayload(frame, inflate)).args);
}

const GETROOT_ARGS = readFrame(GETROOT);

function checkFrame(frame: Uint8Array): void {
  boundedAllocation(() => {
    if (declaredOnly('rpyc channel', () => readFrame(frame), DECLARED)) {
      const r = readFrame(GETROOT);
      check(r === GETROOT_ARGS, () => `after a failure the getroot frame decodes to ${r}`);
    }
  });
}

function checkMessage(payload: Uint8Array): void {
  boundedAllocation(() => void declaredOnly('rpyc message', () => decodeMessage(payload), DECLARED));
}

// the payloads of the golden frames, decompressed
const PAYLOADS = FRAMES.map((f) => framePayload(f.bytes, inflate));

describe('RPyC channel frames and messages', () => {
  it('golden frames from rpyc decode, plain and zlib-compressed alike', () => {
    expect(FRAMES.length).toBeGreaterThan(5);
    expect(FRAMES.some((f) => f.bytes[4] === 1)).toBe(true);
    for (const f of FRAMES) expect(() => readFrame(f.bytes), f.name).not.toThrow();
    expect(GETROOT_ARGS).toBe('(3, (1, ()))');
    const body = GETROOT.subarray(FRAME_HEADER_SIZE, GETROOT.length - 1);
    expect(readFrame(encodeFrame(new Uint8Array(deflateSync(body, { level: 1 })), true))).toBe(GETROOT_ARGS);
  });

  it('a header claiming 4 GiB is refused with E_LIMIT naming the length', () => {
    const e = declaredOnly('rpyc channel', () => decodeFrameHeader(fromHex('ffffffff00'), LIMIT), ['E_LIMIT']);
    expect(e?.message).toMatch(/4294967295 bytes/);
  });

  it('damaged golden frames: a message or a declared error, bounded allocation', { timeout: LONG_TIMEOUT }, () => {
    const frames = [...FRAMES.map((f) => f.bytes), encodeFrame(new Uint8Array(deflateSync(PAYLOADS[1])), true)];
    timed('rpyc channel', () =>
      fc.assert(
        fc.property(fc.constantFrom(...frames), mutations, (frame, ms) => checkFrame(mutate(frame, ms))),
        { numRuns: runs(3000, 0.7) },
      ),
    );
  });

  it('random frames: a message or a declared error', { timeout: LONG_TIMEOUT }, () => {
    const frame = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc.tuple(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(0, 1)).map(([p, z]) => encodeFrame(p, z === 1)),
    );
    timed('rpyc channel', () => fc.assert(fc.property(frame, checkFrame), { numRuns: runs(1500, 0.3) }));
  });

  it('messages: damaged golden payloads and random bytes give a message or a declared error', { timeout: LONG_TIMEOUT }, () => {
    const payload = fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.tuple(fc.constantFrom(...PAYLOADS), mutations).map(([p, ms]) => mutate(p, ms)));
    timed('rpyc message', () => fc.assert(fc.property(payload, checkMessage), { numRuns: runs(3000) }));
  });
});
