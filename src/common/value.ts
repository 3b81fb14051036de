// The Python value model: plain tagged data for every value a Python peer can send or receive.
// Every protocol decodes into it and encodes from it; the repr printer renders it exactly like CPython.

export type PyValue =
  | PyNone
  | PyBool
  | PyInt
  | PyFloat
  | PyComplex
  | PyStr
  | PyBytes
  | PyByteArray
  | PyList
  | PyTuple
  | PyDict
  | PySet
  | PyFrozenSet
  | PyObject
  | PyGlobal
  | PyRef;

export interface PyNone { t: 'none' }
export interface PyBool { t: 'bool'; v: boolean }
/** Arbitrary-precision int. */
export interface PyInt { t: 'int'; v: bigint }
export interface PyFloat { t: 'float'; v: number }
export interface PyComplex { t: 'complex'; re: number; im: number }
export interface PyStr { t: 'str'; v: string }
export interface PyBytes { t: 'bytes'; v: Uint8Array }
export interface PyByteArray { t: 'bytearray'; v: Uint8Array }
export interface PyList { t: 'list'; items: PyValue[] }
export interface PyTuple { t: 'tuple'; items: PyValue[] }
/**
 * Insertion-ordered; keys may be any hashable value (str, int, tuple, frozenset...). Keys and values
 * alternate in one flat array, `kv = [k0, v0, k1, v1, ...]`: a large reply holds hundreds of
 * thousands of dicts, and one array per dict instead of one per entry halves the memory they take
 * and the garbage collector's work while decoding. `kvPairs` gives the pairs where speed is no issue.
 */
export interface PyDict { t: 'dict'; kv: PyValue[] }
export interface PySet { t: 'set'; items: PyValue[] }
export interface PyFrozenSet { t: 'frozenset'; items: PyValue[] }

/**
 * An instance of a class we do not (and must not) have: built as data from the pickle's
 * REDUCE / NEWOBJ / BUILD opcodes (or the equivalent of another protocol), never executed.
 * `module.name` is the class; `args` what it was constructed from; `state` what BUILD set.
 * `display` is a readable repr produced by a known reducer (datetime, Decimal, OrderedDict...).
 * `exception` marks instances of exception classes (they can be rethrown as remote errors).
 */
export interface PyObject {
  t: 'object';
  module: string;
  name: string;
  args: PyValue[];
  kwargs?: [string, PyValue][];
  state?: PyValue;
  /** items appended (APPENDS on a list subclass) or set (SETITEMS on a dict subclass) */
  listItems?: PyValue[];
  /** keys and values alternating, as in PyDict.kv */
  dictItems?: PyValue[];
  display?: string;
  exception?: boolean;
}

/** A reference to a module-level name (a class or function) by itself: `<class 'mod.Name'>`. */
export interface PyGlobal { t: 'global'; module: string; name: string }

/** A handle on an object that lives in the remote process (an RPyC netref). */
export interface PyRef {
  t: 'ref';
  /** remote class, e.g. "builtins.list" or "__main__.Counter" */
  cls: string;
  /** protocol-specific identity, stable while the reference is alive */
  handle: string;
  /** the remote repr, when known */
  repr?: string;
}

export const None: PyNone = { t: 'none' };
export const True: PyBool = { t: 'bool', v: true };
export const False: PyBool = { t: 'bool', v: false };

export const int = (v: bigint | number): PyInt => ({ t: 'int', v: typeof v === 'bigint' ? v : BigInt(v) });
export const float = (v: number): PyFloat => ({ t: 'float', v });
export const str = (v: string): PyStr => ({ t: 'str', v });
export const bytes = (v: Uint8Array): PyBytes => ({ t: 'bytes', v });
export const bool = (v: boolean): PyBool => (v ? True : False);
export const list = (items: PyValue[]): PyList => ({ t: 'list', items });
export const tuple = (items: PyValue[]): PyTuple => ({ t: 'tuple', items });
export const dict = (entries: Iterable<readonly [PyValue, PyValue]>): PyDict => ({ t: 'dict', kv: kvFromPairs(entries) });
export const set = (items: PyValue[]): PySet => ({ t: 'set', items });
export const frozenset = (items: PyValue[]): PyFrozenSet => ({ t: 'frozenset', items });

/** A dict with str keys, the common case for JSON objects and keyword arguments. */
export function strDict(entries: Iterable<readonly [string, PyValue]>): PyDict {
  const kv: PyValue[] = [];
  for (const [k, v] of entries) kv.push(str(k), v);
  return { t: 'dict', kv };
}

/** Flat keys and values (PyDict.kv) from pairs. */
export function kvFromPairs(entries: Iterable<readonly [PyValue, PyValue]>): PyValue[] {
  const kv: PyValue[] = [];
  for (const [k, v] of entries) kv.push(k, v);
  return kv;
}

/** The (key, value) pairs of flat keys and values (PyDict.kv, PyObject.dictItems). */
export function kvPairs(kv: readonly PyValue[]): [PyValue, PyValue][] {
  const out: [PyValue, PyValue][] = [];
  for (let i = 0; i + 1 < kv.length; i += 2) out.push([kv[i], kv[i + 1]]);
  return out;
}

/** The keys of flat keys and values (PyDict.kv), in order. */
export function kvKeys(kv: readonly PyValue[]): PyValue[] {
  const out: PyValue[] = [];
  for (let i = 0; i < kv.length; i += 2) out.push(kv[i]);
  return out;
}

/** The value under a str key, if the dict has one. */
export function strKeyValue(d: PyDict, key: string): PyValue | undefined {
  const kv = d.kv;
  for (let i = 0; i + 1 < kv.length; i += 2) {
    const k = kv[i];
    if (k.t === 'str' && k.v === key) return kv[i + 1];
  }
  return undefined;
}
