import { describe, expect, it } from 'vitest';
import { helpTopic, methodHelpText, methodSignature } from '../../src/common/method-help';
import type { MethodList } from '../../src/common/call';

const none = () => false;

describe('helpTopic', () => {
  it('reads help(NAME) with a bare, possibly dotted, name', () => {
    expect(helpTopic('help(get)', none)).toBe('get');
    expect(helpTopic('  help( system.methodHelp )  ', none)).toBe('system.methodHelp');
    expect(helpTopic('help(get)  # the getter', none)).toBe('get');
  });

  it('leaves every other statement to the parser', () => {
    for (const src of ['help()', "help('get')", 'help(1)', 'help(get, 2)', 'help(a.)', 'help(.a)', 'help(a..b)', 'x = help(get)', 'help(get)(1)', 'help(None)', 'help(get', 'helper(get)']) {
      expect(helpTopic(src, none), src).toBeUndefined();
    }
    // a variable's value would be the argument of a remote help()
    expect(helpTopic('help(x)', (n) => n === 'x')).toBeUndefined();
    expect(helpTopic('help(x.y)', (n) => n === 'x')).toBeUndefined();
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
