// What the decoder makes of REDUCE / NEWOBJ / BUILD. Nothing is ever called: a known class or
// function (set, bytes via _codecs.encode, complex, datetime, Decimal...) is turned into the value
// Python would have built; anything else becomes a PyObject describing the call as data.
import { isExceptionValue } from '../../common/exc-classes';
import { repr } from '../../common/repr';
import { kvPairs, strKeyValue, type PyGlobal, type PyObject, type PyValue } from '../../common/value';
import { IMPORT_MAPPING, NAME_MAPPING } from './compat-names';
import { finishStdlibDisplay, needsItems, stdlibDisplay } from './stdlib-displays';

/** Map a GLOBAL's module and name as Python 3 does for protocol 0-2 pickles (fix_imports). */
export function renameGlobal(module: string, name: string, proto: number): [string, string] {
  if (proto >= 3) return [module, name];
  const both = NAME_MAPPING.get(`${module}.${name}`);
  if (both) return both;
  // (Python 3 knows Python 2's exceptions by name; any other in `exceptions` is a builtin here too)
  if (module === 'exceptions') return ['builtins', name];
  return [IMPORT_MAPPING.get(module) ?? module, name];
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}

/** A bytes-like argument: bytes, or a str of code points < 256 (Python 2 str read as text). */
function bytesOf(v: PyValue | undefined): Uint8Array | undefined {
  if (!v) return undefined;
  if (v.t === 'bytes' || v.t === 'bytearray') return v.v;
  if (v.t === 'str' && isLatin1(v.v)) return Uint8Array.from(v.v, (c) => c.charCodeAt(0));
  return undefined;
}

function itemsOf(v: PyValue | undefined): PyValue[] | undefined {
  if (!v) return [];
  if (v.t === 'list' || v.t === 'tuple' || v.t === 'set' || v.t === 'frozenset') return v.items;
  return undefined;
}

