// JSON-RPC 2.0 over HTTP, newline-delimited TCP and WebSocket against test/servers/jsonrpc_server.py.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/clients/registry';
import { JsonRpcClient } from '../../src/clients/jsonrpc';
import { RemoteError, isRpcError, type RpcError } from '../../src/common/errors';
import { remoteErrorText } from '../../src/cli/common';
import { resolveLayers, type FrameInput } from '../../src/common/frames';
import { repr } from '../../src/common/repr';
import type { CallRequest } from '../../src/common/call';
import type { PyValue } from '../../src/common/value';
import { int, str, list, None } from '../../src/common/value';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../helpers/python';

const call = (method: string, ...args: PyValue[]): CallRequest => ({ method, args, kwargs: [] });
const named = (method: string, kwargs: [string, PyValue][]): CallRequest => ({ method, args: [], kwargs });

async function failure(p: Promise<unknown>): Promise<RemoteError | RpcError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RemoteError || isRpcError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

const TRANSPORTS = [
  { mode: 'http', scheme: 'jsonrpc', frameIn: 'http' },
  { mode: 'tcp', scheme: 'jsonrpc+tcp', frameIn: 'framing' },
  { mode: 'ws', scheme: 'jsonrpc+ws', frameIn: 'framing' },
] as const;

for (const { mode, scheme, frameIn } of TRANSPORTS) {
  describe(`${scheme}:// against a JSON-RPC 2.0 server over ${mode}`, () => {
    let server: RunningServer;
    let client: JsonRpcClient;
    const frames: FrameInput[] = [];
    beforeAll(async () => {
      server = await startServer('jsonrpc_server.py', [mode]);
      client = createClient(`${scheme}://127.0.0.1:${server.port}/`, { timeoutMs: 20_000, onFrame: (f) => frames.push(f) }) as JsonRpcClient;
    });
    afterAll(async () => {
      await client?.close();
      await server?.stop();
    });

    it('calls with positional and named params', async () => {
      expect(await client.call(call('add', int(2), int(3)))).toEqual(int(5));
      expect(await client.call(named('subtract', [['subtrahend', int(10)], ['minuend', int(3)]]))).toEqual(int(-7));
      const big = 2n ** 100n + 1n;
      expect(await client.call(call('add', int(big), int(1)))).toEqual(int(big + 1n));
      expect(repr(await client.call(call('echo', list([str('é'), None, { t: 'float', v: 1.5 }]))))).toBe("['é', None, 1.5]");
    });

    it('refuses mixing positional and keyword arguments with E_USAGE', async () => {
      const e = await failure(client.call({ method: 'add', args: [int(1)], kwargs: [['b', int(2)]] }));
      expect(isRpcError(e, 'E_USAGE')).toBe(true);
      expect(e.message).toMatch(/either positional or named/);
    });

    it('turns error objects into remote errors: Python exceptions by name, others as JSONRPCError', async () => {
      const keyErr = await failure(client.call(call('get', str('nope'))));
      expect(keyErr).toBeInstanceOf(RemoteError);
      expect(keyErr.message).toBe("KeyError: 'nope'");
      expect((keyErr as RemoteError).extra.code).toBe(-32000);
      expect((keyErr as RemoteError).extra.traceback).toMatch(/^Traceback/);
      const missing = await failure(client.call(call('nosuch')));
      expect(missing.message).toBe('JSONRPCError: -32601 Method not found: nosuch');
      expect((missing as RemoteError).extra.code).toBe(-32601);
      const badParams = await failure(client.call(call('add', int(1))));
      expect(badParams.message).toMatch(/^JSONRPCError: -32602 Invalid params: add\(\) missing 1 required positional argument: 'b'$/);
    });

    it("shows an exception's notes (add_note) under its line, from the traceback the server sends, once", async () => {
      const e = (await failure(client.call(call('fail', str('bad row'), str('while reading rows.csv'), str('line 3:\n  spam'))))) as RemoteError;
      expect(e.lastLine).toBe('ValueError: bad row');
      expect(e.notes).toEqual(['while reading rows.csv', 'line 3:', '  spam']);
      // the server's traceback ends with the last line and the notes already: printed as it came
      expect(remoteErrorText(e)).toBe(e.extra.traceback!.trimEnd());
      expect(remoteErrorText(e)).toMatch(/\nValueError: bad row\nwhile reading rows.csv\nline 3:\n {2}spam$/);
      const plain = (await failure(client.call(call('fail', str('no notes'))))) as RemoteError;
      expect(plain.notes).toEqual([]);
      expect(remoteErrorText(plain)).toMatch(/\nValueError: no notes$/);
    });

    it('sends notifications that get no reply', async () => {
      await client.notify(call('note', str(`hello ${mode}`)));
      await client.notify(call('nosuch'));
      const notes = await client.call(call('notes'));
      expect(repr(notes)).toContain(`'hello ${mode}'`);
    });

    it('sends batches and matches replies by id', async () => {
      const items = await client.callBatch([call('add', int(1), int(1)), call('get', str('nope')), named('subtract', [['minuend', int(5)], ['subtrahend', int(1)]])]);
      expect(items[0]).toEqual({ ok: true, value: int(2) });
      expect(items[1].ok === false && items[1].error.message).toBe("KeyError: 'nope'");
      expect(items[2]).toEqual({ ok: true, value: int(4) });
      expect(isRpcError(await failure(client.callBatch([])), 'E_USAGE')).toBe(true);
    });

    it('discovers methods through rpc.discover, resolving $refs', async () => {
      const list = await client.methods();
      expect(list.source).toBe('introspection');
      const add = list.methods.find((m) => m.name === 'add');
      expect(add?.signature).toBe('add(a: integer, b: integer) -> integer');
      expect(add?.doc).toBe('Add two integers.');
      expect(add?.params?.map((p) => [p.name, p.required, p.schema])).toEqual([
        ['a', true, { type: 'integer', title: 'Int' }],
        ['b', true, { type: 'integer', title: 'Int' }],
      ]);
      expect(list.methods.find((m) => m.name === 'subtract')?.signature).toBe('subtract(minuend: number, subtrahend?: number) -> number');
      expect(list.methods.find((m) => m.name === 'get')?.signature).toBe('get(key: string) -> integer | null');
    });

    it('records frames with json and value layers and call ids', async () => {
      frames.length = 0;
      await client.call(call('add', int(40), int(2)), { callId: 99 });
      const mine = frames.filter((f) => f.callId === 99);
      expect(mine.map((f) => f.dir)).toEqual(['out', 'in']);
      const out = resolveLayers(mine[0]);
      expect(out.map((l) => l.kind)).toEqual([mode === 'http' ? 'http' : 'framing', 'json', 'value']);
      expect(out[2].text).toMatch(/^\[\d+\] add\(40, 2\)$/);
      const inLayers = resolveLayers(mine[1]);
      expect(inLayers[0].kind).toBe(frameIn);
      expect(inLayers[inLayers.length - 1].text).toMatch(/^\[\d+\] 42$/);
    });

    it('carries replies of half a megabyte', async () => {
      const s = await client.call(call('big', int(500_000)));
      expect(s.t === 'str' && s.v.length).toBe(500_000);
    });
  });
}

