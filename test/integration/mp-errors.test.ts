// What goes wrong on a multiprocessing.connection endpoint becomes a clear RpcError, never a hang.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repr } from '../../src/common/repr';
import { startServer, type RunningServer } from '../helpers/python';
import { PYTHONS, call, client, rejection, startCookbook, url } from './mp-shared';

const py = PYTHONS.find((p) => p.mm[0] === 3 && p.mm[1] === 11) ?? PYTHONS[PYTHONS.length - 1];
const KEY = 'peekaboo';

describe('pickle:// error paths', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startCookbook('cookbook_pickle.py', py, KEY);
  });
  afterAll(() => server?.stop());

  it('times out a slow call with E_TIMEOUT, then reconnects for the next call', async () => {
    const c = client(url('pickle', server, KEY), { timeoutMs: 400 });
    const err = await rejection(call(c, 'slow(5)'));
    expect(err.code).toBe('E_TIMEOUT');
    expect(err.message).toContain('slow()');
    expect(repr(await call(c, 'add(1, 2)'))).toBe('3');
    await c.close();
  });

  it('cancels a call on abort with E_CANCELLED', async () => {
    const c = client(url('pickle', server, KEY));
    const ac = new AbortController();
    const p = c.call({ method: 'slow', args: [{ t: 'int', v: 5n }], kwargs: [] }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    expect((await rejection(p)).code).toBe('E_CANCELLED');
    await c.close();
  });

  it('refuses to encode what pickle cannot carry, before sending', async () => {
    const c = client(url('pickle', server, KEY));
    const err = await rejection(c.call({ method: 'add', args: [{ t: 'ref', cls: 'x', handle: '1' }], kwargs: [] }));
    expect(err.code).toBe('E_ENCODE');
    await c.close();
  });
});

describe('a server that dies or lies', () => {
  it('reports E_CLOSED when the server process dies mid-call', async () => {
    const server = await startCookbook('cookbook_pickle.py', py, KEY);
    try {
      const c = client(url('pickle', server, KEY));
      const err = await rejection(call(c, 'die()'));
      expect(err.code).toBe('E_CLOSED');
      expect(err.message).toContain('the server closed the connection during the call to die');
      await new Promise((done) => (server.proc.exitCode === null ? server.proc.once('exit', done) : done(null)));
      const again = await rejection(call(c, 'add(1, 2)'));
      expect(again.code).toBe('E_CONNECT');
      expect(again.message).toBe(`connection refused by 127.0.0.1:${server.port}`);
    } finally {
      await server.stop();
    }
  });

  it('rejects a huge length prefix with E_LIMIT naming the claimed length', async () => {
    const server = await startServer('mp_hostile.py', ['huge'], { python: py.path });
    try {
      const c = client(url('pickle', server));
      const err = await rejection(call(c, 'add(1, 2)'));
      expect(err.code).toBe('E_LIMIT');
      expect(err.message).toContain('2147483647');
      const small = client(url('pickle', server), { maxMessageBytes: 1000 });
      expect((await rejection(call(small, 'add(1, 2)'))).message).toContain('limit of 1000 bytes');
    } finally {
      await server.stop();
    }
  });

  it('reports bytes that are not a pickle as E_DECODE', async () => {
    const server = await startServer('mp_hostile.py', ['garbage'], { python: py.path });
    try {
      expect((await rejection(call(client(url('pickle', server)), 'add(1, 2)'))).code).toBe('E_DECODE');
    } finally {
      await server.stop();
    }
  });

  it('reports a silent close as E_CLOSED', async () => {
    const server = await startServer('mp_hostile.py', ['close'], { python: py.path });
    try {
      const err = await rejection(call(client(url('pickle', server)), 'add(1, 2)'));
      expect(err.code).toBe('E_CLOSED');
      expect(err.message).toContain('add');
    } finally {
      await server.stop();
    }
  });

  const py2 = PYTHONS.find((p) => p.mm[0] === 2);
  it.runIf(py2)('hints at ?protocol=2 when a Python 2 server cannot read a protocol 4 request', async () => {
    const server = await startCookbook('cookbook_pickle.py', py2!, KEY);
    try {
      // its handler thread dies on the request and the connection stays open without a reply
      const err = await rejection(call(client(url('pickle', server, KEY), { timeoutMs: 1500 }), 'add(1, 2)'));
      expect(err.code).toBe('E_TIMEOUT');
      expect(err.message).toContain('?protocol=2');
    } finally {
      await server.stop();
    }
  });

  it('names the peer when nothing listens', async () => {
    const server = await startServer('mp_hostile.py', ['close'], { python: py.path });
    await server.stop();
    const err = await rejection(call(client(url('pickle', server)), 'add(1, 2)'));
    expect(err.code).toBe('E_CONNECT');
    expect(err.message).toBe(`connection refused by 127.0.0.1:${server.port}`);
  });
});
