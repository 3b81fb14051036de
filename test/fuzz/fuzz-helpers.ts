// Shared by the decoder fuzz targets: run counts (short in `npm test`, long with FUZZ_RUNS), the
// declared-errors property, and mutations of valid inputs.
import fc from 'fast-check';
import { expect } from 'vitest';
import { RpcError, type ErrorCode } from '../../src/common/errors';

/** FUZZ_RUNS=1000000 (npm run fuzz:long) scales every target; the default keeps npm test quick. */
export function runs(short: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? n : short;
}

/** A long run may take a while; a short one gets vitest's default. */
export const LONG_TIMEOUT = process.env.FUZZ_RUNS ? 24 * 3600_000 : 60_000;

/** What happened to one input, for counting in long runs. */
export const tally = { inputs: 0, values: 0, errors: 0 };

/**
 * Run `decode`: it returns, or throws an RpcError whose code is declared. Anything else (TypeError,
 * RangeError, a stack overflow) fails the property. Returns the error, if any.
 */
export function declaredOnly(decode: () => unknown, declared: readonly ErrorCode[]): RpcError | undefined {
  tally.inputs++;
  try {
    decode();
    tally.values++;
    return undefined;
  } catch (e) {
    if (!(e instanceof RpcError) || !declared.includes(e.code)) {
      throw new Error(`undeclared failure: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
    }
    tally.errors++;
    return e;
  }
}

/** Bytes a decoder is allowed to keep for one small input: far less than any length field can claim. */
const ALLOCATION_BOUND = 64 * 1024 * 1024;

/** Fails when `run` grew array-buffer memory by more than the bound (a length prefix trusted). */
export function boundedAllocation(run: () => void): void {
  const before = process.memoryUsage().arrayBuffers;
  run();
  const grown = process.memoryUsage().arrayBuffers - before;
  expect(grown, `array buffers grew by ${grown} bytes`).toBeLessThan(ALLOCATION_BOUND);
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
  let b = Uint8Array.from(input);
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.kind) {
      case 'flip':
        if (b.length) b[at] ^= 1 << m.bit;
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'insert':
        b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
        break;
      case 'delete':
        b = Uint8Array.from([...b.subarray(0, at), ...b.subarray(at + m.count)]);
        break;
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
