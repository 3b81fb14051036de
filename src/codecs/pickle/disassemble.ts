// A symbolic listing of a pickle in pickletools.dis's layout, plus each opcode's byte range so a
// wire view can highlight it. It reads the same opcodes as the decoder but builds no values.
import { RpcError } from '../../common/errors';
import { bytesRepr, floatRepr, strRepr } from '../../common/repr';
import { decodeLatin1, readInt32LE, readUint32LE, readUint64LE } from '../bytes';
import { OPCODES, type ArgKind, type OpcodeInfo } from './opcodes';
import { decodeLong, decodeUtf8SurrogatePass, escapeDecode, parseDecimal, parsePyFloat, rawUnicodeEscapeDecode } from './text';

export interface PickleOp {
  offset: number;
  /** bytes taken by the opcode and its argument */
  length: number;
  opcode: number;
  name: string;
  /** the argument as pickletools prints it (a Python repr) */
  arg?: string;
  /** MARK nesting when the opcode runs (the indentation level) */
  depth: number;
  /** `(as 3)` for MEMOIZE, `(MARK at 12)` for opcodes that close a MARK */
  memo?: string;
}

export interface PickleDisassembly {
  ops: PickleOp[];
  /** pickletools.dis's text; on bad input it ends with an `error: ...` line instead of the footer */
  text: string;
  /** why the listing stopped early, when it did */
  error?: RpcError;
  /** where the listing stopped because it reached its `maxOps`, when it did */
  stoppedAt?: number;
}

/** Net stack effect for the opcodes that do not use a MARK (pops, pushes); used to track MARKs for POP. */
const EFFECT: Record<string, [number, number]> = {
  STOP: [1, 0], DUP: [0, 1], BINPERSID: [1, 1], REDUCE: [2, 1], APPEND: [2, 1], BUILD: [2, 1],
  SETITEM: [3, 1], TUPLE1: [1, 1], TUPLE2: [2, 1], TUPLE3: [3, 1], NEWOBJ: [2, 1], NEWOBJ_EX: [3, 1],
  STACK_GLOBAL: [2, 1], READONLY_BUFFER: [1, 1], PUT: [0, 0], BINPUT: [0, 0], LONG_BINPUT: [0, 0],
  MEMOIZE: [0, 0], PROTO: [0, 0], FRAME: [0, 0],
};

/**
 * Disassemble the pickle starting at `start`, through its STOP or its first `maxOps` opcodes (a
 * 20 MB reply is nine million, a listing of hundreds of MB). Never throws: malformed or truncated
 * input gives the ops read so far, `error`, and an `error:` line in `text`.
 */
export function disassemblePickle(data: Uint8Array, start = 0, maxOps = Infinity): PickleDisassembly {
  const ops: PickleOp[] = [];
  const lines: string[] = [];
  const marks: number[] = []; // offsets of open MARKs
  const stack: boolean[] = []; // emulated stack: true where a MARK sits
  let memoCount = 0;
  let maxProto = -1;
  let i = start;
  const fail = (msg: string, at: number): PickleDisassembly => {
    const error = new RpcError('E_DECODE', `pickle: ${msg} at offset ${at}`, { offset: at });
    lines.push(`error: ${error.message}`);
    return { ops, text: lines.join('\n') + '\n', error };
  };

  while (true) {
    if (i >= data.length) return fail('pickle ended before STOP', i);
    const at = i;
    const code = data[i++];
    const info = OPCODES[code];
    if (!info) return fail(`unknown opcode 0x${code.toString(16).padStart(2, '0')}`, at);
    let arg: string | undefined;
    try {
      [arg, i] = readArg(info, data, i);
    } catch (e) {
      return fail(e instanceof Error ? `${info.name}: ${e.message}` : String(e), at);
    }
    const depth = marks.length;
    let note: string | undefined;
    const popsMark = info.usesMark || (info.name === 'POP' && stack.length > 0 && stack[stack.length - 1]);
    if (popsMark) {
      const m = marks.pop();
      if (m === undefined) return fail(`${info.name} without a MARK`, at);
      note = `(MARK at ${m})`;
      while (stack.length && !stack[stack.length - 1]) stack.pop();
      stack.pop();
      if (info.name !== 'POP' && info.name !== 'POP_MARK' && info.name !== 'APPENDS' && info.name !== 'SETITEMS' && info.name !== 'ADDITEMS') {
        stack.push(false);
      }
    } else if (info.name === 'MARK') {
      marks.push(at);
      stack.push(true);
    } else {
      const [pops, pushes] = EFFECT[info.name] ?? (info.name === 'POP' ? [1, 0] : [0, 1]);
      stack.length = Math.max(0, stack.length - pops);
      for (let k = 0; k < pushes; k++) stack.push(false);
    }
    if (info.name === 'MEMOIZE') note = `(as ${memoCount++})`;
    else if (info.name === 'PUT' || info.name === 'BINPUT' || info.name === 'LONG_BINPUT') memoCount++;
    maxProto = Math.max(maxProto, info.proto);

    const op: PickleOp = { offset: at, length: i - at, opcode: code, name: info.name, depth };
    if (arg !== undefined) op.arg = arg;
    if (note !== undefined) op.memo = note;
    ops.push(op);
    lines.push(formatLine(op));
    if (info.name === 'STOP') break;
    if (ops.length >= maxOps) {
      lines.push(`... the listing stops after ${maxOps} opcodes, at offset ${i} of ${data.length}`);
      return { ops, text: lines.join('\n') + '\n', stoppedAt: i };
    }
  }
  lines.push(`highest protocol among opcodes = ${maxProto}`);
  return { ops, text: lines.join('\n') + '\n' };
}

