// Brine, RPyC's serializer for immutable values (rpyc/core/brine.py): None, bool, int, float,
// complex, str, bytes, tuple, frozenset, slice, NotImplemented and Ellipsis. Lists, dicts and sets
// are not brine values: RPyC passes them by reference (see boxing in messages.ts).
//
// Values map onto the Python value model. The three brine types the model has no tag for are
// builtins objects with a display: slice(start, stop, step), Ellipsis and NotImplemented.
import { RpcError } from '../../common/errors';
import type { LayerField } from '../../common/frames';
import { repr } from '../../common/repr';
import type { PyObject, PyValue } from '../../common/value';
import { ByteWriter, dataViewOf, decodeLatin1, decodeUtf8, readUint32BE } from '../bytes';

export const TAG = {
  NONE: 0x00,
  EMPTY_STR: 0x01,
  EMPTY_TUPLE: 0x02,
  TRUE: 0x03,
  FALSE: 0x04,
  NOT_IMPLEMENTED: 0x05,
  ELLIPSIS: 0x06,
  UNICODE: 0x08,
  STR1: 0x0a,
  STR2: 0x0b,
  STR3: 0x0c,
  STR4: 0x0d,
  STR_L1: 0x0e,
  STR_L4: 0x0f,
  TUP1: 0x10,
  TUP2: 0x11,
  TUP3: 0x12,
  TUP4: 0x13,
  TUP_L1: 0x14,
  TUP_L4: 0x15,
  INT_L1: 0x16,
  INT_L4: 0x17,
  FLOAT: 0x18,
  SLICE: 0x19,
  FSET: 0x1a,
  COMPLEX: 0x1b,
} as const;

/** Immediate ints -48..159 are one byte: n + 0x50. */
const IMM_MIN = -0x30;
const IMM_MAX = 0x9f;
const IMM_MIN_BIG = BigInt(IMM_MIN);
const IMM_MAX_BIG = BigInt(IMM_MAX);
const IMM_BIAS = 0x50;

const TAG_NAMES = new Map<number, string>(Object.entries(TAG).map(([k, v]) => [v, k]));

export function brineTagName(tag: number): string {
  if (tag >= IMM_MIN + IMM_BIAS && tag <= IMM_MAX + IMM_BIAS) return 'IMM_INT';
  return TAG_NAMES.get(tag) ?? `0x${tag.toString(16).padStart(2, '0')}`;
}

export const ELLIPSIS: PyObject = { t: 'object', module: 'builtins', name: 'ellipsis', args: [], display: 'Ellipsis' };
export const NOT_IMPLEMENTED: PyObject = {
  t: 'object',
  module: 'builtins',
  name: 'NotImplementedType',
  args: [],
  display: 'NotImplemented',
};

export function slice(start: PyValue, stop: PyValue, step: PyValue): PyObject {
  return {
    t: 'object',
    module: 'builtins',
    name: 'slice',
    args: [start, stop, step],
    display: `slice(${repr(start)}, ${repr(stop)}, ${repr(step)})`,
  };
}

function isBuiltinObject(v: PyValue, name: string): boolean {
  return v.t === 'object' && v.module === 'builtins' && v.name === name;
}

export interface BrineLimits {
  /** deepest tuple nesting accepted (default 256) */
  maxDepth?: number;
  /** longest decimal int text accepted (Python refuses over 4300 digits by default; default 10000) */
  maxIntDigits?: number;
}

/** One line of the decoded tree for the wire view. */
export type BrineField = LayerField;

/** Decode one brine value that spans all of `bytes`. Throws RpcError E_DECODE naming tag and offset. */
export function decodeBrine(bytes: Uint8Array, limits: BrineLimits = {}, trace?: BrineField[]): PyValue {
  const r = new BrineReader(bytes, limits, trace);
  const v = r.value(0);
  if (r.pos !== bytes.length) throw decodeError(`${bytes.length - r.pos} trailing bytes after the value`, r.pos);
  return v;
}

/** The decoded tree as layer fields (tag, rendered value, byte range, depth). */
export function brineFields(bytes: Uint8Array, limits: BrineLimits = {}): BrineField[] {
  const fields: BrineField[] = [];
  decodeBrine(bytes, limits, fields);
  return fields;
}

function decodeError(what: string, offset: number): RpcError {
  return new RpcError('E_DECODE', `brine: ${what} at offset ${offset}`, { offset });
}

class BrineReader {
  pos = 0;
  private dv?: DataView;
  private readonly maxDepth: number;
  private readonly maxIntDigits: number;

  constructor(
    private readonly buf: Uint8Array,
    limits: BrineLimits,
    private readonly trace?: BrineField[],
  ) {
    this.maxDepth = limits.maxDepth ?? 256;
    this.maxIntDigits = limits.maxIntDigits ?? 10000;
  }

  private need(n: number, tag: number, at: number): void {
    if (this.pos + n > this.buf.length) {
      throw decodeError(`truncated ${brineTagName(tag)}: needs ${n} more bytes, ${this.buf.length - this.pos} left`, at);
    }
  }

  private u8(tag: number, at: number): number {
    this.need(1, tag, at);
    return this.buf[this.pos++];
  }

