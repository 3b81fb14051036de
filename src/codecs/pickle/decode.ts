// The pickle decoder: protocols 0-5 into PyValue. It interprets the opcodes as data and never
// imports or calls anything; REDUCE and friends only describe the call (see reducers.ts).
// One pass over the bytes, a switch on the opcode, a flat stack with mark positions, a flat memo.
import { RpcError } from '../../common/errors';
import { hashKey } from '../../common/value-util';
import type { PyDict, PyGlobal, PyInt, PyList, PyObject, PySet, PyStr, PyValue } from '../../common/value';
import { decodeLatin1, decodeUtf8, readInt32LE, readUint32LE, readUint64LE } from '../bytes';
import { HIGHEST_PROTOCOL, OP, OPCODES } from './opcodes';
import { afterBuild, construct, finishDisplay, needsFinishing, renameGlobal } from './reducers';
import { decodeLong, decodeUtf8SurrogatePass, escapeDecode, parseDecimal, parsePyFloat, rawUnicodeEscapeDecode } from './text';

export interface PickleLimits {
  /** deepest nesting of containers in the result (recursive references do not count); default 1000 */
  maxDepth?: number;
  /** largest input accepted; default 1 GiB */
  maxBytes?: number;
  /** most items in one list, tuple, dict, set or MARK group; default 50 million */
  maxContainerLength?: number;
  /** highest memo index; default 50 million */
  maxMemo?: number;
  /** out-of-band buffers for protocol 5 NEXT_BUFFER, in order */
  buffers?: Uint8Array[];
}

export const DEFAULT_PICKLE_LIMITS = {
  maxDepth: 1000,
  maxBytes: 1024 * 1024 * 1024,
  maxContainerLength: 50_000_000,
  maxMemo: 50_000_000,
} as const;

const NONE: PyValue = { t: 'none' };
const TRUE: PyValue = { t: 'bool', v: true };
const FALSE: PyValue = { t: 'bool', v: false };

// Shared small ints, as CPython does for -5..256 (values are immutable by convention).
const SMALL_INT_MIN = -5;
const SMALL_INT_MAX = 1024;
const smallInts: PyInt[] = [];
for (let i = SMALL_INT_MIN; i <= SMALL_INT_MAX; i++) smallInts.push({ t: 'int', v: BigInt(i) });

function mkInt(n: number): PyInt {
  return n >= SMALL_INT_MIN && n <= SMALL_INT_MAX ? smallInts[n - SMALL_INT_MIN] : { t: 'int', v: BigInt(n) };
}

function opName(code: number): string {
  return OPCODES[code]?.name ?? `opcode 0x${code.toString(16).padStart(2, '0')}`;
}

function decodeError(msg: string, offset: number, opcode?: number): RpcError {
  return new RpcError('E_DECODE', `pickle: ${msg} at offset ${offset}`, { offset, opcode: opcode === undefined ? undefined : opName(opcode) });
}

function limitError(msg: string, offset: number, opcode: number): RpcError {
  return new RpcError('E_LIMIT', `pickle: ${msg} at offset ${offset}`, { offset, opcode: opName(opcode) });
}

/** Decode one pickle. Throws RpcError E_DECODE (malformed) or E_LIMIT (a limit exceeded). */
export function decodePickle(data: Uint8Array, opts: PickleLimits = {}): PyValue {
  return decodePickleAt(data, 0, opts).value;
}

