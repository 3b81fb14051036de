// xmlrpc:// and xmlrpcs:// against Python's SimpleXMLRPCServer (test/servers/xmlrpc_kv.py).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type OpenOptions } from '../../src/clients/registry';
import { XmlRpcClient } from '../../src/clients/xmlrpc';
import { RemoteError } from '../../src/common/errors';
import { resolveLayers, type FrameInput } from '../../src/common/frames';
import { repr } from '../../src/common/repr';
import type { CallRequest } from '../../src/common/call';
import type { PyValue } from '../../src/common/value';
import { int, str, None, list } from '../../src/common/value';
import { rpcErrorOf } from '../helpers/errors';
import { runPython, runPythonAsync, startServer, SERVERS_DIR, type RunningServer } from '../helpers/python';

const call = (method: string, ...args: PyValue[]): CallRequest => ({ method, args, kwargs: [] });

function open(server: RunningServer, path = '/', opts: OpenOptions = {}, scheme = 'xmlrpc'): XmlRpcClient {
  return createClient(`${scheme}://127.0.0.1:${server.port}${path}`, { timeoutMs: 20_000, ...opts }) as XmlRpcClient;
}

async function remoteError(p: Promise<unknown>): Promise<RemoteError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RemoteError) return e;
    throw e;
  }
  throw new Error('expected a remote error');
}

