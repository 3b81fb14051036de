// The pickle decoder: protocols 0-5 into PyValue. It interprets the opcodes as data and never
// imports or calls anything; REDUCE and friends only describe the call (see reducers.ts).
// One pass over the bytes, a switch on the opcode, a flat stack with mark positions, a flat memo.
//
// Speed: `run` handles the opcodes a protocol 2-5 pickle of plain data is made of in a loop whose
// position, stack height and memo count are locals (the JIT keeps them in registers). Whenever one
// of them meets anything unusual (a check that fails, a target that is not a plain list or dict) it
// leaves the opcode to `step`, which implements every opcode with every check and every error.
// A fresh list or dict filled by one APPENDS/SETITEMS gets an exact-size copy of the stack's slice
// (copyItems): decoding a large reply is dominated by the garbage collector, whose work grows with
// the memory the result takes, and a list grown by push from empty keeps room for 17 items.
// Until then an EMPTY_LIST or EMPTY_DICT holds NO_ITEMS (no-items.ts), not an empty array of its own.
// `run` allocates through sites.ts, whose two copies keep small messages from deciding where V8
// allocates a large reply's values.
import { RpcError } from '../../common/errors';
import { kvPairs, type PyDict, type PyGlobal, type PyInt, type PyList, type PyObject, type PySet, type PyStr, type PyValue } from '../../common/value';
import { dataViewOf, decodeLatin1, decodeUtf8, readInt32LE, readUint32LE, readUint64LE } from '../bytes';
import { finishResult } from './depth';
import { foldDuplicateKeys } from '../../common/value-util';
import { addToSet, hasDuplicateKey, isContainer, setEntry } from './keys';
import { NO_ITEMS } from './no-items';
import { sitesFor } from './sites';
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
  const maxBytes = opts.maxBytes ?? DEFAULT_PICKLE_LIMITS.maxBytes;
  if (data.length - start > maxBytes) {
    throw new RpcError('E_LIMIT', `pickle: ${data.length - start} bytes exceed the limit of ${maxBytes}`, { offset: start });
  }
  return new Unpickler(data, start, opts).run();
}

type Result = { value: PyValue; end: number };

class Unpickler {
  readonly end: number;
  private dv?: DataView;
  readonly maxDepth: number;
  readonly maxLen: number;
  readonly maxMemo: number;
  readonly buffers: Uint8Array[] | undefined;
  nextBuffer = 0;

  readonly stack: PyValue[] = [];
  /** stack height: the array is reused, not shrunk, so it never reallocates */
  sp = 0;
  readonly marks: number[] = [];
  /** stack index of the topmost MARK: nothing below it may be popped */
  fence = 0;
  readonly memo: PyValue[] = [];
  memoCount = 0;
  readonly toFinish: PyObject[] = [];
  /** a container was reached a second time (memo GET or DUP): the result may be a graph */
  shared = false;
  proto = 0;
  /** position of the next byte to read */
  i: number;
  /** offset and code of the opcode being executed, for errors */
  at = 0;
  op = 0;

  constructor(
    readonly data: Uint8Array,
    start: number,
    opts: PickleLimits,
  ) {
    this.end = data.length;
    this.maxDepth = opts.maxDepth ?? DEFAULT_PICKLE_LIMITS.maxDepth;
    this.maxLen = opts.maxContainerLength ?? DEFAULT_PICKLE_LIMITS.maxContainerLength;
    this.maxMemo = opts.maxMemo ?? DEFAULT_PICKLE_LIMITS.maxMemo;
    this.buffers = opts.buffers;
    this.i = start;
  }

  /** For floats, made on first use: a DataView on a small reply would move its bytes off V8's heap. */
  get view(): DataView {
    return (this.dv ??= dataViewOf(this.data));
  }

