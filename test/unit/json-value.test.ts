// JSON <-> PyValue against Python's json module: the same texts are loaded by json.loads and by
// jsonToPy and must print the same repr; values dumped by pyToJsonText must equal json.dumps.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { jsonToPy, pyToJsonText } from '../../src/codecs/json-value';
import { repr } from '../../src/common/repr';
import { isRpcError } from '../../src/common/errors';
import { dict } from '../../src/common/value';
import { runPython } from '../helpers/python';

const TEXTS = [
  '0',
  '-0',
  '12345678901234567890123456789',
  '-9007199254740993',
  '9007199254740993.0',
  '1e5',
  '1E-7',
  '-0.0',
  '1.5e300',
  '1e400',
  'NaN',
  'Infinity',
  '-Infinity',
  'true',
  'false',
  'null',
  '""',
  '"a\\"b\\\\c\\/d\\b\\f\\n\\r\\t"',
  '"\\u00e9\\ud83d\\ude00 \\ud800 é 😀"',
  '[]',
  '{}',
  ' [1, [2, [3, {"a": [true, null]}]]] ',
  '{"a": 1, "b": 2, "a": 3}',
  '{"k0":0,"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k3":33,"k9":9}',
  '{"res": "Please use the correct function"}',
  // records repeat their keys: the same keys again, fewer, more, others, a duplicate after them,
  // a key that starts like one before it, escaped keys, nested records at other depths
  '[{"a": 1, "b": 2}, {"a": 3, "b": 4}, {"a": 5}, {"a": 6, "b": 7, "c": 8}, {"b": 9, "a": 10}]',
  '[{"a": 1, "b": 2}, {"a": 3, "b": 4, "a": 5}, {"a": 6, "b": 7, "b": 8}, {"ab": 1, "a": 2}, {"a": 3, "ab": 4, "a": 5}]',
  '[{"a\\"b": 1, "c": 2}, {"a\\"b": 3, "c": 4}, {"a": 5, "c": 6}, {"a\\\\": 1}, {"a\\\\": 2, "a\\u005c": 3}]',
  '[{"k": {"x": 1, "y": {"k": 2}}, "l": [{"x": 3}, {"x": 4, "k": 5}]}, {"k": {"x": 6, "y": {"k": 7, "k": 8}}, "l": []}]',
  // a key that ends in a backslash, then one whose text starts the same and goes on past a \"
  '[{"a\\\\": 1}, {"a\\":1,\\"x": 2}]',
  '[1E+2, -0.0e-0, 1.5e3, 2e-2, 0e0, 0.5E+1]',
  '[-0, 0, -1, 123456789012345, 1234567890123456, -123456789012345, 1.0, 1e3, 0.5]',
];

function pythonLoadsRepr(texts: string[]): string[] {
  return JSON.parse(
    runPython('import json,sys\nprint(json.dumps([repr(json.loads(t)) for t in json.load(sys.stdin)]))', {
      input: JSON.stringify(texts),
    }),
  ) as string[];
}

