// The pickle encoder: PyValue to the opcodes Python's own pickler would choose for each protocol,
// so that pickle.loads (Python 2.7 for protocol <= 2, any Python 3) rebuilds an equal value.
import { RpcError } from '../../common/errors';
import { strDict, type PyObject, type PyValue } from '../../common/value';
import { ByteWriter, encodeUtf8SurrogatePass } from '../bytes';
import { EncodeMemo, type MemoContainer } from './encode-memo';
import { HIGHEST_PROTOCOL, OP } from './opcodes';
import { encodeLong } from './text';

export interface PickleEncodeOptions {
  /** 0..5; default 4, what Python 3.8-3.13 send */
  protocol?: number;
  /** deepest nesting accepted; default 1000 (Python's own recursion limit is about that) */
  maxDepth?: number;
}

export const DEFAULT_PICKLE_PROTOCOL = 4;

/** Python 3 names that Python 2 spells differently (pickle writes these for protocol < 3). */
const PY2_MODULES: Record<string, string> = { builtins: '__builtin__', copyreg: 'copy_reg' };

const BATCH = 1000; // items per APPENDS / SETITEMS / ADDITEMS group, as pickle.py batches them

const INT32_MIN = -(2n ** 31n);
const INT32_END = 2n ** 31n;

const u8 = (s: string): Uint8Array => encodeUtf8SurrogatePass(s);