function num(v: PyValue | undefined): number | undefined {
  if (v?.t === 'int') return Number(v.v);
  if (v?.t === 'float') return v.v;
  if (v?.t === 'bool') return v.v ? 1 : 0;
  return undefined;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The value of calling `cls(*args, **kwargs)` (REDUCE) or `cls.__new__(cls, *args)` (NEWOBJ), as data. */
export function construct(cls: PyGlobal, args: PyValue[], kwargs: [string, PyValue][] | undefined, viaReduce: boolean): PyValue {
  const { module, name } = cls;
  const known = viaReduce && !kwargs ? reduceKnown(module, name, args) : undefined;
  if (known) return known;
  const obj: PyObject = { t: 'object', module, name, args };
  if (kwargs) obj.kwargs = kwargs;
  if (viaReduce && isExceptionValue(obj)) obj.exception = true;
  setDisplay(obj);
  return obj;
}

/**
 * OSError(errno, strerror, ...) builds the subclass for that errno (Linux numbering), so a
 * Python 2 IOError(2, ...) arrives as FileNotFoundError, as in Python 3.
 */
const OSERROR_BY_ERRNO: Record<number, string> = {
  1: 'PermissionError', 2: 'FileNotFoundError', 3: 'ProcessLookupError', 4: 'InterruptedError',
  10: 'ChildProcessError', 11: 'BlockingIOError', 13: 'PermissionError', 17: 'FileExistsError',
  20: 'NotADirectoryError', 21: 'IsADirectoryError', 32: 'BrokenPipeError', 103: 'ConnectionAbortedError',
  104: 'ConnectionResetError', 108: 'BrokenPipeError', 110: 'TimeoutError', 111: 'ConnectionRefusedError',
  114: 'BlockingIOError', 115: 'BlockingIOError',
};

function reduceKnown(module: string, name: string, args: PyValue[]): PyValue | undefined {
  const key = `${module}.${name}`;
  switch (key) {
    case 'builtins.OSError':
    case 'builtins.IOError':
    case 'builtins.EnvironmentError': {
      const errno = args.length >= 2 && args[0].t === 'int' ? OSERROR_BY_ERRNO[Number(args[0].v)] : undefined;
      const obj: PyObject = { t: 'object', module, name: errno ?? 'OSError', args, exception: true };
      return obj;
    }
    case 'builtins.set':
    case 'builtins.frozenset': {
      const items = itemsOf(args[0]);
      if (!items || args.length > 1) return undefined;
      return { t: name as 'set' | 'frozenset', items: [...items] };
    }
    case '_codecs.encode': {
      const [s, enc] = args;
      if (s?.t !== 'str' || (enc && (enc.t !== 'str' || !/^latin[-_]?1$/i.test(enc.v)))) return undefined;
      const b = bytesOf(s);
      return b ? { t: 'bytes', v: b } : undefined;
    }
    case 'builtins.bytes':
      if (args.length === 0) return { t: 'bytes', v: new Uint8Array(0) };
      return args.length === 1 && bytesOf(args[0]) && args[0].t !== 'str' ? { t: 'bytes', v: bytesOf(args[0])! } : undefined;
    case 'builtins.bytearray': {
      // bytearray(bytes), or bytearray(text, 'latin-1') as Python 2 and 3.0-3.7 write it
      if (args.length === 0) return { t: 'bytearray', v: new Uint8Array(0) };
      const [src, enc] = args;
      const latin1 = args.length === 2 && enc.t === 'str' && /^latin[-_]?1$/i.test(enc.v) && src.t === 'str';
      const b = bytesOf(src);
      return b && (args.length === 1 || latin1) ? { t: 'bytearray', v: b.slice() } : undefined;
    }
    case 'builtins.getattr': {
      // getattr(cls, 'name'): how protocols before 4 name a class's attribute (ZoneInfo._unpickle),
      // the dotted name protocol 4's STACK_GLOBAL writes (it is looked up, not called)
      const [owner, attr] = args;
      if (args.length !== 2 || owner.t !== 'global' || attr.t !== 'str' || !/^[A-Za-z_]\w*$/.test(attr.v)) return undefined;
      return { t: 'global', module: owner.module, name: `${owner.name}.${attr.v}` };
    }
    case 'builtins.complex': {
      const re = num(args[0]) ?? 0;
      const im = num(args[1]) ?? 0;
      if (args.length > 2 || (args[0] && num(args[0]) === undefined) || (args[1] && num(args[1]) === undefined)) return undefined;
      return { t: 'complex', re, im };
    }
    case 'copyreg._reconstructor': {
      // Python 2 protocol 0/1 instances: _reconstructor(cls, base, state)
      const [c, base, state] = args;
      if (c?.t !== 'global' || base?.t !== 'global') return undefined;
      // base.__new__(cls, state): a tuple subclass (a namedtuple) is built from the state's items
      const objArgs = !state || state.t === 'none' ? [] : base.name === 'tuple' && state.t === 'tuple' ? state.items : [state];
      return construct(c, objArgs, undefined, false);
    }
    case 'copyreg.__newobj__': {
      const [c, ...rest] = args;
      return c?.t === 'global' ? construct(c, rest, undefined, false) : undefined;
    }
    case 'copyreg.__newobj_ex__': {
      const [c, a, kw] = args;
      if (c?.t !== 'global' || (a && a.t !== 'tuple') || (kw && kw.t !== 'dict')) return undefined;
      const kwargs = kw && kvPairs(kw.kv).map(([k, v]): [string, PyValue] => [k.t === 'str' ? k.v : String(k.t), v]);
      return construct(c, a?.items ?? [], kwargs?.length ? kwargs : undefined, false);
    }
  }
  return undefined;
}

/** After BUILD gave an object its state: refresh what depends on it. */
export function afterBuild(obj: PyObject): void {
  setDisplay(obj);
}

/** Classes whose display depends on items set after construction; see finishDisplay. */
export function needsFinishing(v: PyValue): boolean {
  return (v.t === 'object' && v.module === 'collections' && v.name === 'OrderedDict') || needsItems(v);
}

/**
 * Once the pickle is complete: the display of objects filled by SETITEMS. OrderedDict prints in
 * Python 3.11's form, `OrderedDict([('a', 1)])` (3.12 prints `OrderedDict({'a': 1})`); 3.11 is the
 * reference the rest of the value printing follows.
 */
export function finishDisplay(obj: PyObject): void {
  if (needsItems(obj)) {
    const d = finishStdlibDisplay(obj);
    if (d !== undefined) obj.display = d;
    return;
  }
  if (obj.module !== 'collections' || obj.name !== 'OrderedDict' || obj.args.length > 1) return;
  // Python 3 pickles OrderedDict() then SETITEMS; Python 2 passes the items as [[k, v], ...]
  const items: [PyValue, PyValue][] = [];
  const given = obj.args[0];
  if (given !== undefined) {
    if (given.t !== 'list') return;
    for (const pair of given.items) {
      if ((pair.t !== 'list' && pair.t !== 'tuple') || pair.items.length !== 2) return;
      items.push([pair.items[0], pair.items[1]]);
    }
  }
  items.push(...kvPairs(obj.dictItems ?? []));
  const pairs: PyValue = { t: 'list', items: items.map(([k, v]) => ({ t: 'tuple', items: [k, v] })) };
  obj.display = items.length ? `OrderedDict(${repr(pairs)})` : 'OrderedDict()';
}

// ---- displays of well-known classes whose repr needs no nested values ----

function u(b: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) v = v * 256 + b[i + k];
  return v;
}