describe('jsonToPy', () => {
  it('loads exactly what json.loads loads (ints keep every digit)', () => {
    const expected = pythonLoadsRepr(TEXTS);
    TEXTS.forEach((t, i) => expect(repr(jsonToPy(t)), t).toBe(expected[i]));
  });

  it('agrees with json.loads on random JSON documents', () => {
    const docs = fc.sample(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      { numRuns: 200, seed: 42 },
    );
    const bigInts = fc.sample(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }).map((b) => `[${b}, {"x": ${b}}]`), { numRuns: 50, seed: 7 });
    const texts = [...docs, ...bigInts];
    const expected = pythonLoadsRepr(texts);
    texts.forEach((t, i) => expect(repr(jsonToPy(t)), t).toBe(expected[i]));
  });

  it('agrees with json.loads on records whose keys repeat, look alike, escape and nest', () => {
    // keys from a small pool, so that sibling and nested objects share, reorder, extend and repeat
    // them; a key's text is sometimes written with \u escapes, which must still read as that key
    const KEYS = ['a', 'b', 'ab', 'a"', 'a\\', '\\', '"', '\n', 'é', '\u2028', '', 'a b'];
    const escaped = (k: string): string => '"' + Array.from(k, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('') + '"';
    const { doc } = fc.letrec<{ doc: string; record: string }>((tie) => ({
      doc: fc.array(tie('record'), { maxLength: 6 }).map((rs) => `[${rs.join(', ')}]`),
      record: fc
        .array(fc.tuple(fc.constantFrom(...KEYS), fc.boolean(), fc.oneof({ depthSize: 'small' }, fc.integer().map(String), tie('doc'), tie('record'))), { maxLength: 5 })
        .map((entries) => `{${entries.map(([k, esc, v]) => `${esc ? escaped(k) : JSON.stringify(k)}: ${v}`).join(', ')}}`),
    }));
    const texts = fc.sample(doc, { numRuns: 300, seed: 5 });
    const expected = pythonLoadsRepr(texts);
    texts.forEach((t, i) => expect(repr(jsonToPy(t)), t).toBe(expected[i]));
  });

  it('loads a large reply (its own allocation sites) as json.loads does, after small replies', () => {
    const rows = "[{'id': i, 'name': 'item %d' % i, 'price': i * 0.25, 'ok': i % 2 == 0, 'tags': ['a', [], {}], 'x': None} for i in range(3000)]";
    const [text, expected] = JSON.parse(runPython(`import json\nv = ${rows}\nprint(json.dumps([json.dumps(v), repr(v)]))`)) as string[];
    expect(text.length).toBeGreaterThanOrEqual(64 * 1024);
    for (let k = 0; k < 200; k++) jsonToPy('{"jsonrpc": "2.0", "result": [5, {"a": null}], "id": 1}');
    expect(repr(jsonToPy(text))).toBe(expected);
    expect(repr(jsonToPy(new TextEncoder().encode(text)))).toBe(expected);
  });

  it('names the offset, line and column of bad input', () => {
    const cases: [string, RegExp][] = [
      ['', /Expecting value: line 1 column 1 \(char 0\)/],
      ['[1, 2', /Expecting ',' delimiter: line 1 column 6 \(char 5\)/],
      ['{"a" 1}', /Expecting ':' delimiter/],
      ['{\n  "a": tru}', /Expecting value: line 2 column 8 \(char 9\)/],
      ['"abc', /Unterminated string starting at: line 1 column 1/],
      ['"a\\qb"', /Invalid \\escape/],
      ['[1] x', /Extra data: line 1 column 5/],
      ['{1: 2}', /Expecting property name enclosed in double quotes/],
      // numbers end where json's NUMBER_RE stops matching
      ['1.', /Extra data: line 1 column 2 \(char 1\)/],
      ['[1.e5]', /Expecting ',' delimiter: line 1 column 3 \(char 2\)/],
      ['[1e+]', /Expecting ',' delimiter: line 1 column 3 \(char 2\)/],
      ['[1.5e]', /Expecting ',' delimiter: line 1 column 5 \(char 4\)/],
      ['[01]', /Expecting ',' delimiter: line 1 column 3 \(char 2\)/],
      ['-', /Expecting value: line 1 column 1 \(char 0\)/],
      ['[-a]', /Expecting value: line 1 column 2 \(char 1\)/],
      // a key seen before does not make its look-alike text valid
      ['[{"a\\"": 1}, {"a"": 2}]', /Expecting ':' delimiter: line 1 column 18 \(char 17\)/],
      ['[{"a\\n": 1}, {"a\n": 2}]', /Invalid control character at: line 1 column 17 \(char 16\)/],
    ];
    for (const [text, msg] of cases) {
      let err: unknown;
      try {
        jsonToPy(text);
      } catch (e) {
        err = e;
      }
      expect(isRpcError(err, 'E_DECODE'), text).toBe(true);
      expect((err as Error).message).toMatch(msg);
    }
  });

  it('refuses absurd nesting with E_LIMIT instead of overflowing the stack', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(() => jsonToPy(deep)).toThrow(/nested deeper/);
  });

  it('decodes UTF-8 bytes and rejects invalid UTF-8', () => {
    expect(repr(jsonToPy(new TextEncoder().encode('{"é": 1}')))).toBe("{'é': 1}");
    expect(() => jsonToPy(new Uint8Array([0x22, 0xff, 0x22]))).toThrow(/not valid UTF-8/);
  });
});

describe('pyToJsonText', () => {
  it('writes what json.dumps writes', () => {
    const values = TEXTS.map((t) => jsonToPy(t));
    const expected = JSON.parse(
      runPython('import json,sys\nprint(json.dumps([json.dumps(json.loads(t)) for t in json.load(sys.stdin)]))', {
        input: JSON.stringify(TEXTS),
      }),
    ) as string[];
    values.forEach((v, i) => expect(pyToJsonText(v), TEXTS[i]).toBe(expected[i]));
  });

  it('indents like json.dumps(indent=2)', () => {
    const text = '{"a": [1, {"b": []}, {}], "c": "d"}';
    const expected = runPython('import json,sys\nprint(json.dumps(json.loads(sys.stdin.read()), indent=2), end="")', { input: text });
    expect(pyToJsonText(jsonToPy(text), { indent: 2 })).toBe(expected);
  });

  it('writes a large reply (many thousands of pieces) as json.dumps does, plain and indented', () => {
    const rows = "[{'id': i, 'name': 'item %d' % i, 'price': i * 0.25, 'ok': i % 2 == 0, 'tags': ['a', []], 'x': None} for i in range(3000)]";
    const [plain, indented] = JSON.parse(runPython(`import json\nv = ${rows}\nprint(json.dumps([json.dumps(v), json.dumps(v, indent=2)]))`)) as string[];
    const v = jsonToPy(plain);
    expect(pyToJsonText(v)).toBe(plain);
    expect(pyToJsonText(v, { indent: 2 })).toBe(indented);
  });

  it('turns tuples into arrays and non-str keys into strings, and refuses bytes', () => {
    const v = jsonToPy('{"a": [1, 2.5]}');
    expect(pyToJsonText({ t: 'tuple', items: [v, { t: 'int', v: 2n ** 70n }] }, { compact: true })).toBe(
      '[{"a":[1,2.5]},1180591620717411303424]',
    );
    expect(
      pyToJsonText(
        dict([
          [{ t: 'int', v: 1n }, { t: 'none' }],
          [{ t: 'float', v: 1.5 }, { t: 'bool', v: true }],
          [{ t: 'bool', v: false }, { t: 'str', v: '' }],
        ]),
      ),
    ).toBe('{"1": null, "1.5": true, "false": ""}');
    expect(() => pyToJsonText({ t: 'bytes', v: new Uint8Array([1]) })).toThrow(/Object of type bytes is not JSON serializable/);
  });
});
