// The hand-written check of the JSON-safe form against the form's declarative definition (a zod
// schema, the one the bridge used before: correct, but a minute for a large reply): both accept and
// refuse the same inputs, valid values and values mutated at any place; and a problem names its place.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { jsonSafeProblem } from '../../src/common/value-json-check';
import { formatValuePath, jsonSafeValueSchema, MAX_JSON_DEPTH, parseJsonSafe, toJsonSafe, type JsonSafeValue } from '../../src/common/value-json';
import { isRpcError } from '../../src/common/errors';
import { pyValue } from './arbitraries';

const floatSpec = z.union([z.number(), z.enum(['nan', 'inf', '-inf', '-0'])]);
const spec: z.ZodType<JsonSafeValue> = z.lazy(() =>
  z.union([
    z.object({ t: z.literal('none') }),
    z.object({ t: z.literal('bool'), v: z.boolean() }),
    z.object({ t: z.literal('int'), v: z.string().regex(/^-?\d+$/) }),
    z.object({ t: z.literal('float'), v: floatSpec }),
    z.object({ t: z.literal('complex'), re: floatSpec, im: floatSpec }),
    z.object({ t: z.literal('str'), v: z.string() }),
    z.object({ t: z.enum(['bytes', 'bytearray']), b64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/) }),
    z.object({ t: z.enum(['list', 'tuple', 'set', 'frozenset']), items: z.array(spec), more: z.number().int().min(1).optional() }),
    z.object({ t: z.literal('dict'), entries: z.array(z.tuple([spec, spec])), more: z.number().int().min(1).optional() }),
    z.object({
      t: z.literal('object'),
      module: z.string(),
      name: z.string(),
      args: z.array(spec),
      kwargs: z.array(z.tuple([z.string(), spec])).optional(),
      state: spec.optional(),
      listItems: z.array(spec).optional(),
      dictItems: z.array(z.tuple([spec, spec])).optional(),
      display: z.string().optional(),
      exception: z.boolean().optional(),
    }),
    z.object({ t: z.literal('global'), module: z.string(), name: z.string() }),
    z.object({ t: z.literal('ref'), cls: z.string(), handle: z.string(), repr: z.string().optional() }),
    z.object({ t: z.literal('backref'), up: z.number().int().min(1) }),
  ]),
);

const objectParts = fc.record(
  {
    module: fc.string(),
    name: fc.string(),
    args: fc.array(pyValue, { maxLength: 2 }),
    kwargs: fc.array(fc.tuple(fc.string(), pyValue), { maxLength: 2 }),
    state: pyValue,
    listItems: fc.array(pyValue, { maxLength: 2 }),
    dictItems: fc.array(pyValue, { maxLength: 4 }),
    display: fc.string(),
    exception: fc.boolean(),
  },
  { requiredKeys: ['module', 'name', 'args'] },
);
const jsonSafe: fc.Arbitrary<unknown> = fc.oneof(
  pyValue.map((v) => toJsonSafe(v)),
  objectParts.map((o) => toJsonSafe({ t: 'object', ...o, dictItems: o.dictItems?.slice(0, o.dictItems.length & ~1) })),
  fc.constant({ t: 'list', items: [{ t: 'backref', up: 1 }] }),
  // previews: containers cut short
  fc.tuple(pyValue, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 8 })).map(([v, items, nodes]) => toJsonSafe(v, { items, nodes })),
);

/** Every place in a JSON tree where something can be put or taken away. */
function slots(x: unknown, out: [Record<string | number, unknown>, string | number][] = []): [Record<string | number, unknown>, string | number][] {
  if (typeof x !== 'object' || x === null) return out;
  const o = x as Record<string | number, unknown>;
  for (const k of Array.isArray(x) ? x.keys() : Object.keys(o)) {
    out.push([o, k]);
    slots(o[k], out);
  }
  return out;
}

const junk = fc.constantFrom<unknown>(undefined, null, 5, 1.5, -1, 0, NaN, Infinity, 'x', '12', '-0', 'nan', '!!', true, [], [1], [{ t: 'none' }], {}, { t: 'int', v: '1x' }, { t: 'nope' }, { t: 'backref', up: 0 }, { t: 'str' });