  /** For floats, made on first use: a DataView on a small message would move its bytes off V8's heap. */
  private get view(): DataView {
    return (this.dv ??= dataViewOf(this.buf));
  }

  private u32(tag: number, at: number): number {
    this.need(4, tag, at);
    const n = readUint32BE(this.buf, this.pos);
    this.pos += 4;
    return n;
  }

  private raw(n: number, tag: number, at: number): Uint8Array {
    this.need(n, tag, at);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private note(tag: number, at: number, depth: number, value: string): void {
    this.trace?.push({ name: brineTagName(tag), value, range: [at, this.pos], depth });
  }

  value(depth: number): PyValue {
    const at = this.pos;
    if (at >= this.buf.length) throw decodeError('expected a value, found the end of the data', at);
    if (depth > this.maxDepth) throw decodeError(`nesting deeper than ${this.maxDepth}`, at);
    const tag = this.buf[this.pos++];
    // a tuple reserves its trace line before its items so the listing reads top-down
    const slot = this.trace ? this.trace.length : -1;
    const v = this.body(tag, at, depth);
    if (this.trace) {
      const field: BrineField = { name: brineTagName(tag), value: summarize(v), range: [at, this.pos], depth };
      this.trace.splice(slot, 0, field);
    }
    return v;
  }

  private body(tag: number, at: number, depth: number): PyValue {
    if (tag >= IMM_MIN + IMM_BIAS && tag <= IMM_MAX + IMM_BIAS) return { t: 'int', v: BigInt(tag - IMM_BIAS) };
    switch (tag) {
      case TAG.NONE:
        return { t: 'none' };
      case TAG.EMPTY_STR:
        return { t: 'bytes', v: new Uint8Array(0) };
      case TAG.EMPTY_TUPLE:
        return { t: 'tuple', items: [] };
      case TAG.TRUE:
        return { t: 'bool', v: true };
      case TAG.FALSE:
        return { t: 'bool', v: false };
      case TAG.NOT_IMPLEMENTED:
        return NOT_IMPLEMENTED;
      case TAG.ELLIPSIS:
        return ELLIPSIS;
      case TAG.UNICODE: {
        const inner = this.nested(depth);
        if (inner.t !== 'bytes') throw decodeError(`UNICODE must wrap bytes, not ${inner.t}`, at);
        try {
          return { t: 'str', v: decodeUtf8(inner.v, 0, inner.v.length) };
        } catch {
          throw decodeError('UNICODE holds invalid UTF-8', at);
        }
      }
      case TAG.STR1:
      case TAG.STR2:
      case TAG.STR3:
      case TAG.STR4:
        return { t: 'bytes', v: this.raw(tag - TAG.STR1 + 1, tag, at) };
      case TAG.STR_L1:
        return { t: 'bytes', v: this.raw(this.u8(tag, at), tag, at) };
      case TAG.STR_L4:
        return { t: 'bytes', v: this.raw(this.u32(tag, at), tag, at) };
      case TAG.TUP1:
      case TAG.TUP2:
      case TAG.TUP3:
      case TAG.TUP4:
        return this.tuple(tag - TAG.TUP1 + 1, tag, at, depth);
      case TAG.TUP_L1:
        return this.tuple(this.u8(tag, at), tag, at, depth);
      case TAG.TUP_L4:
        return this.tuple(this.u32(tag, at), tag, at, depth);
      case TAG.INT_L1:
        return this.int(this.u8(tag, at), tag, at);
      case TAG.INT_L4:
        return this.int(this.u32(tag, at), tag, at);
      case TAG.FLOAT: {
        this.need(8, tag, at);
        const v = this.view.getFloat64(this.pos, false);
        this.pos += 8;
        return { t: 'float', v };
      }
      case TAG.COMPLEX: {
        this.need(16, tag, at);
        const re = this.view.getFloat64(this.pos, false);
        const im = this.view.getFloat64(this.pos + 8, false);
        this.pos += 16;
        return { t: 'complex', re, im };
      }
      case TAG.SLICE: {
        const parts = this.nested(depth);
        if (parts.t !== 'tuple' || parts.items.length !== 3) throw decodeError('SLICE must hold a 3-tuple', at);
        return slice(parts.items[0], parts.items[1], parts.items[2]);
      }
      case TAG.FSET: {
        const items = this.nested(depth);
        if (items.t !== 'tuple') throw decodeError(`FSET must hold a tuple, not ${items.t}`, at);
        return { t: 'frozenset', items: items.items };
      }
      default:
        throw decodeError(`unknown tag 0x${tag.toString(16).padStart(2, '0')}`, at);
    }
  }

  private nested(depth: number): PyValue {
    return this.value(depth + 1);
  }

  private tuple(count: number, tag: number, at: number, depth: number): PyValue {
    // every item takes at least one byte: refuse counts the data cannot hold before allocating
    if (count > this.buf.length - this.pos) {
      throw decodeError(`${brineTagName(tag)} claims ${count} items but only ${this.buf.length - this.pos} bytes remain`, at);
    }
    const items: PyValue[] = [];
    for (let i = 0; i < count; i++) items.push(this.value(depth + 1));
    return { t: 'tuple', items };
  }

  private int(len: number, tag: number, at: number): PyValue {
    if (len > this.maxIntDigits) throw decodeError(`${brineTagName(tag)} of ${len} digits exceeds the limit of ${this.maxIntDigits}`, at);
    const text = decodeLatin1(this.raw(len, tag, at), 0, len);
    // what Python's int(bytes) accepts: surrounding whitespace, a sign, underscores between digits
    if (!/^\s*[+-]?\d+(_\d+)*\s*$/.test(text)) throw decodeError(`${brineTagName(tag)} is not a decimal int: ${JSON.stringify(text)}`, at);
    return { t: 'int', v: BigInt(text.trim().replace(/_/g, '')) };
  }
}

function summarize(v: PyValue): string {
  if (v.t === 'tuple' && v.items.length > 0) return `${v.items.length} item${v.items.length === 1 ? '' : 's'}`;
  if (v.t === 'frozenset') return `frozenset of ${v.items.length}`;
  const s = repr(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Whether brine can carry `v` by value (brine.dumpable). */
export function isBrineable(v: PyValue): boolean {
  switch (v.t) {
    case 'none':
    case 'bool':
    case 'int':
    case 'float':
    case 'complex':
    case 'bytes':
      return true;
    case 'str':
      return !hasLoneSurrogate(v.v);
    case 'tuple':
    case 'frozenset':
      return v.items.every(isBrineable);
    case 'object':
      if (v.name === 'slice' && v.module === 'builtins') return v.args.length === 3 && v.args.every(isBrineable);
      return isBuiltinObject(v, 'ellipsis') || isBuiltinObject(v, 'NotImplementedType');
    default:
      return false;
  }
}

function hasLoneSurrogate(s: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s);
}

/** Encode `v` exactly as brine.dump does. Throws RpcError E_ENCODE for values brine cannot carry. */
export function encodeBrine(v: PyValue): Uint8Array {
  const w = new ByteWriter(64);
  writeValue(w, v);
  return w.finish();
}

const utf8 = new TextEncoder();

function writeBytes(w: ByteWriter, b: Uint8Array): void {
  const n = b.length;
  if (n === 0) w.u8(TAG.EMPTY_STR);
  else if (n <= 4) w.u8(TAG.STR1 + n - 1);
  else if (n < 256) w.u8(TAG.STR_L1).u8(n);
  else w.u8(TAG.STR_L4).u32be(n);
  w.bytes(b);
}

function writeTuple(w: ByteWriter, items: PyValue[]): void {
  const n = items.length;
  if (n === 0) w.u8(TAG.EMPTY_TUPLE);
  else if (n <= 4) w.u8(TAG.TUP1 + n - 1);
  else if (n < 256) w.u8(TAG.TUP_L1).u8(n);
  else w.u8(TAG.TUP_L4).u32be(n);
  for (const item of items) writeValue(w, item);
}

function writeValue(w: ByteWriter, v: PyValue): void {
  switch (v.t) {
    case 'none':
      w.u8(TAG.NONE);
      return;
    case 'bool':
      w.u8(v.v ? TAG.TRUE : TAG.FALSE);
      return;
    case 'int': {
      if (v.v >= IMM_MIN_BIG && v.v <= IMM_MAX_BIG) {
        w.u8(Number(v.v) + IMM_BIAS);
        return;
      }
      const text = v.v.toString();
      if (text.length < 256) w.u8(TAG.INT_L1).u8(text.length);
      else w.u8(TAG.INT_L4).u32be(text.length);
      w.latin1(text);
      return;
    }
    case 'float':
      w.u8(TAG.FLOAT).f64be(v.v);
      return;
    case 'complex':
      w.u8(TAG.COMPLEX).f64be(v.re).f64be(v.im);
      return;
    case 'bytes':
      writeBytes(w, v.v);
      return;
    case 'str':
      if (hasLoneSurrogate(v.v)) throw new RpcError('E_ENCODE', 'brine cannot carry a str with lone surrogates');
      w.u8(TAG.UNICODE);
      writeBytes(w, utf8.encode(v.v));
      return;
    case 'tuple':
      writeTuple(w, v.items);
      return;
    case 'frozenset':
      w.u8(TAG.FSET);
      writeTuple(w, v.items);
      return;
    case 'object':
      if (isBuiltinObject(v, 'ellipsis')) return void w.u8(TAG.ELLIPSIS);
      if (isBuiltinObject(v, 'NotImplementedType')) return void w.u8(TAG.NOT_IMPLEMENTED);
      if (v.module === 'builtins' && v.name === 'slice' && v.args.length === 3) {
        w.u8(TAG.SLICE);
        writeTuple(w, v.args);
        return;
      }
      break;
    default:
      break;
  }
  throw new RpcError('E_ENCODE', `brine cannot carry ${describeType(v)} by value`);
}

function describeType(v: PyValue): string {
  if (v.t === 'object') return `a ${v.module}.${v.name} object`;
  if (v.t === 'ref') return `a remote reference (${v.cls})`;
  return `a ${v.t}`;
}
