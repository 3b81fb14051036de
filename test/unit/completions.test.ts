// What a REPL line completes to: method names and variables where a call starts, variables and
// None/True/False inside an argument, nothing elsewhere.
import { describe, expect, it } from 'vitest';
import { commonPrefix, completeLine, keyCompletions, lineCompletions } from '../../src/common/completions';
import { parseLiteral } from '../../src/common/parse';
import type { PyValue } from '../../src/common/value';

const methods = ['add', 'sub', 'subtract', 'system.listMethods', 'system.methodHelp'];

describe('line completions', () => {
  it('offers method names and variables where a call starts', () => {
    expect(lineCompletions('su', methods, ['sum_'])).toEqual({ kind: 'method', prefix: 'su', candidates: ['sub', 'subtract', 'sum_'] });
    expect(lineCompletions('x = a', methods, [])).toEqual({ kind: 'method', prefix: 'a', candidates: ['add'] });
    expect(lineCompletions('', ['b', 'a', 'a'], [])?.candidates).toEqual(['a', 'b']);
    // a dotted name: method names only (a variable has no such attribute here)
    expect(lineCompletions('system.m', methods, ['system'])?.candidates).toEqual(['system.methodHelp']);
  });

  it('offers variables and constants inside an argument, nothing after a literal', () => {
    expect(lineCompletions('add(1, x', methods, ['xs', 'y'])).toEqual({ kind: 'argument', prefix: 'x', candidates: ['xs'] });
    expect(lineCompletions('add(T', methods, [])?.candidates).toEqual(['True']);
    expect(lineCompletions("add('a", methods, ['a'])).toBeUndefined();
    expect(lineCompletions('add(1) ', methods, [])).toBeUndefined();
  });

  it("offers the method's parameters not given yet as name=, where the listing names them", () => {
    const paramsOf = (m: string) => (m === 'set' ? ['key', 'value', 'keep'] : undefined);
    expect(lineCompletions('set(k', methods, ['kx'], paramsOf)?.candidates).toEqual(['keep=', 'key=', 'kx']);
    expect(lineCompletions("set(key='a', k", methods, [], paramsOf)?.candidates).toEqual(['keep=']);
    expect(lineCompletions('set(1, v', methods, [], paramsOf)?.candidates).toEqual(['value=']);
    // after `name=` comes a value, not another keyword
    expect(lineCompletions('set(key=k', methods, ['kx'], paramsOf)?.candidates).toEqual(['kx']);
    expect(lineCompletions('add(k', methods, [], paramsOf)?.candidates).toEqual([]);
  });

  it('offers method names inside help(), dotted ones too', () => {
    expect(lineCompletions('help(su', methods, ['sum_'])).toEqual({ kind: 'help', prefix: 'su', candidates: ['sub', 'subtract', 'sum_'] });
    expect(lineCompletions('help(', ['b', 'a'], ['c'])).toEqual({ kind: 'help', prefix: '', candidates: ['a', 'b', 'c'] });
    expect(lineCompletions('help(system.l', methods, ['system'])).toEqual({ kind: 'help', prefix: 'system.l', candidates: ['system.listMethods'] });
    // a remote object in a variable: its attributes come from the REPL's RPyC completion, after the dot
    expect(lineCompletions('help(c.in', methods, ['c'])).toEqual({ kind: 'help', prefix: 'c.in', candidates: [] });
    // a second argument is a value
    expect(lineCompletions('help(a, s', methods, ['sx'])?.kind).toBe('argument');
  });

  it('finds the common start of the candidates', () => {
    expect(commonPrefix(['sub', 'subtract'])).toBe('sub');
    expect(commonPrefix(['system.listMethods', 'system.methodHelp'])).toBe('system.');
    expect(commonPrefix(['a', 'b'])).toBe('');
    expect(commonPrefix([])).toBe('');
  });
});

describe('completions of a dict\'s keys and of attributes', () => {
  const vars = new Map<string, PyValue>([
    ['x', parseLiteral("{'rows': [1], 'rank': 2, 3: 'three', (1, 2): 0, 'it\\'s': 1, 'nl\\n': 2}")],
    ['l', parseLiteral("[{'deep': 1}]")],
  ]);
  const resolve = (n: string) => vars.get(n);

  it('offers the keys inside x[ (their reprs), and the str keys after a quote, with the quote used', () => {
    expect(keyCompletions('x[', resolve)).toEqual({ kind: 'key', prefix: '', candidates: ['"it\'s"]', "'nl\\n']", "'rank']", "'rows']", '(1, 2)]', '3]'] });
    expect(keyCompletions("x['r", resolve)).toEqual({ kind: 'key', prefix: "'r", candidates: ["'rank']", "'rows']"] });
    expect(keyCompletions('add(x["ro', resolve)).toEqual({ kind: 'key', prefix: '"ro', candidates: ['"rows"]'] });
    // through subscriptions of the variable
    expect(keyCompletions("l[0]['d", resolve)).toEqual({ kind: 'key', prefix: "'d", candidates: ["'deep']"] });
  });

  it('offers nothing where no dict is read: a list, an unknown name, an attribute or a finished key', () => {
    expect(keyCompletions('l[', resolve)).toBeUndefined();
    expect(keyCompletions("nope['", resolve)).toBeUndefined();
    expect(keyCompletions("a.x['", resolve)).toBeUndefined();
    expect(keyCompletions("x['rows']", resolve)).toBeUndefined();
  });

  it('completeLine asks for attributes only where no method or variable fits a dotted name', async () => {
    const asked: string[] = [];
    const src = {
      methods: async () => [{ name: 'system.listMethods' }],
      variables: ['c'],
      resolve,
      attributes: async (head: string) => (asked.push(head), ['kind', 'meta', '_private']),
    };
    expect(await completeLine('system.li', src)).toMatchObject({ kind: 'method', candidates: ['system.listMethods'] });
    expect(await completeLine('c.', src)).toEqual({ kind: 'attribute', prefix: 'c.', candidates: ['c.kind', 'c.meta'] });
    expect(asked).toEqual(['c']);
    expect(await completeLine("x['ro", src)).toMatchObject({ kind: 'key', candidates: ["'rows']"] });
  });
});

