// JSON values and JSON-RPC responses on damaged input: responses Python's json module wrote
// (test/golden/jsonrpc) and responses we encode, with characters edited or bytes mutated, and random
// bytes. A value or a declared RpcError, nothing else (no TypeError, no stack overflow, no hang),
// and a good response decodes after a failure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonToPy, pyToJsonText } from '../../src/codecs/json-value';
import { decodeJsonRpcResponse, responseId } from '../../src/codecs/jsonrpc';
import { repr } from '../../src/common/repr';
import { dict, strDict, type PyValue } from '../../src/common/value';
import { check, declaredOnly, LONG_TIMEOUT, mutations, mutate, runs, saveTally, sideRuns, timed } from './fuzz-helpers';
import { damaged, golden, value } from './xml-json-fixtures';

saveTally('json');

const DECLARED = ['E_DECODE', 'E_PROTOCOL', 'E_LIMIT'] as const;
const DOCS = golden('jsonrpc');
const GOOD = DOCS[0];
const GOOD_REPR = repr(jsonToPy(GOOD));
const enc = new TextEncoder();

/** Both decoders on one input: JSON to a Python value, and the JSON-RPC response framing. */
function checkJson(text: string | Uint8Array): void {
  if (declaredOnly('json', () => jsonToPy(text), DECLARED)) {
    const r = repr(jsonToPy(GOOD));
    check(r === GOOD_REPR, () => `after a failure the golden response decodes to ${r}`);
  }
  if (declaredOnly('json-rpc', () => decodeJsonRpcResponse(text), DECLARED)) {
    const r = decodeJsonRpcResponse(GOOD);
    check(!Array.isArray(r) && responseId(r) === 1, 'after a failure the golden response has no id 1');
  }
}

const jsonRpcReply = (v: PyValue): string =>
  pyToJsonText(dict([[{ t: 'str', v: 'jsonrpc' }, { t: 'str', v: '2.0' }], [{ t: 'str', v: 'result' }, v], [{ t: 'str', v: 'id' }, { t: 'int', v: 1n }]]));

describe('JSON and JSON-RPC decoder fuzz', () => {
  it('decodes every golden response Python wrote', () => {
    expect(DOCS.length).toBeGreaterThan(20);
    expect(GOOD_REPR).toBe("{'jsonrpc': '2.0', 'result': 5, 'id': 1}");
    for (const d of DOCS) expect(declaredOnly('json', () => jsonToPy(d), [])).toBeUndefined();
  });

  it('golden responses with characters edited', { timeout: LONG_TIMEOUT }, () => {
    timed('json', () => fc.assert(fc.property(fc.constantFrom(...DOCS).chain(damaged), checkJson), { numRuns: runs(1000, 0.25) }));
  });

  it('golden responses with bytes mutated (UTF-8 broken)', { timeout: LONG_TIMEOUT }, () => {
    const docs = DOCS.map((d) => enc.encode(d));
    timed('json', () => fc.assert(fc.property(fc.constantFrom(...docs), mutations, (d, ms) => checkJson(mutate(d, ms))), { numRuns: runs(1000, 0.25) }));
  });

  it('encoded random values with characters edited', { timeout: LONG_TIMEOUT }, () => {
    timed('json', () => fc.assert(fc.property(value.chain((v) => damaged(jsonRpcReply(v))), checkJson), { numRuns: runs(1000, 0.25) }));
  });

  it('random bytes', { timeout: LONG_TIMEOUT }, () => {
    timed('json', () => fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), checkJson), { numRuns: runs(1000, 0.25) }));
  });

  it('round-trips undamaged values', { timeout: LONG_TIMEOUT }, () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '"', '\\', '\n', '\u0000', '😀', '\u2028') });
    const plain = fc.letrec<{ v: PyValue }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((v): PyValue => ({ t: 'int', v })),
        fc.double({ noNaN: true }).map((v): PyValue => ({ t: 'float', v })),
        text.map((v): PyValue => ({ t: 'str', v })),
        fc.boolean().map((v): PyValue => ({ t: 'bool', v })),
        fc.constant<PyValue>({ t: 'none' }),
        fc.array(tie('v'), { maxLength: 4 }).map((items): PyValue => ({ t: 'list', items })),
        fc.uniqueArray(fc.tuple(text, tie('v')), { maxLength: 4, selector: ([k]) => k }).map((es): PyValue => strDict(es)),
      ),
    })).v;
    fc.assert(fc.property(plain, (v) => void expect(jsonToPy(pyToJsonText(v))).toEqual(v)), { numRuns: sideRuns(500) });
  });
});
