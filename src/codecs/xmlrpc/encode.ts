// XML-RPC requests written the way Python's xmlrpc.client.dumps writes them (same line breaks and
// escapes), so a captured request looks like one from ServerProxy.
import { toBase64 } from '../../common/base64';
import { RpcError } from '../../common/errors';
import { floatRepr } from '../../common/float-repr';
import type { PyObject, PyValue } from '../../common/value';

const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The `<methodCall>` document for `method(params...)`. */
export function encodeMethodCall(method: string, params: PyValue[]): string {
  const out: string[] = ["<?xml version='1.0'?>\n<methodCall>\n<methodName>", escapeXml(method), '</methodName>\n<params>\n'];
  for (const p of params) {
    out.push('<param>\n');
    writeValue(out, p, 0);
    out.push('</param>\n');
  }
  out.push('</params>\n</methodCall>\n');
  return out.join('');
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

const MAX_DEPTH = 1000;

function writeValue(out: string[], v: PyValue, depth: number): void {
  if (depth > MAX_DEPTH) throw new RpcError('E_ENCODE', 'value nested too deeply for XML-RPC (or contains itself)');
  switch (v.t) {
    case 'none':
      // Python writes <nil/> only with allow_none; we always send it and let the server answer.
      // (and, like Python, with no newline after it)
      out.push('<value><nil/></value>');
      return;
    case 'bool':
      out.push('<value><boolean>', v.v ? '1' : '0', '</boolean></value>');
      break;
    case 'int':
      if (v.v >= INT32_MIN && v.v <= INT32_MAX) out.push('<value><int>', v.v.toString(), '</int></value>');
      // Python refuses these (OverflowError); servers that decode i8 (Python does) accept them.
      else if (v.v >= INT64_MIN && v.v <= INT64_MAX) out.push('<value><i8>', v.v.toString(), '</i8></value>');
      else throw new RpcError('E_ENCODE', `int exceeds XML-RPC limits (64 bits): ${v.v}`);
      break;
    case 'float':
      out.push('<value><double>', floatRepr(v.v), '</double></value>');
      break;
    case 'str':
      out.push('<value><string>', escapeXml(v.v), '</string></value>');
      break;
    case 'bytes':
    case 'bytearray':
      out.push('<value><base64>\n', wrapBase64(toBase64(v.v)), '</base64></value>\n');
      return;
    case 'list':
    case 'tuple':
    case 'set':
    case 'frozenset':
      out.push('<value><array><data>\n');
      for (const item of v.items) writeValue(out, item, depth + 1);
      out.push('</data></array></value>\n');
      return;
    case 'dict':
      out.push('<value><struct>\n');
      for (let i = 0; i < v.kv.length; i += 2) {
        const k = v.kv[i];
        if (k.t !== 'str') throw new RpcError('E_ENCODE', `XML-RPC struct keys must be strings, not ${k.t}`);
        out.push('<member>\n<name>', escapeXml(k.v), '</name>\n');
        writeValue(out, v.kv[i + 1], depth + 1);
        out.push('</member>\n');
      }
      out.push('</struct></value>\n');
      return;
    case 'object': {
      const iso = dateTimeText(v);
      if (iso === undefined) throw new RpcError('E_ENCODE', `cannot send ${v.module}.${v.name} over XML-RPC`);
      out.push('<value><dateTime.iso8601>', iso, '</dateTime.iso8601></value>');
      break;
    }
    default:
      throw new RpcError('E_ENCODE', `cannot send a ${v.t} over XML-RPC`);
  }
  out.push('\n');
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
