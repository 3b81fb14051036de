// mpjson:// against both JSON variants of the Cookbook server under every CPython here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repr } from '../../src/common/repr';
import type { FrameInput } from '../../src/common/frames';
import { resolveLayers } from '../../src/common/frames';
import type { MpClient } from '../../src/clients/mp/session';
import type { RunningServer } from '../helpers/python';
import { PYTHONS, announcePythons, call, client, rejection, startCookbook, url } from './mp-shared';

const KEY = 'peekaboo';
beforeAll(() => announcePythons());

for (const py of PYTHONS) {
  const params = py.mm[0] === 2 ? ['protocol=2'] : [];
  describe(`mpjson:// with Python ${py.version}`, () => {
    let dies: RunningServer;
    let strs: RunningServer;
    beforeAll(async () => {
      [dies, strs] = await Promise.all([startCookbook('cookbook_json.py', py, KEY), startCookbook('cookbook_json_str.py', py, KEY)]);
    });
    afterAll(async () => {
      await dies?.stop();
      await strs?.stop();
    });

    it('calls with JSON values: big ints stay ints, floats stay floats, tuples become lists', async () => {
      const c = client(url('mpjson', dies, KEY, params));
      expect(repr(await call(c, 'add(2, 3)'))).toBe('5');
      expect(repr(await call(c, 'add(1180591620717411303424, 1)'))).toBe('1180591620717411303425');
      expect(repr(await call(c, 'add(1.5, 2.0)'))).toBe('3.5');
      expect(repr(await call(c, 'add(2.0, 2.0)'))).toBe('4.0');
      expect(repr(await call(c, "echo((1, 2), 'é☃', z=None, w={'k': [True]})"))).toBe("[[[1, 2], 'é☃'], {'z': None, 'w': {'k': [True]}}]");
      expect(repr(await call(c, "values('nested')"))).toBe("{'a': [1, [2, 3], [4]], 'b': {'c': None, 'd': True}, 'e': []}");
      expect(repr(await call(c, "values('float')"))).toBe('[1e+16, 0.1, -0.0, inf, 1.5]');
      await c.close();
    });

    it('explains the missing reply when the seed-001 server cannot JSON-encode an exception', async () => {
      const c = client(url('mpjson', dies, KEY, params), { timeoutMs: 1500 });
      const err = await rejection(call(c, 'sub([1, 2], 4)'));
      // its handler thread died; the socket closes only if the connection gets collected
      expect(['E_TIMEOUT', 'E_CLOSED']).toContain(err.code);
      expect(err.message).toMatch(/no reply to sub\(\)|the server closed the connection during the call to sub/);
      expect(err.message).toContain('seed-001 servers do this when the function raised and the error could not be JSON-encoded');
      // the next call reconnects
      expect(repr(await call(c, 'sub(5, 3)'))).toBe('2');
      // probing for a listing makes this server go silent too: methods() still answers
      const list = await c.methods();
      expect(list.methods.map((m) => m.name)).toEqual(['sub']);
      await c.close();
    });

    it("returns str(e) as a string from the Cookbook's str(e) variant", async () => {
      const c = client(url('mpjson', strs, KEY, params)) as MpClient;
      expect(repr(await call(c, 'sub([1, 2], 4)'))).toBe(`"unsupported operand type(s) for -: 'list' and 'int'"`);
      expect(repr(await call(c, 'nope(1)'))).toBe(py.mm[0] === 2 ? `"u'nope'"` : `"'nope'"`);
      const list = await c.methods();
      expect(list.source).toBe('learned');
      expect(list.methods.map((m) => m.name)).toEqual(['sub']);
      await c.close();
    });

    it('refuses values JSON cannot carry before sending', async () => {
      const c = client(url('mpjson', strs, KEY, params));
      expect((await rejection(call(c, "add(b'x', 1)"))).code).toBe('E_ENCODE');
      await c.close();
    });

    it('shows the JSON text as a layer', async () => {
      const frames: FrameInput[] = [];
      const c = client(url('mpjson', strs, KEY, params), { onFrame: (f) => frames.push(f) });
      await c.call({ method: 'add', args: [{ t: 'int', v: 2n }, { t: 'int', v: 3n }], kwargs: [] }, { callId: 1 });
      await c.close();
      const [req] = frames.filter((f) => f.callId === 1);
      expect(resolveLayers(req).find((l) => l.kind === 'json')?.text).toBe('["add", [2, 3], {}]');
    });
  });
}
