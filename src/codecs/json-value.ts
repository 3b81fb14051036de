// The one place for JSON <-> PyValue, as Python's json module sees it.
// - jsonToPy: a small hand-written parser that builds PyValues directly. JSON.parse would round
//   integers past 2^53; here an integer literal (no fraction, no exponent) becomes a bigint PyInt
//   read from its digits, as json.loads makes an int. It accepts NaN/Infinity/-Infinity like
//   json.loads, keeps the last value of a duplicate key at the first key's position (dict
//   assignment order), and reports errors with the offset, line and column.
// - pyToJsonText: json.dumps with its defaults (separators ', ' and ': ', ensure_ascii, NaN and
//   Infinity allowed, tuples as arrays, int/float/bool/None keys turned into strings).
import { RpcError } from '../common/errors';
import { floatRepr } from '../common/float-repr';
import { TextOut } from '../common/text-out';
import { pyTypeName } from '../common/value-util';
import type { PyDict, PyStr, PyValue } from '../common/value';
import { decodeUtf8 } from './bytes';

export interface JsonDecodeOptions {
  /** deepest nesting accepted (E_LIMIT beyond); Python's json gives up near 1000 */
  maxDepth?: number;
}

const DEFAULT_MAX_DEPTH = 1000;

// One object each for true, false and null, as the pickle decoder shares them (values are not
// mutated): a large reply has one per record field, and each would be another object to keep.
const NONE: PyValue = { t: 'none' };
const TRUE: PyValue = { t: 'bool', v: true };
const FALSE: PyValue = { t: 'bool', v: false };

/**
 * Parse JSON text (or UTF-8 bytes) into a PyValue. Given an already-parsed JS value instead,
 * map it (numbers that are integral become ints: a JS value has lost the distinction).
 */
export function jsonToPy(input: string | Uint8Array | unknown, opts: JsonDecodeOptions = {}): PyValue {
  if (typeof input === 'string') return new JsonParser(input, opts.maxDepth ?? DEFAULT_MAX_DEPTH).parseDocument();
  if (input instanceof Uint8Array) {
    let text: string;
    try {
      text = decodeUtf8(input, 0, input.length);
    } catch {
      throw new RpcError('E_DECODE', 'JSON text is not valid UTF-8');
    }
    return jsonToPy(text, opts);
  }
  return fromJsValue(input, 0);
}

function fromJsValue(x: unknown, depth: number): PyValue {
  if (depth > DEFAULT_MAX_DEPTH) throw new RpcError('E_LIMIT', `JSON nested deeper than ${DEFAULT_MAX_DEPTH}`);
  if (x === null || x === undefined) return { t: 'none' };
  if (typeof x === 'boolean') return { t: 'bool', v: x };
  if (typeof x === 'number') return Number.isInteger(x) ? { t: 'int', v: BigInt(x) } : { t: 'float', v: x };
  if (typeof x === 'bigint') return { t: 'int', v: x };
  if (typeof x === 'string') return { t: 'str', v: x };
  if (Array.isArray(x)) return { t: 'list', items: x.map((i) => fromJsValue(i, depth + 1)) };
  if (typeof x === 'object') {
    const kv: PyValue[] = [];
    for (const [k, v] of Object.entries(x)) kv.push({ t: 'str', v: k }, fromJsValue(v, depth + 1));
    return { t: 'dict', kv };
  }
  throw new RpcError('E_DECODE', `not a JSON value: ${typeof x}`);
}

const NUMBER_RE = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

/**
 * Where the parser allocates: two sets of the same small functions, one for small texts and one
 * for large replies, and the same code on purpose. V8 decides per allocation site (each literal in
 * the source) whether what it makes starts in the old generation, and a site that has decided
 * "young" never changes its mind: small replies, whose values die young, would decide for large
 * ones (decoding 20,000 small replies first made a 10 MB decode 12% slower). As pickle/sites.ts.
 */
interface JsonSites {
  str(v: string): PyStr;
  int(v: bigint): PyValue;
  float(v: number): PyValue;
  /** an empty array for a list's items or a dict's keys and values */
  items(): PyValue[];
  list(items: PyValue[]): PyValue;
  dict(kv: PyValue[]): PyValue;
}

