// Python equality and hashing over the value model, for dict keys and set members:
// 1 == 1.0 == True == (1+0j), -0.0 == 0, tuples compare item by item, frozensets ignore order.
import { floatRepr } from './float-repr';
import type { PyValue } from './value';

const identities = new WeakMap<object, number>();
let nextIdentity = 1;

/** Objects, classes and refs hash by identity, as Python's default __hash__ does. */
function identity(v: object): number {
  let id = identities.get(v);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(v, id);
  }
  return id;
}

function numberKey(x: number): string {
  if (Number.isInteger(x)) return 'n:' + BigInt(x).toString();
  return 'f:' + floatRepr(x);
}

/** The name of the value's Python type, as `type(v).__name__` (an object's class, a ref's class). */
export function pyTypeName(v: PyValue): string {
  if (v.t === 'none') return 'NoneType';
  if (v.t === 'object') return v.name;
  if (v.t === 'global') return 'type';
  if (v.t === 'ref') return v.cls;
  return v.t;
}

/** The Python type name of the first unhashable value inside `v` ('list', 'dict'...), if any. */
export function unhashableType(v: PyValue): string | undefined {
  switch (v.t) {
    case 'list':
    case 'dict':
    case 'set':
    case 'bytearray':
      return v.t;
    case 'tuple':
      for (const item of v.items) {
        const bad = unhashableType(item);
        if (bad !== undefined) return bad;
      }
      return undefined;
    default:
      return undefined;
  }
}

/**
 * A string equal for exactly the values Python considers equal (for hashable values), so a JS
 * Map can stand in for a dict or set. Undefined for unhashable values.
 */
export function hashKey(v: PyValue): string | undefined {
  switch (v.t) {
    case 'none':
      return 'N';
    case 'bool':
      return v.v ? 'n:1' : 'n:0';
    case 'int':
      return 'n:' + v.v.toString();
    case 'float':
      return numberKey(v.v);
    case 'complex':
      return v.im === 0 ? numberKey(v.re) : `c:${floatRepr(v.re)},${floatRepr(v.im)}`;
    case 'str':
      return 's:' + v.v;
    case 'bytes':
      return 'b:' + Array.from(v.v, (b) => b.toString(16).padStart(2, '0')).join('');
    case 'tuple': {
      const keys: string[] = [];
      for (const item of v.items) {
        const k = hashKey(item);
        if (k === undefined) return undefined;
        keys.push(k);
      }
      return 't:' + JSON.stringify(keys);
    }
    case 'frozenset': {
      const keys = new Set<string>();
      for (const item of v.items) {
        const k = hashKey(item);
        if (k === undefined) return undefined;
        keys.add(k);
      }
      return 'F:' + JSON.stringify([...keys].sort());
    }
    case 'global':
      return `g:${v.module}.${v.name}`;
    case 'ref':
      return `r:${v.cls}:${v.handle}`;
    case 'object':
      return 'o:' + identity(v);
    default:
      return undefined;
  }
}

/** Python's == for hashable values (containers compare by hashKey too). */
export function pyEquals(a: PyValue, b: PyValue): boolean {
  const ka = hashKey(a);
  return ka !== undefined && ka === hashKey(b);
}

/** Distinct members in first-seen order, as building a Python set from them would keep. */
export function uniqueMembers(items: PyValue[]): PyValue[] {
  const seen = new Set<string>();
  const out: PyValue[] = [];
  for (const item of items) {
    const k = hashKey(item);
    if (k === undefined || !seen.has(k)) out.push(item);
    if (k !== undefined) seen.add(k);
  }
  return out;
}

/**
 * Flat keys and values (PyDict.kv) with later duplicates folded into the first key's slot, as a
 * Python dict display or repeated assignment does (the last value wins, in the first key's place).
 * Returns a new array.
 */
export function foldDuplicateKeys(kv: readonly PyValue[]): PyValue[] {
  const index = new Map<string, number>();
  const out: PyValue[] = [];
  for (let i = 0; i + 1 < kv.length; i += 2) {
    const key = hashKey(kv[i]);
    const at = key === undefined ? undefined : index.get(key);
    if (at !== undefined) out[at + 1] = kv[i + 1];
    else {
      if (key !== undefined) index.set(key, out.length);
      out.push(kv[i], kv[i + 1]);
    }
  }
  return out;
}
