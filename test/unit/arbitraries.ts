// fast-check generators of Python values, shared by the parity and round-trip tests.
// Sets hold distinct ints 0..7 in ascending order: the order CPython iterates them in.
import fc from 'fast-check';
import { strDict, type PyValue } from '../../src/common/value';

export const tricky = fc.constantFrom("'", '"', '\\', '\n', '\t', '\r', '\x00', '\x7f', '\x80', '\xa0', '\xad', '\u2028', '\u200b', '\ud800', '\udfff', '\u{1f600}', '\u{e0001}', '\u{10ffff}', 'é', '\u0378', ' ');
export const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.array(fc.oneof(tricky, fc.string({ maxLength: 2 })), { maxLength: 8 }).map((a) => a.join('')),
  fc.string({ unit: fc.integer({ min: 0, max: 0x2fff }).map((c) => String.fromCodePoint(c)), maxLength: 10 }),
);
export const floats = fc.oneof(
  fc.double(),
  fc.constantFrom(0.1, 100, 1e16, 1e15, 9999999999999998, 1e-5, 1e-4, 5e-324, 1.5e300, -0, NaN, Infinity, -Infinity, 2 ** 53, 123456789012345680, 0.30000000000000004),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 1000),
);
export const ints = fc.oneof(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), fc.bigInt({ min: -300n, max: 300n }));
const smallIntSet = fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { maxLength: 8 }).map((a) => a.sort((x, y) => x - y).map((n): PyValue => ({ t: 'int', v: BigInt(n) })));

export const scalar: fc.Arbitrary<PyValue> = fc.oneof(
  fc.constant<PyValue>({ t: 'none' }),
  fc.boolean().map((v): PyValue => ({ t: 'bool', v })),
  ints.map((v): PyValue => ({ t: 'int', v })),
  floats.map((v): PyValue => ({ t: 'float', v })),
  fc.tuple(floats, floats).map(([re, im]): PyValue => ({ t: 'complex', re, im })),
  fc.tuple(fc.constantFrom(0, -0), floats).map(([re, im]): PyValue => ({ t: 'complex', re, im })),
  anyString.map((v): PyValue => ({ t: 'str', v })),
  fc.uint8Array({ maxLength: 12 }).map((v): PyValue => ({ t: 'bytes', v })),
  fc.array(fc.constantFrom(0x27, 0x22, 0x5c, 0x41, 0x00, 0x7f, 0x80, 0xff, 0x0a), { maxLength: 6 }).map((a): PyValue => ({ t: 'bytes', v: Uint8Array.from(a) })),
  fc.uint8Array({ maxLength: 6 }).map((v): PyValue => ({ t: 'bytearray', v })),
  smallIntSet.map((items): PyValue => ({ t: 'set', items })),
  smallIntSet.map((items): PyValue => ({ t: 'frozenset', items })),
);

/** Values Python can rebuild from their JSON-safe form and print in the same order. */
export const { value: pyValue } = fc.letrec<{ value: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }).map((items): PyValue => ({ t: 'list', items })),
    fc.array(tie('value'), { maxLength: 4 }).map((items): PyValue => ({ t: 'tuple', items })),
    fc
      .uniqueArray(fc.tuple(fc.oneof(anyString, fc.bigInt({ min: -1000n, max: 1000n }).map(String)), tie('value')), { selector: ([k]) => k, maxLength: 4 })
      .map((entries): PyValue => strDict(entries)),
    fc
      .tuple(fc.constantFrom('ValueError', 'KeyError', 'TypeError', 'RuntimeError', 'Exception'), fc.array(tie('value'), { maxLength: 3 }))
      .map(([name, args]): PyValue => ({ t: 'object', module: 'builtins', name, args })),
  ),
}));

