// Parser parity with CPython: Python writes literal sources (reprs of random values and hand-varied
// spellings), evaluates them with ast.literal_eval, and sends both; the parser here must produce the
// same value. Sets are compared as unordered (the parser keeps the written order; Python hashes).
// Sources Python rejects must be rejected here too, with E_PARSE.
import { describe, expect, it } from 'vitest';
import { parseLiteral, parseStatement } from '../../src/common/parse';
import { isRpcError } from '../../src/common/errors';
import { toJsonSafe, type JsonSafeValue } from '../../src/common/value-json';
import { runPython } from '../helpers/python';

const PY = String.raw`
import ast, json, math, random, struct, sys
sys.path.insert(0, ${JSON.stringify(__dirname)})
from pyjson import encode
rng = random.Random(1234)

def rand_float():
    r = rng.random()
    if r < 0.3:
        return struct.unpack('<d', struct.pack('<Q', rng.getrandbits(64)))[0]
    if r < 0.4:
        return rng.choice([0.0, -0.0, 1e16, 1e-5, 5e-324, 1.5e300, 0.1, 100.0, 2.0**53])
    return rng.uniform(-1e6, 1e6)

def rand_str():
    n = rng.randint(0, 8)
    pools = [(0x20, 0x7e), (0, 0x20), (0x80, 0x2fff), (0xd800, 0xdfff), (0x10000, 0x10ffff)]
    out = []
    for _ in range(n):
        lo, hi = rng.choice(pools)
        out.append(chr(rng.randint(lo, hi)))
    out.append(rng.choice(['', "'", '"', '\\', "'\""]))
    return ''.join(out)

def rand_scalar():
    k = rng.randint(0, 8)
    if k == 0: return rng.choice([None, True, False])
    if k == 1: return rng.randint(-2**200, 2**200)
    if k == 2: return rng.randint(-1000, 1000)
    if k == 3:
        x = rand_float()
        return x if math.isfinite(x) else 1.0
    if k == 4:
        re, im = rand_float(), rand_float()
        return complex(re if math.isfinite(re) else 0.0, im if math.isfinite(im) else 1.0)
    if k == 5: return bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 8)))
    return rand_str()

def rand_hashable(depth):
    if depth > 1 or rng.random() < 0.7:
        v = rand_scalar()
        return v
    return tuple(rand_hashable(depth + 1) for _ in range(rng.randint(0, 3)))

def rand_value(depth=0):
    if depth > 3 or rng.random() < 0.4:
        return rand_scalar()
    k = rng.randint(0, 4)
    n = rng.randint(0, 4)
    if k == 0: return [rand_value(depth + 1) for _ in range(n)]
    if k == 1: return tuple(rand_value(depth + 1) for _ in range(n))
    if k == 2: return {rand_hashable(depth + 1): rand_value(depth + 1) for _ in range(n)}
    if k == 3: return {rand_hashable(depth + 1) for _ in range(n)}
    return rand_scalar()

sources = [repr(rand_value()) for _ in range(600)]
sources += [json.dumps(rand_str()) for _ in range(50)]
sources += [
    "0x_FF", "0XfF", "0o777", "0O_7", "0b1_0", "0B0", "1_0.0_1e1_0", "1E+5", "1e-5", ".5j", "1_0j", "5.J",
    "rb'\\x00'", "Rb'\\d'", "bR'\\''", "b'\\101\\x41'", "b'\\777'", "'\\777'", "'\\0'", "'\\18'",
    "'a' \"b\" '''c''' \"\"\"d\"\"\"", "u'x' U'y'", "R'\\d'", "r'\\\\'", "'\\N{BULLET}'", "'\\N{EURO SIGN}x'",
    "'\\N{greek small letter alpha}'", "'\\u00e9\\U0001F600'", "'a\\\nb'", "'''line1\nline2'''",
    "(1,)", "[1,]", "{1:2,}", "{1,}", "-0x10", "+1.5", "-(1)", "(((1)))", "set()", "1+2j", "-1.5-0j",
    "-0.0+1j", "-0.0-1j", "-2j", "0e0", "0_0", "00", "000.5", "1.e1", "9999999999999999999999.0", "1e-400",
    "1e400", "-1e400", "'\\x00\\t'", "[\n 1,\n 2\n]", "{1: 'a', True: 'b', 1.0: 'c'}", "{1, True, 1.0, 2}",
    "{(1, 2): [3], (1, 2.0): 4}", "{'a': {'b': {'c': ()}}}", "[[[[[]]]]]", "(1, (2, (3, (4,))))",
    "-5", "- 5", "+ 0x1", "0.1+0.2j", "12345678901234567890+1j", "'\\d\\w'", "b'\\u1234'", "'\\Q'",
    "None", "True", "False", "[None, True, False]", "{None: None}", "{b'x': b''}",
]
invalid = [
    "007", "0_", "1__0", "0b2", "0o8", "0x", "0xg", "1e", "1e+", "1abc", "1_.5", "1._5",
    "f'a'", "ur'a'", "b'\u00e9'", "'a' b'b'", "'abc", "'''abc''", "'a\nb'", "r'\\'",
    "'\\x4'", "'\\u12'", "'\\U00110000'", "'\\N{NO SUCH CHARACTER NAME}'", "'\\Nx'", "inf", "nan", "x",
    "--1", "-True", "-(1,)", "-'a'", "1+2", "2j+1", "1+-2j", "1+2j+3j", "1j+2j", "(1+2j)+3j", "{[]: 1}",
    "{(1, [2]): 1}", "{[1]}", "{{}: 1}", "[1,,2]", "(1, 2", "[1, 2)", "1 2", "len([1])", "$", "",
    "()()", "1 if 1 else 2", "{**{}}", "[*[]]", "lambda: 1", "a.b", "1;2", "1 == 1", "1 * 2",
    "frozenset()", "bytearray(b'')", "[1][0]", "(1, 2)[::-1]", "'abc'[1]",
]
# the last five are rejected by literal_eval but accepted by the parser on purpose (subscriptions
# are checked against Python in subscript-parity.test.ts)
extensions = invalid[-5:]
invalid = invalid[:-5]
cases = []
for src in sources:
    v = ast.literal_eval(src)
    cases.append({'src': src, 'value': encode(v), 'repr': repr(v)})
rejected = []
for src in invalid:
    try:
        ast.literal_eval(src)
        rejected.append({'src': src, 'python': 'accepted'})
    except Exception as e:
        rejected.append({'src': src, 'python': type(e).__name__})
json.dump({'cases': cases, 'rejected': rejected, 'extensions': extensions}, sys.stdout)
`;