export function encodePickle(value: PyValue, opts: PickleEncodeOptions = {}): Uint8Array {
  const proto = opts.protocol ?? DEFAULT_PICKLE_PROTOCOL;
  if (!Number.isInteger(proto) || proto < 0 || proto > HIGHEST_PROTOCOL) {
    throw new RpcError('E_ENCODE', `pickle protocol ${proto} is not one of 0..${HIGHEST_PROTOCOL}`);
  }
  const maxDepth = opts.maxDepth ?? 1000;
  const w = new ByteWriter();
  const memo = new EncodeMemo();
  if (proto >= 2) w.u8(OP.PROTO).u8(proto);

  const put = (v: MemoContainer): void => {
    const idx = memo.add(v);
    if (proto >= 4) w.u8(OP.MEMOIZE);
    else if (proto >= 1) {
      if (idx < 256) w.u8(OP.BINPUT).u8(idx);
      else w.u8(OP.LONG_BINPUT).u32le(idx);
    } else w.u8(OP.PUT).latin1(`${idx}\n`);
  };
  const get = (idx: number): void => {
    if (proto >= 1) {
      if (idx < 256) w.u8(OP.BINGET).u8(idx);
      else w.u8(OP.LONG_BINGET).u32le(idx);
    } else w.u8(OP.GET).latin1(`${idx}\n`);
  };

  const writeInt = (v: bigint): void => {
    const int32 = v >= INT32_MIN && v < INT32_END;
    if (proto >= 1 && int32) {
      // one BigInt range check, then number comparisons (BigInt ones cost more)
      const n = Number(v);
      if (n >= 0 && n < 256) w.u8(OP.BININT1).u8(n);
      else if (n >= 0 && n < 65536) w.u8(OP.BININT2).u16le(n);
      else w.u8(OP.BININT).i32le(n);
    } else if (proto >= 2) {
      const b = encodeLong(v);
      if (b.length < 256) w.u8(OP.LONG1).u8(b.length);
      else w.u8(OP.LONG4).i32le(b.length);
      w.bytes(b);
    } else if (int32) w.u8(OP.INT).latin1(`${v}\n`);
    else w.u8(OP.LONG).latin1(`${v}L\n`);
  };

  const writeStr = (s: string): void => {
    if (proto === 0) {
      w.u8(OP.UNICODE).latin1(rawUnicodeEscape(s)).u8(0x0a);
      return;
    }
    if (proto >= 4 && s.length < 256) {
      // most names and keys: ASCII, one byte per character, no TextEncoder call, no temporary array
      w.u8(OP.SHORT_BINUNICODE).u8(s.length);
      if (w.ascii(s)) return;
      w.drop(2); // not ASCII: written below from its UTF-8 bytes
    }
    const b = u8(s);
    if (proto >= 4 && b.length < 256) w.u8(OP.SHORT_BINUNICODE).u8(b.length);
    else if (b.length <= 0xffffffff) w.u8(OP.BINUNICODE).u32le(b.length);
    else w.u8(OP.BINUNICODE8).u64le(b.length);
    w.bytes(b);
  };

  const writeGlobal = (module: string, name: string): void => {
    if (proto >= 4) {
      writeStr(module);
      writeStr(name);
      w.u8(OP.STACK_GLOBAL);
      return;
    }
    const m = proto < 3 ? PY2_MODULES[module] ?? module : module;
    w.u8(OP.GLOBAL).bytes(u8(`${m}\n${name}\n`));
  };

  /** Write a tuple of already-known items: the short forms where the protocol has them. */
  const writeTuple = (items: PyValue[], depth: number): void => {
    if (items.length === 0 && proto >= 1) {
      w.u8(OP.EMPTY_TUPLE);
      return;
    }
    if (proto >= 2 && items.length <= 3) {
      for (const x of items) write(x, depth + 1);
      w.u8(OP.TUPLE1 + items.length - 1);
      return;
    }
    w.u8(OP.MARK);
    for (const x of items) write(x, depth + 1);
    w.u8(OP.TUPLE);
  };

  /** `callable(*args)` as GLOBAL + args tuple + REDUCE. */
  const writeCall = (module: string, name: string, args: PyValue[], depth: number): void => {
    writeGlobal(module, name);
    writeTuple(args, depth);
    w.u8(OP.REDUCE);
  };

  const writeBytes = (b: Uint8Array): void => {
    if (proto >= 3) {
      if (b.length < 256) w.u8(OP.SHORT_BINBYTES).u8(b.length);
      else if (b.length <= 0xffffffff) w.u8(OP.BINBYTES).u32le(b.length);
      else w.u8(OP.BINBYTES8).u64le(b.length);
      w.bytes(b);
    } else if (b.length === 0) {
      writeCall('builtins', 'bytes', [], 0);
    } else {
      // what Python 3 writes for bytes at protocol < 3: _codecs.encode(latin-1 text, 'latin1')
      let s = '';
      for (let k = 0; k < b.length; k += 4096) s += String.fromCharCode(...b.subarray(k, k + 4096));
      writeCall('_codecs', 'encode', [{ t: 'str', v: s }, { t: 'str', v: 'latin1' }], 0);
    }
  };

  /** Items in batches after the container itself (APPENDS / ADDITEMS), or one by one for protocol 0. */
  const writeItems = (items: PyValue[], depth: number, batchOp: number, oneOp: number): void => {
    if (proto === 0) {
      for (const x of items) {
        write(x, depth + 1);
        w.u8(oneOp);
      }
      return;
    }
    for (let k = 0; k < items.length; k += BATCH) {
      const end = Math.min(items.length, k + BATCH);
      if (end - k === 1) {
        write(items[k], depth + 1);
        w.u8(oneOp);
        continue;
      }
      w.u8(OP.MARK);
      for (let j = k; j < end; j++) write(items[j], depth + 1);
      w.u8(batchOp);
    }
  };

  /** Flat keys and values (PyDict.kv), in batches of BATCH entries as pickle.py writes them. */
  const writeEntries = (kv: PyValue[], depth: number): void => {
    if (proto === 0) {
      for (let k = 0; k < kv.length; k += 2) {
        write(kv[k], depth + 1);
        write(kv[k + 1], depth + 1);
        w.u8(OP.SETITEM);
      }
      return;
    }
    for (let k = 0; k < kv.length; k += 2 * BATCH) {
      const end = Math.min(kv.length, k + 2 * BATCH);
      if (end - k === 2) {
        write(kv[k], depth + 1);
        write(kv[k + 1], depth + 1);
        w.u8(OP.SETITEM);
        continue;
      }
      w.u8(OP.MARK);
      for (let j = k; j < end; j++) write(kv[j], depth + 1);
      w.u8(OP.SETITEMS);
    }
  };

  const writeObject = (o: PyObject, depth: number): void => {
    if (o.kwargs?.length) {
      if (proto < 4) throw new RpcError('E_ENCODE', `${o.module}.${o.name} has keyword arguments, which need pickle protocol 4 or later`);
      writeGlobal(o.module, o.name);
      writeTuple(o.args, depth);
      write(strDict(o.kwargs), depth + 1);
      w.u8(OP.NEWOBJ_EX);
    } else if (proto >= 2 && !o.exception && o.args.length === 0) {
      // cls.__new__(cls): how Python pickles plain instances (their state follows in BUILD);
      // with arguments, cls(*args) rebuilds datetimes, Decimals, namedtuples, OrderedDicts...
      writeGlobal(o.module, o.name);
      writeTuple(o.args, depth);
      w.u8(OP.NEWOBJ);
    } else {
      writeCall(o.module, o.name, o.args, depth);
    }
    put(o);
    if (o.listItems?.length) writeItems(o.listItems, depth, OP.APPENDS, OP.APPEND);
    if (o.dictItems?.length) writeEntries(o.dictItems, depth);
    if (o.state !== undefined) {
      write(o.state, depth + 1);
      w.u8(OP.BUILD);
    }
  };

  const write = (v: PyValue, depth: number): void => {
    if (depth > maxDepth) throw new RpcError('E_LIMIT', `value nested deeper than ${maxDepth} levels cannot be pickled`);
    switch (v.t) {
      case 'none':
        w.u8(OP.NONE);
        return;
      case 'bool':
        if (proto >= 2) w.u8(v.v ? OP.NEWTRUE : OP.NEWFALSE);
        else w.u8(OP.INT).latin1(v.v ? '01\n' : '00\n');
        return;
      case 'int':
        writeInt(v.v);
        return;
      case 'float':
        if (proto >= 1) w.u8(OP.BINFLOAT).f64be(v.v);
        else w.u8(OP.FLOAT).latin1(`${floatText(v.v)}\n`);
        return;
      case 'complex':
        writeCall('builtins', 'complex', [{ t: 'float', v: v.re }, { t: 'float', v: v.im }], depth);
        return;
      case 'str':
        writeStr(v.v);
        return;
      case 'bytes':
        writeBytes(v.v);
        return;
      case 'global':
        writeGlobal(v.module, v.name);
        return;
      case 'ref':
        throw new RpcError('E_ENCODE', `a remote reference (${v.cls}) cannot be pickled`);
    }
    // containers and objects: shared and recursive references go through the memo
    const seen = memo.indexOf(v);
    if (seen !== undefined) {
      get(seen);
      return;
    }
    switch (v.t) {
      case 'bytearray':
        if (proto >= 5) w.u8(OP.BYTEARRAY8).u64le(v.v.length).bytes(v.v);
        else writeCall('builtins', 'bytearray', [{ t: 'bytes', v: v.v }], depth);
        put(v);
        return;
      case 'tuple':
        writeTuple(v.items, depth);
        return;
      case 'list':
        if (proto >= 1) w.u8(OP.EMPTY_LIST);
        else w.u8(OP.MARK).u8(OP.LIST);
        put(v);
        writeItems(v.items, depth, OP.APPENDS, OP.APPEND);
        return;
      case 'dict':
        if (proto >= 1) w.u8(OP.EMPTY_DICT);
        else w.u8(OP.MARK).u8(OP.DICT);
        put(v);
        writeEntries(v.kv, depth);
        return;
      case 'set':
        if (proto >= 4) {
          w.u8(OP.EMPTY_SET);
          put(v);
          for (let k = 0; k < v.items.length; k += BATCH) {
            w.u8(OP.MARK);
            for (let j = k; j < Math.min(v.items.length, k + BATCH); j++) write(v.items[j], depth + 1);
            w.u8(OP.ADDITEMS);
          }
        } else {
          writeCall('builtins', 'set', [{ t: 'list', items: v.items }], depth);
          put(v);
        }
        return;
      case 'frozenset':
        if (proto >= 4) {
          w.u8(OP.MARK);
          for (const x of v.items) write(x, depth + 1);
          w.u8(OP.FROZENSET);
        } else {
          writeCall('builtins', 'frozenset', [{ t: 'list', items: v.items }], depth);
        }
        put(v);
        return;
      case 'object':
        writeObject(v, depth);
        return;
    }
  };

  try {
    write(value, 0);
  } finally {
    memo.restore();
  }
  w.u8(OP.STOP);
  return w.finish();
}

/** pickle.py's protocol 0 str form: raw-unicode-escape with the line-breaking characters escaped. */
function rawUnicodeEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c === 0x5c || c === 0 || c === 0x0a || c === 0x0d || c === 0x1a) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else if (c < 0x100) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return out;
}

/** A float as text Python's float() reads back exactly (protocol 0 FLOAT). */
function floatText(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Object.is(x, -0)) return '-0.0';
  return String(x);
}

