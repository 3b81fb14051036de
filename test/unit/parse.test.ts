// The call parser: every literal form ast.literal_eval accepts, the REPL statement forms, and
// errors that name the problem and its column. Expected values are written as Python reprs.
import { describe, expect, it } from 'vitest';
import { isBlankStatement, needsMoreInput, splitStatements, statementsOf } from '../../src/common/continuation';
import { boundName, highlight, parseCall, parseLiteral, parseStatement, tokenize } from '../../src/common/parse';
import { repr } from '../../src/common/repr';
import { isRpcError, type RpcError } from '../../src/common/errors';
import type { PyValue } from '../../src/common/value';

const lit = (src: string): string => repr(parseLiteral(src));

function parseFailure(f: () => unknown): RpcError {
  try {
    f();
  } catch (e) {
    if (isRpcError(e, 'E_PARSE')) return e;
    throw e;
  }
  throw new Error('expected a parse error');
}

describe('parseLiteral', () => {
  it.each<[string, string]>([
    // strings
    ["'a'", "'a'"],
    ['"it\'s"', `"it's"`],
    ["'a' 'b' \"c\"", "'abc'"],
    ["'''x\ny'''", "'x\\ny'"],
    ['"""a"b"""', `'a"b'`],
    ["'\\n\\t\\\\\\'\\\"\\a\\b\\f\\v\\r'", `'\\n\\t\\\\\\'"\\x07\\x08\\x0c\\x0b\\r'`],
    ["'\\x41\\101\\0\\7777'", "'AA\\x00ǿ7'"],
    ["'\\u00e9\\U0001F600'", "'é😀'"],
    ["'\\N{BULLET}\\N{greek small letter alpha}\\N{LINE FEED}'", "'•α\\n'"],
    ["'\\d\\q'", "'\\\\d\\\\q'"],
    ["'a\\\nb'", "'ab'"],
    ["r'\\n\\''", `"\\\\n\\\\'"`],
    ["R'x' U'y' u'z'", "'xyz'"],
    ["'é😀'", "'é😀'"],
    // bytes
    ["b'\\x00A'", "b'\\x00A'"],
    ["rb'\\x00'", "b'\\\\x00'"],
    ["Br'a' bR'b' BR'c'", "b'abc'"],
    ["b'\\u1234\\N{x}'", "b'\\\\u1234\\\\N{x}'"],
    ["b'\\777'", "b'\\xff'"],
    // ints
    ['0', '0'],
    ['00', '0'],
    ['0_0', '0'],
    ['1_000_000', '1000000'],
    ['0x_FF', '255'],
    ['0XfF', '255'],
    ['0o17', '15'],
    ['0b1010', '10'],
    ['123456789012345678901234567890', '123456789012345678901234567890'],
    ['-5', '-5'],
    ['+5', '5'],
    ['-(1)', '-1'],
    // floats
    ['1.', '1.0'],
    ['.5', '0.5'],
    ['1e10', '10000000000.0'],
    ['1_000.5', '1000.5'],
    ['1_0.0_1e1_0', '100100000000.0'],
    ['00.5', '0.5'],
    ['1e400', 'inf'],
    ['-0.0', '-0.0'],
    ['1E-5', '1e-05'],
    // complex
    ['3j', '3j'],
    ['007j', '7j'],
    ['1.5J', '1.5j'],
    ['1+2j', '(1+2j)'],
    ['-1-2j', '(-1-2j)'],
    ['-2j', '(-0-2j)'],
    ['-0.0-1j', '(-0-1j)'],
    ['(-0-1j)', '-1j'],
    ['1-0j', '(1+0j)'],
    // containers
    ['()', '()'],
    ['(1,)', '(1,)'],
    ['(1)', '1'],
    ['(1, 2,)', '(1, 2)'],
    ['[]', '[]'],
    ['[1, [2, (3,)],]', '[1, [2, (3,)]]'],
    ['{}', '{}'],
    ["{'a': 1, 'b': [2],}", "{'a': 1, 'b': [2]}"],
    ["{1: 'a', True: 'b', 1.0: 'c'}", "{1: 'c'}"],
    ['{(1, 2): None}', '{(1, 2): None}'],
    ['{1, 2, 1}', '{1, 2}'],
    ['set()', 'set()'],
    ['set([1, 2])', '{1, 2}'],
    ['frozenset({4})', 'frozenset({4})'],
    ['frozenset()', 'frozenset()'],
    ["bytearray(b'x')", "bytearray(b'x')"],
    ["float('nan')", 'nan'],
    ["float('-inf')", '-inf'],
    ['None', 'None'],
    ['[True, False]', '[True, False]'],
    ['[\n  1,  # one\n  2,\n]', '[1, 2]'],
  ])('%s', (src, expected) => {
    expect(lit(src)).toBe(expected);
  });

  it.each<[string, RegExp, number]>([
    ['007', /leading zeros in decimal integer literals/, 1],
    ['1abc', /invalid decimal literal/, 1],
    ['1_', /invalid decimal literal/, 1],
    ['1__0', /invalid decimal literal/, 1],
    ['0b2', /invalid digit '2' in binary literal/, 1],
    ['0x', /invalid hexadecimal literal/, 1],
    ['1e', /invalid decimal literal/, 1],
    ["f'a'", /f-strings are not supported/, 1],
    ["ur'a'", /invalid string prefix 'ur'/, 1],
    ["b'é'", /bytes can only contain ASCII literal characters/, 3],
    ["'a' b'b'", /cannot mix bytes and nonbytes literals/, 5],
    ["'abc", /unterminated string literal/, 1],
    ["'''abc''", /unterminated triple-quoted string literal/, 1],
    ["'a\nb'", /unterminated string literal/, 1],
    ["r'\\'", /unterminated string literal/, 1],
    ["'\\x4'", /truncated \\xXX escape/, 2],
    ["'\\u12'", /truncated \\uXXXX escape/, 2],
    ["'\\U00110000'", /illegal Unicode character/, 2],
    ["'\\N{NO SUCH NAME}'", /unknown Unicode character name 'NO SUCH NAME'/, 2],
    ["'\\Nx'", /malformed \\N character escape/, 2],
    ['inf', /name 'inf' is not defined/, 1],
    ['lambda: 1', /^only literals are allowed: 'lambda' is a Python keyword/, 1],
    ['not 1', /'not' is a Python keyword/, 1],
    ['[1, await]', /'await' is a Python keyword/, 5],
    ['--1', /unary '-' applies only to a number/, 1],
    ['-True', /unary '-' applies only to a number/, 1],
    ['-(1,)', /unary '-' applies only to a number/, 1],
    ['1+2', /joins only a real and an imaginary number/, 2],
    ['2j+1', /joins only a real and an imaginary number/, 3],
    ['1+-2j', /'-' is an operator/, 3],
    ['1+2j+3j', /'\+' is an operator/, 5],
    ['1/2', /^only literals are allowed: '\/' is an operator/, 2],
    ['7 // 2', /'\/\/' is an operator/, 3],
    ['2**70', /'\*\*' is an operator/, 2],
    ['1 <= 2', /'<=' is an operator/, 3],
    ['5 % 3', /'%' is an operator/, 3],
    ['{[]: 1}', /unhashable type: 'list'/, 2],
    ['{(1, [2]): 1}', /unhashable type: 'list'/, 2],
    ['{[1]}', /unhashable type: 'list'/, 2],
    ['[1,,2]', /unexpected ','/, 4],
    ['(1, 2', /'\(' was never closed/, 1],
    ['[1, 2)', /unexpected '\)'/, 6],
    ['1 2', /unexpected number 2/, 3],
    ['len([1])', /calls are not allowed inside arguments: 'len\(...\)'/, 1],
    ['$', /unexpected character '\$'/, 1],
    ['', /unexpected end of input/, 1],
  ])('%s is an error', (src, message, column) => {
    const e = parseFailure(() => parseLiteral(src));
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`column ${column}`);
    expect(e.detail).toMatchObject({ column });
  });

  it('reports the line of an error in multi-line input', () => {
    const e = parseFailure(() => parseLiteral('[1,\n 2,\n 3 4]'));
    expect(e.message).toBe('unexpected number 4 at line 3, column 4');
    expect(e.detail).toMatchObject({ line: 3, column: 4 });
  });
});

