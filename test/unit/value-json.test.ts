// The JSON-safe value form survives JSON text unchanged (property test), its schema rejects what
// it must, and the natural --json form follows its documented mapping.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromJsonSafe, jsonSafeValueSchema, parseJsonSafe, pyToJson, toJsonSafe } from '../../src/common/value-json';
import { repr } from '../../src/common/repr';
import { isRpcError } from '../../src/common/errors';
import type { PyList, PyValue } from '../../src/common/value';
import { bytes, dict, float, int, list, None, str, strDict, tuple } from '../../src/common/value';
import { anyString, pyValue, scalar } from './arbitraries';

const exotic: fc.Arbitrary<PyValue> = fc.oneof(
  fc.record({ module: fc.string(), name: fc.string() }).map(({ module, name }): PyValue => ({ t: 'global', module, name })),
  fc.record({ cls: fc.string(), handle: fc.string(), repr: fc.option(fc.string(), { nil: undefined }) }).map(({ cls, handle, repr }): PyValue =>
    repr === undefined ? { t: 'ref', cls, handle } : { t: 'ref', cls, handle, repr },
  ),
  fc
    .record({ module: fc.string(), name: fc.string(), args: fc.array(scalar, { maxLength: 3 }), state: fc.option(scalar, { nil: undefined }), display: fc.option(anyString, { nil: undefined }), exception: fc.option(fc.boolean(), { nil: undefined }) })
    .map((o): PyValue => {
      const v: PyValue = { t: 'object', module: o.module, name: o.name, args: o.args };
      if (o.state !== undefined) v.state = o.state;
      if (o.display !== undefined) v.display = o.display;
      if (o.exception !== undefined) v.exception = o.exception;
      return v;
    }),
  fc.array(scalar, { maxLength: 4 }).map((items): PyValue => ({ t: 'set', items })),
);

const anyValue = fc.oneof(pyValue, exotic, fc.array(fc.oneof(pyValue, exotic), { maxLength: 3 }).map((items): PyValue => ({ t: 'tuple', items })));

const viaJsonText = (v: PyValue): PyValue => parseJsonSafe(JSON.parse(JSON.stringify(toJsonSafe(v))));

describe('JSON-safe form', () => {
  it('round-trips every value through JSON text', () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        expect(viaJsonText(v)).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the floats JSON cannot hold', () => {
    for (const x of [NaN, Infinity, -Infinity, -0, 5e-324]) {
      const back = viaJsonText(float(x));
      expect(back.t === 'float' && Object.is(back.v, x)).toBe(true);
    }
    expect(toJsonSafe(float(-0))).toEqual({ t: 'float', v: '-0' });
    expect(toJsonSafe(int(2n ** 70n))).toEqual({ t: 'int', v: '1180591620717411303424' });
    expect(toJsonSafe(bytes(Uint8Array.from([0, 255])))).toEqual({ t: 'bytes', b64: 'AP8=' });
  });

  it('carries a container that contains itself', () => {
    const l: PyList = list([int(1)]);
    l.items.push(tuple([l]));
    const j = toJsonSafe(l);
    expect(j).toEqual({ t: 'list', items: [{ t: 'int', v: '1' }, { t: 'tuple', items: [{ t: 'backref', up: 2 }] }] });
    const back = viaJsonText(l);
    expect(repr(back)).toBe('[1, ([...],)]');
  });

  it('rejects malformed input with E_DECODE', () => {
    for (const bad of [null, 5, { t: 'int', v: 'x1' }, { t: 'bytes', b64: '!!' }, { t: 'list' }, { t: 'nope' }, { t: 'backref', up: 1 }, { t: 'float', v: 'NaN' }]) {
      let err: unknown;
      try {
        parseJsonSafe(bad);
      } catch (e) {
        err = e;
      }
      expect(isRpcError(err, 'E_DECODE'), JSON.stringify(bad)).toBe(true);
    }
    expect(jsonSafeValueSchema.safeParse({ t: 'dict', entries: [[{ t: 'str', v: 'a' }, { t: 'none' }]] }).success).toBe(true);
    expect(() => fromJsonSafe({ t: 'bytes', b64: 'A' })).toThrow(/base64/);
  });
});