  /** The fast loop; see the file's header. Each case either finishes its opcode and `continue`s, or
   *  `break`s before changing anything, and the opcode is executed again by `step`. */
  run(): Result {
    const { data, end, stack, memo, marks, maxLen, maxMemo } = this;
    let i = this.i;
    let sp = this.sp;
    let fence = this.fence;
    let memoCount = this.memoCount;
    let uniqueKeys: PyValue[] | undefined;
    const sites = sitesFor(end - i);
    for (;;) {
      fast: switch (data[i]) {
        case OP.MEMOIZE:
          if (sp <= fence || memoCount > maxMemo || memo[memoCount] !== undefined) break;
          memo[memoCount++] = stack[sp - 1];
          i += 1;
          continue;
        case OP.BINPUT: {
          if (i + 1 >= end || sp <= fence) break;
          const idx = data[i + 1];
          if (idx > maxMemo) break;
          if (memo[idx] === undefined) memoCount++;
          memo[idx] = stack[sp - 1];
          i += 2;
          continue;
        }
        case OP.LONG_BINPUT: {
          if (i + 4 >= end || sp <= fence) break;
          const idx = readUint32LE(data, i + 1);
          if (idx > maxMemo) break;
          if (memo[idx] === undefined) memoCount++;
          memo[idx] = stack[sp - 1];
          i += 5;
          continue;
        }
        case OP.BINGET:
        case OP.LONG_BINGET: {
          const wide = data[i] === OP.LONG_BINGET;
          if (i + (wide ? 4 : 1) >= end) break;
          const v = memo[wide ? readUint32LE(data, i + 1) : data[i + 1]];
          if (v === undefined) break;
          if (v.t !== 'str' && !this.shared && isContainer(v)) this.shared = true;
          stack[sp++] = v;
          i += wide ? 5 : 2;
          continue;
        }
        case OP.SHORT_BINUNICODE:
        case OP.BINUNICODE: {
          const short = data[i] === OP.SHORT_BINUNICODE;
          const from = i + (short ? 2 : 5);
          if (from > end) break;
          const n = short ? data[i + 1] : readUint32LE(data, i + 1);
          if (n > end - from) break;
          let v: string;
          try {
            v = decodeUtf8(data, from, from + n);
          } catch {
            break; // not strict UTF-8: step decodes lone surrogates or says why not
          }
          stack[sp++] = sites.str(v);
          i = from + n;
          continue;
        }
        case OP.BININT1:
          if (i + 1 >= end) break;
          stack[sp++] = smallInts[data[i + 1] - SMALL_INT_MIN];
          i += 2;
          continue;
        case OP.BININT2:
          if (i + 2 >= end) break;
          stack[sp++] = mkInt(data[i + 1] | (data[i + 2] << 8));
          i += 3;
          continue;
        case OP.BININT:
          if (i + 4 >= end) break;
          stack[sp++] = mkInt(readInt32LE(data, i + 1));
          i += 5;
          continue;
        case OP.BINFLOAT:
          if (i + 8 >= end) break;
          stack[sp++] = sites.float(this.view.getFloat64(i + 1, false));
          i += 9;
          continue;
        case OP.NONE:
          stack[sp++] = NONE;
          i += 1;
          continue;
        case OP.NEWTRUE:
          stack[sp++] = TRUE;
          i += 1;
          continue;
        case OP.NEWFALSE:
          stack[sp++] = FALSE;
          i += 1;
          continue;
        case OP.EMPTY_DICT:
          stack[sp++] = sites.dict();
          i += 1;
          continue;
        case OP.EMPTY_LIST:
          stack[sp++] = sites.list();
          i += 1;
          continue;
        case OP.EMPTY_TUPLE:
          stack[sp++] = { t: 'tuple', items: [] };
          i += 1;
          continue;
        case OP.TUPLE1:
        case OP.TUPLE2:
        case OP.TUPLE3: {
          const n = data[i] - OP.TUPLE1 + 1;
          if (sp - n < fence) break;
          const items = sites.copy(stack, sp - n, n);
          sp -= n;
          stack[sp++] = sites.tuple(items);
          i += 1;
          continue;
        }
        case OP.MARK:
          if (marks.length >= this.maxDepth) break;
          marks.push(sp);
          fence = sp;
          i += 1;
          continue;
        case OP.APPENDS:
        case OP.SETITEMS: {
          if (marks.length === 0) break;
          const k = marks[marks.length - 1];
          const below = marks.length > 1 ? marks[marks.length - 2] : 0;
          const n = sp - k;
          if (k - 1 < below || n > maxLen) break;
          const target = stack[k - 1];
          if (data[i] === OP.APPENDS) {
            if (target.t !== 'list' || target.items.length + n > maxLen) break;
            const items = target.items;
            if (items.length === 0) target.items = sites.copy(stack, k, n);
            else for (let j = k; j < sp; j++) items.push(stack[j]);
          } else {
            // a fresh dict, the common case: its keys are only compared if one may repeat
            if (target.t !== 'dict' || target.kv.length !== 0 || n % 2 !== 0) break;
            const kv = sites.copy(stack, k, n);
            target.kv = kv;
            // Records repeat their keys through the memo: the same key objects as the last dict
            // whose keys were found distinct need no comparing.
            let known = uniqueKeys !== undefined && uniqueKeys.length === n;
            for (let j = 0; known && j < n; j += 2) if (uniqueKeys![j] !== kv[j]) known = false;
            if (!known && n > 2) {
              if (hasDuplicateKey(kv)) target.kv = foldDuplicateKeys(kv);
              else uniqueKeys = kv; // (a later SETITEM on that dict keeps its keys distinct)
            }
          }
          marks.pop();
          fence = marks.length ? marks[marks.length - 1] : 0;
          sp = k;
          i += 1;
          continue;
        }
        case OP.SETITEM: {
          if (sp - 3 < fence) break;
          const target = stack[sp - 3];
          if (target.t !== 'dict' || target.kv.length !== 0 || maxLen < 1) break;
          target.kv = [stack[sp - 2], stack[sp - 1]];
          sp -= 2;
          i += 1;
          continue;
        }
        case OP.TUPLE:
        case OP.LIST: {
          if (marks.length === 0) break;
          const k = marks[marks.length - 1];
          if (sp - k > maxLen) break;
          const items = sites.copy(stack, k, sp - k);
          marks.pop();
          fence = marks.length ? marks[marks.length - 1] : 0;
          sp = k;
          stack[sp++] = data[i] === OP.TUPLE ? sites.tuple(items) : sites.listOf(items);
          i += 1;
          continue;
        }
        case OP.APPEND: {
          if (sp - 2 < fence) break;
          const target = stack[sp - 2];
          if (target.t !== 'list' || target.items.length >= maxLen) break;
          if (target.items === NO_ITEMS) target.items = [stack[--sp]];
          else target.items.push(stack[--sp]);
          i += 1;
          continue;
        }
        case OP.FRAME: {
          if (i + 8 >= end) break;
          const n = readUint64LE(data, i + 1);
          if (n > end - i - 9) break;
          i += 9; // frames only group bytes for buffered readers; the opcodes inside are read as usual
          continue;
        }
        default:
          break fast;
      }
      this.i = i;
      this.sp = sp;
      this.fence = fence;
      this.memoCount = memoCount;
      const done = this.step();
      if (done) return done;
      i = this.i;
      sp = this.sp;
      fence = this.fence;
      memoCount = this.memoCount;
    }
  }