describe('xmlrpc:// against SimpleXMLRPCServer (allow_none, introspection, multicall)', () => {
  let server: RunningServer;
  let client: XmlRpcClient;
  beforeAll(async () => {
    server = await startServer('xmlrpc_kv.py');
    client = open(server, '');
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('runs the Cookbook session: set, get, keys, exists, delete', async () => {
    expect(await client.call(call('set', str('foo'), str('bar')))).toEqual(None);
    await client.call(call('set', str('spam'), list([int(1), int(2), int(3)])));
    expect(repr(await client.call(call('keys')))).toBe("['foo', 'spam']");
    expect(repr(await client.call(call('get', str('spam'))))).toBe('[1, 2, 3]');
    await client.call(call('delete', str('spam')));
    expect(repr(await client.call(call('exists', str('spam'))))).toBe('False');
  });

  it("shows Python's fault string <class 'KeyError'>:'nope' as KeyError: 'nope' with the fault code", async () => {
    const e = await remoteError(client.call(call('get', str('nope'))));
    expect(e.message).toBe("KeyError: 'nope'");
    expect(e.pyType).toBe('KeyError');
    expect(e.extra.code).toBe(1);
    const unknown = await remoteError(client.call(call('nosuch')));
    expect(unknown.message).toBe('Exception: method "nosuch" is not supported');
    const typeErr = await remoteError(client.call(call('add', str('a'), int(1))));
    expect(typeErr.message).toBe('TypeError: can only concatenate str (not "int") to str');
  });

  it('decodes every XML-RPC type the server sends', async () => {
    const expected = runPython(`
import sys, xmlrpc.client as xc
sys.path.insert(0, ${JSON.stringify(SERVERS_DIR)})
from xmlrpc_kv import all_types
class D:
    def __init__(s, v): s.v = v
    def __repr__(s): return "<DateTime '%s'>" % s.v
v = all_types()
v['date'] = D(v['date'].strftime('%Y%m%dT%H:%M:%S'))
v['bin'] = v['bin'].data
print(repr(v))`).trim();
    expect(repr(await client.call(call('all_types')))).toBe(expected);
    expect(repr(await client.call(call('when')))).toBe("<DateTime '20240102T03:04:05'>");
    const blob = await client.call(call('blob', int(70_000)));
    expect(blob.t).toBe('bytes');
    expect(blob.t === 'bytes' && blob.v.length).toBe(70_000);
    expect(blob.t === 'bytes' && blob.v[300]).toBe(300 % 256);
    const big = await client.call(call('big_struct', int(5000)));
    expect(big.t === 'dict' && big.kv.length / 2).toBe(5000);
  });

  it('sends values back and forth unchanged (echo), including DateTime', async () => {
    const v: PyValue = {
      t: 'list',
      items: [int(-(2n ** 31n)), str('<&>é'), None, { t: 'object', module: 'xmlrpc.client', name: 'DateTime', args: [str('20240102T03:04:05')] }],
    };
    expect(repr(await client.call(call('echo', v)))).toBe("[-2147483648, '<&>é', None, <DateTime '20240102T03:04:05'>]");
  });

  it('sends ints past 32 bits as <i8>: Python decodes them but cannot send them back', async () => {
    await client.call(call('set', str('big'), int(2n ** 40n)));
    expect(repr(await client.call(call('exists', str('big'))))).toBe('True');
    const e = await remoteError(client.call(call('get', str('big'))));
    expect(e.message).toBe('OverflowError: int exceeds XML-RPC limits');
    await client.call(call('delete', str('big')));
  });

  it('refuses keyword arguments with E_USAGE', async () => {
    const e = await rpcErrorOf(client.call({ method: 'get', args: [], kwargs: [['name', str('x')]] }));
    expect(e.code).toBe('E_USAGE');
  });

  it('lists methods with their help through listMethods and one multicall', async () => {
    const frames: FrameInput[] = [];
    const c = open(server, '/', { onFrame: (f) => frames.push(f) });
    const list = await c.methods();
    await c.close();
    expect(list.source).toBe('introspection');
    const names = list.methods.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['get', 'set', 'delete', 'exists', 'keys', 'system.multicall', 'system.listMethods']));
    expect(list.methods.find((m) => m.name === 'get')).toEqual({ name: 'get', doc: 'Return the value stored under name.' });
    // Python answers 'signatures not supported': no signature is made up.
    expect(list.methods.every((m) => m.signature === undefined)).toBe(true);
    // listMethods, then a single multicall for all help and signatures
    expect(frames.filter((f) => f.dir === 'out')).toHaveLength(2);
  });

  it('sends batches as one system.multicall with a result or error per call', async () => {
    const items = await client.callBatch([call('add', int(1), int(2)), call('get', str('nope')), call('add', str('a'), int(1))]);
    expect(items[0]).toEqual({ ok: true, value: int(3) });
    expect(items[1].ok === false && items[1].error.message).toBe("KeyError: 'nope'");
    expect(items[2].ok === false && items[2].error.message).toMatch(/^TypeError: can only concatenate/);
  });

  it('records request and response frames with http, xml and value layers, gunzipping big replies', async () => {
    const frames: FrameInput[] = [];
    const c = open(server, '', { onFrame: (f) => frames.push(f) });
    const rows = await c.call(call('big_reply', { t: 'float', v: 0.5 }), { callId: 7 });
    await c.close();
    expect(rows.t === 'list' && rows.items.length).toBeGreaterThan(1000);
    expect(frames.map((f) => [f.dir, f.callId])).toEqual([
      ['out', 7],
      ['in', 7],
    ]);
    const out = resolveLayers(frames[0]);
    expect(out.map((l) => l.kind)).toEqual(['http', 'xml', 'value']);
    expect(out[0].title).toBe('POST /RPC2 HTTP/1.1');
    expect(out[2].text).toBe('big_reply(0.5)');
    const inLayers = resolveLayers(frames[1]);
    expect(inLayers.map((l) => l.kind)).toEqual(['http', 'note', 'xml', 'value']);
    expect(inLayers[0].title).toBe('HTTP/1.0 200 OK');
    expect(inLayers[1].title).toMatch(/^gzip: \d+ bytes on the wire, \d+ decoded$/);
    expect(new TextDecoder().decode(frames[1].bytes.subarray(0, 15))).toBe('HTTP/1.0 200 OK');
  });

  it('decodes a 10 MB reply', async () => {
    const c = open(server);
    const rows = await c.call(call('big_reply', int(10)));
    await c.close();
    expect(rows.t === 'list' && rows.items.length).toBe(Math.floor((10 * 1024 * 1024) / 400));
    expect(repr(rows.t === 'list' ? rows.items[26213] : rows)).toBe("{'id': 26213, 'name': 'item', 'price': 1.5, 'tags': ['a', 'b'], 'ok': True}");
  });

  it('reconnects for every call when the server closes (HTTP/1.0)', async () => {
    const c = open(server);
    const before = await c.call(call('connections'));
    await c.call(call('keys'));
    await c.call(call('keys'));
    const after = await c.call(call('connections'));
    await c.close();
    expect(after.t === 'int' && before.t === 'int' && after.v - before.v).toBe(3n);
  });

  it('answers HTTP 404 for a path the server does not serve', async () => {
    const c = open(server, '/elsewhere');
    const e = await rpcErrorOf(c.call(call('keys')));
    await c.close();
    expect(e.code).toBe('E_PROTOCOL');
    expect(e.message).toMatch(/HTTP 404/);
  });
});