describe('parseCall', () => {
  it('parses name, positional and keyword arguments', () => {
    const c = parseCall("kv.set('spam', [1, 2, 3], ttl=5, )");
    expect(c.method).toBe('kv.set');
    expect(c.args.map(repr)).toEqual(["'spam'", '[1, 2, 3]']);
    expect(c.kwargs.map(([k, v]) => [k, repr(v)])).toEqual([['ttl', '5']]);
    expect(c.target).toBeUndefined();
    expect(parseCall('system.listMethods()')).toEqual({ method: 'system.listMethods', args: [], kwargs: [] });
  });

  it('points at the offending character', () => {
    expect(parseFailure(() => parseCall('add(1))')).message).toBe("unexpected ')' at column 7");
    expect(parseFailure(() => parseCall('add')).message).toBe("'add' is not a call; did you mean add()? at column 1");
    expect(parseFailure(() => parseCall('add(x)')).message).toMatch(/^name 'x' is not defined.* at column 5$/);
    expect(parseFailure(() => parseCall('f(a=1, 2)')).message).toBe('positional argument follows keyword argument at column 8');
    expect(parseFailure(() => parseCall('f(a=1, a=2)')).message).toBe('keyword argument repeated: a at column 8');
    expect(parseFailure(() => parseCall('f(*x)')).message).toMatch(/^name 'x' is not defined/);
    expect(parseFailure(() => parseCall('f(1) + 2')).message).toBe("only literals are allowed: '+' is an operator (write the value it would compute) at column 6");
    expect(parseFailure(() => parseCall('42')).message).toBe('unexpected number 42 at column 1');
    expect(parseFailure(() => parseCall('')).message).toBe('no call given: write one, such as add(2, 3) at column 1');
    expect(parseFailure(() => parseCall('# only a comment')).message).toMatch(/^no call given/);
    expect(parseFailure(() => parseCall('x = add(1, 2)')).message).toBe('an assignment is not a call here: give the call alone at column 3');
    expect(parseFailure(() => parseCall('add(1); add(2)')).message).toBe("';' ends a statement: one call goes here at column 7");
  });

  it('resolves variables in arguments and calls methods on a variable', () => {
    const ref: PyValue = { t: 'ref', cls: '__main__.Counter', handle: '1' };
    const vars: Record<string, PyValue> = { c: ref, _: { t: 'int', v: 5n } };
    const resolve = (n: string): PyValue | undefined => vars[n];
    expect(parseCall('add(_, [_])', { resolve }).args.map(repr)).toEqual(['5', '[5]']);
    expect(parseCall('c.incr(2)', { resolve })).toEqual({ method: 'incr', target: ref, args: [{ t: 'int', v: 2n }], kwargs: [] });
    expect(parseCall('kv.get(1)', { resolve }).method).toBe('kv.get');
  });
});

