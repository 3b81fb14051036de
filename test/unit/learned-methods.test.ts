// The method a statement calls, for the method list of servers without introspection.
import { describe, expect, it } from 'vitest';
import { calledMethod, learnedMethodNames } from '../../src/services/learned-methods';

describe('calledMethod', () => {
  it.each([
    ['add(2, 3)', 'add'],
    ['add(x, 1)', 'add'],
    ['y = add(1, 2)', 'add'],
    ['system.listMethods()', 'system.listMethods'],
    ['  get ( "k" )  # a comment', 'get'],
    ['x', undefined],
    ['x = 1', undefined],
    ["x['a']", undefined],
    ['add', undefined],
    ["'unclosed", undefined],
  ])('%s calls %s', (src, method) => {
    expect(calledMethod(src)).toBe(method);
  });
});

describe('learnedMethodNames', () => {
  it('learns from assignments and calls with variables, not from the names the server says it lacks', () => {
    const names = learnedMethodNames([
      { call: 'y = add(1, 2)', ok: true, result: '3' },
      { call: 'sub(y, 1)', ok: true, result: '2' },
      { call: 'nope()', ok: false, error: { type: 'KeyError', message: "'nope'" } },
      { call: 'z = slow(q)', ok: false, error: { type: 'E_PARSE', message: "name 'q' is not defined" } },
    ]);
    expect(names).toEqual(['sub', 'add']);
  });
});