  /** Execute the opcode at `this.i` with every check; returns the result at STOP. */
  step(): Result | undefined {
    if (this.i >= this.end) throw decodeError('pickle ended before STOP', this.i);
    this.at = this.i;
    this.op = this.data[this.i++];
    switch (this.op) {
      // ---- the hot path of protocol 4/5 pickles first ----
      case OP.MEMOIZE:
        this.memoPut(this.memoCount);
        break;
      case OP.SHORT_BINUNICODE: {
        this.need(1, 'length byte');
        const n = this.data[this.i++];
        this.need(n, 'length');
        this.stack[this.sp++] = { t: 'str', v: this.utf8(this.i, this.i + n) } as PyStr;
        this.i += n;
        break;
      }
      case OP.BININT1:
        this.need(1, 'argument');
        this.stack[this.sp++] = smallInts[this.data[this.i++] - SMALL_INT_MIN];
        break;
      case OP.BININT2:
        this.need(2, 'argument');
        this.stack[this.sp++] = mkInt(this.data[this.i] | (this.data[this.i + 1] << 8));
        this.i += 2;
        break;
      case OP.BININT:
        this.need(4, 'argument');
        this.stack[this.sp++] = mkInt(readInt32LE(this.data, this.i));
        this.i += 4;
        break;
      case OP.BINFLOAT: {
        this.need(8, 'argument');
        this.stack[this.sp++] = { t: 'float', v: this.view.getFloat64(this.i, false) };
        this.i += 8;
        break;
      }
      case OP.BINGET:
        this.need(1, 'argument');
        this.stack[this.sp++] = this.memoGet(this.data[this.i++]);
        break;
      case OP.LONG_BINGET:
        this.need(4, 'argument');
        this.stack[this.sp++] = this.memoGet(readUint32LE(this.data, this.i));
        this.i += 4;
        break;
      case OP.EMPTY_DICT:
        this.stack[this.sp++] = { t: 'dict', kv: NO_ITEMS } as PyDict;
        break;
      case OP.EMPTY_LIST:
        this.stack[this.sp++] = { t: 'list', items: NO_ITEMS } as PyList;
        break;
      case OP.MARK:
        if (this.marks.length >= this.maxDepth) throw limitError(`MARK nesting exceeds maxDepth ${this.maxDepth}`, this.at, this.op);
        this.marks.push(this.sp);
        this.fence = this.sp;
        break;
      case OP.SETITEMS: {
        const k = this.popMark();
        if (k - 1 < this.fence) throw this.underflow();
        this.setItemsOn(this.stack[k - 1], k);
        break;
      }
      case OP.APPENDS: {
        const k = this.popMark();
        if (k - 1 < this.fence) throw this.underflow();
        this.appendTo(this.stack[k - 1], k);
        break;
      }
      case OP.SETITEM: {
        if (this.sp - 3 < this.fence) throw this.underflow();
        this.setItemsOn(this.stack[this.sp - 3], this.sp - 2);
        break;
      }
      case OP.APPEND: {
        if (this.sp - 2 < this.fence) throw this.underflow();
        this.appendTo(this.stack[this.sp - 2], this.sp - 1);
        break;
      }
      case OP.FRAME: {
        this.need(8, 'argument');
        const n = readUint64LE(this.data, this.i);
        this.i += 8;
        if (n > this.end - this.i) throw decodeError(`FRAME length ${n} exceeds the ${this.end - this.i} bytes left`, this.at, this.op);
        break; // frames only group bytes for buffered readers; the opcodes inside are read as usual
      }

      // ---- scalars ----
      case OP.NONE:
        this.stack[this.sp++] = NONE;
        break;
      case OP.NEWTRUE:
        this.stack[this.sp++] = TRUE;
        break;
      case OP.NEWFALSE:
        this.stack[this.sp++] = FALSE;
        break;
      case OP.INT: {
        const t = this.lineText();
        if (t === '00') this.stack[this.sp++] = FALSE;
        else if (t === '01') this.stack[this.sp++] = TRUE;
        else {
          const v = parseDecimal(t);
          if (v === undefined) throw decodeError(`INT argument ${JSON.stringify(t)} is not a decimal integer`, this.at, this.op);
          this.stack[this.sp++] = { t: 'int', v };
        }
        break;
      }
      case OP.LONG: {
        const t = this.lineText();
        const v = parseDecimal(t.endsWith('L') ? t.slice(0, -1) : t);
        if (v === undefined) throw decodeError(`LONG argument ${JSON.stringify(t)} is not a decimal integer`, this.at, this.op);
        this.stack[this.sp++] = { t: 'int', v };
        break;
      }
      case OP.LONG1:
      case OP.LONG4: {
        const w = this.op === OP.LONG1 ? 1 : 4;
        this.need(w, 'length');
        const n = w === 1 ? this.data[this.i] : readInt32LE(this.data, this.i);
        this.i += w;
        if (n < 0) throw decodeError(`LONG4 negative length ${n}`, this.at, this.op);
        this.need(n, 'length');
        this.stack[this.sp++] = { t: 'int', v: decodeLong(this.data, this.i, this.i + n) };
        this.i += n;
        break;
      }
      case OP.FLOAT: {
        const t = this.lineText();
        const v = parsePyFloat(t);
        if (v === undefined) throw decodeError(`FLOAT argument ${JSON.stringify(t)} is not a float`, this.at, this.op);
        this.stack[this.sp++] = { t: 'float', v };
        break;
      }
      case OP.BINUNICODE:
      case OP.BINUNICODE8: {
        const w = this.op === OP.BINUNICODE ? 4 : 8;
        this.need(w, 'length field');
        const n = w === 4 ? readUint32LE(this.data, this.i) : readUint64LE(this.data, this.i);
        this.i += w;
        this.need(n, 'length');
        this.stack[this.sp++] = { t: 'str', v: this.utf8(this.i, this.i + n) };
        this.i += n;
        break;
      }
      case OP.UNICODE: {
        const [a, b] = this.readLine();
        const s = rawUnicodeEscapeDecode(this.data, a, b);
        if (s === undefined) throw decodeError('UNICODE argument has a malformed \\u escape', this.at, this.op);
        this.stack[this.sp++] = { t: 'str', v: s };
        break;
      }
      case OP.STRING: {
        const [a, b] = this.readLine();
        const q = this.data[a];
        if (b - a < 2 || (q !== 0x27 && q !== 0x22) || this.data[b - 1] !== q) {
          throw decodeError('STRING argument is not quoted', this.at, this.op);
        }
        const raw = escapeDecode(this.data, a + 1, b - 1);
        if (!raw) throw decodeError('STRING argument has a malformed escape', this.at, this.op);
        let ascii = true;
        for (let k = 0; k < raw.length; k++) if (raw[k] > 0x7f) ascii = false;
        this.stack[this.sp++] = ascii ? { t: 'str', v: decodeLatin1(raw, 0, raw.length) } : { t: 'bytes', v: raw };
        break;
      }
      case OP.SHORT_BINSTRING:
      case OP.BINSTRING: {
        const w = this.op === OP.SHORT_BINSTRING ? 1 : 4;
        this.need(w, 'length field');
        const n = w === 1 ? this.data[this.i] : readInt32LE(this.data, this.i);
        this.i += w;
        if (n < 0) throw decodeError(`BINSTRING negative length ${n}`, this.at, this.op);
        this.need(n, 'length');
        this.stack[this.sp++] = this.py2str(this.i, this.i + n);
        this.i += n;
        break;
      }
      case OP.SHORT_BINBYTES:
      case OP.BINBYTES:
      case OP.BINBYTES8:
      case OP.BYTEARRAY8: {
        const w = this.op === OP.SHORT_BINBYTES ? 1 : this.op === OP.BINBYTES ? 4 : 8;
        this.need(w, 'length field');
        const n = w === 1 ? this.data[this.i] : w === 4 ? readUint32LE(this.data, this.i) : readUint64LE(this.data, this.i);
        this.i += w;
        this.need(n, 'length');
        const v = this.data.slice(this.i, this.i + n);
        this.stack[this.sp++] = this.op === OP.BYTEARRAY8 ? { t: 'bytearray', v } : { t: 'bytes', v };
        this.i += n;
        break;
      }
      case OP.NEXT_BUFFER: {
        if (!this.buffers) throw decodeError('NEXT_BUFFER but no out-of-band buffers were given', this.at, this.op);
        if (this.nextBuffer >= this.buffers.length) throw decodeError(`NEXT_BUFFER: only ${this.buffers.length} out-of-band buffers were given`, this.at, this.op);
        this.stack[this.sp++] = { t: 'bytearray', v: this.buffers[this.nextBuffer++] };
        break;
      }
      case OP.READONLY_BUFFER: {
        const top = this.pop();
        this.stack[this.sp++] = top.t === 'bytearray' ? { t: 'bytes', v: top.v } : top;
        break;
      }

      // ---- containers ----
      case OP.EMPTY_TUPLE:
        this.stack[this.sp++] = { t: 'tuple', items: [] };
        break;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3: {
        const n = this.op - OP.TUPLE1 + 1;
        if (this.sp - n < this.fence) throw this.underflow();
        const items = this.stack.slice(this.sp - n, this.sp);
        this.sp -= n;
        this.stack[this.sp++] = { t: 'tuple', items };
        break;
      }
      case OP.TUPLE:
      case OP.LIST:
      case OP.FROZENSET: {
        const k = this.popMark();
        const items = this.stack.slice(k, this.sp);
        this.sp = k;
        if (this.op === OP.TUPLE) this.stack[this.sp++] = { t: 'tuple', items };
        else if (this.op === OP.LIST) this.stack[this.sp++] = { t: 'list', items };
        else {
          const s: PySet = { t: 'set', items: [] };
          for (const x of items) addToSet(s, x);
          this.stack[this.sp++] = { t: 'frozenset', items: s.items };
        }
        break;
      }
      case OP.DICT: {
        const k = this.popMark();
        const d: PyDict = { t: 'dict', kv: [] };
        this.setItemsOn(d, k);
        this.stack[this.sp++] = d;
        break;
      }
      case OP.EMPTY_SET:
        this.stack[this.sp++] = { t: 'set', items: [] };
        break;
      case OP.ADDITEMS: {
        const k = this.popMark();
        if (k - 1 < this.fence) throw this.underflow();
        this.addItemsTo(this.stack[k - 1], k);
        break;
      }
      case OP.POP:
        if (this.sp === this.fence && this.marks.length) this.popMark(); // protocol 0 may POP a MARK
        else this.pop();
        break;
      case OP.POP_MARK:
        this.sp = this.popMark();
        break;
      case OP.DUP: {
        if (this.sp <= this.fence) throw this.underflow();
        const top = this.stack[this.sp - 1];
        if (isContainer(top)) this.shared = true;
        this.stack[this.sp++] = top;
        break;
      }

      // ---- this.memo ----
      case OP.PUT: {
        const t = this.lineText();
        const idx = parseDecimal(t);
        if (idx === undefined || idx < 0n) throw decodeError(`PUT argument ${JSON.stringify(t)} is not a memo key`, this.at, this.op);
        this.memoPut(Number(idx));
        break;
      }
      case OP.BINPUT:
        this.need(1, 'argument');
        this.memoPut(this.data[this.i++]);
        break;
      case OP.LONG_BINPUT:
        this.need(4, 'argument');
        this.memoPut(readUint32LE(this.data, this.i));
        this.i += 4;
        break;
      case OP.GET: {
        const t = this.lineText();
        const idx = parseDecimal(t);
        if (idx === undefined) throw decodeError(`GET argument ${JSON.stringify(t)} is not a memo key`, this.at, this.op);
        this.stack[this.sp++] = this.memoGet(Number(idx));
        break;
      }

      // ---- classes and objects: described, never called ----
      case OP.GLOBAL: {
        const [a1, b1] = this.readLine();
        const [a2, b2] = this.readLine();
        this.stack[this.sp++] = this.global(this.utf8(a1, b1), this.utf8(a2, b2));
        break;
      }
      case OP.STACK_GLOBAL: {
        const name = this.pop();
        const module = this.pop();
        if (module.t !== 'str' || name.t !== 'str') throw decodeError('STACK_GLOBAL needs two str', this.at, this.op);
        this.stack[this.sp++] = this.global(module.v, name.v);
        break;
      }
      case OP.REDUCE: {
        const args = this.pop();
        const callable = this.pop();
        this.stack[this.sp++] = this.reduce(callable, args);
        break;
      }
      case OP.NEWOBJ: {
        const args = this.pop();
        const cls = this.classOf(this.pop());
        if (args.t !== 'tuple') throw decodeError(`NEWOBJ arguments are a ${args.t}, not a tuple`, this.at, this.op);
        this.stack[this.sp++] = this.made(construct(cls, args.items, undefined, false));
        break;
      }
      case OP.NEWOBJ_EX: {
        const kwargs = this.pop();
        const args = this.pop();
        const cls = this.classOf(this.pop());
        if (args.t !== 'tuple' || kwargs.t !== 'dict') throw decodeError('NEWOBJ_EX needs a tuple and a dict', this.at, this.op);
        const kw = kvPairs(kwargs.kv).map(([k, v]): [string, PyValue] => {
          if (k.t !== 'str') throw decodeError('NEWOBJ_EX keyword is not a str', this.at, this.op);
          return [k.v, v];
        });
        this.stack[this.sp++] = this.made(construct(cls, args.items, kw.length ? kw : undefined, false));
        break;
      }
      case OP.INST: {
        const [a1, b1] = this.readLine();
        const [a2, b2] = this.readLine();
        const cls = this.global(this.utf8(a1, b1), this.utf8(a2, b2));
        const k = this.popMark();
        const args = this.stack.slice(k, this.sp);
        this.sp = k;
        this.stack[this.sp++] = this.made(construct(cls, args, undefined, true));
        break;
      }
      case OP.OBJ: {
        const k = this.popMark();
        if (this.sp === k) throw decodeError('OBJ without a class', this.at, this.op);
        const cls = this.classOf(this.stack[k]);
        const args = this.stack.slice(k + 1, this.sp);
        this.sp = k;
        this.stack[this.sp++] = this.made(construct(cls, args, undefined, true));
        break;
      }
      case OP.BUILD: {
        const state = this.pop();
        if (this.sp <= this.fence) throw this.underflow();
        const inst = this.stack[this.sp - 1];
        if (inst.t !== 'object') throw decodeError(`BUILD on a ${inst.t}, not an object`, this.at, this.op);
        buildState(inst, state);
        break;
      }
      case OP.PERSID:
      case OP.BINPERSID:
        throw decodeError(`${opName(this.op)}: persistent ids are not supported (the pickle refers to objects outside itself)`, this.at, this.op);
      case OP.EXT1:
      case OP.EXT2:
      case OP.EXT4:
        throw decodeError(`${opName(this.op)}: the extension registry (copyreg.add_extension) is not available`, this.at, this.op);

      // ---- framing ----
      case OP.PROTO: {
        this.need(1, 'argument');
        this.proto = this.data[this.i++];
        if (this.proto > HIGHEST_PROTOCOL) throw decodeError(`unsupported pickle protocol ${this.proto}`, this.at, this.op);
        break;
      }
      case OP.STOP: {
        if (this.sp === 0) throw decodeError('STOP with an empty stack', this.at, this.op);
        const value = this.stack[this.sp - 1];
        finishResult(value, this.maxDepth, this.at, this.shared);
        for (const o of this.toFinish) finishDisplay(o);
        return { value, end: this.i };
      }
      default:
        throw decodeError(`unknown opcode 0x${this.op.toString(16).padStart(2, '0')}`, this.at);
    }
    return undefined;
  }