function formatLine(op: PickleOp): string {
  const code = op.opcode < 0x80 ? String.fromCharCode(op.opcode) : `\\x${op.opcode.toString(16)}`;
  let line = `${String(op.offset).padStart(5)}: ${code.padEnd(4)} ${'    '.repeat(op.depth)}${op.name}`;
  if (op.arg !== undefined || op.memo !== undefined) {
    line += ' '.repeat(Math.max(0, 10 - op.name.length));
    if (op.arg !== undefined) line += ' ' + op.arg;
    if (op.memo !== undefined) line += ' ' + op.memo;
  }
  return line;
}

/** Read an inline argument; returns its repr (as pickletools prints it) and the next offset. */
function readArg(info: OpcodeInfo, b: Uint8Array, i: number): [string | undefined, number] {
  const kind: ArgKind = info.arg;
  const need = (n: number): void => {
    if (n > b.length - i) throw new Error(`argument needs ${n} bytes but only ${b.length - i} remain`);
  };
  const line = (): [number, number] => {
    const nl = b.indexOf(0x0a, i);
    if (nl < 0) throw new Error('no newline found');
    return [i, nl];
  };
  const utf8 = (a: number, e: number): string => {
    const s = decodeUtf8SurrogatePass(b, a, e);
    if (s === undefined) throw new Error('argument is not valid UTF-8');
    return s;
  };
  switch (kind) {
    case 'none':
      return [undefined, i];
    case 'uint1':
      need(1);
      return [String(b[i]), i + 1];
    case 'uint2':
      need(2);
      return [String(b[i] | (b[i + 1] << 8)), i + 2];
    case 'int4':
      need(4);
      return [String(readInt32LE(b, i)), i + 4];
    case 'uint4':
      need(4);
      return [String(readUint32LE(b, i)), i + 4];
    case 'uint8':
      need(8);
      return [String(readUint64LE(b, i)), i + 8];
    case 'float8':
      need(8);
      return [floatRepr(new DataView(b.buffer, b.byteOffset + i, 8).getFloat64(0, false)), i + 8];
    case 'long1':
    case 'long4': {
      const w = kind === 'long1' ? 1 : 4;
      need(w);
      const n = w === 1 ? b[i] : readInt32LE(b, i);
      if (n < 0) throw new Error(`negative byte count ${n}`);
      i += w;
      need(n);
      return [decodeLong(b, i, i + n).toString(), i + n];
    }
    case 'string1':
    case 'string4':
    case 'bytes1':
    case 'bytes4':
    case 'bytes8':
    case 'bytearray8':
    case 'unicodestring1':
    case 'unicodestring4':
    case 'unicodestring8': {
      const w = kind.endsWith('1') ? 1 : kind.endsWith('4') ? 4 : 8;
      need(w);
      const n = w === 1 ? b[i] : w === 4 ? (kind === 'string4' ? readInt32LE(b, i) : readUint32LE(b, i)) : readUint64LE(b, i);
      if (n < 0) throw new Error(`negative byte count ${n}`);
      i += w;
      need(n);
      const e = i + n;
      if (kind.startsWith('string')) return [strRepr(decodeLatin1(b, i, e)), e];
      if (kind.startsWith('unicode')) return [strRepr(utf8(i, e)), e];
      const r = bytesRepr(b.subarray(i, e), kind === 'bytearray8');
      return [kind === 'bytearray8' ? `bytearray(${r})` : r, e];
    }
    case 'decimalnl_short':
    case 'decimalnl_long': {
      const [a, e] = line();
      let t = decodeLatin1(b, a, e);
      if (kind === 'decimalnl_short' && (t === '00' || t === '01')) return [t === '01' ? 'True' : 'False', e + 1];
      if (kind === 'decimalnl_long' && t.endsWith('L')) t = t.slice(0, -1);
      const v = parseDecimal(t);
      if (v === undefined) throw new Error(`invalid literal ${JSON.stringify(t)}`);
      return [v.toString(), e + 1];
    }
    case 'floatnl': {
      const [a, e] = line();
      const v = parsePyFloat(decodeLatin1(b, a, e));
      if (v === undefined) throw new Error('invalid float literal');
      return [floatRepr(v), e + 1];
    }
    case 'stringnl': {
      const [a, e] = line();
      const q = b[a];
      if (e - a < 2 || (q !== 0x22 && q !== 0x27) || b[e - 1] !== q) throw new Error('no string quotes');
      const raw = escapeDecode(b, a + 1, e - 1);
      if (!raw || raw.some((c) => c > 0x7f)) throw new Error('string is not ASCII');
      return [strRepr(decodeLatin1(raw, 0, raw.length)), e + 1];
    }
    case 'stringnl_noescape': {
      const [a, e] = line();
      return [strRepr(utf8(a, e)), e + 1];
    }
    case 'stringnl_noescape_pair': {
      const [a, e] = line();
      const module = utf8(a, e);
      i = e + 1;
      const [a2, e2] = line();
      return [strRepr(`${module} ${utf8(a2, e2)}`), e2 + 1];
    }
    case 'unicodestringnl': {
      const [a, e] = line();
      const s = rawUnicodeEscapeDecode(b, a, e);
      if (s === undefined) throw new Error('malformed \\u escape');
      return [strRepr(s), e + 1];
    }
  }
}