/** Decode the pickle starting at `start`; also returns the offset just past its STOP. */
export function decodePickleAt(data: Uint8Array, start: number, opts: PickleLimits = {}): { value: PyValue; end: number } {
  const maxDepth = opts.maxDepth ?? DEFAULT_PICKLE_LIMITS.maxDepth;
  const maxBytes = opts.maxBytes ?? DEFAULT_PICKLE_LIMITS.maxBytes;
  const maxLen = opts.maxContainerLength ?? DEFAULT_PICKLE_LIMITS.maxContainerLength;
  const maxMemo = opts.maxMemo ?? DEFAULT_PICKLE_LIMITS.maxMemo;
  const buffers = opts.buffers;
  let nextBuffer = 0;

  const end = data.length;
  if (end - start > maxBytes) {
    throw new RpcError('E_LIMIT', `pickle: ${end - start} bytes exceed the limit of ${maxBytes}`, { offset: start });
  }

  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const stack: PyValue[] = [];
  let sp = 0; // stack height: the array is reused, not shrunk, so it never reallocates
  const marks: number[] = [];
  let fence = 0; // stack index of the topmost MARK: nothing below it may be popped
  const memo: PyValue[] = [];
  let memoCount = 0;
  const toFinish: PyObject[] = [];
  let shared = false; // a container was reached a second time (memo GET or DUP): the result may be a graph
  let proto = 0;
  let i = start;
  let at = start; // offset of the current opcode
  let op = 0;

  const need = (n: number, what: string): void => {
    if (n > end - i) {
      throw decodeError(`${opName(op)} ${what} ${n} exceeds the ${end - i} bytes left`, at, op);
    }
  };
  const underflow = (): RpcError => decodeError(`${opName(op)} needs more items than the stack holds`, at, op);
  const pop = (): PyValue => {
    if (sp <= fence) throw underflow();
    return stack[--sp];
  };
  const popMark = (): number => {
    if (marks.length === 0) throw decodeError(`${opName(op)} without a MARK`, at, op);
    const k = marks.pop()!;
    fence = marks.length ? marks[marks.length - 1] : 0;
    if (sp - k > maxLen) throw limitError(`${opName(op)} of ${sp - k} items exceeds maxContainerLength ${maxLen}`, at, op);
    return k;
  };
  const readLine = (): [number, number] => {
    const nl = data.indexOf(0x0a, i);
    if (nl < 0) throw decodeError(`${opName(op)} argument has no terminating newline`, at, op);
    const r: [number, number] = [i, nl];
    i = nl + 1;
    return r;
  };
  const lineText = (): string => {
    const [a, b] = readLine();
    return decodeLatin1(data, a, b);
  };
  const utf8 = (a: number, b: number): string => {
    try {
      return decodeUtf8(data, a, b);
    } catch {
      const s = decodeUtf8SurrogatePass(data, a, b);
      if (s === undefined) throw decodeError(`${opName(op)} argument is not valid UTF-8`, at, op);
      return s;
    }
  };
  // Python 3 reads Python 2 str (STRING family) as ASCII text; other bytes stay bytes.
  const py2str = (a: number, b: number): PyValue => {
    for (let k = a; k < b; k++) if (data[k] > 0x7f) return { t: 'bytes', v: data.slice(a, b) };
    return { t: 'str', v: decodeLatin1(data, a, b) };
  };
  const memoGet = (idx: number): PyValue => {
    const v = memo[idx];
    if (v === undefined) throw decodeError(`${opName(op)} of memo key ${idx}, which was never stored`, at, op);
    if (v.t !== 'str' && !shared && isContainer(v)) shared = true;
    return v;
  };
  const memoPut = (idx: number): void => {
    if (idx > maxMemo) throw limitError(`${opName(op)} memo key ${idx} exceeds maxMemo ${maxMemo}`, at, op);
    if (sp <= fence) throw decodeError(`${opName(op)} with nothing to store`, at, op);
    if (memo[idx] === undefined) memoCount++;
    memo[idx] = stack[sp - 1];
  };
  const global = (module: string, name: string): PyGlobal => {
    const [m, n] = renameGlobal(module, name, proto);
    return { t: 'global', module: m, name: n };
  };
  const checkLen = (n: number): void => {
    if (n > maxLen) throw limitError(`${opName(op)} grows a container to ${n} items, over maxContainerLength ${maxLen}`, at, op);
  };
  const appendTo = (target: PyValue, from: number): void => {
    if (target.t === 'list') {
      const items = target.items;
      checkLen(items.length + sp - from);
      for (let k = from; k < sp; k++) items.push(stack[k]);
    } else if (target.t === 'object') {
      const items = (target.listItems ??= []);
      checkLen(items.length + sp - from);
      for (let k = from; k < sp; k++) items.push(stack[k]);
    } else {
      throw decodeError(`${opName(op)} to a ${target.t}, not a list`, at, op);
    }
    sp = from;
  };
  const setItemsOn = (target: PyValue, from: number): void => {
    if ((sp - from) % 2) throw decodeError(`${opName(op)} with an odd number of items`, at, op);
    let entries: [PyValue, PyValue][];
    if (target.t === 'dict') entries = target.entries;
    else if (target.t === 'object') entries = target.dictItems ??= [];
    else throw decodeError(`${opName(op)} on a ${target.t}, not a dict`, at, op);
    checkLen(entries.length + (sp - from) / 2);
    if (target.t === 'dict' && entries.length === 0) {
      // fresh dict, the common case: keys are only checked for duplicates if one repeats
      for (let k = from; k < sp; k += 2) entries.push([stack[k], stack[k + 1]]);
      if (entries.length > 1 && hasDuplicateKey(entries)) dedupe(entries);
    } else {
      for (let k = from; k < sp; k += 2) setEntry(entries, stack[k], stack[k + 1]);
    }
    sp = from;
  };
  const addItemsTo = (target: PyValue, from: number): void => {
    if (target.t === 'set') {
      checkLen(target.items.length + sp - from);
      for (let k = from; k < sp; k++) addToSet(target, stack[k]);
    } else if (target.t === 'object') {
      const items = (target.listItems ??= []);
      for (let k = from; k < sp; k++) items.push(stack[k]);
    } else {
      throw decodeError(`${opName(op)} to a ${target.t}, not a set`, at, op);
    }
    sp = from;
  };
  const classOf = (v: PyValue): PyGlobal => {
    if (v.t !== 'global') throw decodeError(`${opName(op)} on a ${v.t}, not a class`, at, op);
    return v;
  };
  const reduce = (callable: PyValue, args: PyValue): PyValue => {
    if (args.t !== 'tuple') throw decodeError(`${opName(op)} arguments are a ${args.t}, not a tuple`, at, op);
    if (callable.t !== 'global') throw decodeError(`${opName(op)} calls a ${callable.t}, not a global`, at, op);
    return made(construct(callable, args.items, undefined, true));
  };
  const made = (v: PyValue): PyValue => {
    if (needsFinishing(v)) toFinish.push(v as PyObject);
    return v;
  };

  while (true) {
    if (i >= end) throw decodeError('pickle ended before STOP', i);
    at = i;
    op = data[i++];
    switch (op) {
      // ---- the hot path of protocol 4/5 pickles first ----
      case OP.MEMOIZE:
        memoPut(memoCount);
        break;
      case OP.SHORT_BINUNICODE: {
        need(1, 'length byte');
        const n = data[i++];
        need(n, 'length');
        stack[sp++] = { t: 'str', v: utf8(i, i + n) } as PyStr;
        i += n;
        break;
      }
      case OP.BININT1:
        need(1, 'argument');
        stack[sp++] = smallInts[data[i++] - SMALL_INT_MIN];
        break;
      case OP.BININT2:
        need(2, 'argument');
        stack[sp++] = mkInt(data[i] | (data[i + 1] << 8));
        i += 2;
        break;
      case OP.BININT:
        need(4, 'argument');
        stack[sp++] = mkInt(readInt32LE(data, i));
        i += 4;
        break;
      case OP.BINFLOAT: {
        need(8, 'argument');
        stack[sp++] = { t: 'float', v: view.getFloat64(i, false) };
        i += 8;
        break;
      }
      case OP.BINGET:
        need(1, 'argument');
        stack[sp++] = memoGet(data[i++]);
        break;
      case OP.LONG_BINGET:
        need(4, 'argument');
        stack[sp++] = memoGet(readUint32LE(data, i));
        i += 4;
        break;
      case OP.EMPTY_DICT:
        stack[sp++] = { t: 'dict', entries: [] } as PyDict;
        break;
      case OP.EMPTY_LIST:
        stack[sp++] = { t: 'list', items: [] } as PyList;
        break;
      case OP.MARK:
        if (marks.length >= maxDepth) throw limitError(`MARK nesting exceeds maxDepth ${maxDepth}`, at, op);
        marks.push(sp);
        fence = sp;
        break;
      case OP.SETITEMS: {
        const k = popMark();
        if (k - 1 < fence) throw underflow();
        setItemsOn(stack[k - 1], k);
        break;
      }
      case OP.APPENDS: {
        const k = popMark();
        if (k - 1 < fence) throw underflow();
        appendTo(stack[k - 1], k);
        break;
      }
      case OP.SETITEM: {
        if (sp - 3 < fence) throw underflow();
        setItemsOn(stack[sp - 3], sp - 2);
        break;
      }
      case OP.APPEND: {
        if (sp - 2 < fence) throw underflow();
        appendTo(stack[sp - 2], sp - 1);
        break;
      }
      case OP.FRAME: {
        need(8, 'argument');
        const n = readUint64LE(data, i);
        i += 8;
        if (n > end - i) throw decodeError(`FRAME length ${n} exceeds the ${end - i} bytes left`, at, op);
        break; // frames only group bytes for buffered readers; the opcodes inside are read as usual
      }

      // ---- scalars ----
      case OP.NONE:
        stack[sp++] = NONE;
        break;
      case OP.NEWTRUE:
        stack[sp++] = TRUE;
        break;
      case OP.NEWFALSE:
        stack[sp++] = FALSE;
        break;
      case OP.INT: {
        const t = lineText();
        if (t === '00') stack[sp++] = FALSE;
        else if (t === '01') stack[sp++] = TRUE;
        else {
          const v = parseDecimal(t);
          if (v === undefined) throw decodeError(`INT argument ${JSON.stringify(t)} is not a decimal integer`, at, op);
          stack[sp++] = { t: 'int', v };
        }
        break;
      }
      case OP.LONG: {
        const t = lineText();
        const v = parseDecimal(t.endsWith('L') ? t.slice(0, -1) : t);
        if (v === undefined) throw decodeError(`LONG argument ${JSON.stringify(t)} is not a decimal integer`, at, op);
        stack[sp++] = { t: 'int', v };
        break;
      }
      case OP.LONG1:
      case OP.LONG4: {
        const w = op === OP.LONG1 ? 1 : 4;
        need(w, 'length');
        const n = w === 1 ? data[i] : readInt32LE(data, i);
        i += w;
        if (n < 0) throw decodeError(`LONG4 negative length ${n}`, at, op);
        need(n, 'length');
        stack[sp++] = { t: 'int', v: decodeLong(data, i, i + n) };
        i += n;
        break;
      }
      case OP.FLOAT: {
        const t = lineText();
        const v = parsePyFloat(t);
        if (v === undefined) throw decodeError(`FLOAT argument ${JSON.stringify(t)} is not a float`, at, op);
        stack[sp++] = { t: 'float', v };
        break;
      }
      case OP.BINUNICODE:
      case OP.BINUNICODE8: {
        const w = op === OP.BINUNICODE ? 4 : 8;
        need(w, 'length field');
        const n = w === 4 ? readUint32LE(data, i) : readUint64LE(data, i);
        i += w;
        need(n, 'length');
        stack[sp++] = { t: 'str', v: utf8(i, i + n) };
        i += n;
        break;
      }
      case OP.UNICODE: {
        const [a, b] = readLine();
        const s = rawUnicodeEscapeDecode(data, a, b);
        if (s === undefined) throw decodeError('UNICODE argument has a malformed \\u escape', at, op);
        stack[sp++] = { t: 'str', v: s };
        break;
      }
      case OP.STRING: {
        const [a, b] = readLine();
        const q = data[a];
        if (b - a < 2 || (q !== 0x27 && q !== 0x22) || data[b - 1] !== q) {
          throw decodeError('STRING argument is not quoted', at, op);
        }
        const raw = escapeDecode(data, a + 1, b - 1);
        if (!raw) throw decodeError('STRING argument has a malformed escape', at, op);
        let ascii = true;
        for (let k = 0; k < raw.length; k++) if (raw[k] > 0x7f) ascii = false;
        stack[sp++] = ascii ? { t: 'str', v: decodeLatin1(raw, 0, raw.length) } : { t: 'bytes', v: raw };
        break;
      }
      case OP.SHORT_BINSTRING:
      case OP.BINSTRING: {
        const w = op === OP.SHORT_BINSTRING ? 1 : 4;
        need(w, 'length field');
        const n = w === 1 ? data[i] : readInt32LE(data, i);
        i += w;
        if (n < 0) throw decodeError(`BINSTRING negative length ${n}`, at, op);
        need(n, 'length');
        stack[sp++] = py2str(i, i + n);
        i += n;
        break;
      }
      case OP.SHORT_BINBYTES:
      case OP.BINBYTES:
      case OP.BINBYTES8:
      case OP.BYTEARRAY8: {
        const w = op === OP.SHORT_BINBYTES ? 1 : op === OP.BINBYTES ? 4 : 8;
        need(w, 'length field');
        const n = w === 1 ? data[i] : w === 4 ? readUint32LE(data, i) : readUint64LE(data, i);
        i += w;
        need(n, 'length');
        const v = data.slice(i, i + n);
        stack[sp++] = op === OP.BYTEARRAY8 ? { t: 'bytearray', v } : { t: 'bytes', v };
        i += n;
        break;
      }
      case OP.NEXT_BUFFER: {
        if (!buffers) throw decodeError('NEXT_BUFFER but no out-of-band buffers were given', at, op);
        if (nextBuffer >= buffers.length) throw decodeError(`NEXT_BUFFER: only ${buffers.length} out-of-band buffers were given`, at, op);
        stack[sp++] = { t: 'bytearray', v: buffers[nextBuffer++] };
        break;
      }
      case OP.READONLY_BUFFER: {
        const top = pop();
        stack[sp++] = top.t === 'bytearray' ? { t: 'bytes', v: top.v } : top;
        break;
      }

      // ---- containers ----
      case OP.EMPTY_TUPLE:
        stack[sp++] = { t: 'tuple', items: [] };
        break;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const n = op - OP.TUPLE1 + 1;
        if (sp - n < fence) throw underflow();
        const items = stack.slice(sp - n, sp);
        sp -= n;
        stack[sp++] = { t: 'tuple', items };
        break;
      }
      case OP.TUPLE:
      case OP.LIST:
      case OP.FROZENSET: {
        const k = popMark();
        const items = stack.slice(k, sp);
        sp = k;
        if (op === OP.TUPLE) stack[sp++] = { t: 'tuple', items };
        else if (op === OP.LIST) stack[sp++] = { t: 'list', items };
        else {
          const s: PySet = { t: 'set', items: [] };
          for (const x of items) addToSet(s, x);
          stack[sp++] = { t: 'frozenset', items: s.items };
        }
        break;
      }
      case OP.DICT: {
        const k = popMark();
        const d: PyDict = { t: 'dict', entries: [] };
        setItemsOn(d, k);
        stack[sp++] = d;
        break;
      }
      case OP.EMPTY_SET:
        stack[sp++] = { t: 'set', items: [] };
        break;
      case OP.ADDITEMS: {
        const k = popMark();
        if (k - 1 < fence) throw underflow();
        addItemsTo(stack[k - 1], k);
        break;
      }
      case OP.POP:
        if (sp === fence && marks.length) popMark(); // protocol 0 may POP a MARK
        else pop();
        break;
      case OP.POP_MARK:
        sp = popMark();
        break;
      case OP.DUP: {
        if (sp <= fence) throw underflow();
        const top = stack[sp - 1];
        if (isContainer(top)) shared = true;
        stack[sp++] = top;
        break;
      }

      // ---- memo ----
      case OP.PUT: {
        const t = lineText();
        const idx = parseDecimal(t);
        if (idx === undefined || idx < 0n) throw decodeError(`PUT argument ${JSON.stringify(t)} is not a memo key`, at, op);
        memoPut(Number(idx));
        break;
      }
      case OP.BINPUT:
        need(1, 'argument');
        memoPut(data[i++]);
        break;
      case OP.LONG_BINPUT:
        need(4, 'argument');
        memoPut(readUint32LE(data, i));
        i += 4;
        break;
      case OP.GET: {
        const t = lineText();
        const idx = parseDecimal(t);
        if (idx === undefined) throw decodeError(`GET argument ${JSON.stringify(t)} is not a memo key`, at, op);
        stack[sp++] = memoGet(Number(idx));
        break;
      }

      // ---- classes and objects: described, never called ----
      case OP.GLOBAL: {
        const [a1, b1] = readLine();
        const [a2, b2] = readLine();
        stack[sp++] = global(utf8(a1, b1), utf8(a2, b2));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = pop();
        const module = pop();
        if (module.t !== 'str' || name.t !== 'str') throw decodeError('STACK_GLOBAL needs two str', at, op);
        stack[sp++] = global(module.v, name.v);
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callable = pop();
        stack[sp++] = reduce(callable, args);
        break;
      }
      case OP.NEWOBJ: {
        const args = pop();
        const cls = classOf(pop());
        if (args.t !== 'tuple') throw decodeError(`NEWOBJ arguments are a ${args.t}, not a tuple`, at, op);
        stack[sp++] = made(construct(cls, args.items, undefined, false));
        break;
      }
      case OP.NEWOBJ_EX: {
        const kwargs = pop();
        const args = pop();
        const cls = classOf(pop());
        if (args.t !== 'tuple' || kwargs.t !== 'dict') throw decodeError('NEWOBJ_EX needs a tuple and a dict', at, op);
        const kw = kwargs.entries.map(([k, v]): [string, PyValue] => {
          if (k.t !== 'str') throw decodeError('NEWOBJ_EX keyword is not a str', at, op);
          return [k.v, v];
        });
        stack[sp++] = made(construct(cls, args.items, kw.length ? kw : undefined, false));
        break;
      }
      case OP.INST: {
        const [a1, b1] = readLine();
        const [a2, b2] = readLine();
        const cls = global(utf8(a1, b1), utf8(a2, b2));
        const k = popMark();
        const args = stack.slice(k, sp);
        sp = k;
        stack[sp++] = made(construct(cls, args, undefined, true));
        break;
      }
      case OP.OBJ: {
        const k = popMark();
        if (sp === k) throw decodeError('OBJ without a class', at, op);
        const cls = classOf(stack[k]);
        const args = stack.slice(k + 1, sp);
        sp = k;
        stack[sp++] = made(construct(cls, args, undefined, true));
        break;
      }
      case OP.BUILD: {
        const state = pop();
        if (sp <= fence) throw underflow();
        const inst = stack[sp - 1];
        if (inst.t !== 'object') throw decodeError(`BUILD on a ${inst.t}, not an object`, at, op);
        buildState(inst, state);
        break;
      }
      case OP.PERSID:
      case OP.BINPERSID:
        throw decodeError(`${opName(op)}: persistent ids are not supported (the pickle refers to objects outside itself)`, at, op);
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4:
        throw decodeError(`${opName(op)}: the extension registry (copyreg.add_extension) is not available`, at, op);

      // ---- framing ----
      case OP.PROTO: {
        need(1, 'argument');
        proto = data[i++];
        if (proto > HIGHEST_PROTOCOL) throw decodeError(`unsupported pickle protocol ${proto}`, at, op);
        break;
      }
      case OP.STOP: {
        if (sp === 0) throw decodeError('STOP with an empty stack', at, op);
        const value = stack[sp - 1];
        checkDepth(value, maxDepth, at, shared);
        for (const o of toFinish) finishDisplay(o);
        return { value, end: i };
      }
      default:
        throw decodeError(`unknown opcode 0x${op.toString(16).padStart(2, '0')}`, at);
    }
  }
}

