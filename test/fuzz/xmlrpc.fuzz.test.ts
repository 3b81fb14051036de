// XML-RPC decoding on damaged input: documents Python wrote (test/golden/xmlrpc) and documents we
// encode, with characters edited or bytes mutated, and random bytes. A value or a declared RpcError,
// nothing else (no TypeError, no stack overflow, no hang), and a good document decodes after a failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeXmlRpc, encodeMethodCall } from '../../src/codecs/xmlrpc';
import { repr } from '../../src/common/repr';
import { strDict, type PyValue } from '../../src/common/value';
import { check, declaredOnly, LONG_TIMEOUT, mutations, mutate, runs, saveTally, sideRuns, timed } from './fuzz-helpers';
import { damaged, golden, value } from './xml-json-fixtures';

saveTally('xmlrpc');

const DECLARED = ['E_DECODE', 'E_PROTOCOL', 'E_LIMIT'] as const;
const DOCS = golden('xmlrpc');
const GOOD = DOCS[0];
const paramsOf = (doc: string | Uint8Array): string => {
  const m = decodeXmlRpc(doc);
  return m.kind === 'fault' ? 'fault' : repr({ t: 'list', items: m.params });
};
const GOOD_PARAMS = paramsOf(GOOD);

function checkXml(doc: string | Uint8Array): void {
  if (declaredOnly('xml-rpc', () => decodeXmlRpc(doc), DECLARED)) {
    const r = paramsOf(GOOD);
    check(r === GOOD_PARAMS, () => `after a failure the golden reply decodes to ${r}`);
  }
}

const enc = new TextEncoder();

describe('XML-RPC decoder fuzz', () => {
  it('decodes every golden document Python wrote', () => {
    expect(DOCS.length).toBeGreaterThan(20);
    expect(GOOD_PARAMS).toBe('[5]');
    for (const d of DOCS) expect(declaredOnly('xml-rpc', () => decodeXmlRpc(d), [])).toBeUndefined();
  });

  it('golden documents with characters edited', { timeout: LONG_TIMEOUT }, () => {
    timed('xml-rpc', () => fc.assert(fc.property(fc.constantFrom(...DOCS).chain(damaged), checkXml), { numRuns: runs(1000, 0.25) }));
  });

  it('golden documents with bytes mutated (UTF-8 broken, lengths inflated)', { timeout: LONG_TIMEOUT }, () => {
    const docs = DOCS.map((d) => enc.encode(d));
    timed('xml-rpc', () => fc.assert(fc.property(fc.constantFrom(...docs), mutations, (d, ms) => checkXml(mutate(d, ms))), { numRuns: runs(1000, 0.25) }));
  });

  it('encoded random values with characters edited', { timeout: LONG_TIMEOUT }, () => {
    const doc = value.chain((v) => damaged(new TextDecoder().decode(encodeMethodCall('m', [v])).replace('methodCall', 'methodResponse').replace('methodCall', 'methodResponse')));
    timed('xml-rpc', () => fc.assert(fc.property(doc, checkXml), { numRuns: runs(1000, 0.25) }));
  });

  it('random bytes', { timeout: LONG_TIMEOUT }, () => {
    timed('xml-rpc', () => fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), checkXml), { numRuns: runs(1000, 0.25) }));
  });

  it('round-trips undamaged values', { timeout: LONG_TIMEOUT }, () => {
    // What XML-RPC carries exactly: unique struct keys; XML cannot hold control characters and
    // turns \r into \n, so strings here are printable.
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
        fc.uniqueArray(fc.tuple(text, tie('v')), { maxLength: 4, selector: ([k]) => k }).map((es): PyValue => strDict(es)),
      ),
    })).v;
    fc.assert(
      fc.property(plain, (v) => {
        const back = decodeXmlRpc(encodeMethodCall('m', [v]));
        expect(back.kind === 'call' && back.params[0]).toEqual(v);
      }),
      { numRuns: sideRuns(500) },
    );
  });
});