/** A valid JSON-safe value with one place replaced by junk (or removed). */
const mutated = fc.tuple(jsonSafe, fc.nat(), junk).map(([v, at, j]) => {
  const copy = structuredClone(v);
  const all = slots(copy);
  if (all.length === 0) return j;
  const [o, k] = all[at % all.length];
  if (j === undefined && !Array.isArray(o)) delete o[k];
  else o[k] = j;
  return copy;
});

describe('JSON-safe check', () => {
  it('accepts what the form allows: every value rpcscope makes, and object parts of every kind', () => {
    fc.assert(
      fc.property(jsonSafe, (v) => {
        expect(spec.safeParse(v).success).toBe(true);
        expect(jsonSafeProblem(v, MAX_JSON_DEPTH)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it('refuses exactly what the form refuses, wherever the damage is', () => {
    let refused = 0;
    fc.assert(
      fc.property(mutated, (v) => {
        const ok = spec.safeParse(v).success;
        if (!ok) refused++;
        expect(jsonSafeProblem(v, MAX_JSON_DEPTH) === undefined, JSON.stringify(v)).toBe(ok);
      }),
      { numRuns: 3000 },
    );
    expect(refused).toBeGreaterThan(1000);
  });

  it('names the place and the problem', () => {
    const bad = { t: 'dict', entries: [[{ t: 'str', v: 'a' }, { t: 'list', items: [{ t: 'int', v: '1' }, { t: 'int', v: 'x' }] }]] };
    expect(jsonSafeProblem(bad, MAX_JSON_DEPTH)).toEqual({ path: ['entries', 0, 1, 'items', 1, 'v'], message: "an int's v must be its decimal digits as a string" });
    expect(formatValuePath(['entries', 0, 1, 'items', 1, 'v'])).toBe('entries[0][1].items[1].v');
    expect(jsonSafeProblem({ t: 'object', module: 'm', name: 'n', args: [], kwargs: [[1, { t: 'none' }]] }, MAX_JSON_DEPTH)).toEqual({ path: ['kwargs', 0, 0], message: 'expected a keyword name' });
    expect(jsonSafeProblem({ t: 'tuple', items: [[]] }, MAX_JSON_DEPTH)).toEqual({ path: ['items', 0], message: 'expected a value object with a "t" tag' });
    expect(jsonSafeProblem({ t: 'dict', entries: [[{ t: 'none' }]] }, MAX_JSON_DEPTH)).toEqual({ path: ['entries', 0], message: 'expected a [key, value] pair' });
    expect(jsonSafeProblem({ t: 'spam' }, MAX_JSON_DEPTH)).toEqual({ path: ['t'], message: 'unknown value tag "spam"' });
    expect(jsonSafeProblem(null, MAX_JSON_DEPTH)?.path).toEqual([]);
    expect(() => parseJsonSafe(bad)).toThrow("not a valid value: an int's v must be its decimal digits as a string at entries[0][1].items[1].v");
  });

  it('refuses a value nested deeper than it follows, without overflowing the stack', () => {
    const nest = (levels: number): unknown => {
      let v: unknown = { t: 'none' };
      for (let i = 0; i < levels; i++) v = { t: 'list', items: [v] };
      return v;
    };
    expect(jsonSafeProblem(nest(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBeUndefined();
    expect(jsonSafeProblem(nest(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toMatchObject({ message: 'nested deeper than 1000 levels', tooDeep: true });
    const deep = nest(1400); // within the JSON nesting parseJsonSafe allows before it looks closer
    let err: unknown;
    try {
      parseJsonSafe(deep);
    } catch (e) {
      err = e;
    }
    expect(isRpcError(err, 'E_LIMIT')).toBe(true);
  });

  it('passes a checked value on as it is, not a copy', () => {
    const v = toJsonSafe({ t: 'list', items: [{ t: 'str', v: 'a' }] });
    const r = z.object({ value: jsonSafeValueSchema }).parse({ value: v });
    expect(r.value).toBe(v);
    expect(jsonSafeValueSchema.safeParse({ t: 'int', v: '1.5' }).error?.issues[0]).toMatchObject({ path: ['v'], message: "an int's v must be its decimal digits as a string at v" });
  });
});
