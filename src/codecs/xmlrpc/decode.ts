// XML-RPC documents decoded from element and text events (no DOM): the XML peers write is read by
// a quick scanner of that subset (scan.ts), any other XML by saxes, a streaming XML parser. Values
// follow xmlrpc.client.Unmarshaller's rules:
// i1 i2 i4 i8 int biginteger -> int, double float -> float, bigdecimal -> Decimal, boolean,
// string, untyped <value>text</value> -> str, base64 -> bytes, dateTime.iso8601 -> DateTime,
// nil (also ex:nil: namespace prefixes are ignored), array -> list, struct -> dict.
import { SaxesParser } from 'saxes';
import { fromBase64 } from '../../common/base64';
import { RpcError } from '../../common/errors';
import { False, None, strKeyValue, True, type PyObject, type PyStr, type PyValue } from '../../common/value';
import { foldDuplicateKeys } from '../../common/value-util';
import { decodeUtf8 } from '../bytes';
import { copyItems } from '../copy-items';
import { scanSimpleXml, type XmlEvents } from './scan';

export type XmlRpcMessage =
  | { kind: 'call'; method: string; params: PyValue[] }
  | { kind: 'response'; params: PyValue[] }
  | { kind: 'fault'; code: number; faultString: string; value: PyValue };

export interface XmlRpcDecodeOptions {
  /** deepest array/struct nesting accepted (E_LIMIT beyond) */
  maxDepth?: number;
}

/**
 * The array or struct being filled at one nesting level, reused for every container at that level:
 * its scratch array grows once, and each finished container gets an exact-size copy (a big reply's
 * memory, and so the garbage collector's work, is mostly its containers).
 */
class Open {
  struct = false;
  /** an array's items, or a struct's keys and values alternating (PyDict.kv) */
  readonly parts: PyValue[] = [];
  n = 0;
  /** the struct member whose value comes next */
  name: string | undefined = undefined;
}

// Tags as small ints, looked up once per event (string comparisons on every tag cost real time
// on a 10 MB reply).
const enum Tag {
  Unknown,
  Value,
  Array,
  Struct,
  Name,
  MethodName,
  MethodCall,
  MethodResponse,
  Fault,
  Structural, // params, param, data, member: no value of their own
  Int,
  Double,
  BigDecimal,
  String,
  Boolean,
  Nil,
  Base64,
  DateTime,
}
const FIRST_SCALAR = Tag.Int;
/** strings up to this length are shared within one document */
const SHARED_STR_MAX = 24;

const TAGS: Record<string, Tag> = {
  value: Tag.Value,
  array: Tag.Array,
  struct: Tag.Struct,
  name: Tag.Name,
  methodName: Tag.MethodName,
  methodCall: Tag.MethodCall,
  methodResponse: Tag.MethodResponse,
  fault: Tag.Fault,
  params: Tag.Structural,
  param: Tag.Structural,
  data: Tag.Structural,
  member: Tag.Structural,
  i1: Tag.Int,
  i2: Tag.Int,
  i4: Tag.Int,
  i8: Tag.Int,
  int: Tag.Int,
  biginteger: Tag.Int,
  double: Tag.Double,
  float: Tag.Double,
  bigdecimal: Tag.BigDecimal,
  string: Tag.String,
  boolean: Tag.Boolean,
  nil: Tag.Nil,
  base64: Tag.Base64,
  'dateTime.iso8601': Tag.DateTime,
};
const tagCache = new Map<string, Tag>(Object.entries(TAGS));

/**
 * The tag's code. Switching on the length first means one or two same-length comparisons per
 * event (saxes hands us a fresh string each time, so hashing it for a map lookup costs more).
 */
