import { describe, expect, it } from 'vitest';
import { helpText, helpTopic, methodHelpText, methodSignature } from '../../src/common/method-help';
import type { MethodList } from '../../src/common/call';
import { repr } from '../../src/common/repr';
import type { PyValue } from '../../src/common/value';

const none = () => undefined;
const ref: PyValue = { t: 'ref', cls: 'seed.Counter', handle: '7', repr: '<seed.Counter object at 0x7f00>' };

describe('helpTopic', () => {
  it('reads help(NAME) with a bare, possibly dotted, name', () => {
    expect(helpTopic('help(get)', none)).toEqual({ method: 'get' });
    expect(helpTopic('  help( system.methodHelp )  ', none)).toEqual({ method: 'system.methodHelp' });
    expect(helpTopic('help(get)  # the getter', none)).toEqual({ method: 'get' });
  });

  it('leaves every other statement to the parser', () => {
    expect(helpTopic('help()', none)).toEqual({ listing: true });
    for (const src of ["help('get')", 'help(1)', 'help(get, 2)', 'help(a.)', 'help(.a)', 'help(a..b)', 'x = help(get)', 'help(get)(1)', 'help(None)', 'help(get', 'helper(get)']) {
      expect(helpTopic(src, none), src).toBeUndefined();
    }
    // a variable's value would be the argument of a remote help()
    const x = (n: string): PyValue | undefined => (n === 'x' ? { t: 'int', v: 1n } : undefined);
    expect(helpTopic('help(x)', x)).toBeUndefined();
    expect(helpTopic('help(x.y)', x)).toBeUndefined();
  });

  it('reads help(obj) and help(obj.method) on a variable holding a remote object', () => {
    const c = (n: string) => (n === 'c' ? ref : undefined);
    expect(helpTopic('help(c)', c)).toEqual({ object: 'c', ref });
    expect(helpTopic('help(c.incr)', c)).toEqual({ object: 'c', ref, method: 'incr' });
    // deeper: left to the parser, which says what it cannot do
    expect(helpTopic('help(c.a.b)', c)).toBeUndefined();
  });
});

describe('methodHelpText', () => {
  const list: MethodList = {
    source: 'introspection',
    methods: [
      { name: 'get', doc: 'Return the value.\n\n    Raises KeyError\n      when missing.\n' },
      { name: 'sum', signature: 'int sum(int, int)' },
      { name: 'sub', params: [{ name: 'a' }, { name: 'b' }] },
    ],
  };

  it('prints the signature and the documentation as inspect.cleandoc leaves it, indented', () => {
    expect(methodHelpText(list, 'get')).toBe('get(...)\n    Return the value.\n\n    Raises KeyError\n      when missing.');
    expect(methodHelpText(list, 'sum')).toBe('int sum(int, int)\n    (the server gives no documentation for it)');
    expect(methodHelpText(list, 'sub')).toBe('sub(a, b)\n    (the server gives no documentation for it)');
  });

  it('says what is known where the method is not listed', () => {
    expect(() => methodHelpText(list, 'nope')).toThrow("no method 'nope' in the server's listing (known: get, sum, sub)");
    const learned: MethodList = { source: 'learned', methods: [], note: 'pickle servers have no introspection' };
    expect(() => methodHelpText(learned, 'add')).toThrow("nothing is known of 'add': pickle servers have no introspection (none is known yet)");
  });

  it("keeps XML-RPC's return-type-first signatures whole", () => {
    expect(methodSignature({ name: 'sum', signature: 'int sum(int, int) | double sum(double, double)' })).toBe('int sum(int, int) | double sum(double, double)');
    expect(methodSignature({ name: 'get', signature: 'key' })).toBe('get(key)');
    expect(methodSignature({ name: 'get' })).toBeUndefined();
  });
});

describe('helpText', () => {
  const root: MethodList = { source: 'introspection', methods: [{ name: 'counter', doc: 'A new counter.' }] };
  const counter: MethodList = { source: 'introspection', methods: [{ name: 'incr', doc: 'Add `by`.\n\nReturns the new value.' }, { name: 'value' }] };
  const asked: PyValue[] = [];
  const sources = {
    methods: async () => root,
    methodsOf: async (r: PyValue) => (asked.push(r), counter),
  };

  it('help() lists the methods with their first documentation line, and where the list comes from', async () => {
    expect(await helpText({ listing: true }, { ...sources, methods: async () => ({ ...root, note: 'the service root (INSPECT)' }) })).toBe(
      'counter  — A new counter.\n(the service root (INSPECT); help(NAME) prints one whole)',
    );
    expect(await helpText({ listing: true }, { ...sources, methods: async () => ({ source: 'none', methods: [], note: 'no introspection' }) })).toBe('no methods are known: no introspection');
  });

  it("prints a service method's help from the service's listing", async () => {
    expect(await helpText({ method: 'counter' }, sources)).toBe('counter(...)\n    A new counter.');
  });

  it("prints a remote object's methods, and one of them whole, from the object's own listing", async () => {
    expect(await helpText({ object: 'c', ref }, sources)).toBe(`c: ${repr(ref)}\n    incr  — Add \`by\`.\n    value`);
    expect(await helpText({ object: 'c', ref, method: 'incr' }, sources)).toBe('c.incr(...)\n    Add `by`.\n\n    Returns the new value.');
    expect(asked).toEqual([ref, ref]);
    await expect(helpText({ object: 'c', ref, method: 'nope' }, sources)).rejects.toThrow("no method 'nope' in the methods of c (known: incr, value)");
  });

  it('says so where the protocol has no remote objects to list', async () => {
    await expect(helpText({ object: 'c', ref }, { ...sources, methodsOf: undefined })).rejects.toThrow('this protocol cannot list the methods of c');
  });
});