describe('parseStatement', () => {
  const resolve = (n: string): PyValue | undefined => (n === 'x' ? { t: 'int', v: 1n } : undefined);
  it('tells calls, assignments and expressions apart', () => {
    expect(parseStatement('add(1, 2)')).toMatchObject({ kind: 'call', call: { method: 'add' } });
    expect(parseStatement('y = add(1, 2)')).toMatchObject({ kind: 'assign', target: 'y', call: { method: 'add' } });
    expect(parseStatement("y = [1, 'a']")).toMatchObject({ kind: 'assign', target: 'y', value: { t: 'list' } });
    expect(parseStatement('x', { resolve })).toEqual({ kind: 'expr', value: { t: 'int', v: 1n } });
    expect(parseStatement("{'k': x}", { resolve })).toMatchObject({ kind: 'expr', value: { t: 'dict' } });
    expect(parseFailure(() => parseStatement('None = 1')).message).toBe('cannot assign to None at column 1');
    expect(parseFailure(() => parseStatement('x == 1', { resolve })).message).toBe("only literals are allowed: '==' is an operator (write the value it would compute) at column 3");
  });
});

describe('needsMoreInput', () => {
  it("continues open brackets and triple-quoted strings, as Python's prompt does", () => {
    for (const src of ['add(1,', 'f([1, 2', "set('k', {'a':", 'f("""line', "f('''a\nb", 'f((1,\n(2,'])
      expect(needsMoreInput(src), src).toBe(true);
    for (const src of ['add(1, 2)', 'f([1,\n2])', 'x = 1', "f('(')", 'f(#(\n1)', 'f(1))', "f('unclosed", ''])
      expect(needsMoreInput(src), src).toBe(false);
  });
});

