// Load against real servers: 1,000 concurrent JSON-RPC calls on one jsonrpc+tcp connection matched
// by id, 10,000 calls with the heap flat (a leak check, not a timing) and no timeout left behind,
// 50 clients at once.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/clients/registry';
import type { RpcClient } from '../../src/clients/types';
import type { CallRequest } from '../../src/common/call';
import { repr } from '../../src/common/repr';
import { pendingTimeouts } from '../../src/transport/timeouts';
import type { PyValue } from '../../src/common/value';
import { startServer, SYSTEM_PYTHON, type RunningServer } from '../helpers/python';

// a GC we can call, without depending on how the test runner started this worker
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const int = (n: number): PyValue => ({ t: 'int', v: BigInt(n) });
const add = (a: number, b: number): CallRequest => ({ method: 'add', args: [int(a), int(b)], kwargs: [] });

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('one jsonrpc+tcp connection under load', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer('jsonrpc_server.py', ['tcp']);
  });
  afterAll(() => server?.stop());

  it('1,000 concurrent calls on one connection come back matched to their ids', async () => {
    let opened = 0;
    const c = createClient(`jsonrpc+tcp://127.0.0.1:${server.port}`, { timeoutMs: 60_000 });
    await c.connect();
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        if (!c.connected) opened++;
        return c.call(add(i, 1_000_000));
      }),
    );
    expect(opened).toBe(0);
    // every call's timeout ended with its reply
    expect(pendingTimeouts()).toBe(0);
    expect(results.map(repr)).toEqual(Array.from({ length: 1000 }, (_, i) => String(i + 1_000_000)));
    expect(c.connected).toBe(true);
    await c.close();
  });
});

describe('memory stays flat over 10,000 calls', () => {
  const cases = [
    { name: 'jsonrpc+tcp', script: 'jsonrpc_server.py', args: ['tcp'], url: (p: number) => `jsonrpc+tcp://127.0.0.1:${p}` },
    { name: 'pickle', script: 'cookbook_pickle.py', args: [], url: (p: number) => `pickle://127.0.0.1:${p}` },
  ];
  for (const k of cases) {
    it(`${k.name}: heap after GC at 10,000 calls is within 4 MB of the heap at 2,000`, async () => {
      const server = await startServer(k.script, k.args);
      const c = createClient(k.url(server.port), { timeoutMs: 30_000 });
      try {
        let at2000 = 0;
        for (let i = 1; i <= 10_000; i++) {
          const r = await c.call(add(i, 1));
          if (r.t !== 'int' || r.v !== BigInt(i + 1)) throw new Error(`call ${i} gave ${repr(r)}`);
          if (i === 2000) at2000 = heapAfterGc();
        }
        const at10000 = heapAfterGc();
        expect(pendingTimeouts()).toBe(0);
        // 8,000 more calls keeping even 500 bytes each would add 4 MB
        expect(at10000 - at2000).toBeLessThan(4 * 1024 * 1024);
      } finally {
        await c.close();
        await server.stop();
      }
    });
  }
});

describe('50 clients on one server at once', () => {
  const cases = [
    { name: 'pickle', script: 'cookbook_pickle.py', args: [], url: (p: number) => `pickle://127.0.0.1:${p}` },
    { name: 'jsonrpc over HTTP', script: 'jsonrpc_server.py', args: ['http'], url: (p: number) => `jsonrpc://127.0.0.1:${p}/` },
    { name: 'rpyc', script: 'rpyc_seed004.py', args: [], python: SYSTEM_PYTHON, url: (p: number) => `rpyc://127.0.0.1:${p}` },
  ];
  for (const k of cases) {
    it(`${k.name}: 50 clients connected at once, 10 concurrent calls each, all correct`, async () => {
      const server = await startServer(k.script, k.args, { python: k.python });
      const clients: RpcClient[] = Array.from({ length: 50 }, () => createClient(k.url(server.port), { timeoutMs: 30_000 }));
      try {
        // one after another: the Cookbook's Listener has a backlog of 1 (Python's default) and
        // ThreadingHTTPServer of 5, so a burst of connects waits out SYN-ACK retransmissions
        for (const c of clients) await c.connect();
        // an HTTP client opens its connection with its first request (connect() only checks that
        // the server takes one) and keeps it while the HTTP/1.1 server does
        for (const c of clients) await c.call(add(0, 0));
        expect(clients.every((c) => c.connected)).toBe(true);
        const sums = await Promise.all(
          clients.map(async (c, i) => {
            const got: string[] = [];
            for (let j = 0; j < 10; j++) got.push(repr(await c.call(add(i * 100, j))));
            return got;
          }),
        );
        expect(sums).toEqual(clients.map((_, i) => Array.from({ length: 10 }, (_, j) => String(i * 100 + j))));
      } finally {
        await Promise.all(clients.map((c) => c.close()));
        await server.stop();
      }
    });
  }
});
