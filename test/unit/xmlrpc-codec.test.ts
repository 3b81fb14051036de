// The XML-RPC codec against Python's xmlrpc.client: documents Python writes decode to values that
// print like the values Python's loads() returns, and requests we write are the bytes dumps() writes.
import { describe, expect, it } from 'vitest';
import { decodeXmlRpc, encodeMethodCall, faultToRemoteError, prettyXml } from '../../src/codecs/xmlrpc';
import { repr } from '../../src/common/repr';
import { toJsonSafe } from '../../src/common/value-json';
import { isRpcError } from '../../src/common/errors';
import type { PyValue } from '../../src/common/value';
import { int, str, list, tuple, strDict, None, True, float, bytes } from '../../src/common/value';
import { runPython } from '../helpers/python';

// Python's repr of what ServerProxy returns, except that DateTime's address is left out and a
// Binary prints as its bytes (that is how rpcscope shows them).
const PY_NORMALIZE = `
import json, sys, xmlrpc.client as xc
class D:
    def __init__(s, v): s.v = v
    def __repr__(s): return "<DateTime '%s'>" % s.v
def norm(x):
    if isinstance(x, xc.DateTime): return D(x.value)
    if isinstance(x, xc.Binary): return x.data
    if isinstance(x, list): return [norm(i) for i in x]
    if isinstance(x, tuple): return tuple(norm(i) for i in x)
    if isinstance(x, dict): return {k: norm(v) for k, v in x.items()}
    return x
`;

function pythonLoads(docs: string[]): string[] {
  const code = `${PY_NORMALIZE}
out = []
for d in json.load(sys.stdin):
    params, method = xc.loads(d)
    out.append(repr(norm(list(params))))
print(json.dumps(out))`;
  return JSON.parse(runPython(code, { input: JSON.stringify(docs) })) as string[];
}

describe('decodeXmlRpc', () => {
  it('decodes replies Python writes exactly as Python reads them', () => {
    const docs = JSON.parse(
      runPython(`
import json, datetime, xmlrpc.client as xc
values = [
  1, -2**31, 2**31 - 1, True, False, 'héllo <&> "q" \\'s\\'\\n', '', 0.1, 1e300, -0.0, float('inf'), float('nan'),
  None, [1, [2, [3, []]]], {'a': 1, 'b': {'c': [True, None]}}, b'\\x00\\x01\\xffbinary' * 30, xc.Binary(b''),
  datetime.datetime(2024, 1, 2, 3, 4, 5), ('t', 1), {'': 'empty key', 'x': ''},
]
print(json.dumps([xc.dumps((v,), methodresponse=True, allow_none=True) for v in values] +
                 [xc.dumps(tuple(values), 'many.params', allow_none=True)]))`),
    ) as string[];
    const expected = pythonLoads(docs);
    docs.forEach((d, i) => {
      const m = decodeXmlRpc(d);
      expect(m.kind).not.toBe('fault');
      const params = m.kind === 'fault' ? [] : m.params;
      expect(repr(list(params)), d).toBe(expected[i]);
    });
    const call = decodeXmlRpc(docs[docs.length - 1]);
    expect(call.kind === 'call' && call.method).toBe('many.params');
  });

  it('keeps the last value of a repeated struct member in its first place, as xmlrpc.client does', () => {
    const member = (name: string, v: number) => `<member><name>${name}</name><value><int>${v}</int></value></member>`;
    const small = ['a', 'b', 'a'].map((n, i) => member(n, i)).join('');
    const large = Array.from({ length: 40 }, (_, i) => member(`k${i % 30}`, i)).join('');
    for (const members of [small, large]) {
      const doc = `<?xml version="1.0"?><methodResponse><params><param><value><struct>${members}</struct></value></param></params></methodResponse>`;
      const py = runPython('import sys, xmlrpc.client as xc; print(repr(xc.loads(sys.stdin.read())[0][0]))', { input: doc }).trim();
      const m = decodeXmlRpc(new TextEncoder().encode(doc));
      if (m.kind !== 'response') throw new Error('not a response');
      expect(repr(m.params[0])).toBe(py);
    }
  });

  it('reads every type name Python reads, namespaced nil and untyped values', () => {
    const v = (inner: string) => `<?xml version="1.0"?><methodResponse><params><param><value>${inner}</value></param></params></methodResponse>`;
    const docs = [
      v('<i1>-5</i1>'),
      v('<i2>300</i2>'),
      v('<i4> 7 </i4>'),
      v('<i8>9223372036854775807</i8>'),
      v('<biginteger>123456789012345678901234567890</biginteger>'),
      v('<float>2.5</float>'),
      v('<double>1E3</double>'),
      v('<bigdecimal>1.10</bigdecimal>'),
      v('plain &amp; untyped'),
      v(''),
      v('<ex:nil xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"/>'),
      v('<ex:i8 xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions">-42</ex:i8>'),
      v('<array><data><value>a</value><value><int>1</int></value></data></array>'),
      v('<struct><member><name>k</name><value>1</value></member><member><name>k</name><value><int>2</int></value></member><member><name>z</name><value/></member></struct>'),
      v('<string><![CDATA[<raw>]]></string>'),
    ];
    const expected = pythonLoads(docs);
    docs.forEach((d, i) => {
      const m = decodeXmlRpc(d);
      expect(repr(list(m.kind === 'response' ? m.params : [])), d).toBe(expected[i]);
    });
  });

  it('decodes faults and turns Python exception faults into their traceback line', () => {
    const docs = JSON.parse(
      runPython(`
import json, xmlrpc.client as xc
print(json.dumps([xc.dumps(xc.Fault(1, "<class 'KeyError'>:'nope'")),
                  xc.dumps(xc.Fault(1, '<class \\'Exception\\'>:method "x" is not supported')),
                  xc.dumps(xc.Fault(1, "<class 'mymod.Boom'>:bad\\nthing")),
                  xc.dumps(xc.Fault(-32601, "method not found"))]))`),
    ) as string[];
    const errors = docs.map((d) => {
      const m = decodeXmlRpc(d);
      if (m.kind !== 'fault') throw new Error('expected a fault');
      return faultToRemoteError(m.code, m.faultString, m.value);
    });
    expect(errors[0].message).toBe("KeyError: 'nope'");
    expect(errors[0].pyType).toBe('KeyError');
    expect(errors[0].pyMessage).toBe("'nope'");
    expect(errors[0].extra.code).toBe(1);
    expect(errors[1].message).toBe('Exception: method "x" is not supported');
    expect(errors[2].pyType).toBe('mymod.Boom');
    expect(errors[2].pyMessage).toBe('bad\nthing');
    expect(errors[3].message).toBe("xmlrpc.client.Fault: <Fault -32601: 'method not found'>");
    expect(errors[3].extra.code).toBe(-32601);
  });

  it('rejects malformed documents with E_DECODE naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['<methodResponse><params><param><value><int>1</int></value>', /invalid XML/],
      ['not xml at all', /invalid XML/],
      ['<methodResponse><params><param><value><blob>1</blob></value></param></params></methodResponse>', /unknown tag <blob>/],
      ['<methodResponse><params><param><value><int>1.5</int></value></param></params></methodResponse>', /bad int value/],
      ['<methodResponse><params><param><value><boolean>2</boolean></value></param></params></methodResponse>', /bad boolean value/],
      ['<methodResponse><params><param><value><base64>!!!</base64></value></param></params></methodResponse>', /bad base64/],
      ['<html><body>502</body></html>', /unexpected tag <html>/],
      ['', /invalid XML|no <methodCall>/],
    ];
    for (const [doc, msg] of cases) {
      let err: unknown;
      try {
        decodeXmlRpc(doc);
      } catch (e) {
        err = e;
      }
      expect(isRpcError(err, 'E_DECODE'), doc).toBe(true);
      expect((err as Error).message, doc).toMatch(msg);
    }
  });

  it('limits nesting depth', () => {
    const deep = '<value><array><data>'.repeat(2000) + '</data></array></value>'.repeat(2000);
    const doc = `<methodResponse><params><param>${deep}</param></params></methodResponse>`;
    expect(() => decodeXmlRpc(doc)).toThrow(/nested deeper/);
  });
});

