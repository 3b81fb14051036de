// Python's repr() and str() over the value model, matching CPython 3.11 character for character.
import { bareName, BUILTIN_MODULES, isExceptionValue, OS_ERRORS } from './exc-classes';

/**
 * The functions among Python 3.11's builtins (any other name there is a class): a pickle names
 * either kind the same way, and Python prints `<built-in function len>` for these.
 */
const BUILTIN_FUNCTIONS = new Set(
  ('__build_class__ __import__ abs aiter all anext any ascii bin breakpoint callable chr compile delattr dir divmod eval exec ' +
    'format getattr globals hasattr hash hex id input isinstance issubclass iter len locals max min next oct open ord pow print ' +
    'repr round setattr sorted sum vars').split(' '),
);
import { floatRepr, floatReprNoDot0 } from './float-repr';
import { NON_PRINTABLE_RANGES } from './unicode-printable';
import { TextOut } from './text-out';
import { strDict, type PyObject, type PyValue } from './value';

/**
 * Containers nested deeper than this print as `...`. CPython raises RecursionError near 1000;
 * a decoder may hand us deeper data, and the printer must not exhaust the JS stack on it.
 */
export const MAX_REPR_DEPTH = 500;

/** repr(v), exactly as CPython 3.11 prints it. */
export function repr(v: PyValue): string {
  const out = new TextOut();
  new Printer(out).value(v, 0);
  return out.text();
}

/** str(v): a str is itself, an exception prints its message, everything else its repr. */
export function pyStr(v: PyValue): string {
  if (v.t === 'str') return v.v;
  if (v.t === 'object' && v.display === undefined && isExceptionValue(v)) return exceptionStr(v);
  return repr(v);
}

/**
 * str(exc) as BaseException.__str__ and its builtin overrides compute it: no args -> '',
 * one arg -> str(arg), several -> repr(args); KeyError quotes its key; OSError and the
 * Unicode errors build their message from their fields.
 */
export function exceptionStr(e: PyObject): string {
  const args = e.args;
  const name = BUILTIN_MODULES.has(e.module) ? e.name : '';
  const osLike = OS_ERRORS.has(name) || e.module === 'socket' && (e.name === 'gaierror' || e.name === 'herror');
  if (osLike && args.length >= 2 && args.length <= 5) {
    const [errno, strerror, filename, , filename2] = args;
    const head = `[Errno ${pyStr(errno)}] ${pyStr(strerror)}`;
    if (filename === undefined || filename.t === 'none') return head;
    if (filename2 === undefined || filename2.t === 'none') return `${head}: ${repr(filename)}`;
    return `${head}: ${repr(filename)} -> ${repr(filename2)}`;
  }
  if (name === 'KeyError' && args.length === 1) return repr(args[0]);
  const json = jsonDecodeErrorStr(e);
  if (json !== undefined) return json;
  const subprocess = subprocessErrorStr(e);
  if (subprocess !== undefined) return subprocess;
  const unicode = unicodeErrorStr(name, args);
  if (unicode !== undefined) return unicode;
  // ExceptionGroup('eg', [...]): the message and how many it holds
  const [message, group] = args;
  if ((name === 'ExceptionGroup' || name === 'BaseExceptionGroup') && args.length === 2 && group.t === 'list') {
    const n = group.items.length;
    return `${pyStr(message)} (${n} sub-exception${n === 1 ? '' : 's'})`;
  }
  const syntax = name === 'SyntaxError' || name === 'IndentationError' || name === 'TabError';
  if (syntax && args.length === 2 && args[1].t === 'tuple' && args[1].items.length >= 4) {
    const [filename, lineno] = args[1].items;
    const file = filename.t === 'str' ? filename.v.slice(filename.v.lastIndexOf('/') + 1) : undefined;
    const line = lineno.t === 'int' ? lineno.v.toString() : undefined;
    const msg = pyStr(args[0]);
    if (file !== undefined && line !== undefined) return `${msg} (${file}, line ${line})`;
    if (file !== undefined) return `${msg} (${file})`;
    if (line !== undefined) return `${msg} (line ${line})`;
    return msg;
  }
  if (args.length === 0) return '';
  if (args.length === 1) return pyStr(args[0]);
  return repr({ t: 'tuple', items: args });
}

/**
 * The args an exception holds once its __init__ has run, where the class keeps other args than it
 * was given (a pickle passes what it was given): OSError keeps (errno, strerror) when a filename
 * came with them; JSONDecodeError keeps the message it built.
 */
export function exceptionArgs(e: PyObject): PyValue[] {
  const name = BUILTIN_MODULES.has(e.module) ? e.name : '';
  if (OS_ERRORS.has(name) && e.args.length >= 3 && e.args.length <= 5 && e.args[2].t !== 'none') return e.args.slice(0, 2);
  const json = jsonDecodeErrorStr(e);
  return json === undefined ? e.args : [{ t: 'str', v: json }];
}

