// rpyc:// against a real RPyC 5.3.0 ThreadedServer (test/servers/rpyc_seed004.py under Debian's
// python3, which has python3-rpyc).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RemoteError, RpcError } from '../../src/common/errors';
import { remoteErrorText } from '../../src/cli/common';
import { resolveLayers, type FrameInput } from '../../src/common/frames';
import { repr } from '../../src/common/repr';
import type { PyValue } from '../../src/common/value';
import { createClient } from '../../src/clients/registry';
import { RpycClient } from '../../src/clients/rpyc/client';
import type { RpcClient } from '../../src/clients/types';
import { SYSTEM_PYTHON, startServer, type RunningServer } from '../helpers/python';

const str = (v: string): PyValue => ({ t: 'str', v });
const int = (v: number): PyValue => ({ t: 'int', v: BigInt(v) });
const call = (method: string, args: PyValue[] = [], kwargs: [string, PyValue][] = [], target?: PyValue) => ({ method, args, kwargs, target });

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

let server: RunningServer;
let url: string;
const clients: RpcClient[] = [];

function open(opts: { timeoutMs?: number; onFrame?: (f: FrameInput) => void } = {}): RpycClient {
  const c = createClient(url, { timeoutMs: opts.timeoutMs ?? 10_000, onFrame: opts.onFrame });
  clients.push(c);
  expect(c).toBeInstanceOf(RpycClient);
  return c as RpycClient;
}

beforeAll(async () => {
  server = await startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON });
  url = `rpyc://127.0.0.1:${server.port}`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await server?.stop();
});

describe('rpyc calls', () => {
  it("calls seed 004's foo and bar", async () => {
    const c = open();
    expect(await c.call(call('foo'))).toEqual(str('foo'));
    expect(await c.call(call('bar'))).toEqual(str('bar'));
  });

  it('passes positional and keyword arguments', async () => {
    const c = open();
    expect(await c.call(call('add', [int(2), int(3)]))).toEqual(int(5));
    expect(await c.call(call('add', [int(2)], [['b', int(40)]]))).toEqual(int(42));
    expect(await c.call(call('add', [str('a')], [['b', str('b')]]))).toEqual(str('ab'));
    expect(await c.call(call('legacy', [int(7)]))).toEqual({ t: 'tuple', items: [str('legacy'), int(7)] });
  });

  it('round-trips brine values and big ints', async () => {
    const c = open();
    const v: PyValue = {
      t: 'tuple',
      items: [int(10 ** 15), { t: 'int', v: 2n ** 200n }, { t: 'float', v: 1.5 }, { t: 'bytes', v: new Uint8Array([0, 255]) }, { t: 'none' }, { t: 'frozenset', items: [int(1)] }],
    };
    expect(repr(await c.call(call('echo', [v])))).toBe(repr(v));
  });

  it('reads remote lists, dicts and sets into values', async () => {
    const c = open();
    expect(repr(await c.call(call('get_list')))).toBe('[1, 2, 3]');
    expect(repr(await c.call(call('get_nested')))).toBe("{'a': [1, (2, 'x')], 'b': {3, 4}, 'c': None}");
    // all the temporary references were given back
    expect(c.stats.remoteRefs).toBe(1);
  });

  it('reads a list whose frames the server zlib-compresses', async () => {
    const frames: FrameInput[] = [];
    const c = open({ onFrame: (f) => frames.push(f) });
    const v = await c.call(call('get_big_list', [int(1000)]));
    expect(repr(v)).toBe(`[${Array.from({ length: 1000 }, (_, i) => i).join(', ')}]`);
    expect(frames.some((f) => f.dir === 'in' && f.bytes[4] === 1)).toBe(true);
    const compressed = frames.find((f) => f.dir === 'in' && f.bytes[4] === 1);
    expect(compressed && resolveLayers(compressed).map((l) => l.kind)).toEqual(['framing', 'note', 'rpyc', 'brine', 'value']);
  });

  it('keeps a big list as a reference shown by its remote repr', async () => {
    const c = open();
    const v = await c.call(call('get_big_list', [int(1500)]));
    expect(v.t).toBe('ref');
    expect(repr(v)).toBe(`[${Array.from({ length: 1500 }, (_, i) => i).join(', ')}]`);
  });
});