describe('statements of a text', () => {
  it('splits lines into statements by the continuation rule, leaving out blanks and comments', () => {
    expect(splitStatements("# setup\nx = add([1],\n  [2])\n\n  # more\nsub(x, 1)  # why\nf('''a\n\nb''')\n")).toEqual({
      statements: ['x = add([1],\n  [2])', 'sub(x, 1)  # why', "f('''a\n\nb''')"],
      unfinished: '',
    });
    expect(splitStatements('add(1, 2)\r\nsub(3,\r\n')).toEqual({ statements: ['add(1, 2)'], unfinished: 'sub(3,\n' });
    // a bad statement is still a statement: its error shows when it runs
    expect(splitStatements("f(1))\nf('unclosed").statements).toEqual(['f(1))', "f('unclosed"]);
  });

  it("splits at ';' outside brackets and strings, as Python runs a line of several statements", () => {
    expect(statementsOf('a = add(1, 2); sub(a, 1)')).toEqual(['a = add(1, 2)', 'sub(a, 1)']);
    expect(statementsOf("f(';', [1; 2]);  ; # done; really")).toEqual(["f(';', [1; 2])"]);
    expect(statementsOf('add(1, 2);')).toEqual(['add(1, 2)']);
    // a dot-command keeps its argument whole
    expect(statementsOf('.load calls;old.txt')).toEqual(['.load calls;old.txt']);
    expect(splitStatements('x = add([1],\n [2]); sub(x, 1)\nadd(x, x)').statements).toEqual(['x = add([1],\n [2])', 'sub(x, 1)', 'add(x, x)']);
  });

  it('knows a line without a statement', () => {
    for (const src of ['', '   ', '# a comment', '  # (', '\n\n']) expect(isBlankStatement(src), src).toBe(true);
    for (const src of ['x', 'f()  # c', "'#'", "f('unclosed"]) expect(isBlankStatement(src), src).toBe(false);
  });
});

describe('boundName', () => {
  it("binds as Python's prompt does: the target of an assignment, else _ unless the value is None", () => {
    const none: PyValue = { t: 'none' };
    const one: PyValue = { t: 'int', v: 1n };
    expect(boundName(parseStatement('x = f()'), none)).toBe('x');
    expect(boundName(parseStatement('x = None'), none)).toBe('x');
    expect(boundName(parseStatement('f()'), one)).toBe('_');
    expect(boundName(parseStatement('f()'), none)).toBeUndefined();
    expect(boundName(parseStatement('None'), none)).toBeUndefined();
    expect(boundName(parseStatement('[1]'), { t: 'list', items: [one] })).toBe('_');
  });
});

describe('tokens for editors', () => {
  it('gives ranges and kinds', () => {
    const toks = tokenize("kv.get('x', 1) # c");
    expect(toks.map((t) => [t.kind, t.start, t.end])).toEqual([
      ['name', 0, 2],
      ['op', 2, 3],
      ['name', 3, 6],
      ['op', 6, 7],
      ['string', 7, 10],
      ['op', 10, 11],
      ['number', 12, 13],
      ['op', 13, 14],
    ]);
  });

  it('highlight never throws and marks bad tokens', () => {
    const toks = highlight("f(007, 'open\n) # note");
    expect(toks.map((t) => t.kind)).toEqual(['name', 'op', 'error', 'op', 'error', 'op', 'comment']);
    expect(toks[2].message).toMatch(/leading zeros/);
  });
});

describe('robustness', () => {
  it('parses back what the printer prints', async () => {
    const fc = (await import('fast-check')).default;
    const { pyValue } = await import('./arbitraries');
    // Not every repr reads back as itself, in Python either: exceptions are not literals, nan and
    // inf have no literal, `-1j` is -(1j) = (-0-1j), `(-0+1j)` is 0+1j and `(1-0j)` is 1+0j.
    const readsBack = (v: PyValue): boolean => {
      if (v.t === 'object') return false;
      if (v.t === 'float') return Number.isFinite(v.v);
      if (v.t === 'complex') {
        // a -0.0 imaginary part only comes from -(0j): `1-0j` is 1+0j in Python too
        const finite = Number.isFinite(v.re) && Number.isFinite(v.im);
        return finite && !Object.is(v.re, -0) && !Object.is(v.im, -0) && !(v.re === 0 && v.im < 0);
      }
      if (v.t === 'dict') return v.kv.every(readsBack);
      if ('items' in v) return v.items.every(readsBack);
      return true;
    };
    const printable = pyValue.filter(readsBack);
    fc.assert(
      fc.property(printable, (v) => {
        expect(repr(parseLiteral(repr(v)))).toBe(repr(v));
      }),
      { numRuns: 400 },
    );
  });

  it('fails only with E_PARSE on arbitrary input', async () => {
    const fc = (await import('fast-check')).default;
    const pieces = fc.constantFrom('(', ')', '[', ']', '{', '}', ',', ':', '=', '.', '-', '+', 'j', '1', '0x', '_', 'e', "'", '"', '\\', 'b', 'r', 'f', 'x', 'None', ' ', '\n', '#', '*', 'é', '\u{1f600}', '\\N{', '\\x', '\\u');
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 30 }), fc.array(pieces, { maxLength: 20 }).map((a) => a.join(''))), (src) => {
        for (const f of [() => parseLiteral(src), () => parseCall(src), () => parseStatement(src)]) {
          try {
            f();
          } catch (e) {
            expect(isRpcError(e, 'E_PARSE'), `${JSON.stringify(src)}: ${String(e)}`).toBe(true);
          }
        }
        expect(() => highlight(src)).not.toThrow();
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses nesting beyond the limit with a clear error', () => {
    expect(lit('['.repeat(150) + ']'.repeat(150))).toBe('['.repeat(150) + ']'.repeat(150));
    const e = parseFailure(() => parseLiteral('['.repeat(100_000) + ']'.repeat(100_000)));
    expect(e.message).toBe('too many nested brackets (the limit is 200) at column 201');
  });
});