/**
 * json.JSONDecodeError pickles as (msg, doc, pos) but its str() is the message its __init__ built:
 * `msg: line L column C (char pos)`.
 */
function jsonDecodeErrorStr(e: PyObject): string | undefined {
  if (e.module !== 'json.decoder' || e.name !== 'JSONDecodeError' || e.args.length !== 3) return undefined;
  const [msg, doc, posV] = e.args;
  if (msg.t !== 'str' || doc.t !== 'str' || posV.t !== 'int') return undefined;
  const pos = Number(posV.v);
  const before = Array.from(doc.v).slice(0, pos).join('');
  const line = before.split('\n').length;
  const column = pos - (before.lastIndexOf('\n') + 1) + 1;
  return `${msg.v}: line ${line} column ${column} (char ${pos})`;
}

/** Linux's signals as Python's signal.Signals names them (a negative returncode is one). */
const SIGNALS =
  'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGKILL SIGUSR1 SIGSEGV SIGUSR2 SIGPIPE SIGALRM SIGTERM SIGSTKFLT SIGCHLD SIGCONT SIGSTOP SIGTSTP SIGTTIN SIGTTOU SIGURG SIGXCPU SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGIO SIGPWR SIGSYS'.split(
    ' ',
  );
const signalName = (n: number): string | undefined => (n === 34 ? 'SIGRTMIN' : n === 64 ? 'SIGRTMAX' : SIGNALS[n - 1]);

/** subprocess.CalledProcessError and TimeoutExpired: the messages their __str__ builds from (returncode, cmd) and (cmd, timeout). */
function subprocessErrorStr(e: PyObject): string | undefined {
  if (e.module !== 'subprocess') return undefined;
  const [first, second] = e.args;
  if (e.name === 'CalledProcessError' && e.args.length >= 2 && first.t === 'int') {
    const cmd = pyStr(second);
    if (first.v >= 0n) return `Command '${cmd}' returned non-zero exit status ${first.v}.`;
    const sig = signalName(Number(-first.v));
    return sig ? `Command '${cmd}' died with <Signals.${sig}: ${-first.v}>.` : `Command '${cmd}' died with unknown signal ${-first.v}.`;
  }
  if (e.name === 'TimeoutExpired' && e.args.length >= 2) return `Command '${pyStr(first)}' timed out after ${pyStr(second)} seconds`;
  return undefined;
}

/** UnicodeDecodeError / UnicodeEncodeError with their five standard args. */
function unicodeErrorStr(name: string, args: PyValue[]): string | undefined {
  if (name === 'UnicodeTranslateError' && args.length === 4) {
    const [object, startV, endV, reason] = args;
    if (object.t !== 'str' || startV.t !== 'int' || endV.t !== 'int' || reason.t !== 'str') return undefined;
    const [start, end] = [Number(startV.v), Number(endV.v)];
    const one = charEscape(object.v, start, end);
    return one !== undefined ? `can't translate character '${one}' in position ${start}: ${reason.v}` : `can't translate characters in position ${start}-${end - 1}: ${reason.v}`;
  }
  if (args.length !== 5) return undefined;
  const [encoding, object, startV, endV, reason] = args;
  if (encoding.t !== 'str' || startV.t !== 'int' || endV.t !== 'int' || reason.t !== 'str') return undefined;
  const start = Number(startV.v);
  const end = Number(endV.v);
  if (name === 'UnicodeDecodeError' && object.t === 'bytes') {
    if (end === start + 1 && start >= 0 && start < object.v.length) {
      const byte = object.v[start].toString(16).padStart(2, '0');
      return `'${encoding.v}' codec can't decode byte 0x${byte} in position ${start}: ${reason.v}`;
    }
    return `'${encoding.v}' codec can't decode bytes in position ${start}-${end - 1}: ${reason.v}`;
  }
  if (name === 'UnicodeEncodeError' && object.t === 'str') {
    const one = charEscape(object.v, start, end);
    if (one !== undefined) return `'${encoding.v}' codec can't encode character '${one}' in position ${start}: ${reason.v}`;
    return `'${encoding.v}' codec can't encode characters in position ${start}-${end - 1}: ${reason.v}`;
  }
  return undefined;
}

/** The one character [start, end) spans, escaped as the Unicode errors write it (`\\xe9`), or undefined. */
function charEscape(s: string, start: number, end: number): string | undefined {
  const chars = Array.from(s);
  if (end !== start + 1 || start < 0 || start >= chars.length) return undefined;
  const cp = chars[start].codePointAt(0)!;
  return cp <= 0xff ? `\\x${hex(cp, 2)}` : cp <= 0xffff ? `\\u${hex(cp, 4)}` : `\\U${hex(cp, 8)}`;
}

