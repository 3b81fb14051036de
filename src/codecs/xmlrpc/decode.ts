// XML-RPC documents decoded on saxes, a streaming XML parser: values are built straight from the
// SAX events with a stack (no DOM), following xmlrpc.client.Unmarshaller's rules:
// i1 i2 i4 i8 int biginteger -> int, double float -> float, bigdecimal -> Decimal, boolean,
// string, untyped <value>text</value> -> str, base64 -> bytes, dateTime.iso8601 -> DateTime,
// nil (also ex:nil: namespace prefixes are ignored), array -> list, struct -> dict.
import { SaxesParser } from 'saxes';
import { fromBase64 } from '../../common/base64';
import { RpcError } from '../../common/errors';
import type { PyObject, PyValue } from '../../common/value';
import { decodeUtf8 } from '../bytes';

export type XmlRpcMessage =
  | { kind: 'call'; method: string; params: PyValue[] }
  | { kind: 'response'; params: PyValue[] }
  | { kind: 'fault'; code: number; faultString: string; value: PyValue };

export interface XmlRpcDecodeOptions {
  /** deepest array/struct nesting accepted (E_LIMIT beyond) */
  maxDepth?: number;
}

/** A container being filled: an array's items or a struct's entries plus the pending member name. */
interface Open {
  items?: PyValue[];
  entries?: [PyValue, PyValue][];
  name?: string;
}