const SMALL_TEXT_SITES: JsonSites = {
  str: (v) => ({ t: 'str', v }),
  int: (v) => ({ t: 'int', v }),
  float: (v) => ({ t: 'float', v }),
  items: () => [],
  list: (items) => ({ t: 'list', items }),
  dict: (kv) => ({ t: 'dict', kv }),
};

const LARGE_TEXT_SITES: JsonSites = {
  str: (v) => ({ t: 'str', v }),
  int: (v) => ({ t: 'int', v }),
  float: (v) => ({ t: 'float', v }),
  items: () => [],
  list: (items) => ({ t: 'list', items }),
  dict: (kv) => ({ t: 'dict', kv }),
};

/** Texts from this many characters on are parsed with LARGE_TEXT_SITES. */
const LARGE_TEXT = 64 * 1024;

class JsonParser {
  private pos = 0;
  private depth = 0;
  /**
   * Per nesting depth, the keys of the last object there, which are distinct: records repeat
   * their keys in the same order, so a key that reads the same as the last object's key at its
   * index is that same str (no slice, no new value) and needs no duplicate check (as json.loads
   * memoizes keys). Only keys without quotes, backslashes or control characters are kept here,
   * whose text between the quotes is the key itself.
   */
  private readonly lastKeys: (PyStr | undefined)[][] = [];
  private readonly sites: JsonSites;

  constructor(
    private readonly s: string,
    private readonly maxDepth: number,
  ) {
    this.sites = s.length >= LARGE_TEXT ? LARGE_TEXT_SITES : SMALL_TEXT_SITES;
  }

  parseDocument(): PyValue {
    this.ws();
    const v = this.value();
    this.ws();
    if (this.pos < this.s.length) this.fail('Extra data');
    return v;
  }

  private fail(what: string, at = this.pos): never {
    let line = 1;
    let lineStart = 0;
    for (let i = 0; i < at && i < this.s.length; i++) {
      if (this.s.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    throw new RpcError('E_DECODE', `invalid JSON: ${what}: line ${line} column ${at - lineStart + 1} (char ${at})`, { offset: at });
  }

  private ws(): void {
    const s = this.s;
    let p = this.pos;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 32 || c === 10 || c === 13 || c === 9) p++;
      else break;
    }
    this.pos = p;
  }

  private value(): PyValue {
    const s = this.s;
    const c = s.charCodeAt(this.pos);
    switch (c) {
      case 0x22: // "
        return this.sites.str(this.string());
      case 0x7b: // {
        return this.object();
      case 0x5b: // [
        return this.array();
      case 0x74: // t
        return this.literal('true', TRUE);
      case 0x66: // f
        return this.literal('false', FALSE);
      case 0x6e: // n
        return this.literal('null', NONE);
      case 0x4e: // N
        return this.literal('NaN', { t: 'float', v: NaN });
      case 0x49: // I
        return this.literal('Infinity', { t: 'float', v: Infinity });
      default:
        if (c === 0x2d && s.startsWith('-Infinity', this.pos)) return this.literal('-Infinity', { t: 'float', v: -Infinity });
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail('Expecting value');
    }
  }

  private literal(word: string, v: PyValue): PyValue {
    if (!this.s.startsWith(word, this.pos)) this.fail('Expecting value');
    this.pos += word.length;
    return v;
  }

  private number(): PyValue {
    NUMBER_RE.lastIndex = this.pos;
    const m = NUMBER_RE.exec(this.s);
    if (!m) return this.fail('Expecting value');
    this.pos += m[0].length;
    if (m[1] === undefined && m[2] === undefined) {
      const text = m[0];
      // Small ints: Number is exact below 2^53, and cheaper than BigInt on the digits.
      return this.sites.int(text.length < 16 ? BigInt(Number(text)) : BigInt(text));
    }
    return this.sites.float(Number(m[0]));
  }