function dropZeros(parts: number[], keep: number): number[] {
  const out = [...parts];
  while (out.length > keep && out[out.length - 1] === 0) out.pop();
  return out;
}

function tzDisplay(v: PyValue | undefined): string | undefined {
  if (v?.t !== 'object') return undefined;
  return v.display ?? `<${v.module}.${v.name} object>`;
}

function timedeltaDisplay(days: number, seconds: number, us: number): string {
  const parts: string[] = [];
  if (days) parts.push(`days=${days}`);
  if (seconds) parts.push(`seconds=${seconds}`);
  if (us) parts.push(`microseconds=${us}`);
  return `datetime.timedelta(${parts.length ? parts.join(', ') : '0'})`;
}

function setDisplay(obj: PyObject): void {
  const d = displayOf(obj);
  if (d !== undefined) obj.display = d;
}

function displayOf(obj: PyObject): string | undefined {
  const a = obj.args;
  switch (`${obj.module}.${obj.name}`) {
    case 'datetime.datetime': {
      const b = bytesOf(a[0]);
      if (!b || b.length !== 10) return undefined;
      const fold = b[2] & 0x80;
      const parts = dropZeros([u(b, 0, 2), b[2] & 0x7f, b[3], b[4], b[5], b[6], u(b, 7, 3)], 5);
      let s = `datetime.datetime(${parts.join(', ')}`;
      if (a[1] && a[1].t !== 'none') s += `, tzinfo=${tzDisplay(a[1]) ?? '?'}`;
      return s + (fold ? ', fold=1)' : ')');
    }
    case 'datetime.date': {
      const b = bytesOf(a[0]);
      if (!b || b.length !== 4) return undefined;
      return `datetime.date(${u(b, 0, 2)}, ${b[2]}, ${b[3]})`;
    }
    case 'datetime.time': {
      const b = bytesOf(a[0]);
      if (!b || b.length !== 6) return undefined;
      const fold = b[0] & 0x80;
      const parts = dropZeros([b[0] & 0x7f, b[1], b[2], u(b, 3, 3)], 2);
      let s = `datetime.time(${parts.join(', ')}`;
      if (a[1] && a[1].t !== 'none') s += `, tzinfo=${tzDisplay(a[1]) ?? '?'}`;
      return s + (fold ? ', fold=1)' : ')');
    }
    case 'datetime.timedelta': {
      const [d, s, us] = [num(a[0]) ?? 0, num(a[1]) ?? 0, num(a[2]) ?? 0];
      return timedeltaDisplay(d, s, us);
    }
    case 'datetime.timezone': {
      const off = a[0];
      if (off?.t !== 'object' || off.name !== 'timedelta') return undefined;
      const [d, s, us] = off.args.map((x) => num(x) ?? 0);
      const zero = !d && !s && !us;
      if (zero && a.length === 1) return 'datetime.timezone.utc';
      const name = a[1]?.t === 'str' ? `, ${quote(a[1].v)}` : '';
      return `datetime.timezone(${off.display ?? timedeltaDisplay(d, s, us)}${name})`;
    }
    case 'zoneinfo.ZoneInfo._unpickle':
      return a[0]?.t === 'str' ? `zoneinfo.ZoneInfo(key=${quote(a[0].v)})` : undefined;
    case 'decimal.Decimal':
    case '_pydecimal.Decimal':
      return a[0]?.t === 'str' ? `Decimal(${quote(a[0].v)})` : undefined;
    case 'uuid.UUID': {
      const st = obj.state;
      if (st?.t !== 'dict') return undefined;
      const int = strKeyValue(st, 'int');
      if (int?.t !== 'int' || int.v < 0n || int.v >= 1n << 128n) return undefined;
      const h = int.v.toString(16).padStart(32, '0');
      return `UUID('${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}')`;
    }
  }
  return stdlibDisplay(obj);
}