  need(n: number, what: string): void {
    if (n > this.end - this.i) {
      throw decodeError(`${opName(this.op)} ${what} ${n} exceeds the ${this.end - this.i} bytes left`, this.at, this.op);
    }
  }

  pop(): PyValue {
    if (this.sp <= this.fence) throw this.underflow();
    return this.stack[--this.sp];
  }

  popMark(): number {
    if (this.marks.length === 0) throw decodeError(`${opName(this.op)} without a MARK`, this.at, this.op);
    const k = this.marks.pop()!;
    this.fence = this.marks.length ? this.marks[this.marks.length - 1] : 0;
    if (this.sp - k > this.maxLen) throw limitError(`${opName(this.op)} of ${this.sp - k} items exceeds maxContainerLength ${this.maxLen}`, this.at, this.op);
    return k;
  }

  readLine(): [number, number] {
    const nl = this.data.indexOf(0x0a, this.i);
    if (nl < 0) throw decodeError(`${opName(this.op)} argument has no terminating newline`, this.at, this.op);
    const r: [number, number] = [this.i, nl];
    this.i = nl + 1;
    return r;
  }

  lineText(): string {
    const [a, b] = this.readLine();
    return decodeLatin1(this.data, a, b);
  }

  utf8(a: number, b: number): string {
    try {
      return decodeUtf8(this.data, a, b);
    } catch {
      const s = decodeUtf8SurrogatePass(this.data, a, b);
      if (s === undefined) throw decodeError(`${opName(this.op)} argument is not valid UTF-8`, this.at, this.op);
      return s;
    }
  }

