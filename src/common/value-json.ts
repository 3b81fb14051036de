// Two JSON forms of the value model.
// - The JSON-safe form (toJsonSafe / fromJsonSafe): lossless, for the IPC and WebSocket bridge and
//   for collection files. Same tags as PyValue; ints as decimal strings, bytes as base64, floats as
//   numbers except 'nan', 'inf', '-inf' and '-0'; a container that contains itself refers back with
//   {t: 'backref', up: n} (n = how many containers up the current path). A preview (what the
//   window's tree gets of a call's value) cuts large containers short and says in `more` how many
//   items it left out.
// - The natural form (pyToJson): what `--json` prints; readable, not lossless (see pyToJson).
import { z } from 'zod';
import { fromBase64, toBase64 } from './base64';
import { RpcError } from './errors';
import { jsonSafeProblem, type JsonSafeProblem } from './value-json-check';
import { kvPairs, type PyBool, type PyDict, type PyFrozenSet, type PyGlobal, type PyList, type PyNone, type PyObject, type PyRef, type PySet, type PyStr, type PyTuple, type PyValue } from './value';

export type JsonSafeFloat = number | 'nan' | 'inf' | '-inf' | '-0';

export type JsonSafeValue =
  | { t: 'none' }
  | { t: 'bool'; v: boolean }
  | { t: 'int'; v: string }
  | { t: 'float'; v: JsonSafeFloat }
  | { t: 'complex'; re: JsonSafeFloat; im: JsonSafeFloat }
  | { t: 'str'; v: string }
  | { t: 'bytes' | 'bytearray'; b64: string }
  | { t: 'list' | 'tuple' | 'set' | 'frozenset'; items: JsonSafeValue[]; more?: number }
  | { t: 'dict'; entries: [JsonSafeValue, JsonSafeValue][]; more?: number }
  | JsonSafeObject
  | { t: 'global'; module: string; name: string }
  | { t: 'ref'; cls: string; handle: string; repr?: string }
  | { t: 'backref'; up: number };

export interface JsonSafeObject {
  t: 'object';
  module: string;
  name: string;
  args: JsonSafeValue[];
  kwargs?: [string, JsonSafeValue][];
  state?: JsonSafeValue;
  listItems?: JsonSafeValue[];
  dictItems?: [JsonSafeValue, JsonSafeValue][];
  display?: string;
  exception?: boolean;
}

