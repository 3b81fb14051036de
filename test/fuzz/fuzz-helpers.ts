// Shared by the decoder fuzz targets: run counts (short in `npm test`, long with FUZZ_RUNS), the
// per-decoder counts, the declared-errors property, and mutations of valid inputs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll } from 'vitest';
import { RpcError, type ErrorCode } from '../../src/common/errors';

/** FUZZ_RUNS=N (npm run fuzz:long) makes this a long run: every decoder gets at least N inputs. */
const FUZZ_RUNS = Number(process.env.FUZZ_RUNS);
export const LONG = Number.isFinite(FUZZ_RUNS) && FUZZ_RUNS > 0;

/**
 * Runs of a per-input decoder property: `short` in npm test; in a long run, `share` of FUZZ_RUNS.
 * The shares of a decoder's properties add up to at least 1, and the long run checks the counts.
 */
export function runs(short: number, share = 1): number {
  return LONG ? Math.ceil(FUZZ_RUNS * share) : short;
}

/** Runs of a property that is not a per-input decoder check (round trips, multi-split equality). */
export function sideRuns(short: number): number {
  return LONG ? Math.max(short, Math.ceil(FUZZ_RUNS / 100)) : short;
}

/** A long run may take a while; a short one gets a minute. */
export const LONG_TIMEOUT = LONG ? 24 * 3600_000 : 60_000;

/** What happened to the inputs of one decoder: counted in every run, reported by a long one. */
export interface Count {
  inputs: number;
  /** inputs that decoded to a value */
  values: number;
  /** inputs refused with a declared error */
  errors: number;
  /** time inside the decoder */
  decodeMs: number;
  /** wall time of the properties that fuzz this decoder */
  wallMs: number;
}

export const tally = new Map<string, Count>();

function countOf(decoder: string): Count {
  let c = tally.get(decoder);
  if (!c) tally.set(decoder, (c = { inputs: 0, values: 0, errors: 0, decodeMs: 0, wallMs: 0 }));
  return c;
}

/**
 * Run `decode` on one input of `decoder`: it returns, or throws an RpcError whose code is declared.
 * Anything else (TypeError, RangeError, a stack overflow) fails the property. Returns the error, if any.
 */
export function declaredOnly(decoder: string, decode: () => unknown, declared: readonly ErrorCode[]): RpcError | undefined {
  const c = countOf(decoder);
  c.inputs++;
  const t0 = performance.now();
  try {
    decode();
    c.values++;
    return undefined;
  } catch (e) {
    if (!(e instanceof RpcError) || !declared.includes(e.code)) {
      throw new Error(`${decoder}: undeclared failure: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
    }
    c.errors++;
    return e;
  } finally {
    c.decodeMs += performance.now() - t0;
  }
}

/** Run `fuzz` (the properties of one decoder) and add its wall time to the decoder's count. */
export function timed(decoder: string, fuzz: () => void): void {
  const t0 = performance.now();
  try {
    fuzz();
  } finally {
    countOf(decoder).wallMs += performance.now() - t0;
  }
}

/** In a long run, the file's counts go to test-results/fuzz-long/<name>.json for scripts/fuzz-long.mjs. */
export function saveTally(name: string): void {
  afterAll(() => {
    if (!LONG) return;
    const dir = join(__dirname, '..', '..', 'test-results', 'fuzz-long');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(Object.fromEntries(tally), null, 1) + '\n');
  });
}

/** Bytes a decoder is allowed to keep for one small input: far less than any length field can claim. */
const ALLOCATION_BOUND = 64 * 1024 * 1024;

/** Fails when `run` grew array-buffer memory by more than the bound (a length prefix trusted). */
export function boundedAllocation(run: () => void): void {
  const before = process.memoryUsage().arrayBuffers;
  run();
  const grown = process.memoryUsage().arrayBuffers - before;
  if (grown >= ALLOCATION_BOUND) throw new Error(`array buffers grew by ${grown} bytes`);
}

/** A failed check inside a property (expect() costs more than the decoders in a long run). */
export function check(ok: boolean, what: string | (() => string)): void {
  if (!ok) throw new Error(typeof what === 'string' ? what : what());
}

export type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'inflate'; at: number; width: 4 | 8; littleEndian: boolean };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.array(fc.nat({ max: 255 }), { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('inflate' as const), at: fc.nat(), width: fc.constantFrom(4 as const, 8 as const), littleEndian: fc.boolean() }),
);

/** Apply mutations in order; positions wrap around the current length. */
export function mutate(input: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = input.slice();
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.kind) {
      case 'flip':
        if (b.length) b[at] ^= 1 << m.bit;
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert': {
        const out = new Uint8Array(b.length + m.bytes.length);
        out.set(b.subarray(0, at));
        out.set(m.bytes, at);
        out.set(b.subarray(at), at + m.bytes.length);
        b = out;
        break;
      }
      case 'delete': {
        const out = new Uint8Array(Math.max(at, b.length - m.count));
        out.set(b.subarray(0, at));
        out.set(b.subarray(at + m.count), at);
        b = out;
        break;
      }
      case 'inflate': {
        // a length field claiming ~2 GiB (4 bytes) or ~2^62 (8 bytes), wherever it lands
        const field = new Uint8Array(m.width).fill(0xff);
        field[m.littleEndian ? m.width - 1 : 0] = m.width === 4 ? 0x7f : 0x3f;
        if (b.length >= m.width) b.set(field, Math.min(at, b.length - m.width));
        break;
      }
    }
  }
  return b;
}

export const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

export function fromHex(h: string): Uint8Array {
  return Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
}
