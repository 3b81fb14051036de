// Subscription parity with CPython: Python evaluates `v[key]` and `v[a:b:c]` over values of every
// built-in kind (hand-picked keys and random slices) and prints the result's repr or the exception
// as it would (`IndexError: list index out of range`); the parser here must print the same.
import { describe, expect, it } from 'vitest';
import { isRpcError } from '../../src/common/errors';
import { parseLiteral, parseStatement } from '../../src/common/parse';
import { repr } from '../../src/common/repr';
import type { PyValue } from '../../src/common/value';
import { runPython } from '../helpers/python';

/** The variables, as sources both sides evaluate. */
const VARS: Record<string, string> = {
  l: "[1, 'two', (3, 4.5), None, [5, 6]]",
  t: '(10, 20, 30)',
  s: "'héllo 🐍 wörld'",
  b: "b'\\x00abc\\xff'",
  ba: "bytearray(b'xyz')",
  d: "{'a': 1, 2: 'b', (1, 2): [3], True: 'yes', 1.5: 'f', None: 0, b'k': 'bytes', frozenset({1}): 'fs'}",
  e: '[]',
  n: 'None',
  i: '42',
  st: '{1, 2}',
};

const PY = String.raw`
import json, random
VARS = json.loads(${JSON.stringify(JSON.stringify(VARS))})
env = {k: eval(v) for k, v in VARS.items()}
rng = random.Random(7)
keys = ['0', '1', '-1', '-6', '5', '100', '-100', 'True', 'False', "'a'", '2', '(1, 2)', '1, 2', '[1]', '1.5', '1.0', 'None',
        "b'k'", 'frozenset({1})', '{1}', "'x'", '2**70', '-2**70']
slices = [':', '1:', ':-1', '::2', '::-1', '-100:100', '3:1:-1', '1:2:0', "'a':", 'None:None:None', '::True', '1.5:', ':2**70', '-2**70::-1']
def part():
    return rng.choice(['', '', str(rng.randint(-8, 8)), 'None'])
for _ in range(120):
    step = rng.choice(['', '', str(rng.choice([-3, -2, -1, 1, 2, 3]))])
    slices.append(part() + ':' + part() + (':' + step if step else rng.choice(['', ':'])))
out = []
for name in VARS:
    for k in keys + slices:
        src = '%s[%s]' % (name, k)
        try:
            got = repr(eval(src, dict(env)))
        except Exception as e:
            got = '%s: %s' % (type(e).__name__, e)
        out.append([src, got])
# chained, and inside containers
for src in ["l[2][1]", "l[4][::-1][0]", "d[(1, 2)][0]", "[l[0], t[-1]]", "{'k': s[0]}", "(d['a'],)", "l[1][1:3]", "d['a'][0]"]:
    try:
        got = repr(eval(src, dict(env)))
    except Exception as e:
        got = '%s: %s' % (type(e).__name__, e)
    out.append([src, got])
print(json.dumps(out))
`;

// 2**70 is an operator here: those sources use the literal
const literalOf = (src: string) => src.replace(/2\*\*70/g, String(2n ** 70n));

describe('subscription parity with CPython', () => {
  const cases = JSON.parse(runPython(PY)) as [string, string][];
  const env = new Map<string, PyValue>(Object.entries(VARS).map(([k, v]) => [k, parseLiteral(v)]));
  const resolve = (name: string) => env.get(name);

  it(`prints what Python prints for ${cases.length} subscriptions`, () => {
    const mismatches: string[] = [];
    for (const [src, want] of cases) {
      let got: string;
      try {
        got = repr(parseLiteral(literalOf(src), { resolve }));
      } catch (e) {
        if (!isRpcError(e, 'E_PARSE')) throw e;
        got = e.message.replace(/ at column \d+$/, '');
      }
      if (got !== want) mismatches.push(`${src}: got ${got}, Python ${want}`);
    }
    expect(mismatches).toEqual([]);
    expect(cases.length).toBeGreaterThan(1000);
  });

  it('refuses what is no subscription of a value', () => {
    const fail = (src: string) => {
      try {
        parseLiteral(src, { resolve });
      } catch (e) {
        return isRpcError(e, 'E_PARSE') ? e.message : String(e);
      }
      return 'parsed';
    };
    expect(fail('l[]')).toBe('invalid syntax: nothing between [ and ] at column 2');
    expect(fail('l[0')).toBe("'[' was never closed at column 2");
    expect(fail('l[0]]')).toBe("unexpected ']' at column 5");
    // a remote object's [...] would be a call of its __getitem__
    const ref: PyValue = { t: 'ref', cls: '__main__.Counter', handle: '1' };
    expect(() => parseLiteral('c[0]', { resolve: (n) => (n === 'c' ? ref : undefined) })).toThrow(
      'a remote object (__main__.Counter) cannot be subscripted here: call its methods instead at column 2',
    );
    // nor is a call's reply subscripted where it is made
    expect(() => parseStatement("x = get_nested()['a']")).toThrow("a call's result is subscripted in a statement of its own: x = get_nested(...), then x[...] at column 17");
    expect(() => parseStatement('get_list()[0]')).toThrow("a call's result is subscripted in a statement of its own: x = get_list(...), then x[...]");
    // a subscription is a value: it may be assigned, and passed as an argument
    expect(parseStatement("y = d['a']", { resolve })).toEqual({ kind: 'assign', target: 'y', value: { t: 'int', v: 1n } });
    expect(parseStatement('add(l[0], t[-1])', { resolve })).toMatchObject({ kind: 'call', call: { method: 'add', args: [{ t: 'int', v: 1n }, { t: 'int', v: 30n }] } });
  });
});