/** Where a problem is in a value, as a reader would write it: `entries[0][1].v`. */
export function formatValuePath(path: (string | number)[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('') || '(the value itself)';
}

const describeProblem = (p: JsonSafeProblem): string => `${p.message} at ${formatValuePath(p.path)}`;

/** A JSON-safe value, checked by hand (value-json-check.ts) and passed on as it is, not copied. */
export const jsonSafeValueSchema: z.ZodType<JsonSafeValue> = z.custom<JsonSafeValue>().superRefine((x, ctx) => {
  const problem = jsonSafeProblem(x, MAX_JSON_DEPTH);
  if (problem) ctx.addIssue({ code: 'custom', message: describeProblem(problem), path: problem.path });
});

function floatToJson(x: number): JsonSafeFloat {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return x;
}

function floatFromJson(x: JsonSafeFloat): number {
  if (typeof x === 'number') return x;
  return { nan: NaN, inf: Infinity, '-inf': -Infinity, '-0': -0 }[x];
}

/**
 * Deeper values are refused with E_LIMIT instead of overflowing the stack (here or in
 * JSON.stringify); the decoders' own depth limits are far below it.
 */
export const MAX_JSON_DEPTH = 1000;

function tooDeep(): RpcError {
  return new RpcError('E_LIMIT', `value nested deeper than ${MAX_JSON_DEPTH} levels`);
}

/** The kinds whose JSON-safe form has the value's own fields: copied as they are, either way. */
type SameForm = PyNone | PyBool | PyStr | PyGlobal | PyRef;

function copySameForm(x: SameForm): SameForm {
  switch (x.t) {
    case 'none':
      return { t: 'none' };
    case 'bool':
      return { t: 'bool', v: x.v };
    case 'str':
      return { t: 'str', v: x.v };
    case 'global':
      return { t: 'global', module: x.module, name: x.name };
    case 'ref':
      return x.repr === undefined ? { t: 'ref', cls: x.cls, handle: x.handle } : { t: 'ref', cls: x.cls, handle: x.handle, repr: x.repr };
  }
}

/** The optional parts of an object that have the same shape in both forms. */
interface ObjectParts<V> {
  kwargs?: [string, V][];
  state?: V;
  listItems?: V[];
  display?: string;
  exception?: boolean;
}

/**
 * Sets on `to` the optional parts present in `from`, their values converted with `conv`. (dictItems
 * differ: flat keys and values in a PyObject, pairs in the JSON-safe form; each direction does it.)
 */
function convertObjectParts<A, B>(from: ObjectParts<A>, to: ObjectParts<B>, conv: (x: A) => B): void {
  if (from.kwargs !== undefined) to.kwargs = from.kwargs.map(([k, val]) => [k, conv(val)]);
  if (from.state !== undefined) to.state = conv(from.state);
  if (from.listItems !== undefined) to.listItems = from.listItems.map(conv);
  if (from.display !== undefined) to.display = from.display;
  if (from.exception !== undefined) to.exception = from.exception;
}

/**
 * How much of a value a preview keeps: at most `items` items (or entries) of each container, and
 * containers met after `nodes` values have been written keep none. What is left out is counted in
 * the container's `more`.
 */
export interface PreviewLimits {
  items: number;
  nodes: number;
}

/**
 * The lossless JSON-safe form of a value; with `preview`, the start of each large container only
 * (for a view of a reply of millions of values, where the whole form would be hundreds of MB).
 */
export function toJsonSafe(v: PyValue, preview?: PreviewLimits): JsonSafeValue {
  const path: PyValue[] = [];
  let budget = preview ? preview.nodes : Infinity;
  const maxItems = preview ? preview.items : Infinity;
  /** the first items of a container the preview keeps (all of them without one), and how many it leaves out */
  const kept = <T>(all: readonly T[]): { keep: readonly T[]; more?: number } => {
    const n = Math.max(0, Math.min(all.length, maxItems, budget));
    budget -= n;
    return n === all.length ? { keep: all } : { keep: all.slice(0, n), more: all.length - n };
  };
  const conv = (x: PyValue): JsonSafeValue => {
    if (path.length > MAX_JSON_DEPTH) throw tooDeep();
    switch (x.t) {
      case 'none':
      case 'bool':
      case 'str':
      case 'global':
      case 'ref':
        return copySameForm(x);
      case 'int':
        return { t: 'int', v: x.v.toString() };
      case 'float':
        return { t: 'float', v: floatToJson(x.v) };
      case 'complex':
        return { t: 'complex', re: floatToJson(x.re), im: floatToJson(x.im) };
      case 'bytes':
      case 'bytearray':
        return { t: x.t, b64: toBase64(x.v) };
      default:
        break;
    }
    const at = path.lastIndexOf(x);
    if (at >= 0) return { t: 'backref', up: path.length - at };
    path.push(x);
    try {
      switch (x.t) {
        case 'list':
        case 'tuple':
        case 'set':
        case 'frozenset': {
          const { keep, more } = kept(x.items);
          return more === undefined ? { t: x.t, items: keep.map(conv) } : { t: x.t, items: keep.map(conv), more };
        }
        case 'dict': {
          const { keep, more } = kept(kvPairs(x.kv));
          const entries = keep.map(([k, val]): [JsonSafeValue, JsonSafeValue] => [conv(k), conv(val)]);
          return more === undefined ? { t: 'dict', entries } : { t: 'dict', entries, more };
        }
        case 'object': {
          const o: JsonSafeObject = { t: 'object', module: x.module, name: x.name, args: x.args.map(conv) };
          convertObjectParts(x, o, conv);
          if (x.dictItems !== undefined) o.dictItems = kvPairs(x.dictItems).map(([k, val]) => [conv(k), conv(val)]);
          return o;
        }
      }
    } finally {
      path.pop();
    }
  };
  return conv(v);
}

/** Rebuilds a value from its JSON-safe form (cycles included). Throws E_DECODE on bad input. */
export function fromJsonSafe(j: JsonSafeValue): PyValue {
  const path: PyValue[] = [];
  const conv = (x: JsonSafeValue): PyValue => {
    if (path.length > MAX_JSON_DEPTH) throw tooDeep();
    switch (x.t) {
      case 'none':
      case 'bool':
      case 'str':
      case 'global':
      case 'ref':
        return copySameForm(x);
      case 'int':
        if (!/^-?\d+$/.test(x.v)) throw new RpcError('E_DECODE', `bad int in JSON value: ${JSON.stringify(x.v)}`);
        return { t: 'int', v: BigInt(x.v) };
      case 'float':
        return { t: 'float', v: floatFromJson(x.v) };
      case 'complex':
        return { t: 'complex', re: floatFromJson(x.re), im: floatFromJson(x.im) };
      case 'bytes':
      case 'bytearray': {
        const b = fromBase64(x.b64);
        if (b === undefined) throw new RpcError('E_DECODE', `bad base64 in JSON ${x.t} value`);
        return { t: x.t, v: b };
      }
      case 'backref': {
        const target = path[path.length - x.up];
        if (target === undefined || x.up < 1) throw new RpcError('E_DECODE', `backref ${x.up} points outside the value`);
        return target;
      }
      case 'list':
      case 'tuple':
      case 'set':
      case 'frozenset': {
        const out: PyList | PyTuple | PySet | PyFrozenSet = { t: x.t, items: [] };
        path.push(out);
        for (const item of x.items) out.items.push(conv(item));
        path.pop();
        return out;
      }
      case 'dict': {
        const out: PyDict = { t: 'dict', kv: [] };
        path.push(out);
        for (const [k, val] of x.entries) out.kv.push(conv(k), conv(val));
        path.pop();
        return out;
      }
      case 'object': {
        const out: PyObject = { t: 'object', module: x.module, name: x.name, args: [] };
        path.push(out);
        for (const a of x.args) out.args.push(conv(a));
        convertObjectParts(x, out, conv);
        if (x.dictItems !== undefined) out.dictItems = x.dictItems.flatMap(([k, val]) => [conv(k), conv(val)]);
        path.pop();
        return out;
      }
    }
  };
  return conv(j);
}

/** How deeply arrays and objects nest in parsed JSON, measured without recursion. */
function jsonNesting(data: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[data, 0]];
  while (stack.length > 0) {
    const [x, d] = stack.pop()!;
    if (typeof x !== 'object' || x === null) continue;
    max = Math.max(max, d + 1);
    for (const child of Array.isArray(x) ? x : Object.values(x)) stack.push([child, d + 1]);
  }
  return max;
}

