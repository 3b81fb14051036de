// Inputs shared by the XML-RPC and JSON fuzz targets: documents Python wrote, values to encode, and
// text edits that damage a document where it matters (markup, quotes, digits, separators).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { strDict, type PyValue } from '../../src/common/value';

export const golden = (name: 'xmlrpc' | 'jsonrpc'): string[] => JSON.parse(readFileSync(join(__dirname, '..', 'golden', name, 'docs.json'), 'utf8')) as string[];

const leaf: fc.Arbitrary<PyValue> = fc.oneof(
  fc.integer().map((v): PyValue => ({ t: 'int', v: BigInt(v) })),
  fc.double({ noNaN: true }).map((v): PyValue => ({ t: 'float', v })),
  fc.string().map((v): PyValue => ({ t: 'str', v })),
  fc.boolean().map((v): PyValue => ({ t: 'bool', v })),
  fc.constant<PyValue>({ t: 'none' }),
);

export const value = fc.letrec<{ v: PyValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('v'), { maxLength: 4 }).map((items): PyValue => ({ t: 'list', items })),
    fc.array(fc.tuple(fc.string({ maxLength: 4 }), tie('v')), { maxLength: 4 }).map((es): PyValue => strDict(es)),
  ),
})).v;

/** A valid document with a few characters overwritten, inserted or cut. */
export function damaged(text: string): fc.Arbitrary<string> {
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