/** printable ASCII but for the quote and the backslash: such a string is its own repr's body */
const PLAIN_ASCII = /^[ !"#-&(-[\]-~]*$/;

/** repr of a str: Python's unicode_repr. */
export function strRepr(s: string): string {
  // most strings of a reply (names, keys, words) take no escape: one test instead of a loop
  if (PLAIN_ASCII.test(s)) return "'" + s + "'";
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + hex(cp, 2);
    else if (cp < 0x7f) out += ch;
    else if (isPrintable(cp)) out += ch;
    else if (cp <= 0xff) out += '\\x' + hex(cp, 2);
    else if (cp <= 0xffff) out += '\\u' + hex(cp, 4);
    else out += '\\U' + hex(cp, 8);
  }
  return out + quote;
}

/**
 * repr of bytes: `b'...'` with the same quote choice as str. bytearray's repr escapes every
 * single quote, even inside double quotes (bytearray_repr differs from bytes_repr there).
 */
export function bytesRepr(b: Uint8Array, escapeSingleQuote = false): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const c of b) {
    if (c === 0x27) hasSingle = true;
    else if (c === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? 0x22 : 0x27;
  // written as ASCII bytes (at most 4 a byte: \xNN) and decoded once: a string piece per byte
  // cost 2.5 s for a 10 MB reply
  const out = new Uint8Array(b.length * 4 + 3);
  let o = 0;
  out[o++] = 0x62; // b
  out[o++] = quote;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c >= 0x20 && c < 0x7f) {
      if (c === quote || c === 0x5c || (escapeSingleQuote && c === 0x27)) out[o++] = 0x5c;
      out[o++] = c;
      continue;
    }
    out[o++] = 0x5c;
    if (c === 0x09) out[o++] = 0x74; // \t
    else if (c === 0x0a) out[o++] = 0x6e; // \n
    else if (c === 0x0d) out[o++] = 0x72; // \r
    else {
      out[o++] = 0x78; // \xNN
      out[o++] = HEX_DIGITS[c >> 4];
      out[o++] = HEX_DIGITS[c & 15];
    }
  }
  out[o++] = quote;
  return ASCII.decode(out.subarray(0, o));
}

const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const ASCII = new TextDecoder();

/** repr of a complex: `1j`, `(1+2j)`, `(-0-1j)`, `(nan+infj)`. */
export function complexRepr(re: number, im: number): string {
  // The real part is left out only when it is +0.0 (complex_repr in complexobject.c).
  if (re === 0 && !Object.is(re, -0)) return floatReprNoDot0(im) + 'j';
  const imText = floatReprNoDot0(im);
  const signed = imText.startsWith('-') ? imText : '+' + imText;
  return `(${floatReprNoDot0(re)}${signed}j)`;
}

export { floatRepr };

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Sorted [lo, hi] pairs of the code points str.isprintable() rejects, decoded once. */
const nonPrintable: Uint32Array = (() => {
  const parts = NON_PRINTABLE_RANGES.split(',');
  const out = new Uint32Array(parts.length * 2);
  let prev = -1;
  parts.forEach((p, i) => {
    const [gap, len] = p.split('.').map((x) => parseInt(x, 36));
    const lo = prev + 1 + gap;
    out[2 * i] = lo;
    out[2 * i + 1] = lo + len;
    prev = lo + len;
  });
  return out;
})();

/** Python's str.isprintable() for one code point. */
export function isPrintable(cp: number): boolean {
  let lo = 0;
  let hi = nonPrintable.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < nonPrintable[2 * mid]) hi = mid - 1;
    else if (cp > nonPrintable[2 * mid + 1]) lo = mid + 1;
    else return false;
  }
  return true;
}

/** Writes one repr into `out`, remembering the containers on the current path (for `[...]`). */
class Printer {
  /**
   * An array, not a Set: the path is as short as the nesting (at most MAX_REPR_DEPTH), and a Set
   * gave each of a large reply's hundreds of thousands of containers an identity hash to store,
   * 7-20% of the whole repr's time (a 20 MB list of dicts, 890-1,112 → 820-882 ms on one core).
   */
  private readonly path: object[] = [];
  constructor(private readonly out: TextOut) {}

