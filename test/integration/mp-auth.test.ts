// The authkey handshake against real servers: legacy HMAC-MD5 (<= 3.11, 2.7) and the {sha256} form
// (3.12+), non-ASCII keys from the URL, and every way it can go wrong.
import { beforeAll, describe, expect, it } from 'vitest';
import { repr } from '../../src/common/repr';
import type { RunningServer } from '../helpers/python';
import { PYTHONS, announcePythons, call, client, rejection, startCookbook, url } from './mp-shared';

/** URL authkeys are percent-decoded text; the key is its UTF-8 bytes. */
const KEYS = ['peekaboo', 'clé été', '🔑 a&b=c?%', 'x'];

beforeAll(() => announcePythons());

async function withServer<T>(server: Promise<RunningServer>, body: (s: RunningServer) => Promise<T>): Promise<T> {
  const s = await server;
  try {
    return await body(s);
  } finally {
    await s.stop();
  }
}

for (const py of PYTHONS) {
  const params = py.mm[0] === 2 ? ['protocol=2'] : [];
  describe(`authkey handshake with Python ${py.version}`, () => {
    const keys = py.mm[0] === 2 || py.mm[1] >= 11 ? KEYS : KEYS.slice(0, 2);
    for (const key of keys) {
      it(`authenticates with ${JSON.stringify(key)} given in the URL`, () =>
        withServer(startCookbook('cookbook_pickle.py', py, key), async (s) => {
          const c = client(url('pickle', s, key, params));
          expect(repr(await call(c, 'add(2, 3)'))).toBe('5');
          await c.close();
        }));
    }

    it("authenticates with a key that is not UTF-8, written as a bytes literal b'...' in the URL or the option", () =>
      // os.urandom-style bytes: 0x8f, 0xff and a NUL are no UTF-8 text
      withServer(startCookbook('cookbook_pickle.py', py, undefined, ['--authkey-hex', '8fff00706565']), async (s) => {
        const viaUrl = client(url('pickle', s, "b'\\x8f\\xff\\x00pee'", params));
        expect(repr(await call(viaUrl, 'add(2, 3)'))).toBe('5');
        await viaUrl.close();
        const viaOption = client(url('pickle', s, undefined, params), { authkey: 'B"\\x8f\\xff\\x00pee"' });
        expect(repr(await call(viaOption, 'add(2, 3)'))).toBe('5');
        await viaOption.close();
        // the same text without the b'' notation is a different (UTF-8) key
        const asText = client(url('pickle', s, '\\x8f\\xff\\x00pee', params));
        expect((await rejection(call(asText, 'add(2, 3)'))).code).toBe('E_AUTH');
      }));

    it('fails fast with E_AUTH on a wrong authkey, then works with the right one', () =>
      withServer(startCookbook('cookbook_pickle.py', py, 'peekaboo'), async (s) => {
        const bad = client(url('pickle', s, 'peekabo', params));
        const err = await rejection(call(bad, 'add(2, 3)'));
        expect(err.code).toBe('E_AUTH');
        expect(err.message).toBe('authentication failed: the server rejected the authkey (wrong authkey?); a server written as the Cookbook recipe stops accepting connections after a failed handshake');
        const good = client(url('pickle', s, undefined, params), { authkey: 'peekaboo' });
        expect(repr(await call(good, 'add(2, 3)'))).toBe('5');
        await good.close();
      }));

    it('says the server requires an authkey when we have none', () =>
      withServer(startCookbook('cookbook_pickle.py', py, 'peekaboo'), async (s) => {
        const c = client(url('pickle', s, undefined, params));
        const err = await rejection(call(c, 'add(2, 3)'));
        expect(err.code).toBe('E_AUTH');
        expect(err.message).toContain('the server requires an authkey');
      }));

    it('says the server sent no challenge when it has no authkey but we do', () =>
      withServer(startCookbook('cookbook_pickle.py', py, undefined), async (s) => {
        const c = client(url('pickle', s, 'peekaboo', params));
        const err = await rejection(call(c, 'add(2, 3)'));
        expect(err.code).toBe('E_AUTH');
        expect(err.message).toContain('did not send an authentication challenge');
        const plain = client(url('pickle', s, undefined, params));
        expect(repr(await call(plain, 'add(2, 3)'))).toBe('5');
        await plain.close();
      }));
  });
}