function tagOf(name: string): Tag {
  switch (name.length) {
    case 2:
      if (name === 'i4' || name === 'i8' || name === 'i1' || name === 'i2') return Tag.Int;
      break;
    case 3:
      if (name === 'int') return Tag.Int;
      if (name === 'nil') return Tag.Nil;
      break;
    case 4:
      if (name === 'name') return Tag.Name;
      if (name === 'data') return Tag.Structural;
      break;
    case 5:
      if (name === 'value') return Tag.Value;
      if (name === 'array') return Tag.Array;
      if (name === 'param') return Tag.Structural;
      if (name === 'float') return Tag.Double;
      if (name === 'fault') return Tag.Fault;
      break;
    case 6:
      if (name === 'member') return Tag.Structural;
      if (name === 'string') return Tag.String;
      if (name === 'struct') return Tag.Struct;
      if (name === 'double') return Tag.Double;
      if (name === 'params') return Tag.Structural;
      if (name === 'base64') return Tag.Base64;
      break;
    case 7:
      if (name === 'boolean') return Tag.Boolean;
      break;
  }
  return otherTag(name);
}

/** Rarer tags, and namespaced ones (`ex:nil`: the prefix is ignored, as Python ignores it). */
function otherTag(name: string): Tag {
  const known = tagCache.get(name);
  if (known !== undefined) return known;
  const colon = name.indexOf(':');
  const local = colon < 0 ? name : name.slice(colon + 1);
  const code = Object.prototype.hasOwnProperty.call(TAGS, local) ? TAGS[local] : Tag.Unknown;
  // Bounded: a hostile document could invent any number of prefixed names.
  if (tagCache.size < 256) tagCache.set(name, code);
  return code;
}