  py2str(a: number, b: number): PyValue {
    for (let k = a; k < b; k++) if (this.data[k] > 0x7f) return { t: 'bytes', v: this.data.slice(a, b) };
    return { t: 'str', v: decodeLatin1(this.data, a, b) };
  }

  memoGet(idx: number): PyValue {
    const v = this.memo[idx];
    if (v === undefined) throw decodeError(`${opName(this.op)} of memo key ${idx}, which was never stored`, this.at, this.op);
    if (v.t !== 'str' && !this.shared && isContainer(v)) this.shared = true;
    return v;
  }

  memoPut(idx: number): void {
    if (idx > this.maxMemo) throw limitError(`${opName(this.op)} memo key ${idx} exceeds maxMemo ${this.maxMemo}`, this.at, this.op);
    if (this.sp <= this.fence) throw decodeError(`${opName(this.op)} with nothing to store`, this.at, this.op);
    if (this.memo[idx] === undefined) this.memoCount++;
    this.memo[idx] = this.stack[this.sp - 1];
  }

  global(module: string, name: string): PyGlobal {
    const [m, n] = renameGlobal(module, name, this.proto);
    return { t: 'global', module: m, name: n };
  }

  checkLen(n: number): void {
    if (n > this.maxLen) throw limitError(`${opName(this.op)} grows a container to ${n} items, over maxContainerLength ${this.maxLen}`, this.at, this.op);
  }