  value(v: PyValue, depth: number): void {
    const out = this.out;
    switch (v.t) {
      case 'none':
        out.push('None');
        return;
      case 'bool':
        out.push(v.v ? 'True' : 'False');
        return;
      case 'int':
        out.push(v.v.toString());
        return;
      case 'float':
        out.push(floatRepr(v.v));
        return;
      case 'complex':
        out.push(complexRepr(v.re, v.im));
        return;
      case 'str':
        out.push(strRepr(v.v));
        return;
      case 'bytes':
        out.push(bytesRepr(v.v));
        return;
      case 'bytearray':
        out.push(`bytearray(${bytesRepr(v.v, true)})`);
        return;
      case 'global':
        // the two singletons a pickle names as globals print as themselves
        if (v.module === 'builtins' && (v.name === 'Ellipsis' || v.name === 'NotImplemented')) out.push(v.name);
        else if (BUILTIN_MODULES.has(v.module) && BUILTIN_FUNCTIONS.has(v.name)) out.push(`<built-in function ${v.name}>`);
        else out.push(`<class '${BUILTIN_MODULES.has(v.module) ? v.name : `${v.module}.${v.name}`}'>`);
        return;
      case 'ref':
        out.push(v.repr ?? `<netref ${v.cls} ${v.handle}>`);
        return;
      default:
        break;
    }
    if (depth >= MAX_REPR_DEPTH || this.path.includes(v)) {
      out.push(recursionMarker(v));
      return;
    }
    this.path.push(v);
    switch (v.t) {
      case 'list':
        this.seq('[', v.items, ']', depth);
        break;
      case 'tuple':
        this.seq('(', v.items, v.items.length === 1 ? ',)' : ')', depth);
        break;
      case 'set':
        if (v.items.length === 0) out.push('set()');
        else this.seq('{', v.items, '}', depth);
        break;
      case 'frozenset':
        if (v.items.length === 0) out.push('frozenset()');
        else this.seq('frozenset({', v.items, '})', depth);
        break;
      case 'dict':
        this.entries(v.kv, depth);
        break;
      case 'object':
        this.object(v, depth);
        break;
    }
    this.path.pop();
  }

  private seq(open: string, items: PyValue[], close: string, depth: number): void {
    this.out.push(open);
    items.forEach((item, i) => {
      if (i > 0) this.out.push(', ');
      this.value(item, depth + 1);
    });
    this.out.push(close);
  }

  /** `{k: v, ...}` of flat keys and values (PyDict.kv) */
  private entries(kv: PyValue[], depth: number): void {
    this.out.push('{');
    for (let i = 0; i < kv.length; i += 2) {
      if (i > 0) this.out.push(', ');
      this.value(kv[i], depth + 1);
      this.out.push(': ');
      this.value(kv[i + 1], depth + 1);
    }
    this.out.push('}');
  }

  /**
   * An instance of a class we do not have. Exceptions print like Python (`KeyError('nope')`);
   * anything else as `<module.Name object ...>` followed by what it was built from, each part
   * only when present: `args=(1, 2)` (constructor args), `kwargs={'k': 1}`, the BUILD state as
   * its repr, `items=[...]` / `items={...}` (list or dict subclass contents). For example
   * `<common.Point object {'x': 1, 'y': 2}>` or `<fractions.Fraction object args=('1/3',)>`.
   */
  private object(v: PyObject, depth: number): void {
    const out = this.out;
    if (v.display !== undefined) {
      out.push(v.display);
      return;
    }
    if (isExceptionValue(v)) {
      const args = exceptionArgs(v);
      out.push(bareName(v.name));
      if (args.length === 1) {
        out.push('(');
        this.value(args[0], depth + 1);
        out.push(')');
      } else {
        this.seq('(', args, ')', depth);
      }
      return;
    }
    out.push(`<${v.module}.${v.name} object`);
    if (v.args.length > 0) {
      out.push(' args=');
      this.seq('(', v.args, v.args.length === 1 ? ',)' : ')', depth);
    }
    if (v.kwargs !== undefined && v.kwargs.length > 0) {
      out.push(' kwargs=');
      this.entries(strDict(v.kwargs).kv, depth);
    }
    if (v.state !== undefined && v.state.t !== 'none') {
      out.push(' ');
      this.value(v.state, depth + 1);
    }
    if (v.listItems !== undefined && v.listItems.length > 0) {
      out.push(' items=');
      this.seq('[', v.listItems, ']', depth);
    }
    if (v.dictItems !== undefined && v.dictItems.length > 0) {
      out.push(' items=');
      this.entries(v.dictItems, depth);
    }
    out.push('>');
  }
}

/** What CPython prints for a container already being printed (Py_ReprEnter). */
function recursionMarker(v: PyValue): string {
  switch (v.t) {
    case 'list':
      return '[...]';
    case 'tuple':
      return '(...)';
    case 'dict':
      return '{...}';
    case 'set':
      return 'set(...)';
    case 'frozenset':
      return 'frozenset(...)';
    default:
      return '...';
  }
}
