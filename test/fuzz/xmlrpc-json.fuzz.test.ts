// XML-RPC, JSON and JSON-RPC decoding on damaged input: a value or a declared RpcError, nothing else
// (no TypeError, no stack overflow, no hang).
import fc from 'fast-check';
import { LONG_TIMEOUT, runs } from './fuzz-helpers';
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../src/common/errors';
import { decodeXmlRpc, encodeMethodCall } from '../../src/codecs/xmlrpc';
import { jsonToPy, pyToJsonText } from '../../src/codecs/json-value';
import { decodeJsonRpcResponse } from '../../src/codecs/jsonrpc';
import type { PyValue } from '../../src/common/value';

const DECLARED = new Set(['E_DECODE', 'E_PROTOCOL', 'E_LIMIT']);

function onlyDeclared(run: () => unknown): void {
  try {
    run();
  } catch (e) {
    if (!(e instanceof RpcError)) throw e;
    expect(DECLARED.has(e.code), e.message).toBe(true);
  }
}

const leaf: fc.Arbitrary<PyValue> = fc.oneof(
  fc.integer().map((v): PyValue => ({ t: 'int', v: BigInt(v) })),
  fc.double({ noNaN: true }).map((v): PyValue => ({ t: 'float', v })),
  fc.string().map((v): PyValue => ({ t: 'str', v })),
  fc.boolean().map((v): PyValue => ({ t: 'bool', v })),
  fc.constant<PyValue>({ t: 'none' }),
);
const value = fc.letrec<{ v: PyValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }).map((items): PyValue => ({ t: 'list', items })),
    fc.array(fc.tuple(fc.string({ maxLength: 4 }), tie('v')), { maxLength: 4 }).map((es): PyValue => ({ t: 'dict', entries: es.map(([k, x]) => [{ t: 'str', v: k }, x]) })),
  ),
})).v;

/** A valid document with a few bytes overwritten, inserted or cut. */
function damaged(text: string): fc.Arbitrary<string> {
  return fc
    .array(fc.tuple(fc.nat(), fc.constantFrom('<', '>', '/', '&', '"', '[', '{', ':', ',', '1', 'x', ' ', '\u0000', ''), fc.nat({ max: 3 })), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      let s = text;
      for (const [at, ch, cut] of edits) {
        const i = s.length === 0 ? 0 : at % s.length;
        s = s.slice(0, i) + ch + s.slice(i + cut);
      }
      return s;
    });
}

describe('decoders on damaged input', () => {
  it('XML-RPC: decodes or refuses with a declared error', { timeout: LONG_TIMEOUT }, () => {
    fc.assert(
      fc.property(
        value.chain((v) => damaged(encodeMethodCall('m', [v]).replace('methodCall', 'methodResponse').replace('methodCall', 'methodResponse'))),
        (doc) => onlyDeclared(() => decodeXmlRpc(doc)),
      ),
      { numRuns: runs(1500) },
    );
  });

  it('JSON and JSON-RPC: decode or refuse with a declared error', { timeout: LONG_TIMEOUT }, () => {
    fc.assert(
      fc.property(
        value.chain((v) => damaged(pyToJsonText({ t: 'dict', entries: [[{ t: 'str', v: 'jsonrpc' }, { t: 'str', v: '2.0' }], [{ t: 'str', v: 'result' }, v], [{ t: 'str', v: 'id' }, { t: 'int', v: 1n }]] }))),
        (text) => {
          onlyDeclared(() => jsonToPy(text));
          onlyDeclared(() => decodeJsonRpcResponse(text));
        },
      ),
      { numRuns: runs(1500) },
    );
  });

  it('random bytes: decode or refuse with a declared error', { timeout: LONG_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        onlyDeclared(() => decodeXmlRpc(b));
        onlyDeclared(() => jsonToPy(b));
        onlyDeclared(() => decodeJsonRpcResponse(b));
      }),
      { numRuns: runs(2000) },
    );
  });

  it('round-trips undamaged values', { timeout: LONG_TIMEOUT }, () => {
    // What both formats carry exactly: unique struct keys; XML cannot hold control characters
    // and turns \r into \n, so strings here are printable.
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '<', '&', '>', ' ', '"', "'", '\n', '😀', ']]>') });
    const plain = fc.letrec<{ v: PyValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.bigInt({ min: -(2n ** 31n), max: 2n ** 31n - 1n }).map((v): PyValue => ({ t: 'int', v })),
        fc.double({ noNaN: true }).map((v): PyValue => ({ t: 'float', v })),
        text.map((v): PyValue => ({ t: 'str', v })),
        fc.boolean().map((v): PyValue => ({ t: 'bool', v })),
        fc.constant<PyValue>({ t: 'none' }),
        fc.array(tie('v'), { maxLength: 4 }).map((items): PyValue => ({ t: 'list', items })),
        fc.uniqueArray(fc.tuple(text, tie('v')), { maxLength: 4, selector: ([k]) => k }).map((es): PyValue => ({ t: 'dict', entries: es.map(([k, x]) => [{ t: 'str', v: k }, x]) })),
      ),
    })).v;
    fc.assert(
      fc.property(plain, (v) => {
        expect(jsonToPy(pyToJsonText(v))).toEqual(v);
        const back = decodeXmlRpc(encodeMethodCall('m', [v]));
        expect(back.kind === 'call' && back.params[0]).toEqual(v);
      }),
      { numRuns: runs(500) },
    );
  });
});