// Scalars, by tag (after dropping any namespace prefix).
type Scalar = (text: string) => PyValue;
const int: Scalar = (t) => {
  const s = t.trim();
  if (!/^[+-]?\d+$/.test(s)) throw bad(`bad int value ${JSON.stringify(t)}`);
  return { t: 'int', v: BigInt(s) };
};
const double: Scalar = (t) => {
  const s = t.trim();
  const n = floatOf(s);
  if (n === undefined) throw bad(`bad double value ${JSON.stringify(t)}`);
  return { t: 'float', v: n };
};
const SCALARS: Record<string, Scalar> = {
  i1: int,
  i2: int,
  i4: int,
  i8: int,
  int,
  biginteger: int,
  double,
  float: double,
  bigdecimal: (t) => decimal(t.trim()),
  string: (t) => ({ t: 'str', v: t }),
  boolean: (t) => {
    if (t === '0') return { t: 'bool', v: false };
    if (t === '1') return { t: 'bool', v: true };
    throw bad(`bad boolean value ${JSON.stringify(t)}`);
  },
  nil: () => ({ t: 'none' }),
  base64: (t) => {
    const b = fromBase64(t);
    if (!b) throw bad('bad base64 data');
    // Python's ServerProxy returns xmlrpc.client.Binary here; its .data is these bytes, and
    // bytes are what the user works with, so the value is plain bytes (b'...').
    return { t: 'bytes', v: b };
  },
  'dateTime.iso8601': (t) => dateTime(t.trim()),
};

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

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
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
  const parser = new SaxesParser({ position: true });

  let root: 'methodCall' | 'methodResponse' | undefined;
  let method: string | undefined;
  let inFault = false;
  const params: PyValue[] = [];
  const stack: Open[] = [];
  let top: Open | undefined;
  let text = '';
  let collecting = false;
  // true while inside a <value> whose type tag has not been seen (its text is a string)
  let untypedValue = false;

  const emit = (v: PyValue) => {
    untypedValue = false;
    if (top === undefined) params.push(v);
    else if (top.items) top.items.push(v);
    else {
      if (top.name === undefined) throw bad('struct member without a <name>');
      top.entries!.push([{ t: 'str', v: top.name }, v]);
      top.name = undefined;
    }
  };

  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (name === 'value') {
      untypedValue = true;
      collecting = true;
      text = '';
      return;
    }
    if (untypedValue) {
      untypedValue = false;
      if (name === 'array' || name === 'struct') {
        if (stack.length >= maxDepth) throw new RpcError('E_LIMIT', `XML-RPC value nested deeper than ${maxDepth}`);
        collecting = false;
        top = name === 'array' ? { items: [] } : { entries: [] };
        stack.push(top);
        return;
      }
      if (!(name in SCALARS)) throw bad(`unknown tag <${tag.name}>`);
      text = '';
      return;
    }
    switch (name) {
      case 'name':
      case 'methodName':
        collecting = true;
        text = '';
        return;
      case 'methodCall':
      case 'methodResponse':
        if (root !== undefined) throw bad(`unexpected <${name}>`);
        root = name;
        return;
      case 'fault':
        inFault = true;
        return;
      case 'params':
      case 'param':
      case 'data':
      case 'member':
        return;
      default:
        throw bad(`unexpected tag <${tag.name}>`);
    }
  });

  const onText = (t: string) => {
    if (collecting) text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    const scalar = SCALARS[name];
    if (scalar !== undefined && collecting) {
      collecting = false;
      emit(scalar(text));
      return;
    }
    switch (name) {
      case 'value':
        if (untypedValue) emit({ t: 'str', v: text });
        collecting = false;
        return;
      case 'array':
      case 'struct': {
        const done = stack.pop()!;
        top = stack[stack.length - 1];
        emit(done.items ? { t: 'list', items: done.items } : { t: 'dict', entries: dedupe(done.entries!) });
        return;
      }
      case 'name':
        if (top?.entries === undefined) throw bad('<name> outside a struct');
        top.name = text;
        collecting = false;
        return;
      case 'methodName':
        method = text;
        collecting = false;
        return;
      default:
        return;
    }
  });

  parser.on('error', (e: Error) => {
    // saxes would go on after an error; stop at the first one.
    throw new RpcError('E_DECODE', `invalid XML: ${e.message}`);
  });

  try {
    parser.write(xml).close();
  } catch (e) {
    if (e instanceof RpcError && e.message.startsWith('invalid XML:')) throw e;
    if (e instanceof RpcError) {
      throw new RpcError(e.code, `${e.message} (line ${parser.line}, column ${parser.column})`, e.detail);
    }
    throw new RpcError('E_DECODE', `invalid XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (root === undefined) throw bad('no <methodCall> or <methodResponse> element');
  if (stack.length > 0) throw bad('unclosed array or struct');

  if (root === 'methodCall') {
    if (method === undefined) throw bad('<methodCall> without <methodName>');
    return { kind: 'call', method, params };
  }
  if (inFault) {
    const f = params[0];
    if (params.length !== 1 || f.t !== 'dict') throw bad('<fault> must hold one struct');
    const code = f.entries.find(([k]) => k.t === 'str' && k.v === 'faultCode')?.[1];
    const msg = f.entries.find(([k]) => k.t === 'str' && k.v === 'faultString')?.[1];
    return {
      kind: 'fault',
      code: code?.t === 'int' ? Number(code.v) : 0,
      faultString: msg?.t === 'str' ? msg.v : '',
      value: f,
    };
  }
  return { kind: 'response', params };
}

/** A struct repeating a name keeps the last value at the first position, as a dict does. */
function dedupe(entries: [PyValue, PyValue][]): [PyValue, PyValue][] {
  if (entries.length < 2) return entries;
  const seen = new Map<string, number>();
  let dup = false;
  for (let i = 0; i < entries.length; i++) {
    const k = (entries[i][0] as { v: string }).v;
    if (seen.has(k)) {
      dup = true;
      break;
    }
    seen.set(k, i);
  }
  if (!dup) return entries;
  const out: [PyValue, PyValue][] = [];
  const at = new Map<string, number>();
  for (const [k, v] of entries) {
    const key = (k as { v: string }).v;
    const i = at.get(key);
    if (i === undefined) {
      at.set(key, out.length);
      out.push([k, v]);
    } else out[i][1] = v;
  }
  return out;
}