  private string(): string {
    const s = this.s;
    const start = ++this.pos;
    let p = start;
    // Fast path: no escapes.
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        return s.slice(start, p);
      }
      if (c === 0x5c || c < 0x20 || p >= s.length) break;
      p++;
    }
    const parts: string[] = [s.slice(start, p)];
    for (;;) {
      if (p >= s.length) this.fail('Unterminated string starting at', start - 1);
      const c = s.charCodeAt(p);
      if (c === 0x22) {
        this.pos = p + 1;
        return parts.join('');
      }
      if (c < 0x20) this.fail('Invalid control character at', p);
      if (c !== 0x5c) {
        let q = p + 1;
        while (q < s.length) {
          const d = s.charCodeAt(q);
          if (d === 0x22 || d === 0x5c || d < 0x20) break;
          q++;
        }
        parts.push(s.slice(p, q));
        p = q;
        continue;
      }
      const e = s.charCodeAt(p + 1);
      p += 2;
      switch (e) {
        case 0x22:
          parts.push('"');
          break;
        case 0x5c:
          parts.push('\\');
          break;
        case 0x2f:
          parts.push('/');
          break;
        case 0x62:
          parts.push('\b');
          break;
        case 0x66:
          parts.push('\f');
          break;
        case 0x6e:
          parts.push('\n');
          break;
        case 0x72:
          parts.push('\r');
          break;
        case 0x74:
          parts.push('\t');
          break;
        case 0x75: {
          const hex = s.slice(p, p + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\uXXXX escape', p - 1);
          // Lone surrogates are kept, as Python keeps them in the str.
          parts.push(String.fromCharCode(parseInt(hex, 16)));
          p += 4;
          break;
        }
        default:
          this.fail('Invalid \\escape', p - 2);
      }
    }
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) throw new RpcError('E_LIMIT', `JSON nested deeper than ${this.maxDepth} at char ${this.pos}`);
  }

  private array(): PyValue {
    this.enter();
    this.pos++;
    const items = this.sites.items();
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      this.depth--;
      return this.sites.list(items);
    }
    for (;;) {
      this.ws();
      items.push(this.value());
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        this.depth--;
        return this.sites.list(items);
      }
      this.fail("Expecting ',' delimiter");
    }
  }

  private object(): PyValue {
    this.enter();
    this.pos++;
    const kv = this.sites.items();
    let seen: Map<string, number> | undefined;
    const last = this.lastKeys[this.depth] ?? [];
    /** keys so far are last's first ones, in order: distinct without a check */
    let same = true;
    this.ws();
    if (this.s.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      this.depth--;
      return this.sites.dict(kv);
    }
    for (;;) {
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 0x22) this.fail('Expecting property name enclosed in double quotes');
      const known = same ? this.knownKey(last[kv.length >> 1]) : undefined;
      if (known === undefined) same = false;
      const key = known ? known.v : this.string();
      this.ws();
      if (this.s.charCodeAt(this.pos) !== 0x3a) this.fail("Expecting ':' delimiter");
      this.pos++;
      this.ws();
      const v = this.value();
      // A duplicate key is rare (the last value wins, in the first key's place); index keys only
      // once an object grows past a few entries. Keys sit at even positions of kv. A known key
      // is distinct from the keys before it (see lastKeys).
      let at = -1;
      if (known === undefined && kv.length < 16) {
        for (let i = 0; i < kv.length; i += 2) if ((kv[i] as { v: string }).v === key) at = i;
      } else if (known === undefined) {
        if (!seen) {
          seen = new Map();
          for (let i = 0; i < kv.length; i += 2) seen.set((kv[i] as { v: string }).v, i);
        }
        at = seen.get(key) ?? -1;
        if (at < 0) seen.set(key, kv.length);
      }
      if (at >= 0) kv[at + 1] = v;
      else kv.push(known ?? this.sites.str(key), v);
      this.ws();
      const c = this.s.charCodeAt(this.pos);
      if (c === 0x2c) {
        this.pos++;
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        if (!same) this.rememberKeys(kv);
        this.depth--;
        return this.sites.dict(kv);
      }
      this.fail("Expecting ',' delimiter");
    }
  }

  /** `k` if the string at pos is exactly `"k"` (then pos moves past it). */
  private knownKey(k: PyStr | undefined): PyStr | undefined {
    if (k === undefined) return undefined;
    const s = this.s;
    const from = this.pos + 1;
    const end = from + k.v.length;
    if (s.charCodeAt(end) !== 0x22 || !s.startsWith(k.v, from)) return undefined;
    this.pos = end + 1;
    return k;
  }

  private rememberKeys(kv: PyValue[]): void {
    const keys: (PyStr | undefined)[] = [];
    for (let i = 0; i < kv.length; i += 2) {
      const k = kv[i] as PyStr;
      keys.push(isPlainKey(k.v) ? k : undefined);
    }
    this.lastKeys[this.depth] = keys;
  }
}