  appendTo(target: PyValue, from: number): void {
    if (target.t === 'list') {
      if (target.items === NO_ITEMS) target.items = [];
      const items = target.items;
      this.checkLen(items.length + this.sp - from);
      for (let k = from; k < this.sp; k++) items.push(this.stack[k]);
    } else if (target.t === 'object') {
      const items = (target.listItems ??= []);
      this.checkLen(items.length + this.sp - from);
      for (let k = from; k < this.sp; k++) items.push(this.stack[k]);
    } else {
      throw decodeError(`${opName(this.op)} to a ${target.t}, not a list`, this.at, this.op);
    }
    this.sp = from;
  }

  setItemsOn(target: PyValue, from: number): void {
    if ((this.sp - from) % 2) throw decodeError(`${opName(this.op)} with an odd number of items`, this.at, this.op);
    let kv: PyValue[];
    if (target.t === 'dict') kv = target.kv === NO_ITEMS ? (target.kv = []) : target.kv;
    else if (target.t === 'object') kv = target.dictItems ??= [];
    else throw decodeError(`${opName(this.op)} on a ${target.t}, not a dict`, this.at, this.op);
    this.checkLen((kv.length + this.sp - from) / 2);
    if (target.t === 'dict' && kv.length === 0) {
      // fresh dict, the common case: keys are only checked for duplicates if one repeats
      for (let k = from; k < this.sp; k++) kv.push(this.stack[k]);
      if (kv.length > 2 && hasDuplicateKey(kv)) target.kv = foldDuplicateKeys(kv);
    } else {
      for (let k = from; k < this.sp; k += 2) setEntry(kv, this.stack[k], this.stack[k + 1]);
    }
    this.sp = from;
  }

