// XML-RPC requests written the way Python's xmlrpc.client.dumps writes them (same line breaks and
// escapes), so a captured request looks like one from ServerProxy. Written straight into UTF-8
// bytes, the request body: building a big document as a string costs more in string pieces for
// the garbage collector than the writing itself.
import { toBase64 } from '../../common/base64';
import { RpcError } from '../../common/errors';
import { floatRepr } from '../../common/float-repr';
import type { PyObject, PyValue } from '../../common/value';
import { ByteWriter } from '../bytes';

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The `<methodCall>` document for `method(params...)`, as UTF-8. */
export function encodeMethodCall(method: string, params: PyValue[]): Uint8Array {
  const w = new ByteWriter(1024);
  w.latin1("<?xml version='1.0'?>\n<methodCall>\n<methodName>");
  text(w, method);
  w.latin1('</methodName>\n<params>\n');
  for (const p of params) {
    w.latin1('<param>\n');
    writeValue(w, p, 0);
    w.latin1('</param>\n');
  }
  w.latin1('</params>\n</methodCall>\n');
  return w.finish();
}

const XML_SPECIAL = /[&<>]/;

export function escapeXml(s: string): string {
  // most strings have nothing to escape: a test is cheaper than a replace that finds nothing
  return XML_SPECIAL.test(s) ? s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')) : s;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');
const NEEDS_CARE = /[&<>\ud800-\udfff]/;

/**
 * Character data, escaped, in UTF-8. A lone surrogate (which a str may hold) cannot be encoded:
 * ServerProxy encodes with 'xmlcharrefreplace', which writes it as a character reference.
 */
function text(w: ByteWriter, s: string): void {
  // one test finds the usual case, nothing to escape or replace
  if (!NEEDS_CARE.test(s)) {
    w.utf8(s);
    return;
  }
  let t = escapeXml(s);
  if (LONE_SURROGATE.test(t)) t = t.replace(LONE_SURROGATES, (c) => `&#${c.charCodeAt(0)};`);
  w.utf8(t);
}

const MAX_DEPTH = 1000;

function writeValue(w: ByteWriter, v: PyValue, depth: number): void {
  if (depth > MAX_DEPTH) throw new RpcError('E_ENCODE', 'value nested too deeply for XML-RPC (or contains itself)');
  switch (v.t) {
    case 'none':
      // Python writes <nil/> only with allow_none; we always send it and let the server answer.
      // (and, like Python, with no newline after it)
      w.latin1('<value><nil/></value>');
      return;
    case 'bool':
      w.latin1(v.v ? '<value><boolean>1</boolean></value>\n' : '<value><boolean>0</boolean></value>\n');
      return;
    case 'int':
      if (v.v >= INT32_MIN && v.v <= INT32_MAX) w.latin1('<value><int>').latin1(v.v.toString()).latin1('</int></value>\n');
      // Python refuses these (OverflowError); servers that decode i8 (Python does) accept them.
      else if (v.v >= INT64_MIN && v.v <= INT64_MAX) w.latin1('<value><i8>').latin1(v.v.toString()).latin1('</i8></value>\n');
      else throw new RpcError('E_ENCODE', `int exceeds XML-RPC limits (64 bits): ${v.v}`);
      return;
    case 'float':
      w.latin1('<value><double>').latin1(floatRepr(v.v)).latin1('</double></value>\n');
      return;
    case 'str':
      w.latin1('<value><string>');
      text(w, v.v);
      w.latin1('</string></value>\n');
      return;
    case 'bytes':
    case 'bytearray':
      w.latin1('<value><base64>\n').latin1(wrapBase64(toBase64(v.v))).latin1('</base64></value>\n');
      return;
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset':
      w.latin1('<value><array><data>\n');
      for (const item of v.items) writeValue(w, item, depth + 1);
      w.latin1('</data></array></value>\n');
      return;
    case 'dict':
      w.latin1('<value><struct>\n');
      for (let i = 0; i < v.kv.length; i += 2) {
        const k = v.kv[i];
        if (k.t !== 'str') throw new RpcError('E_ENCODE', `XML-RPC struct keys must be strings, not ${k.t}`);
        w.latin1('<member>\n<name>');
        text(w, k.v);
        w.latin1('</name>\n');
        writeValue(w, v.kv[i + 1], depth + 1);
        w.latin1('</member>\n');
      }
      w.latin1('</struct></value>\n');
      return;
    case 'object': {
      const iso = dateTimeText(v);
      if (iso === undefined) throw new RpcError('E_ENCODE', `cannot send ${v.module}.${v.name} over XML-RPC`);
      w.latin1('<value><dateTime.iso8601>').latin1(iso).latin1('</dateTime.iso8601></value>\n');
      return;
    }
    default:
      throw new RpcError('E_ENCODE', `cannot send a ${v.t} over XML-RPC`);
  }
}

/** base64.encodebytes layout: 76-character lines, each ending in a newline. */
function wrapBase64(b64: string): string {
  let s = '';
  for (let i = 0; i < b64.length; i += 76) s += b64.slice(i, i + 76) + '\n';
  return s;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/**
 * `YYYYMMDDTHH:MM:SS` for the date-time values we know: xmlrpc.client.DateTime (as decoded from a
 * reply) and datetime.datetime / datetime.date (from a pickle's 10-byte state or from ints).
 */
export function dateTimeText(v: PyObject): string | undefined {
  const cls = `${v.module}.${v.name}`;
  if (cls === 'xmlrpc.client.DateTime' && v.args[0]?.t === 'str') return v.args[0].v;
  if (cls !== 'datetime.datetime' && cls !== 'datetime.date') return undefined;
  let f: number[];
  const first = v.args[0];
  if (first?.t === 'bytes' && (first.v.length === 10 || first.v.length === 4)) {
    const b = first.v;
    f = [b[0] * 256 + b[1], b[2] & 0x7f, b[3], b[4] ?? 0, b[5] ?? 0, b[6] ?? 0];
  } else if (v.args.length >= 3 && v.args.every((a) => a.t === 'int')) {
    f = v.args.map((a) => Number((a as { v: bigint }).v));
  } else return undefined;
  const [y, mo, d, h = 0, mi = 0, s = 0] = f;
  return `${pad(y, 4)}${pad(mo, 2)}${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}`;
}