describe('rpyc netrefs', () => {
  it('calls methods on a remote object and releases it', async () => {
    const c = open();
    const counter = await c.call(call('counter'));
    expect(counter).toMatchObject({ t: 'ref', cls: '__main__.Counter' });
    expect(repr(counter)).toMatch(/^<__main__\.Counter object at 0x[0-9a-f]+>$/);
    expect(await c.call(call('incr', [int(2)], [], counter))).toEqual(int(2));
    expect(await c.call(call('incr', [], [['by', int(5)]], counter))).toEqual(int(7));
    expect(await c.call(call('value', [], [], counter))).toEqual(int(7));
    expect(await c.completeRef(counter)).toEqual(['incr', 'kind', 'meta', 'start', 'value']);
    // the server sees the netref we hold as its own object again
    expect(await c.call(call('describe', [counter]))).toEqual(str(repr(counter)));
    expect(c.stats.remoteRefs).toBe(2);
    await c.release(counter);
    expect(c.stats.remoteRefs).toBe(1);
    const e = await rejection(c.call(call('value', [], [], counter)));
    expect(e).toBeInstanceOf(RpcError);
    expect((e as RpcError).message).toMatch(/released/);
  });

  it("reads a remote object's exposed attributes (GETATTR), through an attribute that is an object too", async () => {
    const c = open();
    const counter = await c.call(call('counter', [int(5)]));
    const read = (method: string, target: PyValue = counter) => c.call({ method, target, attribute: true, args: [], kwargs: [] });
    expect(await read('kind')).toEqual(str('counter'));
    expect(await read('start')).toEqual(int(5));
    const meta = await read('meta');
    expect(meta).toMatchObject({ t: 'ref', cls: '__main__.Meta' });
    expect(await read('name', meta)).toEqual(str('meta'));
    expect(await read('meta.name')).toEqual(str('meta'));
    // a method read without a call is the remote bound method, as Python shows it
    expect(repr(await read('incr'))).toMatch(/^<bound method Counter\.incr of <__main__\.Counter object at 0x[0-9a-f]+>>$/);
    const e = await rejection(read('n')); // not exposed
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).lastLine).toBe("AttributeError: cannot access 'n'");
    // the bound method read is called as the object it is (HANDLE_CALL)
    const incr = await read('incr');
    expect(await c.call({ method: 'f', target: incr, invoke: true, args: [int(2)], kwargs: [] })).toEqual(int(7));
    expect(await c.call({ method: 'f', target: incr, invoke: true, args: [], kwargs: [['by', int(3)]] })).toEqual(int(10));
    const notCallable = await rejection(c.call({ method: 'c', target: counter, invoke: true, args: [], kwargs: [] }));
    expect((notCallable as RemoteError).lastLine).toBe("TypeError: 'Counter' object is not callable");
    // a read through a plain value names it
    expect(await rejection(read('kind.upper'))).toMatchObject({ code: 'E_UNSUPPORTED', message: 'kind is a value, not an object with methods' });
    // the connection goes on
    expect(await c.call(call('incr', [], [], counter))).toEqual(int(11));
  });

  it('serves a list argument the server iterates, indexes and measures', async () => {
    const c = open();
    const list: PyValue = { t: 'list', items: [int(1), int(2), int(39)] };
    expect(await c.call(call('total', [list]))).toEqual(int(42));
    expect(await c.call(call('length', [list]))).toEqual(int(3));
    const dict: PyValue = { t: 'dict', kv: [str('k'), str('v')] };
    expect(await c.call(call('lookup', [dict, str('k')]))).toEqual(str('v'));
    expect(await c.call(call('describe', [list]))).toEqual(str('[1, 2, 39]'));
    // a list sent back to us comes back as the value we sent
    expect(repr(await c.call(call('echo', [{ t: 'tuple', items: [list, int(1)] }])))).toBe('([1, 2, 39], 1)');
    const e = await rejection(c.call(call('lookup', [dict, str('nope')])));
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).lastLine).toBe("KeyError: 'nope'");
  });

  it('lists the exposed methods of both decorator and prefix styles, with docstrings', async () => {
    const c = open();
    const list = await c.methods();
    const names = list.methods.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['foo', 'bar', 'add', 'echo', 'counter', 'get_list', 'fail', 'slow', 'legacy']));
    expect(names).not.toContain('hidden');
    expect(names).not.toContain('exposed_foo');
    expect(list.methods.find((m) => m.name === 'add')?.doc).toBe('Return a + b.');
    expect(list.methods.find((m) => m.name === 'legacy')?.doc).toBe('Old-style exposed method.');
    expect(await c.complete('')).toEqual(names);
  });
});

