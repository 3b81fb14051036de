// `x[0]`, `x['key']`, `x[1:3]`, `x[::-1]`: reading into a value the REPL holds (a result kept in a
// variable, `_`), as Python's subscription does for the built-in types, with its errors. Values only
// here: a remote object's `[...]` would be a call, and is refused by the parser.
import { repr } from './repr';
import type { PyValue } from './value';
import { kvPairs } from './value';
import { hashKey, pyTypeName, unhashableType } from './value-util';

/** The start, stop and step of `a:b:c`; a part left out is undefined (as None is). */
export interface Slice {
  start?: PyValue;
  stop?: PyValue;
  step?: PyValue;
}

/** What Python raises for a subscription: its exception type and message. */
export class SubscriptError extends Error {
  constructor(
    readonly pyType: 'IndexError' | 'KeyError' | 'TypeError' | 'ValueError',
    message: string,
  ) {
    super(`${pyType}: ${message}`);
  }
}

/** `value[key]` (key a value or a slice), as Python computes it for the built-in types. */
export function subscript(value: PyValue, key: PyValue | Slice): PyValue {
  const slice = isSlice(key) ? key : undefined;
  switch (value.t) {
    case 'list':
    case 'tuple': {
      if (slice) return { t: value.t, items: sliced(value.items, slice) };
      return value.items[index(key as PyValue, value.items.length, value.t)];
    }
    case 'str': {
      const chars = codePoints(value.v);
      if (slice) return { t: 'str', v: sliced(chars, slice).join('') };
      const k = key as PyValue;
      if (!isIndex(k)) throw new SubscriptError('TypeError', `string indices must be integers, not '${pyTypeName(k)}'`);
      return { t: 'str', v: chars[index(k, chars.length, 'string')] };
    }
    case 'bytes':
    case 'bytearray': {
      if (slice) return { t: value.t, v: Uint8Array.from(sliced(Array.from(value.v), slice)) };
      return { t: 'int', v: BigInt(value.v[index(key as PyValue, value.v.length, value.t === 'bytes' ? 'byte' : 'bytearray')]) };
    }
    case 'dict': {
      if (slice) throw new SubscriptError('TypeError', "unhashable type: 'slice'");
      const k = key as PyValue;
      const bad = unhashableType(k);
      if (bad !== undefined) throw new SubscriptError('TypeError', `unhashable type: '${bad}'`);
      const wanted = hashKey(k);
      for (const [kk, v] of kvPairs(value.kv)) if (hashKey(kk) === wanted) return v;
      throw new SubscriptError('KeyError', repr(k));
    }
    default:
      throw new SubscriptError('TypeError', `'${pyTypeName(value)}' object is not subscriptable`);
  }
}

function isSlice(key: PyValue | Slice): key is Slice {
  return !('t' in key);
}

/** An int or a bool (which Python's sequences take as 0 and 1). */
function isIndex(v: PyValue): v is Extract<PyValue, { t: 'int' | 'bool' }> {
  return v.t === 'int' || v.t === 'bool';
}

const toBig = (v: Extract<PyValue, { t: 'int' | 'bool' }>): bigint => (v.t === 'int' ? v.v : v.v ? 1n : 0n);

/** Python's Py_ssize_t: an index beyond it is an error of its own (a slice's part is clamped). */
const SSIZE_LIMIT = 2n ** 63n;

/** The position `key` names in a sequence of `length` (negative from the end), or Python's error. */
function index(key: PyValue, length: number, kind: 'list' | 'tuple' | 'string' | 'byte' | 'bytearray'): number {
  if (!isIndex(key)) throw new SubscriptError('TypeError', `${kind} indices must be integers or slices, not ${pyTypeName(key)}`);
  let i = toBig(key);
  if (i >= SSIZE_LIMIT || i < -SSIZE_LIMIT) throw new SubscriptError('IndexError', "cannot fit 'int' into an index-sized integer");
  if (i < 0n) i += BigInt(length);
  if (i < 0n || i >= BigInt(length)) throw new SubscriptError('IndexError', `${kind === 'byte' ? '' : `${kind} `}index out of range`);
  return Number(i);
}

/** The items a slice picks, after Python's PySlice_AdjustIndices. */
function sliced<T>(items: readonly T[], s: Slice): T[] {
  const n = BigInt(items.length);
  const part = (v: PyValue | undefined): bigint | undefined => {
    if (v === undefined || v.t === 'none') return undefined;
    if (!isIndex(v)) throw new SubscriptError('TypeError', 'slice indices must be integers or None or have an __index__ method');
    return toBig(v);
  };
  const step = part(s.step) ?? 1n;
  if (step === 0n) throw new SubscriptError('ValueError', 'slice step cannot be zero');
  const clamp = (v: bigint | undefined, fallback: bigint, lo: bigint, hi: bigint): bigint => {
    if (v === undefined) return fallback;
    const w = v < 0n ? v + n : v;
    return w < lo ? lo : w > hi ? hi : w;
  };
  const out: T[] = [];
  if (step > 0n) {
    const start = clamp(part(s.start), 0n, 0n, n);
    const stop = clamp(part(s.stop), n, 0n, n);
    for (let i = start; i < stop; i += step) out.push(items[Number(i)]);
  } else {
    const start = clamp(part(s.start), n - 1n, -1n, n - 1n);
    const stop = clamp(part(s.stop), -1n, -1n, n - 1n);
    for (let i = start; i > stop; i += step) out.push(items[Number(i)]);
  }
  return out;
}

/** A str's characters as Python counts them (code points, not UTF-16 units). */
function codePoints(s: string): string[] {
  return Array.from(s);
}