describe('xmlrpc:// variants', () => {
  it('without allow_none: sending None reaches the server, returning None is a fault', async () => {
    const server = await startServer('xmlrpc_kv.py', ['--no-none']);
    const c = open(server);
    try {
      const e = await remoteError(c.call(call('nothing')));
      expect(e.message).toBe('TypeError: cannot marshal None unless allow_none is enabled');
      // The server decodes <nil/> even without allow_none; the echo back is what fails.
      expect(repr(await c.call(call('exists', None)))).toBe('False');
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('without introspection: methods() says so; without multicall: methods() asks one by one', async () => {
    const bare = await startServer('xmlrpc_kv.py', ['--no-introspection']);
    const noMulti = await startServer('xmlrpc_kv.py', ['--no-multicall']);
    const a = open(bare);
    const b = open(noMulti);
    try {
      const none = await a.methods();
      expect(none.source).toBe('none');
      expect(none.methods).toEqual([]);
      const listed = await b.methods();
      expect(listed.methods.find((m) => m.name === 'exists')?.doc).toBe('Whether name is stored.');
      expect(listed.methods.some((m) => m.name === 'system.multicall')).toBe(false);
      const items = await b.callBatch([call('add', int(2), int(2)), call('get', str('x'))]);
      expect(items[0]).toEqual({ ok: true, value: int(4) });
      expect(items[1].ok).toBe(false);
    } finally {
      await a.close();
      await b.close();
      await bare.stop();
      await noMulti.stop();
    }
  });

  it('connect() holds no idle connection: another client of the single-threaded server is served at once', async () => {
    // SimpleXMLRPCServer serves one connection at a time; a connection opened and left idle would
    // make it wait for us, and Python's own client below would time out
    const server = await startServer('xmlrpc_kv.py');
    const c = open(server);
    try {
      await c.connect();
      const py = `import socket, xmlrpc.client as x\nsocket.setdefaulttimeout(5)\np = x.ServerProxy('http://127.0.0.1:${server.port}/RPC2')\np.set('k', 7)\nprint(p.get('k'))`;
      expect(runPython(py).trim()).toBe('7');
      expect(await c.call(call('get', str('k')))).toEqual(int(7));
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('keeps the connection alive when the server speaks HTTP/1.1', async () => {
    const server = await startServer('xmlrpc_kv.py', ['--http11']);
    const c = open(server);
    try {
      for (let i = 0; i < 3; i++) await c.call(call('keys'));
      expect(await c.call(call('connections'))).toEqual(int(1));
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('closes a kept-alive connection left idle: a single-threaded HTTP/1.1 server then serves its other clients', async () => {
    // SimpleXMLRPCServer speaking HTTP/1.1 serves one connection until it closes; Python's client
    // below times out unless ours is closed once idle (IDLE_CLOSE_MS)
    const server = await startServer('xmlrpc_kv.py', ['--http11']);
    const c = open(server);
    try {
      await c.call(call('set', str('k'), int(7)));
      expect(c.connected).toBe(true);
      const py = `import socket, xmlrpc.client as x\nsocket.setdefaulttimeout(5)\nprint(x.ServerProxy('http://127.0.0.1:${server.port}/RPC2').get('k'))`;
      expect((await runPythonAsync(py)).trim()).toBe('7');
      expect(c.connected).toBe(false);
      // ours, Python's, ours again
      expect(await c.call(call('connections'))).toEqual(int(3));
    } finally {
      await c.close();
      await server.stop();
    }
  });

  it('xmlrpcs:// with a self-signed certificate needs ?insecure=1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpcscope-tls-'));
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], {
      stdio: 'ignore',
    });
    const server = await startServer('xmlrpc_kv.py', ['--tls', cert, key]);
    try {
      const strict = createClient(`xmlrpcs://127.0.0.1:${server.port}/`);
      const e = await rpcErrorOf(strict.call(call('keys')));
      expect(e.code).toBe('E_CONNECT');
      expect(e.message).toMatch(/TLS handshake .* failed: .*certificate.*insecure=1/);
      await strict.close();
      const c = createClient(`xmlrpcs://127.0.0.1:${server.port}/?insecure=1`);
      expect(repr(await c.call(call('add', int(20), int(22))))).toBe('42');
      expect(repr(await c.call(call('blob', int(3))))).toBe("b'\\x00\\x01\\x02'");
      await c.close();
      const viaOption = createClient(`xmlrpcs://127.0.0.1:${server.port}/`, { insecure: true });
      expect(repr(await viaOption.call(call('keys')))).toBe('[]');
      await viaOption.close();
    } finally {
      await server.stop();
    }
  });
});

describe('xmlrpc:// against broken peers', () => {
  it('a dead server is E_CONNECT', async () => {
    const server = await startServer('raw_peer.py', ['silent']);
    const port = server.port;
    await server.stop();
    const c = createClient(`xmlrpc://127.0.0.1:${port}/`);
    const e = await rpcErrorOf(c.call(call('keys')));
    expect(e.code).toBe('E_CONNECT');
    expect(e.message).toContain(`127.0.0.1:${port}`);
  });

  it('closing the client during a call fails the call with E_CLOSED, without a retry', async () => {
    const server = await startServer('raw_peer.py', ['silent']);
    const c = createClient(`xmlrpc://127.0.0.1:${server.port}/`, { timeoutMs: 60_000 });
    try {
      await c.connect();
      const pending = rpcErrorOf(c.call(call('keys')));
      await new Promise((r) => setTimeout(r, 100));
      await c.close();
      const e = await pending;
      expect(e.code).toBe('E_CLOSED');
      expect(e.message).toMatch(/closed during the request/);
    } finally {
      await server.stop();
    }
  });

  for (const [mode, code, msg] of [
    ['silent', 'E_TIMEOUT', /no HTTP response from 127\.0\.0\.1:\d+/],
    ['garbage', 'E_PROTOCOL', /did not answer with HTTP/],
    ['huge', 'E_LIMIT', /exceeds the limit/],
    ['badxml', 'E_DECODE', /unexpected tag <html>/],
    ['cut', 'E_CLOSED', /in the middle of an HTTP response/],
  ] as const) {
    it(`${mode} peer: ${code}`, async () => {
      const server = await startServer('raw_peer.py', [mode]);
      const c = createClient(`xmlrpc://127.0.0.1:${server.port}/`, { timeoutMs: 1500, maxMessageBytes: 1 << 20 });
      try {
        const e = await rpcErrorOf(c.call(call('keys')));
        expect(e.code).toBe(code);
        expect(e.message).toMatch(msg);
      } finally {
        await c.close();
        await server.stop();
      }
    });
  }
});