describe('jsonrpc+tcp:// concurrency', () => {
  it('keeps several calls in flight on one connection and matches out-of-order replies by id', async () => {
    const server = await startServer('jsonrpc_server.py', ['tcp']);
    const c = createClient(`jsonrpc+tcp://127.0.0.1:${server.port}`) as JsonRpcClient;
    try {
      // The slow call is sent first and answered last: the server replies as calls finish.
      const order: string[] = [];
      const slow = c.call(call('sleep_then', int(600), str('slow'))).then((v) => order.push(repr(v)));
      const fast = c.call(call('sleep_then', int(0), str('fast'))).then((v) => order.push(repr(v)));
      await Promise.all([slow, fast]);
      expect(order).toEqual(["'fast'", "'slow'"]);
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('a batch, a cancelled call and a timed-out call in flight together; late replies are dropped', async () => {
    const server = await startServer('jsonrpc_server.py', ['tcp']);
    const c = createClient(`jsonrpc+tcp://127.0.0.1:${server.port}`) as JsonRpcClient;
    try {
      const batch = c.callBatch([call('sleep_then', int(300), str('b')), call('add', int(1), int(2))]);
      const abort = new AbortController();
      const cancelled = failure(c.call(call('sleep_then', int(300), str('c')), { signal: abort.signal }));
      const timedOut = failure(c.call(call('sleep_then', int(300), str('t')), { timeoutMs: 100 }));
      const fast = c.call(call('sleep_then', int(0), str('f')));
      setTimeout(() => abort.abort(), 50);
      expect(repr(await fast)).toBe("'f'");
      expect(isRpcError(await cancelled, 'E_CANCELLED')).toBe(true);
      expect(isRpcError(await timedOut, 'E_TIMEOUT')).toBe(true);
      expect(await batch).toEqual([
        { ok: true, value: str('b') },
        { ok: true, value: int(3) },
      ]);
      // the replies to the cancelled and timed-out calls have come by now, matching nothing
      await new Promise((r) => setTimeout(r, 100));
      expect(await c.call(call('add', int(2), int(3)))).toEqual(int(5));
      expect(c.connected).toBe(true);
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('fails pending calls with E_CLOSED when the server goes away', async () => {
    const server = await startServer('jsonrpc_server.py', ['tcp']);
    const c = createClient(`jsonrpc+tcp://127.0.0.1:${server.port}`) as JsonRpcClient;
    try {
      const pending = failure(c.call(call('sleep_then', int(30_000), None)));
      await c.call(call('add', int(1), int(1)));
      await server.stop();
      const e = await pending;
      expect(isRpcError(e, 'E_CLOSED')).toBe(true);
    } finally {
      await c.close();
    }
  });
});

describe('jsonrpc:// HTTP connection handling', () => {
  it('keeps one connection alive across calls (HTTP/1.1)', async () => {
    const server = await startServer('jsonrpc_server.py', ['http']);
    const c = createClient(`jsonrpc://127.0.0.1:${server.port}/`);
    try {
      const ports = [];
      for (let i = 0; i < 3; i++) ports.push(repr(await c.call(call('connection_port'))));
      expect(new Set(ports).size).toBe(1);
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('reconnects cleanly when the server closed the idle connection', async () => {
    const server = await startServer('jsonrpc_server.py', ['http', '--idle-close']);
    const c = createClient(`jsonrpc://127.0.0.1:${server.port}/`);
    try {
      const first = await c.call(call('connection_port'));
      // Let the server's 0.2 s idle timeout close the kept-alive connection.
      await new Promise((r) => setTimeout(r, 800));
      const second = await c.call(call('connection_port'));
      expect(second).not.toEqual(first);
      expect(await c.call(call('add', int(1), int(2)))).toEqual(int(3));
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('reads chunked, gzipped bodies and shows both in the frames', async () => {
    const server = await startServer('jsonrpc_server.py', ['http', '--chunked', '--gzip']);
    const frames: FrameInput[] = [];
    const c = createClient(`jsonrpc://127.0.0.1:${server.port}/`, { onFrame: (f) => frames.push(f) });
    try {
      const s = await c.call(call('big', int(300_000)));
      expect(s.t === 'str' && s.v.length).toBe(300_000);
      const reply = resolveLayers(frames[frames.length - 1]);
      expect(reply[0].text).toMatch(/Transfer-Encoding: chunked/);
      expect(reply[1].title).toMatch(/^gzip: \d+ bytes on the wire, \d+ decoded$/);
      expect(reply.map((l) => l.kind)).toEqual(['http', 'note', 'json', 'value']);
    } finally {
      await c.close();
      await server.stop();
    }
  });
});

describe('discovery fallback', () => {
  it('uses system.listMethods when the server has no rpc.discover', async () => {
    const server = await startServer('jsonrpc_server.py', ['http', '--no-discover']);
    const c = createClient(`jsonrpc://127.0.0.1:${server.port}/`);
    try {
      const list = await c.methods();
      expect(list.source).toBe('introspection');
      expect(list.methods.map((m) => m.name)).toEqual(['add', 'big', 'connection_port', 'echo', 'fail', 'get', 'note', 'notes', 'sleep_then', 'subtract']);
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('an HTTP answer that is not JSON is E_PROTOCOL naming the status and type', async () => {
    const server = await startServer('xmlrpc_kv.py');
    try {
      const notFound = createClient(`jsonrpc://127.0.0.1:${server.port}/elsewhere`);
      const e = await failure(notFound.call(call('add', int(1), int(2))));
      expect(isRpcError(e, 'E_PROTOCOL'), e.message).toBe(true);
      expect(e.message).toMatch(/^HTTP 404 Not Found \(text\/plain, not JSON\)/);
      const xml = createClient(`jsonrpc://127.0.0.1:${server.port}/`);
      const x = await failure(xml.call(call('add', int(1), int(2))));
      expect(x.message).toMatch(/^HTTP 200 OK \(text\/xml, not JSON\)/);
    } finally {
      await server.stop();
    }
  });

  it('a dead server is E_CONNECT on every transport', async () => {
    const server = await startServer('jsonrpc_server.py', ['tcp']);
    const port = server.port;
    await server.stop();
    for (const scheme of ['jsonrpc', 'jsonrpc+tcp', 'jsonrpc+ws']) {
      const c = createClient(`${scheme}://127.0.0.1:${port}/`);
      const e = await failure(c.call(call('add', int(1), int(2))));
      expect(isRpcError(e, 'E_CONNECT'), scheme).toBe(true);
      await c.close();
    }
  });
});

describe('jsonrpcs:// and jsonrpc+wss:// with a self-signed certificate', () => {
  let cert: string;
  let key: string;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'rpcscope-tls-'));
    cert = join(dir, 'cert.pem');
    key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
  });

  for (const [mode, scheme] of [
    ['http', 'jsonrpcs'],
    ['ws', 'jsonrpc+wss'],
  ] as const) {
    it(`${scheme}:// refuses the certificate unless insecure, then works`, async () => {
      const server = await startServer('jsonrpc_server.py', [mode, '--tls', cert, key]);
      try {
        const strict = createClient(`${scheme}://127.0.0.1:${server.port}/`);
        const e = await failure(strict.call(call('add', int(1), int(2))));
        expect(isRpcError(e, 'E_CONNECT'), e.message).toBe(true);
        expect(e.message).toMatch(/certificate/);
        await strict.close();
        const c = createClient(`${scheme}://127.0.0.1:${server.port}/?insecure=1`);
        expect(await c.call(call('add', int(1), int(2)))).toEqual(int(3));
        await c.close();
      } finally {
        await server.stop();
      }
    });
  }
});