/** Validates untrusted JSON (from a file or a socket) and rebuilds the value. */
export function parseJsonSafe(data: unknown): PyValue {
  // each level of a value is an object plus an array (items, entries and their pairs)
  if (jsonNesting(data) > 3 * MAX_JSON_DEPTH) throw tooDeep();
  const problem = jsonSafeProblem(data, MAX_JSON_DEPTH);
  if (problem?.tooDeep) throw tooDeep();
  if (problem) throw new RpcError('E_DECODE', `not a valid value: ${describeProblem(problem)}`, problem);
  return fromJsonSafe(data as JsonSafeValue);
}

export type NaturalJson = null | boolean | number | string | NaturalJson[] | { [key: string]: NaturalJson };

/**
 * The natural JSON of a value, for `--json` output. Readable, not lossless:
 *   None -> null; bool -> boolean; int -> number when it is a safe integer, else its decimal string;
 *   float -> number, except nan/inf/-inf -> {"$float": "nan" | "inf" | "-inf"};
 *   str -> string; list, tuple, set, frozenset -> array;
 *   dict with only str keys -> object; any other dict -> {"$dict": [[key, value], ...]};
 *   bytes -> {"$bytes": base64}; bytearray -> {"$bytearray": base64};
 *   complex -> {"$complex": [re, im]};
 *   object -> {"$object": "module.Name", "args": [...], "state": ...} (present parts only;
 *     "repr" holds its display text when known);
 *   global -> {"$class": "module.Name"}; ref -> {"$ref": "module.Class", "repr": ...};
 *   a container inside itself -> {"$cycle": true}.
 */
export function pyToJson(v: PyValue): NaturalJson {
  // the containers on the current path: an array, short as the nesting is (see repr's Printer)
  const path: PyValue[] = [];
  const num = (x: number): NaturalJson => (Number.isFinite(x) ? x : { $float: Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf' });
  const conv = (x: PyValue): NaturalJson => {
    if (path.length > MAX_JSON_DEPTH) throw tooDeep();
    switch (x.t) {
      case 'none':
        return null;
      case 'bool':
        return x.v;
      case 'int':
        return x.v >= BigInt(Number.MIN_SAFE_INTEGER) && x.v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(x.v) : x.v.toString();
      case 'float':
        return num(x.v);
      case 'complex':
        return { $complex: [num(x.re), num(x.im)] };
      case 'str':
        return x.v;
      case 'bytes':
        return { $bytes: toBase64(x.v) };
      case 'bytearray':
        return { $bytearray: toBase64(x.v) };
      case 'global':
        return { $class: `${x.module}.${x.name}` };
      case 'ref':
        return x.repr === undefined ? { $ref: x.cls } : { $ref: x.cls, repr: x.repr };
      default:
        break;
    }
    if (path.includes(x)) return { $cycle: true };
    path.push(x);
    try {
      switch (x.t) {
        case 'list':
        case 'tuple':
        case 'set':
        case 'frozenset':
          return x.items.map(conv);
        case 'dict': {
          const entries = kvPairs(x.kv);
          if (entries.every(([k]) => k.t === 'str')) {
            const o: { [key: string]: NaturalJson } = {};
            for (const [k, val] of entries) {
              // defineProperty: a key named "__proto__" must stay an ordinary key
              Object.defineProperty(o, (k as { v: string }).v, { value: conv(val), enumerable: true, writable: true, configurable: true });
            }
            return o;
          }
          return { $dict: entries.map(([k, val]) => [conv(k), conv(val)]) };
        }
        case 'object': {
          const o: { [key: string]: NaturalJson } = { $object: `${x.module}.${x.name}` };
          if (x.display !== undefined) o.repr = x.display;
          if (x.args.length > 0) o.args = x.args.map(conv);
          if (x.kwargs !== undefined && x.kwargs.length > 0) o.kwargs = Object.fromEntries(x.kwargs.map(([k, val]) => [k, conv(val)]));
          if (x.state !== undefined) o.state = conv(x.state);
          if (x.listItems !== undefined) o.items = x.listItems.map(conv);
          if (x.dictItems !== undefined) o.items = kvPairs(x.dictItems).map(([k, val]) => [conv(k), conv(val)]);
          return o;
        }
      }
    } finally {
      path.pop();
    }
  };
  return conv(v);
}
