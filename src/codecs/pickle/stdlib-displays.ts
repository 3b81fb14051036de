// Python's repr of standard-library values that arrive as REDUCE of their class: range, slice,
// Fraction, pathlib's POSIX paths, array.array (both of its pickled forms), Counter, and, once their
// items are in (SETITEMS / APPENDS come after the REDUCE), defaultdict and deque. Each is built from
// the pickle's data as a display string; nothing is called. Python 3.11 is the reference, as for
// the rest of the value printing.
import { repr } from '../../common/repr';
import { kvPairs, type PyObject, type PyValue } from '../../common/value';

/** the longest array given a display of its items */
const MAX_ARRAY_ITEMS = 1_000_000;

const int = (v: PyValue | undefined): bigint | undefined => (v?.t === 'int' ? v.v : v?.t === 'bool' ? (v.v ? 1n : 0n) : undefined);

/** The display of an object whose constructor arguments are all it needs, or undefined. */
export function stdlibDisplay(obj: PyObject): string | undefined {
  const a = obj.args;
  switch (`${obj.module}.${obj.name}`) {
    case 'builtins.range': {
      const [start, stop, step] = a.map(int);
      if (a.length !== 3 || start === undefined || stop === undefined || step === undefined) return undefined;
      return step === 1n ? `range(${start}, ${stop})` : `range(${start}, ${stop}, ${step})`;
    }
    // type(None) and the types of the two singletons (their classes have no importable name)
    case 'builtins.type': {
      const [of] = a;
      if (a.length !== 1) return undefined;
      if (of.t === 'none') return "<class 'NoneType'>";
      if (of.t === 'global' && of.module === 'builtins' && of.name === 'Ellipsis') return "<class 'ellipsis'>";
      if (of.t === 'global' && of.module === 'builtins' && of.name === 'NotImplemented') return "<class 'NotImplementedType'>";
      return undefined;
    }
    // IPv4Address pickles its int, as IPv6Address does up to Python 3.10; networks and interfaces their text
    case 'ipaddress.IPv4Address':
    case 'ipaddress.IPv6Address': {
      if (a.length !== 1) return undefined;
      if (a[0].t === 'str') return `${obj.name}(${repr(a[0])})`;
      const n = int(a[0]);
      const v6 = obj.name === 'IPv6Address';
      if (n === undefined || n < 0n || n >= 1n << (v6 ? 128n : 32n)) return undefined;
      return `${obj.name}('${v6 ? ipv6Text(n) : [24n, 16n, 8n, 0n].map((s) => (n >> s) & 0xffn).join('.')}')`;
    }
    case 'ipaddress.IPv4Network':
    case 'ipaddress.IPv6Network':
    case 'ipaddress.IPv4Interface':
    case 'ipaddress.IPv6Interface':
      return a.length === 1 && a[0].t === 'str' ? `${obj.name}(${repr(a[0])})` : undefined;
    case 're._compile':
      return patternDisplay(a);
    // these print their state (set by BUILD): the wrapped value, the maps, the attributes
    case 'collections.UserDict':
    case 'collections.UserList':
    case 'collections.UserString': {
      const data = stateItem(obj, 'data');
      return data && repr(data);
    }
    case 'collections.ChainMap': {
      const maps = stateItem(obj, 'maps');
      return maps?.t === 'list' ? `ChainMap(${maps.items.map(repr).join(', ')})` : undefined;
    }
    case 'types.SimpleNamespace': {
      const pairs = obj.state?.t === 'dict' ? kvPairs(obj.state.kv) : a.length === 0 && !obj.state ? [] : undefined;
      if (!pairs?.every(([k]) => k.t === 'str')) return undefined;
      return `namespace(${pairs.map(([k, v]) => `${(k as { v: string }).v}=${repr(v)}`).join(', ')})`;
    }
    case 'functools.partial': {
      // state: (func, args, keywords or None, __dict__ or None)
      const st = obj.state;
      if (st?.t !== 'tuple' || st.items.length !== 4) return undefined;
      const [func, args, kw] = st.items;
      if (args.t !== 'tuple' || (kw.t !== 'none' && kw.t !== 'dict')) return undefined;
      const kwargs = kw.t === 'dict' ? kvPairs(kw.kv) : [];
      if (!kwargs.every(([k]) => k.t === 'str')) return undefined;
      const parts = [repr(func), ...args.items.map(repr), ...kwargs.map(([k, v]) => `${(k as { v: string }).v}=${repr(v)}`)];
      return `functools.partial(${parts.join(', ')})`;
    }
    case 'time.struct_time':
    case 'os.stat_result':
      return structSeqDisplay(obj);
    case 'builtins.slice':
      return a.length === 3 ? `slice(${a.map(repr).join(', ')})` : undefined;
    case 'fractions.Fraction': {
      // Python 2 and older 3.x pickle str(self), '1/3' or '3'; later ones the two ints
      if (a.length === 1 && a[0].t === 'str') {
        const m = /^(-?\d+)(?:\/(\d+))?$/.exec(a[0].v);
        return m ? `Fraction(${m[1]}, ${m[2] ?? '1'})` : undefined;
      }
      const [n, d] = a.map(int);
      return a.length === 2 && n !== undefined && d !== undefined ? `Fraction(${n}, ${d})` : undefined;
    }
    // (pathlib._local: Python 3.13's module for them)
    case 'pathlib.PurePosixPath':
    case 'pathlib.PosixPath':
    case 'pathlib._local.PurePosixPath':
    case 'pathlib._local.PosixPath': {
      if (!a.every((p) => p.t === 'str')) return undefined;
      const parts = a.map((p) => (p as { v: string }).v);
      // the first part may be the root ('/'), which carries its own separator
      const path = parts.length === 0 ? '.' : parts[0].endsWith('/') ? parts[0] + parts.slice(1).join('/') : parts.join('/');
      return `${obj.name}(${repr({ t: 'str', v: path })})`;
    }
    case 'array.array':
      // protocols 0-2: array(typecode, list)
      return a.length === 2 && a[0].t === 'str' && a[1].t === 'list' ? arrayDisplay(a[0].v, a[1].items) : undefined;
    case 'array._array_reconstructor': {
      // protocols 3+: (array.array, typecode, machine format code, bytes)
      const [, typecode, code, bytes] = a;
      if (typecode?.t !== 'str' || code?.t !== 'int' || bytes?.t !== 'bytes') return undefined;
      const items = machineItems(Number(code.v), bytes.v);
      return items && arrayDisplay(typecode.v, items);
    }
    case 'collections.Counter':
      return a.length === 0 ? 'Counter()' : a.length === 1 && a[0].t === 'dict' ? counterDisplay(a[0].kv) : undefined;
  }
  return undefined;
}

