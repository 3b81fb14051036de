// tcpjson:// against seed 003's server (test/servers/tcpjson_seed003.py), kept as the article has it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/clients/registry';
import { resolveLayers, type FrameInput } from '../../src/common/frames';
import { repr } from '../../src/common/repr';
import type { CallRequest } from '../../src/common/call';
import type { PyValue } from '../../src/common/value';
import { int, str } from '../../src/common/value';
import { rpcErrorOf } from '../helpers/errors';
import { runPython, startServer, type RunningServer } from '../helpers/python';

const call = (method: string, args: PyValue[] = [], kwargs: [string, PyValue][] = []): CallRequest => ({ method, args, kwargs });

describe('tcpjson:// against the seed 003 server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer('tcpjson_seed003.py');
  });
  afterAll(() => server?.stop());

  it("calls the article's test function with args and kwargs", async () => {
    const c = createClient(`tcpjson://127.0.0.1:${server.port}`);
    expect(await c.call(call('test', [str('测试项')], [['kw1', str('1')]]))).toEqual(str('the test function has been called'));
    expect(server.stderr()).toContain("test: args = ('测试项',), kwargs = {'kw1': '1'}");
    expect(await c.call(call('add', [int(2n ** 70n), int(1)]))).toEqual(int(2n ** 70n + 1n));
    expect(repr(await c.call(call('echo', [int(1)], [['x', str('y')]])))).toBe("{'args': [1], 'kwargs': {'x': 'y'}}");
  });

  it("shows 'Please use the correct function' as the str result it is, and learns method names", async () => {
    const c = createClient(`tcpjson://127.0.0.1:${server.port}`);
    expect((await c.methods()).source).toBe('none');
    expect(await c.call(call('nosuch'))).toEqual(str('Please use the correct function'));
    await c.call(call('add', [int(1), int(2)]));
    await c.call(call('test'));
    const list = await c.methods();
    expect(list.source).toBe('learned');
    expect(list.methods.map((m) => m.name)).toEqual(['add', 'test']);
  });

  it('reads replies far larger than one read, until the server closes', async () => {
    const frames: FrameInput[] = [];
    const c = createClient(`tcpjson://127.0.0.1:${server.port}`, { onFrame: (f) => frames.push(f) });
    const v = await c.call(call('big', [int(3000)]), { callId: 5 });
    const expected = runPython("import json\nprint(len(json.dumps({'res': [{'i': i, 'name': 'item %d' % i} for i in range(3000)]})))").trim();
    expect(v.t === 'list' && v.items.length).toBe(3000);
    expect(repr(v.t === 'list' ? v.items[2999] : v)).toBe("{'i': 2999, 'name': 'item 2999'}");
    const inFrames = frames.filter((f) => f.dir === 'in');
    expect(inFrames.reduce((n, f) => n + f.bytes.length, 0)).toBe(Number(expected));
    expect(frames.every((f) => f.callId === 5)).toBe(true);
    const out = resolveLayers(frames[0]);
    expect(out.map((l) => l.kind)).toEqual(['json', 'value']);
    expect(out[1].text).toBe("{'method_name': 'big', 'method_args': [3000], 'method_kwargs': {}}");
    expect(new TextDecoder().decode(frames[0].bytes)).toBe('{"method_name": "big", "method_args": [3000], "method_kwargs": {}}');
    const last = resolveLayers(inFrames[inFrames.length - 1]);
    expect(last.map((l) => l.kind)).toEqual(['note', 'json', 'value']);
  });
});

describe('tcpjson:// edge cases', () => {
  it('reassembles a reply the server sends in many pieces', async () => {
    const server = await startServer('tcpjson_seed003.py', ['--chunked']);
    const frames: FrameInput[] = [];
    try {
      const c = createClient(`tcpjson://127.0.0.1:${server.port}`, { onFrame: (f) => frames.push(f) });
      const v = await c.call(call('big', [int(500)]));
      expect(v.t === 'list' && v.items.length).toBe(500);
      expect(frames.filter((f) => f.dir === 'in').length).toBeGreaterThan(5);
    } finally {
      await server.stop();
    }
  });

  it('a function that raises stops the seed server: E_CLOSED saying why, then E_CONNECT', async () => {
    const server = await startServer('tcpjson_seed003.py');
    try {
      const c = createClient(`tcpjson://127.0.0.1:${server.port}`);
      const e = await rpcErrorOf(c.call(call('add', [str('a'), int(1)])));
      expect(e.code).toBe('E_CLOSED');
      expect(e.message).toMatch(/without a reply \(the function probably raised/);
      await new Promise<void>((done) => (server.proc.exitCode !== null ? done() : server.proc.once('exit', () => done())));
      expect(server.stderr()).toContain('TypeError');
      const again = await rpcErrorOf(c.call(call('test')));
      expect(again.code).toBe('E_CONNECT');
    } finally {
      await server.stop();
    }
  });

  it('a request longer than the server reads (1024 bytes) is explained when the server dies', async () => {
    const server = await startServer('tcpjson_seed003.py');
    try {
      const c = createClient(`tcpjson://127.0.0.1:${server.port}`);
      const e = await rpcErrorOf(c.call(call('echo', [str('x'.repeat(2000))])));
      expect(e.code).toBe('E_CLOSED');
      expect(e.message).toMatch(/reads only 1024/);
    } finally {
      await server.stop();
    }
  });
});