describe('rpyc errors', () => {
  it('raises the remote exception with its traceback', async () => {
    const c = open();
    const e = await rejection(c.call(call('fail')));
    expect(e).toBeInstanceOf(RemoteError);
    const r = e as RemoteError;
    expect(r.pyType).toBe('ValueError');
    expect(r.pyArgs).toEqual([str('boom')]);
    expect(r.lastLine).toBe('ValueError: boom');
    expect(r.extra.traceback).toMatch(/^Traceback \(most recent call last\):\n[\s\S]*in fail\n[\s\S]*ValueError: boom\n$/);
    // the connection is still good
    expect(await c.call(call('foo'))).toEqual(str('foo'));
  });

  it("shows the exception's notes (add_note) under its line once: the traceback text ends with them", async () => {
    const c = open();
    const e = (await rejection(c.call(call('fail', [str('while reading rows.csv'), str('line 3:\n  spam')])))) as RemoteError;
    expect(e.lastLine).toBe('ValueError: boom');
    expect(e.notes).toEqual(['while reading rows.csv', 'line 3:', '  spam']);
    expect(remoteErrorText(e)).toBe(e.extra.traceback!.trimEnd());
    expect(remoteErrorText(e)).toMatch(/in fail\n[\s\S]*\nValueError: boom\nwhile reading rows.csv\nline 3:\n {2}spam$/);
  });

  it("gives RPyC's AttributeError for something not exposed", async () => {
    const c = open();
    const e = await rejection(c.call(call('hidden')));
    expect(e).toBeInstanceOf(RemoteError);
    expect((e as RemoteError).lastLine).toBe("AttributeError: cannot access 'hidden'");
  });

  it('reports a remote TypeError for bad arguments', async () => {
    const c = open();
    const e = (await rejection(c.call(call('add', [int(1), str('x')])))) as RemoteError;
    expect(e.lastLine).toBe("TypeError: unsupported operand type(s) for +: 'int' and 'str'");
  });

  it('times out a slow call with E_TIMEOUT and keeps the connection usable', async () => {
    const c = open();
    const e = await rejection(c.call(call('slow', [{ t: 'float', v: 1.5 }]), { timeoutMs: 200 }));
    expect(e).toBeInstanceOf(RpcError);
    expect((e as RpcError).code).toBe('E_TIMEOUT');
    expect((e as RpcError).message).toMatch(/slow\(\)/);
    expect(await c.call(call('foo'))).toEqual(str('foo'));
  });

  it('refuses to call a method on a local value', async () => {
    const c = open();
    const e = await rejection(c.call(call('append', [int(1)], [], { t: 'list', items: [] })));
    expect((e as RpcError).code).toBe('E_UNSUPPORTED');
  });

  it('gives E_CONNECT for a port nobody listens on', async () => {
    const c = createClient('rpyc://127.0.0.1:1', { timeoutMs: 2000 });
    const e = await rejection(c.call(call('foo')));
    expect((e as RpcError).code).toBe('E_CONNECT');
  });
});

describe('rpyc concurrency and frames', () => {
  // an RPyC 5 server runs one request per connection at a time; out-of-order replies are covered
  // in rpyc-errors.test.ts with a peer that answers in reverse
  it('runs overlapping calls on one connection', async () => {
    const c = open();
    const delays = [0.6, 0.2, 0.4, 0.1];
    const results = await Promise.all(delays.map((d) => c.call(call('slow', [{ t: 'float', v: d }]))));
    expect(results).toEqual(delays.map((d) => ({ t: 'float', v: d })));
  });

  it('records every frame with framing, rpyc, brine and value layers', async () => {
    const frames: FrameInput[] = [];
    const c = open({ onFrame: (f) => frames.push(f) });
    await c.call(call('foo'), { callId: 7 });
    const first = frames[0];
    // GETROOT, exactly as protocols.md shows it
    expect(Buffer.from(first.bytes).toString('hex')).toBe('000000080012515011531151020a');
    const layers = resolveLayers(first);
    expect(layers.map((l) => l.kind)).toEqual(['framing', 'rpyc', 'brine', 'value']);
    expect(layers[1].title).toBe('REQUEST seq 0 GETROOT');
    const titles = frames.map((f) => resolveLayers(f)[1].title);
    expect(titles).toEqual(['REQUEST seq 0 GETROOT', 'REPLY seq 0', 'REQUEST seq 1 CALLATTR', 'REPLY seq 1']);
    expect(frames.slice(1).every((f) => f.callId === 7)).toBe(true);
    expect(resolveLayers(frames[3])[3].text).toBe("(2, 1, (1, 'foo'))");
  });
});
