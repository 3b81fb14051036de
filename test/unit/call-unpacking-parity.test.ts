// Argument unpacking parity with CPython: Python calls a function that returns what it was given
// for each source (`f(*[1, 2], z=3, **{'w': 4})`), and the parser must pass the same positional and
// keyword arguments; where Python raises (SyntaxError, TypeError), the parser must reject the call
// with E_PARSE and Python's words.
import { describe, expect, it } from 'vitest';
import { parseCall } from '../../src/common/parse';
import { isRpcError } from '../../src/common/errors';
import { toJsonSafe, type JsonSafeValue } from '../../src/common/value-json';
import { runPython } from '../helpers/python';

const SOURCES = [
  'f(*[1, 2])',
  'f(*(1, 2), 3)',
  'f(0, *[1], *(2, 3), 4)',
  'f(*[])',
  "f(*'ab')",
  "f(*b'\\x00\\xff')",
  "f(*{'k': 1, 'j': 2})",
  'f(*{3})',
  'f(*frozenset({4}))',
  "f(**{'z': 3})",
  "f(1, **{'a': [1], 'b': None})",
  "f(**{})",
  "f(a=1, **{'b': 2}, c=3)",
  "f(*[1], a=1, *[2], **{'b': 2})",
  "f(a=1, *[2])",
  "f(**{'a': 1}, **{'b': 2})",
  // rejected
  'f(*5)',
  'f(*None)',
  'f(**[1])',
  "f(**{1: 2})",
  "f(**{'a': 1}, a=2)",
  "f(a=1, **{'a': 2})",
  "f(**{'a': 1}, **{'a': 2})",
  "f(**{'a': 1}, *[2])",
  "f(**{'a': 1}, 2)",
  'f(a=1, 2)',
  'f(a=1, a=2)',
  "f(a=1, **{'b': 1}, a=2)",
];

const PY = String.raw`
import json, sys
sys.path.insert(0, ${JSON.stringify(__dirname)})
from pyjson import encode
def f(*args, **kwargs):
    return args, kwargs
out = []
for src in json.loads(sys.stdin.read()):
    try:
        args, kwargs = eval(compile(src, '<call>', 'eval'), {'f': f})
        out.append({'src': src, 'args': [encode(a) for a in args], 'kwargs': [[k, encode(v)] for k, v in kwargs.items()]})
    except (SyntaxError, TypeError) as e:
        out.append({'src': src, 'error': type(e).__name__, 'message': e.msg if isinstance(e, SyntaxError) else str(e)})
json.dump(out, sys.stdout)
`;

type Outcome = { src: string; args: JsonSafeValue[]; kwargs: [string, JsonSafeValue][] } | { src: string; error: string; message: string };

describe('argument unpacking parity with CPython', () => {
  const outcomes = JSON.parse(runPython(PY, { input: JSON.stringify(SOURCES) })) as Outcome[];

  it('Python ran every source', () => {
    expect(outcomes.map((o) => o.src)).toEqual(SOURCES);
    expect(outcomes.filter((o) => 'error' in o).length).toBe(12);
  });

  for (const o of outcomes) {
    if ('error' in o) {
      it(`rejects ${o.src} as Python does (${o.error}: ${o.message})`, () => {
        let caught: unknown;
        try {
          parseCall(o.src);
        } catch (e) {
          caught = e;
        }
        expect(isRpcError(caught, 'E_PARSE'), String(caught)).toBe(true);
        // Python's TypeErrors name the function first ("f() got multiple values ...")
        expect((caught as Error).message).toContain(o.message.replace(/^(__main__\.)?f\(\) /, ''));
      });
    } else {
      it(`passes what Python passes for ${o.src}`, () => {
        const c = parseCall(o.src);
        expect(c.args.map((v) => toJsonSafe(v))).toEqual(o.args);
        expect(c.kwargs.map(([k, v]) => [k, toJsonSafe(v)])).toEqual(o.kwargs);
      });
    }
  }
});