interface Data {
  cases: { src: string; value: JsonSafeValue; repr: string }[];
  rejected: { src: string; python: string }[];
  extensions: string[];
}

/** Sets (at any depth) with their members sorted, so two set orders compare equal. */
function canonical(j: JsonSafeValue): JsonSafeValue {
  if (j.t === 'set' || j.t === 'frozenset') {
    const items = j.items.map(canonical);
    return { t: j.t, items: items.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
  }
  if (j.t === 'list' || j.t === 'tuple') return { t: j.t, items: j.items.map(canonical) };
  if (j.t === 'dict') return { t: 'dict', entries: j.entries.map(([k, v]) => [canonical(k), canonical(v)]) };
  return j;
}

describe('parser parity with ast.literal_eval', () => {
  const data = JSON.parse(runPython(PY)) as Data;

  it('parses what Python parses to the same value', () => {
    const mismatches: string[] = [];
    for (const c of data.cases) {
      let got: JsonSafeValue;
      try {
        got = canonical(toJsonSafe(parseLiteral(c.src)));
      } catch (e) {
        mismatches.push(`${c.src}: ${(e as Error).message}`);
        continue;
      }
      if (JSON.stringify(got) !== JSON.stringify(canonical(c.value))) mismatches.push(`${c.src}: got ${JSON.stringify(got)} want ${c.repr}`);
    }
    expect(data.cases.length).toBeGreaterThan(700);
    expect(mismatches.slice(0, 10)).toEqual([]);
  });

  it('rejects what Python rejects, with E_PARSE', () => {
    const accepted: string[] = [];
    for (const r of data.rejected) {
      expect(r.python, r.src).not.toBe('accepted');
      try {
        parseLiteral(r.src);
        accepted.push(r.src);
      } catch (e) {
        expect(isRpcError(e, 'E_PARSE'), `${r.src}: ${String(e)}`).toBe(true);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('accepts the documented extensions', () => {
    for (const src of data.extensions) expect(() => parseLiteral(src)).not.toThrow();
  });

  it("names Python's keywords as keywords, where a value or an assignment's name goes", () => {
    const keywords = (JSON.parse(runPython('import json, keyword; print(json.dumps(keyword.kwlist))')) as string[]).filter((k) => !['None', 'True', 'False'].includes(k));
    expect(keywords.length).toBeGreaterThan(30);
    for (const k of keywords) {
      expect(() => parseLiteral(`[1, ${k}]`), k).toThrow(new RegExp(`^only literals are allowed: '${k}' is a Python keyword`));
      expect(() => parseStatement(`${k} = 1`), k).toThrow(new RegExp(`^invalid syntax: '${k}' is a Python keyword`));
    }
  });
});