/** No quote, backslash or control character: the JSON text between the quotes is the key. */
function isPlainKey(k: string): boolean {
  for (let i = 0; i < k.length; i++) {
    const c = k.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c) return false;
  }
  return true;
}

export interface JsonEncodeOptions {
  /** json.dumps(separators=(',', ':')) */
  compact?: boolean;
  /** json.dumps(indent=n): one item a line (for display) */
  indent?: number;
}

/** json.dumps(v) as Python writes it; E_ENCODE for values JSON cannot carry (bytes, sets, objects). */
export function pyToJsonText(v: PyValue, opts: JsonEncodeOptions = {}): string {
  const out = new TextOut();
  const itemSep = opts.compact || opts.indent !== undefined ? ',' : ', ';
  new JsonWriter(out, itemSep, opts.compact ? ':' : ': ', opts.indent === undefined ? undefined : ' '.repeat(opts.indent)).value(v, 0);
  return out.text();
}

/** Python's JSON text of a float: repr, except nan/inf spelled as JavaScript does. */
export function jsonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return floatRepr(x);
}

/** A JSON string literal with ensure_ascii escapes, as json.dumps writes it. */
export function jsonString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(from, i);
    from = i + 1;
    switch (c) {
      case 0x22:
        out += '\\"';
        break;
      case 0x5c:
        out += '\\\\';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x08:
        out += '\\b';
        break;
      case 0x0c:
        out += '\\f';
        break;
      default:
        out += '\\u' + c.toString(16).padStart(4, '0');
    }
  }
  return out + s.slice(from) + '"';
}

const MAX_ENCODE_DEPTH = 1000;

class JsonWriter {
  constructor(
    private readonly out: TextOut,
    private readonly itemSep: string,
    private readonly keySep: string,
    private readonly indent?: string,
  ) {}

  /** what goes before an item (or the closing bracket, at depth) when indenting */
  private newline(depth: number): string {
    return this.indent === undefined ? '' : '\n' + this.indent.repeat(depth);
  }

  value(v: PyValue, depth: number): void {
    if (depth > MAX_ENCODE_DEPTH) throw new RpcError('E_ENCODE', 'value nested too deeply for JSON (or contains itself)');
    const out = this.out;
    switch (v.t) {
      case 'none':
        out.push('null');
        return;
      case 'bool':
        out.push(v.v ? 'true' : 'false');
        return;
      case 'int':
        out.push(v.v.toString());
        return;
      case 'float':
        out.push(jsonFloat(v.v));
        return;
      case 'str':
        out.push(jsonString(v.v));
        return;
      case 'list':
      case 'tuple':
        out.push('[');
        v.items.forEach((item, i) => {
          if (i > 0) out.push(this.itemSep);
          out.push(this.newline(depth + 1));
          this.value(item, depth + 1);
        });
        out.push(v.items.length > 0 ? this.newline(depth) + ']' : ']');
        return;
      case 'dict':
        this.dict(v, depth);
        return;
      default:
        throw new RpcError('E_ENCODE', `Object of type ${pyTypeName(v)} is not JSON serializable`);
    }
  }

  private dict(v: PyDict, depth: number): void {
    const out = this.out;
    out.push('{');
    const kv = v.kv;
    for (let i = 0; i < kv.length; i += 2) {
      if (i > 0) out.push(this.itemSep);
      out.push(this.newline(depth + 1));
      out.push(jsonString(keyText(kv[i])));
      out.push(this.keySep);
      this.value(kv[i + 1], depth + 1);
    }
    out.push(kv.length > 0 ? this.newline(depth) + '}' : '}');
  }
}

function keyText(k: PyValue): string {
  switch (k.t) {
    case 'str':
      return k.v;
    case 'int':
      return k.v.toString();
    case 'float':
      return jsonFloat(k.v);
    case 'bool':
      return k.v ? 'true' : 'false';
    case 'none':
      return 'null';
    default:
      throw new RpcError('E_ENCODE', `keys must be str, int, float, bool or None, not ${pyTypeName(k)}`);
  }
}