/** Objects whose display needs the items set after construction (see finishStdlibDisplay). */
export function needsItems(v: PyValue): boolean {
  return v.t === 'object' && v.module === 'collections' && (v.name === 'defaultdict' || v.name === 'deque');
}

/** The display of a defaultdict or deque once the pickle is complete, or undefined. */
export function finishStdlibDisplay(obj: PyObject): string | undefined {
  const a = obj.args;
  if (obj.name === 'defaultdict') {
    if (a.length > 1 || obj.listItems) return undefined;
    const factory = a[0] === undefined ? 'None' : repr(a[0]);
    return `defaultdict(${factory}, ${repr({ t: 'dict', kv: obj.dictItems ?? [] })})`;
  }
  // deque: (iterable[, maxlen]), then the items appended
  if (a.length > 2 || obj.dictItems) return undefined;
  const given = a[0] === undefined || a[0].t === 'tuple' || a[0].t === 'list' ? (a[0]?.items ?? []) : undefined;
  const maxlen = a[1] === undefined || a[1].t === 'none' ? undefined : int(a[1]);
  if (given === undefined || (a[1] !== undefined && a[1].t !== 'none' && maxlen === undefined)) return undefined;
  const items = repr({ t: 'list', items: [...given, ...(obj.listItems ?? [])] });
  return maxlen === undefined ? `deque(${items})` : `deque(${items}, maxlen=${maxlen})`;
}

/** Counter's repr lists the counts from the most common down (ties in insertion order). */
function counterDisplay(kv: PyValue[]): string {
  if (kv.length === 0) return 'Counter()';
  const pairs = kvPairs(kv);
  const count = (v: PyValue): number | undefined => (v.t === 'int' ? Number(v.v) : v.t === 'float' ? v.v : v.t === 'bool' ? Number(v.v) : undefined);
  // counts Python cannot order (it falls back to the dict's own order)
  const sorted = pairs.every(([, v]) => count(v) !== undefined) ? [...pairs].sort((x, y) => count(y[1])! - count(x[1])!) : pairs;
  return `Counter(${repr({ t: 'dict', kv: sorted.flat() })})`;
}

function arrayDisplay(typecode: string, items: PyValue[]): string {
  if (items.length === 0) return `array('${typecode}')`;
  if (typecode === 'u' || typecode === 'w') {
    if (!items.every((i) => i.t === 'str')) return `array('${typecode}', ${repr({ t: 'list', items })})`;
    return `array('${typecode}', ${repr({ t: 'str', v: items.map((i) => (i as { v: string }).v).join('') })})`;
  }
  return `array('${typecode}', ${repr({ t: 'list', items })})`;
}

