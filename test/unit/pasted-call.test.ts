// The pasted-call hint's reading of the statement: the client object's part is cut where its tokens
// are, whatever the spacing, and nowhere else (not inside a string that spells the same name).
// What the servers answer is asserted against the real servers in integration/pasted-calls.test.ts.
import { describe, expect, it } from 'vitest';
import type { MethodList } from '../../src/common/call';
import { pastedCallHint } from '../../src/common/pasted-call';

const keyError = (method: string) => ({ ok: false, error: { type: 'KeyError', message: `'${method}'` } });
const listing = (names: string[], source: MethodList['source'] = 'learned') => async (): Promise<MethodList> => ({ methods: names.map((name) => ({ name })), source });

describe('pastedCallHint', () => {
  it.each([
    ['proxy.add(2, 3)', 'proxy.add', 'add(2, 3)', 'proxy.'],
    ["x = proxy . add('proxy.add', 3)", 'proxy.add', "x = add('proxy.add', 3)", 'proxy.'],
    ['conn.root.ns.get(1)', 'conn.root.ns.get', 'ns.get(1)', 'conn.root.'],
    ['proxy.add(\n  2,\n  3)', 'proxy.add', 'add(\n  2,\n  3)', 'proxy.'],
  ])('%j becomes %j', async (source, method, suggested, dropped) => {
    expect(await pastedCallHint(source, method, keyError(method), listing([]))).toEqual({ suggested, dropped });
  });

  it('prefers the longest tail the server is known to have, and asks for the list only when the answer is "no such method"', async () => {
    expect(await pastedCallHint('a.math.add(1)', 'a.math.add', keyError('a.math.add'), listing(['add', 'math.add']))).toEqual({ suggested: 'math.add(1)', dropped: 'a.' });
    let asked = 0;
    const counting = async (): Promise<MethodList> => (asked++, { methods: [], source: 'none' });
    expect(await pastedCallHint('proxy.add(1)', 'proxy.add', { ok: false, error: { type: 'TypeError', message: 'nope' } }, counting)).toBeUndefined();
    expect(await pastedCallHint('add(1)', 'add', keyError('add'), counting)).toBeUndefined();
    expect(asked).toBe(0);
  });

  it('a list that cannot be had counts as empty', async () => {
    const failing = async (): Promise<MethodList> => {
      throw new Error('gone');
    };
    expect(await pastedCallHint('proxy.add(1)', 'proxy.add', keyError('proxy.add'), failing)).toEqual({ suggested: 'add(1)', dropped: 'proxy.' });
  });

  it("a complete listing is the server's own word: only a tail it lists is suggested", async () => {
    const introspected = listing(['add', 'proxy.x'], 'introspection');
    expect(await pastedCallHint('proxy.sub(1)', 'proxy.sub', keyError('proxy.sub'), introspected)).toBeUndefined();
    expect(await pastedCallHint('proxy.add(1)', 'proxy.add', keyError('proxy.add'), introspected)).toEqual({ suggested: 'add(1)', dropped: 'proxy.' });
  });
});