describe('JSON-safe preview', () => {
  const ints = (n: number) => list(Array.from({ length: n }, (_, i) => int(i)));

  it('is the whole form when every container fits', () => {
    fc.assert(
      fc.property(anyValue, (v) => {
        expect(toJsonSafe(v, { items: 1e9, nodes: 1e9 })).toEqual(toJsonSafe(v));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the first items of each large container and counts the rest', () => {
    const rows = list(Array.from({ length: 2500 }, (_, i) => strDict([['id', int(i)], ['tags', ints(3)]])));
    const p = toJsonSafe(rows, { items: 1000, nodes: 50_000 }) as { items: unknown[]; more?: number };
    expect(p.items).toHaveLength(1000);
    expect(p.more).toBe(1500);
    expect(p.items[999]).toEqual(toJsonSafe(rows.items[999]));
    const d = toJsonSafe(dict(Array.from({ length: 5 }, (_, i) => [int(i), None])), { items: 2, nodes: 100 });
    expect(d).toEqual({ t: 'dict', entries: [[{ t: 'int', v: '0' }, { t: 'none' }], [{ t: 'int', v: '1' }, { t: 'none' }]], more: 3 });
  });

  it('leaves out the containers met after its node budget, saying how many items each had', () => {
    const nested = list([ints(10), ints(10), list([]), ints(4)]);
    expect(toJsonSafe(nested, { items: 1000, nodes: 15 })).toEqual({
      t: 'list',
      items: [toJsonSafe(ints(10)), { t: 'list', items: [{ t: 'int', v: '0' }], more: 9 }, { t: 'list', items: [] }, { t: 'list', items: [], more: 4 }],
    });
    // a container inside itself still refers back
    const l: PyList = list([int(1)]);
    l.items.push(l);
    expect(toJsonSafe(l, { items: 1, nodes: 10 })).toEqual({ t: 'list', items: [{ t: 'int', v: '1' }], more: 1 });
    expect(toJsonSafe(l, { items: 2, nodes: 10 })).toEqual({ t: 'list', items: [{ t: 'int', v: '1' }, { t: 'backref', up: 1 }] });
  });
});

describe('natural JSON (--json)', () => {
  it('follows the documented mapping', () => {
    const v = dict([
      [str('n'), None],
      [str('small'), int(7)],
      [str('big'), int(2n ** 64n)],
      [str('f'), list([float(1.5), float(NaN), float(-Infinity)])],
      [str('b'), bytes(Uint8Array.from([104, 105]))],
      [str('t'), tuple([str('a'), { t: 'bool', v: true }])],
      [str('__proto__'), { t: 'complex', re: 1, im: 2 }],
      [str('nested'), dict([[int(1), str('one')]])],
      [str('p'), { t: 'object', module: 'common', name: 'Point', args: [], state: strDict([['x', int(1)]]) }],
      [str('g'), { t: 'global', module: 'builtins', name: 'int' }],
    ]);
    const out = JSON.parse(JSON.stringify(pyToJson(v)));
    expect(out).toEqual({
      n: null,
      small: 7,
      big: '18446744073709551616',
      f: [1.5, { $float: 'nan' }, { $float: '-inf' }],
      b: { $bytes: 'aGk=' },
      t: ['a', true],
      ['__proto__']: { $complex: [1, 2] },
      nested: { $dict: [[1, 'one']] },
      p: { $object: 'common.Point', state: { x: 1 } },
      g: { $class: 'builtins.int' },
    });
    expect(Object.keys(out)).toContain('__proto__');
  });

  it('marks a cycle instead of looping', () => {
    const l: PyList = list([]);
    l.items.push(l);
    expect(pyToJson(l)).toEqual([{ $cycle: true }]);
  });
});

describe('limits', () => {
  it('refuses absurdly deep values with E_LIMIT instead of overflowing the stack', () => {
    let v: PyValue = int(0);
    for (let i = 0; i < 50_000; i++) v = list([v]);
    expect(() => toJsonSafe(v)).toThrow(expect.objectContaining({ code: 'E_LIMIT' }));
    expect(() => pyToJson(v)).toThrow(expect.objectContaining({ code: 'E_LIMIT' }));
    let j: unknown = { t: 'none' };
    for (let i = 0; i < 50_000; i++) j = { t: 'list', items: [j] };
    expect(() => parseJsonSafe(j)).toThrow(expect.objectContaining({ code: 'E_LIMIT' }));
  });

  it('handles values nested as deep as the decoders allow', () => {
    let v: PyValue = int(0);
    for (let i = 0; i < 500; i++) v = list([v]);
    expect(viaJsonText(v)).toEqual(v);
  });
});