function buildState(inst: PyObject, state: PyValue): void {
  // A second BUILD merges into a dict state, as __dict__.update would.
  if (inst.state?.t === 'dict' && state.t === 'dict') {
    for (const [k, v] of state.entries) setEntry(inst.state.entries, k, v);
  } else {
    inst.state = state;
  }
  afterBuild(inst);
}

// ---- keys: Python compares dict keys and set members by value (hashKey: equal for 1, 1.0, True) ----

function sameKey(a: PyValue, b: PyValue): boolean {
  if (a === b) return true;
  if (a.t === 'str') return b.t === 'str' && a.v === b.v;
  if (b.t === 'str') return false;
  const ka = hashKey(a);
  return ka !== undefined && ka === hashKey(b);
}

function hasDuplicateKey(entries: [PyValue, PyValue][]): boolean {
  if (entries.length <= 8) {
    for (let a = 0; a < entries.length; a++) {
      for (let b = a + 1; b < entries.length; b++) if (sameKey(entries[a][0], entries[b][0])) return true;
    }
    return false;
  }
  const seen = new Set<string>();
  for (const [k] of entries) {
    const key = hashKey(k);
    if (key === undefined) continue;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

/** Later values win and keep the first key's position, as repeated dict assignment does. */
function dedupe(entries: [PyValue, PyValue][]): void {
  const pos = new Map<string, number>();
  const out: [PyValue, PyValue][] = [];
  for (const e of entries) {
    const key = hashKey(e[0]);
    const at = key === undefined ? undefined : pos.get(key);
    if (at !== undefined) out[at] = [out[at][0], e[1]];
    else {
      if (key !== undefined) pos.set(key, out.length);
      out.push(e);
    }
  }
  entries.length = 0;
  entries.push(...out);
}

function setEntry(entries: [PyValue, PyValue][], k: PyValue, v: PyValue): void {
  const key = hashKey(k);
  if (key !== undefined) {
    for (const e of entries) {
      if (e[0] === k || hashKey(e[0]) === key) {
        e[1] = v;
        return;
      }
    }
  }
  entries.push([k, v]);
}

function addToSet(s: PySet, x: PyValue): void {
  const key = hashKey(x);
  if (key !== undefined && s.items.length) {
    for (const y of s.items) if (y === x || hashKey(y) === key) return;
  }
  s.items.push(x);
}

const isContainer = (v: PyValue): boolean =>
  v.t === 'list' || v.t === 'tuple' || v.t === 'dict' || v.t === 'set' || v.t === 'frozenset' || v.t === 'object';

function depthError(maxDepth: number, offset: number): RpcError {
  return new RpcError('E_LIMIT', `pickle: nesting deeper than maxDepth ${maxDepth} (checked at STOP, offset ${offset})`, { offset });
}

/** The parts of a container, in order (dict keys and values alternate). */
function childrenOf(v: PyValue): PyValue[] {
  switch (v.t) {
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset':
      return v.items;
    case 'dict': {
      const out: PyValue[] = [];
      for (const [k, x] of v.entries) out.push(k, x);
      return out;
    }
    case 'object': {
      const out: PyValue[] = [...v.args];
      if (v.kwargs) for (const [, x] of v.kwargs) out.push(x);
      if (v.state) out.push(v.state);
      if (v.listItems) out.push(...v.listItems);
      if (v.dictItems) for (const [k, x] of v.dictItems) out.push(k, x);
      return out;
    }
    default:
      return [];
  }
}

/**
 * Enforce maxDepth on the result. When no container was reached twice (no memo GET or DUP of one),
 * the result is a tree and a plain walk suffices; otherwise shared parts are measured once and a
 * reference back to an enclosing container (recursion) ends the path, as repr's `[...]` does.
 * Both walks are iterative: a hostile depth cannot overflow the JS stack.
 */
function checkDepth(root: PyValue, maxDepth: number, offset: number, shared: boolean): void {
  if (!isContainer(root)) return;
  if (!shared) return checkTreeDepth(root, maxDepth, offset);
  const height = new Map<object, number>();
  const nodes: PyValue[] = [];
  const kids: PyValue[][] = [];
  const next: number[] = [];
  const best: number[] = [];
  const onPath = new Set<object>();
  const enter = (v: PyValue): void => {
    if (nodes.length >= maxDepth) throw depthError(maxDepth, offset);
    nodes.push(v);
    kids.push(childrenOf(v));
    next.push(0);
    best.push(0);
    onPath.add(v);
  };
  enter(root);
  while (nodes.length) {
    const top = nodes.length - 1;
    const list = kids[top];
    if (next[top] < list.length) {
      const c = list[next[top]++];
      if (!isContainer(c) || onPath.has(c)) continue;
      const h = height.get(c);
      if (h === undefined) enter(c);
      else {
        if (top + 1 + h > maxDepth) throw depthError(maxDepth, offset);
        if (h + 1 > best[top]) best[top] = h + 1;
      }
      continue;
    }
    const done = nodes.pop()!;
    const h = best.pop()! + 1;
    kids.pop();
    next.pop();
    onPath.delete(done);
    height.set(done, h);
    if (best.length && h > best[best.length - 1]) best[best.length - 1] = h;
  }
}

/** Depth of a tree of containers: a walk with an explicit stack of (container, next child). */
function checkTreeDepth(root: PyValue, maxDepth: number, offset: number): void {
  const nodes: PyValue[][] = [childrenOrEntries(root)];
  const next: number[] = [0];
  while (nodes.length) {
    const top = nodes.length - 1;
    const parts = nodes[top];
    let i = next[top];
    let c: PyValue | undefined;
    // scan forward to the next child that is itself a container
    while (i < parts.length) {
      const x = parts[i++];
      if (x.t !== 'str' && x.t !== 'int' && x.t !== 'float' && x.t !== 'none' && x.t !== 'bool' && isContainer(x)) {
        c = x;
        break;
      }
    }
    next[top] = i;
    if (c === undefined) {
      nodes.pop();
      next.pop();
      continue;
    }
    if (nodes.length >= maxDepth) throw depthError(maxDepth, offset);
    nodes.push(childrenOrEntries(c));
    next.push(0);
  }
}

/** A container's parts; a dict's keys and values as one flat list (keys may nest too). */
function childrenOrEntries(v: PyValue): PyValue[] {
  if (v.t === 'dict') {
    const out: PyValue[] = [];
    for (const e of v.entries) {
      if (isContainer(e[0])) out.push(e[0]);
      if (isContainer(e[1])) out.push(e[1]);
    }
    return out;
  }
  return childrenOf(v);
}