function intOf(t: string): PyValue {
  // Fast path: short plain decimals, exact as doubles.
  const n = t.length;
  if (n > 0 && n < 16) {
    const c0 = t.charCodeAt(0);
    let i = c0 === 45 || c0 === 43 ? 1 : 0;
    if (i < n) {
      let v = 0;
      for (; i < n; i++) {
        const d = t.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (i === n) return { t: 'int', v: BigInt(c0 === 45 ? -v : v) };
    }
  }
  const s = t.trim();
  if (!/^[+-]?\d+$/.test(s)) throw bad(`bad int value ${JSON.stringify(t)}`);
  return { t: 'int', v: BigInt(s) };
}

function scalar(tag: Tag, t: string): PyValue {
  switch (tag) {
    case Tag.Int:
      return intOf(t);
    case Tag.Double: {
      const n = floatOf(t.trim());
      if (n === undefined) throw bad(`bad double value ${JSON.stringify(t)}`);
      return { t: 'float', v: n };
    }
    case Tag.BigDecimal:
      return decimal(t.trim());
    case Tag.String:
      return { t: 'str', v: t };
    case Tag.Boolean:
      if (t === '0') return False;
      if (t === '1') return True;
      throw bad(`bad boolean value ${JSON.stringify(t)}`);
    case Tag.Nil:
      return None;
    case Tag.Base64: {
      const b = fromBase64(t);
      if (!b) throw bad('bad base64 data');
      // Python's ServerProxy returns xmlrpc.client.Binary here; its .data is these bytes, and
      // bytes are what the user works with, so the value is plain bytes (b'...').
      return { t: 'bytes', v: b };
    }
    default:
      return dateTime(t.trim());
  }
}

/** float(s) as Python parses it: decimal and exponent forms, inf/nan spelled any case. */
function floatOf(s: string): number | undefined {
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s);
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (!m) return undefined;
  if (m[2].toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

/** The value Python's ServerProxy gives for dateTime.iso8601: an xmlrpc.client.DateTime. */
export function dateTime(text: string): PyObject {
  return { t: 'object', module: 'xmlrpc.client', name: 'DateTime', args: [{ t: 'str', v: text }], display: `<DateTime '${text}'>` };
}

function decimal(text: string): PyObject {
  return { t: 'object', module: 'decimal', name: 'Decimal', args: [{ t: 'str', v: text }], display: `Decimal('${text}')` };
}

function bad(msg: string): RpcError {
  return new RpcError('E_DECODE', `invalid XML-RPC: ${msg}`);
}

/** Decode a methodCall or methodResponse document. */
export function decodeXmlRpc(input: string | Uint8Array, opts: XmlRpcDecodeOptions = {}): XmlRpcMessage {
  let xml: string;
  if (typeof input === 'string') xml = input;
  else {
    try {
      xml = decodeUtf8(input, 0, input.length);
    } catch {
      throw bad('the document is not valid UTF-8');
    }
  }
  const maxDepth = opts.maxDepth ?? 1000;
  try {
    // The XML peers write is read by the quick scanner; anything else by saxes.
    const built = new Builder(maxDepth);
    if (scanSimpleXml(xml, built)) return built.finish();
    return viaSaxes(xml, maxDepth, false);
  } catch (e) {
    // Tracking line and column costs about a tenth of the parse: only a failed parse is run
    // again with positions, to say where the document went wrong.
    if (e instanceof RpcError) viaSaxes(xml, maxDepth, true);
    throw e;
  }
}

function viaSaxes(xml: string, maxDepth: number, position: boolean): XmlRpcMessage {
  const parser = new SaxesParser({ position });
  const built = new Builder(maxDepth);
  parser.on('opentag', (node) => built.open(node.name));
  parser.on('text', (t) => built.text(t));
  parser.on('cdata', (t) => built.text(t));
  parser.on('closetag', () => built.close());
  parser.on('error', (e: Error) => {
    // saxes would go on after an error; stop at the first one.
    throw new RpcError('E_DECODE', `invalid XML: ${e.message}`);
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    if (e instanceof RpcError && e.message.startsWith('invalid XML:')) throw e;
    if (e instanceof RpcError) {
      throw position ? new RpcError(e.code, `${e.message} (line ${parser.line}, column ${parser.column})`, e.detail) : e;
    }
    throw new RpcError('E_DECODE', `invalid XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  return built.finish();
}

/**
 * Builds the message from element and text events (whoever parsed the XML): values with a stack,
 * following xmlrpc.client.Unmarshaller. Close events need no name: the parser checked it matches.
 */
class Builder implements XmlEvents {
  private root: 'methodCall' | 'methodResponse' | undefined;
  private method: string | undefined;
  private inFault = false;
  private readonly params: PyValue[] = [];
  /** the containers being filled, outermost first, reused level by level (see Open) */
  private readonly opens: Open[] = [];
  private level = 0;
  private top: Open | undefined;
  private textSoFar = '';
  collecting = false;
  /** true while inside a <value> whose type tag has not been seen (its text is a string) */
  private untypedValue = false;
  /** the scalar tag being read, if any */
  private scalarTag = Tag.Unknown;
  /** codes of the open elements, so a close event needs no second lookup */
  private openTags = new Uint8Array(64);
  private depth = 0;
  /**
   * Member names, and short strings generally, repeat across the rows of a big reply: one PyStr
   * per distinct text (values are immutable data) spares the garbage collector most of them.
   */
  private readonly keys = new Map<string, PyStr>();

  constructor(private readonly maxDepth: number) {}

  private keyOf(name: string): PyStr {
    let k = this.keys.get(name);
    if (k === undefined) {
      k = { t: 'str', v: name };
      if (this.keys.size < 4096) this.keys.set(name, k);
    }
    return k;
  }

  private emit(v: PyValue): void {
    this.untypedValue = false;
    const top = this.top;
    if (top === undefined) this.params.push(v);
    else if (!top.struct) top.parts[top.n++] = v;
    else {
      if (top.name === undefined) throw bad('struct member without a <name>');
      top.parts[top.n++] = this.keyOf(top.name);
      top.parts[top.n++] = v;
      top.name = undefined;
    }
  }

  open(name: string): void {
    const tag = tagOf(name);
    if (this.depth === this.openTags.length) {
      const grown = new Uint8Array(this.depth * 2);
      grown.set(this.openTags);
      this.openTags = grown;
    }
    this.openTags[this.depth++] = tag;
    if (tag === Tag.Value) {
      this.untypedValue = true;
      this.collecting = true;
      this.textSoFar = '';
      return;
    }
    if (this.untypedValue) {
      this.untypedValue = false;
      if (tag === Tag.Array || tag === Tag.Struct) {
        if (this.level >= this.maxDepth) throw new RpcError('E_LIMIT', `XML-RPC value nested deeper than ${this.maxDepth}`);
        this.collecting = false;
        const o = (this.opens[this.level++] ??= new Open());
        o.struct = tag === Tag.Struct;
        o.n = 0;
        o.name = undefined;
        this.top = o;
        return;
      }
      if (tag < FIRST_SCALAR) throw bad(`unknown tag <${name}>`);
      this.scalarTag = tag;
      this.textSoFar = '';
      return;
    }
    switch (tag) {
      case Tag.Name:
      case Tag.MethodName:
        this.collecting = true;
        this.textSoFar = '';
        return;
      case Tag.MethodCall:
      case Tag.MethodResponse:
        if (this.root !== undefined) throw bad(`unexpected <${name}>`);
        this.root = tag === Tag.MethodCall ? 'methodCall' : 'methodResponse';
        return;
      case Tag.Fault:
        this.inFault = true;
        return;
      case Tag.Structural:
        return;
      default:
        throw bad(`unexpected tag <${name}>`);
    }
  }

  text(t: string): void {
    if (this.collecting) this.textSoFar += t;
  }

  close(): void {
    const tag: Tag = this.openTags[--this.depth];
    const text = this.textSoFar;
    if (tag === this.scalarTag) {
      this.scalarTag = Tag.Unknown;
      this.collecting = false;
      this.emit(tag === Tag.String && text.length <= SHARED_STR_MAX ? this.keyOf(text) : scalar(tag, text));
      return;
    }
    switch (tag) {
      case Tag.Value:
        if (this.untypedValue) this.emit(text.length <= SHARED_STR_MAX ? this.keyOf(text) : { t: 'str', v: text });
        this.collecting = false;
        return;
      case Tag.Array:
      case Tag.Struct: {
        const done = this.top!;
        this.level--;
        this.top = this.level > 0 ? this.opens[this.level - 1] : undefined;
        const parts = copyItems(done.parts, 0, done.n);
        this.emit(done.struct ? { t: 'dict', kv: dedupe(parts) } : { t: 'list', items: parts });
        return;
      }
      case Tag.Name:
        if (!this.top?.struct) throw bad('<name> outside a struct');
        this.top.name = text;
        this.collecting = false;
        return;
      case Tag.MethodName:
        this.method = text;
        this.collecting = false;
        return;
      default:
        return;
    }
  }

  finish(): XmlRpcMessage {
    const { root, method, params } = this;
    if (root === undefined) throw bad('no <methodCall> or <methodResponse> element');
    if (this.level > 0) throw bad('unclosed array or struct');
    if (root === 'methodCall') {
      if (method === undefined) throw bad('<methodCall> without <methodName>');
      return { kind: 'call', method, params };
    }
    if (this.inFault) {
      const f = params[0];
      if (params.length !== 1 || f.t !== 'dict') throw bad('<fault> must hold one struct');
      const code = strKeyValue(f, 'faultCode');
      const msg = strKeyValue(f, 'faultString');
      return {
        kind: 'fault',
        code: code?.t === 'int' ? Number(code.v) : 0,
        faultString: msg?.t === 'str' ? msg.v : '',
        value: f,
      };
    }
    return { kind: 'response', params };
  }
}

/** A struct repeating a name keeps the last value at the first position, as a dict does. */
function dedupe(kv: PyValue[]): PyValue[] {
  const n = kv.length;
  if (n < 4) return kv;
  const key = (i: number) => (kv[i] as PyStr).v;
  let dup = false;
  if (n <= 32) {
    for (let i = 2; i < n && !dup; i += 2) for (let j = 0; j < i; j += 2) if (key(i) === key(j)) dup = true;
  } else {
    const seen = new Set<string>();
    for (let i = 0; i < n && !dup; i += 2) {
      const k = key(i);
      if (seen.has(k)) dup = true;
      seen.add(k);
    }
  }
  return dup ? foldDuplicateKeys(kv) : kv;
}