/** The items of an array's bytes in one of arraymodule.c's machine formats, or undefined. */
function machineItems(code: number, b: Uint8Array): PyValue[] | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const formats: [size: number, read: (at: number, le: boolean) => PyValue][] = [
    [1, (at) => ({ t: 'int', v: BigInt(view.getUint8(at)) })],
    [1, (at) => ({ t: 'int', v: BigInt(view.getInt8(at)) })],
    [2, (at, le) => ({ t: 'int', v: BigInt(view.getUint16(at, le)) })],
    [2, (at, le) => ({ t: 'int', v: BigInt(view.getInt16(at, le)) })],
    [4, (at, le) => ({ t: 'int', v: BigInt(view.getUint32(at, le)) })],
    [4, (at, le) => ({ t: 'int', v: BigInt(view.getInt32(at, le)) })],
    [8, (at, le) => ({ t: 'int', v: view.getBigUint64(at, le) })],
    [8, (at, le) => ({ t: 'int', v: view.getBigInt64(at, le) })],
    [4, (at, le) => ({ t: 'float', v: view.getFloat32(at, le) })],
    [8, (at, le) => ({ t: 'float', v: view.getFloat64(at, le) })],
    [2, (at, le) => ({ t: 'str', v: String.fromCharCode(view.getUint16(at, le)) })],
    [4, (at, le) => ({ t: 'str', v: String.fromCodePoint(Math.min(view.getUint32(at, le), 0x10ffff)) })],
  ];
  // codes 0 and 1 are the bytes; from 2 on, pairs of little- and big-endian
  const [size, read] = code <= 1 ? formats[code] : (formats[2 + ((code - 2) >> 1)] ?? []);
  // (a display of millions of items is no use to read, and costly to build: the object form stays)
  if (size === undefined || read === undefined || b.length % size !== 0 || b.length / size > MAX_ARRAY_ITEMS) return undefined;
  const le = code <= 1 || code % 2 === 0;
  const items: PyValue[] = [];
  for (let at = 0; at < b.length; at += size) items.push(read(at, le));
  return items;
}

/** re's flags in the order Pattern's repr names them (Modules/_sre: pattern_repr). */
const RE_FLAGS: [string, bigint][] = [
  ['re.TEMPLATE', 1n],
  ['re.IGNORECASE', 2n],
  ['re.LOCALE', 4n],
  ['re.MULTILINE', 8n],
  ['re.DOTALL', 16n],
  ['re.UNICODE', 32n],
  ['re.VERBOSE', 64n],
  ['re.DEBUG', 128n],
  ['re.ASCII', 256n],
];

/** `re.compile('a|b', re.IGNORECASE)`: a compiled pattern pickles as re._compile(pattern, flags). */
function patternDisplay(a: PyValue[]): string | undefined {
  const [pattern] = a;
  let flags = int(a[1]);
  if (a.length !== 2 || flags === undefined || (pattern.t !== 'str' && pattern.t !== 'bytes')) return undefined;
  // a str pattern is Unicode by default, and its repr leaves that out
  if ((flags & (4n | 32n | 256n)) === 32n) flags &= ~32n;
  // (Python formats the pattern's repr with %.200R: cut at 200 characters)
  let s = `re.compile(${Array.from(repr(pattern)).slice(0, 200).join('')}`;
  if (flags) {
    const names = RE_FLAGS.filter(([, bit]) => flags! & bit).map(([name]) => name);
    const rest = RE_FLAGS.reduce((f, [, bit]) => f & ~bit, flags);
    if (rest) names.push(`0x${rest.toString(16)}`);
    s += `, ${names.join('|')}`;
  }
  return `${s})`;
}

/** An IPv6 address as ipaddress writes it: hextets in hex, the longest run of two or more zeros (the first of equal ones) as `::`. */
function ipv6Text(n: bigint): string {
  const hextets = Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  let best = { start: -1, len: 0 };
  let run = { start: -1, len: 0 };
  hextets.forEach((h, i) => {
    run = h === '0' ? { start: run.len === 0 ? i : run.start, len: run.len + 1 } : { start: -1, len: 0 };
    if (run.len > best.len) best = run;
  });
  if (best.len < 2) return hextets.join(':');
  const head = hextets.slice(0, best.start).join(':');
  const tail = hextets.slice(best.start + best.len).join(':');
  return `${head}::${tail}`;
}

/** A value of the object's state dict (what BUILD set), by name. */
function stateItem(obj: PyObject, name: string): PyValue | undefined {
  const st = obj.state;
  if (st?.t !== 'dict') return undefined;
  return kvPairs(st.kv).find(([k]) => k.t === 'str' && k.v === name)?.[1];
}

/** The fields a struct sequence's repr shows (its visible ones), by class. */
const STRUCT_SEQ_FIELDS: Record<string, string[]> = {
  'time.struct_time': ['tm_year', 'tm_mon', 'tm_mday', 'tm_hour', 'tm_min', 'tm_sec', 'tm_wday', 'tm_yday', 'tm_isdst'],
  'os.stat_result': ['st_mode', 'st_ino', 'st_dev', 'st_nlink', 'st_uid', 'st_gid', 'st_size', 'st_atime', 'st_mtime', 'st_ctime'],
};

/** `time.struct_time(tm_year=2024, ...)`: a struct sequence pickles as its class of (the visible fields, the rest). */
function structSeqDisplay(obj: PyObject): string | undefined {
  const qualified = `${obj.module}.${obj.name}`;
  const names = STRUCT_SEQ_FIELDS[qualified];
  const [fields] = obj.args;
  if (fields?.t !== 'tuple' || fields.items.length !== names.length) return undefined;
  return `${qualified}(${names.map((n, i) => `${n}=${repr(fields.items[i])}`).join(', ')})`;
}