  addItemsTo(target: PyValue, from: number): void {
    if (target.t === 'set') {
      this.checkLen(target.items.length + this.sp - from);
      for (let k = from; k < this.sp; k++) addToSet(target, this.stack[k]);
    } else if (target.t === 'object') {
      const items = (target.listItems ??= []);
      for (let k = from; k < this.sp; k++) items.push(this.stack[k]);
    } else {
      throw decodeError(`${opName(this.op)} to a ${target.t}, not a set`, this.at, this.op);
    }
    this.sp = from;
  }

  classOf(v: PyValue): PyGlobal {
    if (v.t !== 'global') throw decodeError(`${opName(this.op)} on a ${v.t}, not a class`, this.at, this.op);
    return v;
  }

  reduce(callable: PyValue, args: PyValue): PyValue {
    if (args.t !== 'tuple') throw decodeError(`${opName(this.op)} arguments are a ${args.t}, not a tuple`, this.at, this.op);
    if (callable.t !== 'global') throw decodeError(`${opName(this.op)} calls a ${callable.t}, not a global`, this.at, this.op);
    return this.made(construct(callable, args.items, undefined, true));
  }

  made(v: PyValue): PyValue {
    if (needsFinishing(v)) this.toFinish.push(v as PyObject);
    return v;
  }

  underflow(): RpcError {
    return decodeError(`${opName(this.op)} needs more items than the stack holds`, this.at, this.op);
  }
}

function buildState(inst: PyObject, state: PyValue): void {
  // A second BUILD merges into a dict state, as __dict__.update would.
  if (inst.state?.t === 'dict' && state.t === 'dict') {
    const kv = state.kv;
    for (let i = 0; i < kv.length; i += 2) setEntry(inst.state.kv, kv[i], kv[i + 1]);
  } else {
    inst.state = state;
  }
  afterBuild(inst);
}