describe('encodeMethodCall', () => {
  it('writes the same document as xmlrpc.client.dumps', () => {
    const params: PyValue[] = [
      int(1),
      int(-(2n ** 31n)),
      str('a < b & c > d "e" \'f\''),
      str('ascii then é, € & 🐍 <'),
      str('ü'),
      str('lone \ud800 and \udc00 surrogates'),
      float(0.1),
      float(1e16),
      True,
      list([int(1), tuple([str('x')])]),
      strDict([
        ['k', None],
        ['nested', strDict([['b', bytes(new Uint8Array(100).map((_, i) => i))]])],
      ]),
      bytes(new Uint8Array(0)),
    ];
    const expected = runPython(
      `
import json, sys, xmlrpc.client as xc
sys.path.insert(0, ${JSON.stringify(__dirname)})
from pyjson import decode
sys.stdout.buffer.write(xc.dumps(tuple(decode(j) for j in json.load(sys.stdin)), 'kv.set', allow_none=True).encode('utf-8', 'xmlcharrefreplace'))`,
      { input: JSON.stringify(params.map((v) => toJsonSafe(v))) },
    );
    // the bytes ServerProxy sends: dumps(...).encode('utf-8', 'xmlcharrefreplace')
    expect(new TextDecoder().decode(encodeMethodCall('kv.set', params))).toBe(expected);
  });

  it('sends i8 past 32 bits, dateTime for DateTime and datetime values, and Python reads them', () => {
    const doc = encodeMethodCall('m', [
      int(2n ** 40n),
      { t: 'object', module: 'xmlrpc.client', name: 'DateTime', args: [str('20240102T03:04:05')] },
      { t: 'object', module: 'datetime', name: 'datetime', args: [int(1999), int(12), int(31), int(23), int(59), int(58)] },
      { t: 'object', module: 'datetime', name: 'datetime', args: [bytes(new Uint8Array([0x07, 0xe8, 1, 2, 3, 4, 5, 0, 0, 0]))] },
    ]);
    const out = runPython('import sys, xmlrpc.client as xc\np, m = xc.loads(sys.stdin.read(), use_builtin_types=True)\nprint(repr(p))', { input: doc });
    expect(out.trim()).toBe(
      '(1099511627776, datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.datetime(1999, 12, 31, 23, 59, 58), datetime.datetime(2024, 1, 2, 3, 4, 5))',
    );
    expect(() => encodeMethodCall('m', [int(2n ** 64n)])).toThrow(/exceeds XML-RPC limits/);
    expect(() => encodeMethodCall('m', [{ t: 'dict', kv: [int(1), int(2)] }])).toThrow(/struct keys must be strings/);
  });
});

describe('prettyXml', () => {
  it('indents one element a line and keeps leaves whole', () => {
    const text = prettyXml(new TextDecoder().decode(encodeMethodCall('get', [list([int(1)])])));
    expect(text).toContain('<methodName>get</methodName>');
    expect(text).toContain('\n            <value><int>1</int></value>\n          </data>');
  });
});
