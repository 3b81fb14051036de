// Fault injection against real servers, for every protocol client: a server that never answers, one
// that half-closes, garbage after a valid header, death mid-call, replies over maxMessageBytes. Each
// gives a clear RpcError within the timeout, and the same client object then calls successfully
// (through fault_proxy.py, which faults only its first connection and passes the rest through).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/clients/registry';
import type { RpcClient } from '../../src/clients/types';
import { RpcError, type ErrorCode } from '../../src/common/errors';
import { parseCall } from '../../src/common/parse';
import { repr } from '../../src/common/repr';
import { startServer, SYSTEM_PYTHON, type RunningServer } from '../helpers/python';

interface Proto {
  name: string;
  script: string;
  args: string[];
  python?: string;
  url: (port: number) => string;
  /** what fault_proxy.py keeps of a reply before garbling it */
  header: string;
  /** a call whose reply is far over 10,000 bytes */
  big: string;
  /** calls share one connection, matched by id: a timed-out call leaves the connection open */
  multiplexed?: boolean;
}

const PROTOS: Proto[] = [
  { name: 'pickle', script: 'cookbook_pickle.py', args: [], url: (p) => `pickle://127.0.0.1:${p}`, header: '4', big: 'big(100000)' },
  { name: 'mpjson', script: 'cookbook_json.py', args: [], url: (p) => `mpjson://127.0.0.1:${p}`, header: '4', big: `echo('${'x'.repeat(20_000)}')` },
  { name: 'xmlrpc', script: 'xmlrpc_kv.py', args: [], url: (p) => `xmlrpc://127.0.0.1:${p}/RPC2`, header: 'http', big: 'blob(100000)' },
  { name: 'jsonrpc', script: 'jsonrpc_server.py', args: ['http'], url: (p) => `jsonrpc://127.0.0.1:${p}/`, header: 'http', big: 'big(100000)' },
  { name: 'jsonrpc+tcp', script: 'jsonrpc_server.py', args: ['tcp'], url: (p) => `jsonrpc+tcp://127.0.0.1:${p}`, header: '0', big: 'big(100000)', multiplexed: true },
  { name: 'tcpjson', script: 'tcpjson_seed003.py', args: [], url: (p) => `tcpjson://127.0.0.1:${p}`, header: '0', big: 'big(5000)' },
  { name: 'rpyc', script: 'rpyc_seed004.py', args: [], python: SYSTEM_PYTHON, url: (p) => `rpyc://127.0.0.1:${p}`, header: '5', big: 'get_big_list(100000)' },
];

const TIMEOUT_MS = 1500;
const ADD = parseCall('add(2, 3)');

async function failure(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw new Error(`expected an RpcError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected the call to fail');
}

async function add(c: RpcClient): Promise<string> {
  return repr(await c.call(ADD));
}

for (const proto of PROTOS) {
  describe(`${proto.name}: faults`, () => {
    let upstream: RunningServer;
    const proxies: RunningServer[] = [];
    const clients: RpcClient[] = [];

    beforeAll(async () => {
      upstream = await startServer(proto.script, proto.args, { python: proto.python });
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await Promise.all(proxies.map((p) => p.stop()));
      await upstream?.stop();
    });

    /** a client through a proxy that faults its first connection */
    async function faulty(mode: string, opts: { maxMessageBytes?: number } = {}): Promise<{ c: RpcClient; proxy: RunningServer }> {
      const proxy = await startServer('fault_proxy.py', [String(upstream.port), mode, proto.header]);
      proxies.push(proxy);
      const c = createClient(proto.url(proxy.port), { timeoutMs: TIMEOUT_MS, ...opts });
      clients.push(c);
      return { c, proxy };
    }

    it('a server that never answers: E_TIMEOUT, then calls succeed again', async () => {
      const { c, proxy } = await faulty('silent');
      const e = await failure(c.call(ADD));
      expect(e.code).toBe('E_TIMEOUT');
      if (proto.multiplexed) {
        // one late reply does not condemn a connection that carries many calls: a new client connects anew
        const fresh = createClient(proto.url(proxy.port), { timeoutMs: TIMEOUT_MS });
        clients.push(fresh);
        expect(await add(fresh)).toBe('5');
      } else expect(await add(c)).toBe('5');
    });

    it('a half-closed socket (SHUT_WR before replying): noticed without waiting for the timeout', async () => {
      const { c } = await faulty('halfclose');
      const e = await failure(c.call(ADD));
      expect(['E_CLOSED', 'E_PROTOCOL', 'E_DECODE']).toContain(e.code);
      expect(await add(c)).toBe('5');
    });

    it('garbage after a valid header: E_DECODE or E_PROTOCOL, then the same client calls again', async () => {
      const { c } = await faulty('garbage');
      const e = await failure(c.call(ADD));
      expect(['E_DECODE', 'E_PROTOCOL'] as ErrorCode[]).toContain(e.code);
      expect(await add(c)).toBe('5');
    });

    it('the server dies mid-call: E_CLOSED; a new client reaches a healthy server', async () => {
      const { c, proxy } = await faulty('die');
      const e = await failure(c.call(ADD));
      expect(e.code).toBe('E_CLOSED');
      await new Promise((done) => (proxy.proc.exitCode === null && proxy.proc.signalCode === null ? proxy.proc.once('exit', done) : done(null)));
      const fresh = createClient(proto.url(upstream.port), { timeoutMs: TIMEOUT_MS });
      clients.push(fresh);
      expect(await add(fresh)).toBe('5');
    });

    it('a reply over maxMessageBytes: E_LIMIT, then the same client calls again', async () => {
      const c = createClient(proto.url(upstream.port), { timeoutMs: 10_000, maxMessageBytes: 10_000 });
      clients.push(c);
      expect(await add(c)).toBe('5');
      const e = await failure(c.call(parseCall(proto.big)));
      expect(e.code).toBe('E_LIMIT');
      expect(await add(c)).toBe('5');
    });
  });
}

describe('multiprocessing.connection specifics', () => {
  let keyed: RunningServer;
  let json: RunningServer;
  beforeAll(async () => {
    keyed = await startServer('cookbook_pickle.py', ['--authkey-hex', Buffer.from('right key').toString('hex')]);
    json = await startServer('cookbook_json.py');
  });
  afterAll(async () => {
    await keyed?.stop();
    await json?.stop();
  });

  it('a wrong authkey: E_AUTH; the right key then works, and the server still serves', async () => {
    const wrong = createClient(`pickle://127.0.0.1:${keyed.port}?authkey=wrong`, { timeoutMs: TIMEOUT_MS });
    const e = await failure(wrong.call(ADD));
    expect(e.code).toBe('E_AUTH');
    await wrong.close();
    const right = createClient(`pickle://127.0.0.1:${keyed.port}?authkey=right%20key`, { timeoutMs: TIMEOUT_MS });
    expect(await add(right)).toBe('5');
    await right.close();
  });

  it("seed 001's JSON server on a failing call (json.dumps(e) raises): its handler dies without a reply; E_TIMEOUT, then the same client calls again", async () => {
    // the dead handler's connection sits in a reference cycle (traceback -> frame -> exception), so
    // CPython closes it only at its next garbage collection: the client sees silence, not a close
    const c = createClient(`mpjson://127.0.0.1:${json.port}`, { timeoutMs: TIMEOUT_MS });
    expect(await add(c)).toBe('5');
    const e = await failure(c.call(parseCall("fail('value')")));
    expect(['E_TIMEOUT', 'E_CLOSED']).toContain(e.code);
    expect(e.message).toContain('fail');
    expect(await add(c)).toBe('5');
    await c.close();
  });
});