describe('callContext', () => {
  it('tells method names from arguments', async () => {
    const { callContext } = await import('../../src/common/call-context');
    const at = (s: string) => callContext(s.replace('|', ''), s.indexOf('|'));
    expect(at('kv.ge|')).toEqual({ kind: 'method', prefix: 'kv.ge', from: 0 });
    expect(at('x = sys|')).toEqual({ kind: 'method', prefix: 'sys', from: 4 });
    expect(at('kv.|')).toEqual({ kind: 'method', prefix: 'kv.', from: 0 });
    expect(at('|')).toEqual({ kind: 'method', prefix: '', from: 0 });
    expect(at("kv.set('a', [1, 2], |)")).toEqual({ kind: 'argument', method: 'kv.set', index: 2, keyword: undefined, keywordsUsed: [] });
    expect(at('add(x=1, y|')).toEqual({ kind: 'argument', method: 'add', index: 1, keyword: undefined, keywordsUsed: ['x'], prefix: 'y', from: 9 });
    expect(at("add(1, key='a|")).toMatchObject({ kind: 'argument', index: 1, keyword: 'key' });
    expect(at('add(1)|')).toEqual({ kind: 'none' });
  });
});

describe('attribute reads of remote objects', () => {
  const ref: PyValue = { t: 'ref', cls: '__main__.Counter', handle: '7' };
  const vars = new Map<string, PyValue>([
    ['c', ref],
    ['x', { t: 'int', v: 1n }],
  ]);
  const resolve = (n: string) => vars.get(n);

  it('`c.attr` alone, or assigned, reads the attribute of the remote object c holds', () => {
    expect(parseStatement('c.kind', { resolve })).toEqual({ kind: 'call', call: { method: 'kind', target: ref, attribute: true, args: [], kwargs: [] } });
    expect(parseStatement('k = c.meta.name', { resolve })).toEqual({ kind: 'assign', target: 'k', call: { method: 'meta.name', target: ref, attribute: true, args: [], kwargs: [] } });
    expect(parseCall('c.kind', { resolve })).toMatchObject({ method: 'kind', attribute: true });
  });

  it('is no read of a plain value, of an unknown name, or inside a larger expression', () => {
    expect(() => parseStatement('x.real', { resolve })).toThrow("attribute access ('x.…') is only allowed as the method being called at column 1");
    expect(() => parseStatement('nope.kind', { resolve })).toThrow(/^attribute access \('nope\.…'\)/);
    expect(() => parseStatement('[c.kind]', { resolve })).toThrow(/or alone to read a remote object's attribute \(y = c\.name, then y\)/);
    expect(parseStatement('c.incr(2)', { resolve })).toMatchObject({ kind: 'call', call: { method: 'incr', target: ref } });
    // a method of a value kept here would go to the server as a method of its own name
    expect(() => parseStatement('y = x.bit_length()', { resolve })).toThrow('x holds an int, a value kept here, not a remote object: x.bit_length() cannot be called at column 5');
    const list = (n: string) => (n === 'l' ? parseLiteral('[1]') : undefined);
    expect(() => parseCall('l.append(2)', { resolve: list })).toThrow('l holds a list, a value kept here, not a remote object: l.append() cannot be called (read into it with l[...]) at column 1');
  });

  it('a call of a variable holding a remote object calls that object; of any other name, the remote method', () => {
    expect(parseStatement('c(2, k=1)', { resolve })).toEqual({ kind: 'call', call: { method: 'c', target: ref, invoke: true, args: [{ t: 'int', v: 2n }], kwargs: [['k', { t: 'int', v: 1n }]] } });
    expect(parseStatement('x(2)', { resolve })).toEqual({ kind: 'call', call: { method: 'x', args: [{ t: 'int', v: 2n }], kwargs: [] } });
  });

  it('with placeholders (a script checked), any variable may be read from', () => {
    expect(parseStatement('x.real', { resolve, placeholders: true })).toMatchObject({ kind: 'call', call: { method: 'real', attribute: true } });
  });
});
