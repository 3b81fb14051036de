// The handlers behind the app's contract, run through dispatch() against real Python servers.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract } from '../../src/common/contract';
import { dispatch } from '../../src/common/contract/dispatch';
import { createAppCore, MemoryCallLog } from '../../src/services/app-core';
import { CONNECT_SOURCE, ConnectionRegistry, LISTING_SOURCE } from '../../src/services/connections';
import { MemorySecretStore } from '../../src/services/secrets';
import { openAppCore } from '../helpers/app-core';
import { startServer, SYSTEM_PYTHON, type RunningServer } from '../helpers/python';

let server: RunningServer;
let dir: string;

beforeAll(async () => {
  server = await startServer('cookbook_pickle.py', ['--authkey-hex', Buffer.from('peekaboo').toString('hex')]);
  dir = mkdtempSync(join(tmpdir(), 'rpcscope-core-'));
});
afterAll(async () => {
  await server?.stop();
});

const open = () => openAppCore(dir);

describe('app core over a Cookbook pickle server', () => {
  it('adds a connection, lists methods, calls, reports remote errors, logs frames, and remembers it', async () => {
    const core = open();
    const url = `pickle://127.0.0.1:${server.port}?authkey=peekaboo`;
    const added = await core.ok('connections.add', { url, name: 'cookbook' });
    expect(added.url).toBe(`pickle://127.0.0.1:${server.port}`);
    expect(added.hasAuthkey).toBe(true);
    const connected = await core.ok('connections.connect', { id: added.id });
    expect(connected.status).toEqual({ state: 'connected' });
    // the authkey handshake's frames are named as the connect they belong to (add connected, and
    // connect connected again: a call number each)
    const hello = (await core.ok('wire.page', { connectionId: added.id, offset: 0, limit: 100 })).frames;
    expect(hello.length).toBeGreaterThanOrEqual(4);
    expect(hello.map((f) => f.callSource)).toEqual(hello.map(() => CONNECT_SOURCE));
    expect(hello.every((f) => f.callId !== undefined)).toBe(true);

    const res = await core.ok('calls.call', { connectionId: added.id, source: 'add(2, 3)' });
    expect(res.outcome).toMatchObject({ kind: 'value', repr: '5', value: { t: 'int', v: '5' } });
    expect(Math.max(...hello.map((f) => f.callId!))).toBeLessThan(res.callId);

    const raised = await core.ok('calls.call', { connectionId: added.id, source: 'sub([1, 2], 4)' });
    expect(raised.outcome.kind).toBe('raised');
    if (raised.outcome.kind === 'raised') {
      expect(raised.outcome.exception.pyType).toBe('TypeError');
      expect(raised.outcome.exception.lastLine).toContain("unsupported operand type(s) for -: 'list' and 'int'");
      expect(raised.outcome.exception.notes).toBeUndefined();
    }

    const page = await core.ok('wire.page', { connectionId: added.id, offset: 0, limit: 100, filter: { callId: res.callId } });
    expect(page.frames.map((f) => f.dir)).toEqual(['out', 'in']);
    const detail = await core.ok('wire.detail', { connectionId: added.id, seq: page.frames[0].seq });
    expect(detail.layers.some((l) => l.kind === 'pickle')).toBe(true);
    expect(Buffer.from(detail.bytesB64, 'base64').length).toBe(detail.size);
    const byText = await core.ok('wire.page', { connectionId: added.id, offset: 0, limit: 100, filter: { text: 'sub(' } });
    expect(byText.frames.every((f) => f.callId === raised.callId)).toBe(true);
    expect(byText.total).toBe(2);

    // no listing function on this server: the method list is what the calls showed to exist
    await core.ok('calls.call', { connectionId: added.id, source: 'nope()' });
    const learned = await core.ok('methods.list', { connectionId: added.id });
    expect(learned.source).toBe('learned');
    expect(learned.methods.map((m) => m.name).sort()).toEqual(['add', 'sub']);

    // listing again from the last listing (as the app does after each call) sends nothing, and
    // still learns from the calls made since
    const framesBefore = (await core.ok('wire.page', { connectionId: added.id, offset: 0, limit: 1 })).total;
    await core.ok('calls.call', { connectionId: added.id, source: 'nope2()' });
    await core.ok('calls.call', { connectionId: added.id, source: "echo('x')" });
    const framesAfterCall = (await core.ok('wire.page', { connectionId: added.id, offset: 0, limit: 1 })).total;
    expect(framesAfterCall).toBe(framesBefore + 4);
    const fromLast = await core.ok('methods.list', { connectionId: added.id, cached: true });
    expect(fromLast.methods.map((m) => m.name).sort()).toEqual(['add', 'echo', 'sub']);
    expect((await core.ok('wire.page', { connectionId: added.id, offset: 0, limit: 1 })).total).toBe(framesAfterCall);
    // without `cached` the server is asked again (its listing probes are on the wire)
    await core.ok('methods.list', { connectionId: added.id });
    const probes = (await core.ok('wire.page', { connectionId: added.id, offset: framesAfterCall, limit: 100 })).frames;
    expect(probes.length).toBeGreaterThan(0);
    // named in the wire view as what they were, under one call number
    expect(new Set(probes.map((f) => `#${f.callId} ${f.callSource}`))).toEqual(new Set([`#${probes[0].callId} ${LISTING_SOURCE}`]));

    const hist = await core.ok('history.list', { connectionId: added.id });
    expect(hist.map((h) => [h.source, h.ok, h.summary])).toEqual([
      ['add(2, 3)', true, '5'],
      ['sub([1, 2], 4)', false, "TypeError: unsupported operand type(s) for -: 'list' and 'int'"],
      ['nope()', false, "KeyError: 'nope'"],
      ['nope2()', false, "KeyError: 'nope2'"],
      ["echo('x')", true, "[['x'], {}]"],
    ]);

    // the authkey is not in the plain file; the secrets file is private
    const plain = readFileSync(join(dir, 'connections.json'), 'utf8');
    expect(plain).not.toContain('peekaboo');
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('peekaboo');
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'secret.key')).mode & 0o777).toBe(0o600);
    await core.connections.closeAll();

    // a new instance on the same directory finds the connection and its authkey
    const again = open();
    const list = await again.ok('connections.list', {});
    expect(list.map((c) => [c.id, c.name, c.hasAuthkey])).toEqual([[added.id, 'cookbook', true]]);
    // and its history
    expect((await again.ok('history.list', { connectionId: added.id })).map((h) => h.source)).toEqual(['add(2, 3)', 'sub([1, 2], 4)', 'nope()', 'nope2()', "echo('x')"]);
    const res2 = await again.ok('calls.call', { connectionId: added.id, source: 'sub(10, 4)' });
    expect(res2.outcome).toMatchObject({ kind: 'value', repr: '6' });
    await again.ok('connections.remove', { id: added.id });
    expect(await again.ok('connections.list', {})).toEqual([]);
    await again.connections.closeAll();
  });

  it('reports a wrong authkey as a failed status naming the problem', async () => {
    const core = open();
    const added = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}`, authkey: 'wrong' });
    const info = await core.ok('connections.connect', { id: added.id });
    expect(info.status.state).toBe('failed');
    if (info.status.state === 'failed') expect(info.status.code).toBe('E_AUTH');
    const r = await core.call('calls.call', { connectionId: added.id, source: 'add(1, 2)' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('E_AUTH');
    await core.ok('connections.remove', { id: added.id });
    await core.connections.closeAll();
  });

  it("names the call of a failure that happened after it started, so the window can show that call's frames", async () => {
    const core = open();
    const added = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}?authkey=peekaboo`, timeoutMs: 300 });
    const r = await core.call('calls.call', { connectionId: added.id, source: 'slow(2)' });
    expect(r).toMatchObject({ ok: false, error: { code: 'E_TIMEOUT', callId: expect.any(Number) } });
    if (r.ok || r.error.callId === undefined) throw new Error('expected a failure with a call number');
    const frames = (await core.ok('wire.page', { connectionId: added.id, offset: 0, limit: 10, filter: { callId: r.error.callId } })).frames;
    expect(frames.map((f) => [f.dir, f.callSource])).toEqual([['out', 'slow(2)']]);
    // a failure before any call started has none
    const parse = await core.call('calls.call', { connectionId: added.id, source: 'slow(' });
    expect(parse).toMatchObject({ ok: false, error: { code: 'E_PARSE' } });
    if (!parse.ok) expect(parse.error.callId).toBeUndefined();
    await core.ok('connections.remove', { id: added.id });
    await core.connections.closeAll();
  });

  it('cancels the calls waiting on a connection; the next call starts over and the history skips the cancelled one', async () => {
    const core = open();
    const added = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}?authkey=peekaboo` });
    expect(await core.ok('calls.cancel', { connectionId: added.id })).toEqual({ cancelled: 0 });
    const started = Date.now();
    const slow = core.call('calls.call', { connectionId: added.id, source: 'slow(5)' });
    const statement = core.call('console.eval', { connectionId: added.id, source: 'x = slow(5)' });
    // both are on their way once a frame of each is on the wire
    await expect.poll(async () => (await core.ok('wire.page', { connectionId: added.id, offset: 0, limit: 50, filter: { dir: 'out', text: 'slow' } })).total).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 100));
    expect((await core.ok('calls.cancel', { connectionId: added.id })).cancelled).toBe(2);
    expect(await slow).toMatchObject({ ok: false, error: { code: 'E_CANCELLED' } });
    expect(await statement).toMatchObject({ ok: false, error: { code: 'E_CANCELLED' } });
    expect(Date.now() - started).toBeLessThan(4_000);
    const next = await core.ok('calls.call', { connectionId: added.id, source: 'add(2, 3)' });
    expect(next.outcome).toMatchObject({ kind: 'value', repr: '5' });
    const connected = (await core.ok('connections.list', {})).find((c) => c.id === added.id);
    expect(connected?.status).toEqual({ state: 'connected' });
    const sources = (await core.ok('history.list', { connectionId: added.id })).map((h) => h.source);
    expect(sources).toContain('add(2, 3)');
    expect(sources.filter((s) => s.includes('slow(5)'))).toEqual([]);
    await core.ok('connections.remove', { id: added.id });
    await core.connections.closeAll();
  });

  /**
   * Calls `source` on `url` (through a slow-link proxy) and returns what calls.progress said while
   * the reply came, with the call's result and its reply frames.
   */
  async function progressOf(url: string, source: string) {
    const core = open();
    try {
      const added = await core.ok('connections.add', { url });
      expect(await core.ok('calls.progress', { connectionId: added.id })).toEqual([]);
      const call = core.ok('calls.call', { connectionId: added.id, source });
      // (awaited below; a failed poll must not leave it rejected unhandled)
      call.catch(() => undefined);
      const seen: { callId: number; received: number; total: number }[] = [];
      // (the server may take a while to make the reply on a loaded machine)
      await expect
        .poll(
          async () => {
            seen.push(...(await core.ok('calls.progress', { connectionId: added.id })));
            // total 0: the framing announces no length
            return new Set(seen.filter((p) => p.received > 0 && (p.total === 0 || p.received < p.total)).map((p) => p.received)).size;
          },
          { timeout: 20_000 },
        )
        .toBeGreaterThanOrEqual(2);
      const result = await call;
      const replies = (await core.ok('wire.page', { connectionId: added.id, offset: 0, limit: 1000, filter: { callId: result.callId, dir: 'in' } })).frames;
      // nothing is left once the reply is in
      expect(await core.ok('calls.progress', { connectionId: added.id })).toEqual([]);
      await core.ok('connections.remove', { id: added.id });
      // it grows as the bytes come, toward one total, all of the one call
      expect(new Set(seen.map((p) => p.total)).size).toBe(1);
      expect(seen.map((p) => p.received)).toEqual([...seen.map((p) => p.received)].sort((a, b) => a - b));
      expect(seen.every((p) => p.callId === result.callId)).toBe(true);
      const replySize = replies.reduce((n, f) => n + f.size, 0);
      return { total: seen[0].total, last: seen[seen.length - 1].received, result, replySize };
    } finally {
      await core.connections.closeAll();
    }
  }

  /** `progressOf` through a slow link (16 KB pieces 20 ms apart) in front of the server on `port`. */
  async function slowProgressOf(port: number, url: (port: number) => string, source: string) {
    const proxy = await startServer('fault_proxy.py', [String(port), 'slow']);
    try {
      return await progressOf(url(proxy.port), source);
    } finally {
      await proxy.stop();
    }
  }

  it("tells how far a long reply has come, in bytes of the total its length prefix announced", async () => {
    // about 1.3 s for a megabyte
    const { total, result, replySize } = await slowProgressOf(server.port, (p) => `pickle://127.0.0.1:${p}?authkey=peekaboo`, 'big(1_000_000)');
    expect(result.outcome.kind).toBe('value');
    // the payload: the frame without its 4-byte length prefix
    expect(total).toBe(replySize - 4);
  });

  it("and of an XML-RPC reply, in bytes of its body's Content-Length", async () => {
    const kv = await startServer('xmlrpc_kv.py');
    try {
      // (SimpleXMLRPCServer gzips it: about 650 KB on the wire)
      const { total, result, replySize } = await slowProgressOf(kv.port, (p) => `xmlrpc://127.0.0.1:${p}/`, 'blob(10_000_000)');
      expect(result.outcome).toMatchObject({ kind: 'value' });
      // the body as it crosses: the frame is the head (status line, headers, blank line) and the body
      expect(total).toBeGreaterThan(300_000);
      expect(replySize - total).toBeGreaterThan(40);
      expect(replySize - total).toBeLessThan(400);
    } finally {
      await kv.stop();
    }
  });

  it('and of an RPyC reply, in bytes of the frame its header announced', async () => {
    const rpyc = await startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON });
    try {
      const { total, result, replySize } = await slowProgressOf(rpyc.port, (p) => `rpyc://127.0.0.1:${p}`, 'get_big_list(300_000)');
      expect(result.outcome).toMatchObject({ kind: 'value' });
      // the frame after its 5-byte header (length, compressed flag); the reply is the call's largest frame
      expect(total).toBeGreaterThan(100_000);
      expect(total).toBeLessThan(replySize);
    } finally {
      await rpyc.stop();
    }
  });

  it('and where the framing gives no length, in bytes so far: tcpjson:// (to the close) and JSON-RPC over TCP (to the newline)', async () => {
    const [seed, json] = await Promise.all([startServer('tcpjson_seed003.py'), startServer('jsonrpc_server.py', ['tcp'])]);
    try {
      const tcpjson = await slowProgressOf(seed.port, (p) => `tcpjson://127.0.0.1:${p}`, 'big(30_000)');
      expect(tcpjson.result.outcome).toMatchObject({ kind: 'value' });
      expect(tcpjson.total).toBe(0);
      expect(tcpjson.replySize).toBeGreaterThan(500_000);
      expect(tcpjson.last).toBeLessThanOrEqual(tcpjson.replySize);
      const lines = await slowProgressOf(json.port, (p) => `jsonrpc+tcp://127.0.0.1:${p}`, 'big(1_000_000)');
      expect(lines.result.outcome).toMatchObject({ kind: 'value' });
      expect(lines.total).toBe(0);
      expect(lines.last).toBeLessThan(lines.replySize);
    } finally {
      await Promise.all([seed.stop(), json.stop()]);
    }
  });

  it('after a cancelled RPyC call, the next call does not wait for the server to finish the old one', async () => {
    const rpyc = await startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON });
    const core = open();
    try {
      const added = await core.ok('connections.add', { url: `rpyc://127.0.0.1:${rpyc.port}` });
      await core.ok('calls.call', { connectionId: added.id, source: 'foo()' });
      const slow = core.call('calls.call', { connectionId: added.id, source: 'slow(4)' });
      await new Promise((r) => setTimeout(r, 300));
      expect((await core.ok('calls.cancel', { connectionId: added.id })).cancelled).toBe(1);
      expect(await slow).toMatchObject({ ok: false, error: { code: 'E_CANCELLED' } });
      // the server answers one request of a connection at a time: on the old one this waited ~3.7 s
      const started = Date.now();
      expect((await core.ok('calls.call', { connectionId: added.id, source: 'foo()' })).outcome).toMatchObject({ repr: "'foo'" });
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await core.connections.closeAll();
      await rpyc.stop();
    }
  });

  it("the console and the composer read an RPyC remote object's attributes, and the console reads into values", async () => {
    const rpyc = await startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON });
    const core = open();
    try {
      const { id } = await core.ok('connections.add', { url: `rpyc://127.0.0.1:${rpyc.port}` });
      const run = (source: string) => core.ok('console.eval', { connectionId: id, source });
      await run('c = counter(5)');
      expect(await run('c.kind')).toMatchObject({ kind: 'value', text: "'counter'", bound: '_' });
      expect(await run('name = c.meta.name')).toMatchObject({ kind: 'assigned', bound: 'name' });
      expect(await run('name')).toMatchObject({ kind: 'value', text: "'meta'" });
      // the composer's calls see the console's variables
      expect((await core.ok('calls.call', { connectionId: id, source: 'c.start' })).outcome).toMatchObject({ kind: 'value', repr: '5' });
      await run('x = get_nested()');
      expect(await run("x['a'][1][::-1]")).toMatchObject({ kind: 'value', text: "('x', 2)" });
      expect(await core.call('console.eval', { connectionId: id, source: "x['z']" })).toMatchObject({ ok: false, error: { code: 'E_PARSE', message: "KeyError: 'z' at column 2" } });
      // Tab: the host completes what needs its values or the server
      const tab = (line: string) => core.ok('console.complete', { connectionId: id, line });
      expect(await tab("x['")).toEqual({ kind: 'key', prefix: "'", candidates: ["'a']", "'b']", "'c']"] });
      expect(await tab('c.me')).toEqual({ kind: 'attribute', prefix: 'c.me', candidates: ['c.meta'] });
      expect(await tab('c.meta.')).toEqual({ kind: 'attribute', prefix: 'c.meta.', candidates: ['c.meta.name'] });
      expect(await tab('get_ne')).toMatchObject({ kind: 'method', candidates: ['get_nested'] });
      expect((await tab('c.nope.')).candidates).toEqual([]);
      // a method's bare name is no variable: the error says how to call it
      expect(await core.call('console.eval', { connectionId: id, source: 'counter' })).toMatchObject({
        ok: false,
        error: { code: 'E_PARSE', message: "'counter' is a remote method: call it, counter(...); help(counter) prints its documentation" },
      });
    } finally {
      await core.connections.closeAll();
      await rpyc.stop();
    }
  });

  it("gives a remote exception's notes (add_note) with it, and the console prints them under its line", async () => {
    const core = open();
    const added = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}?authkey=peekaboo` });
    const noted = await core.ok('calls.call', { connectionId: added.id, source: "fail('value', 'while reading rows.csv', 'line 3:\\n  spam')" });
    expect(noted.outcome).toMatchObject({ kind: 'raised', exception: { lastLine: 'ValueError: bad value', notes: ['while reading rows.csv', 'line 3:', '  spam'] } });
    expect(await core.ok('console.eval', { connectionId: added.id, source: "fail('value', 'while reading rows.csv')" })).toMatchObject({
      kind: 'raised',
      text: 'ValueError: bad value\nwhile reading rows.csv',
    });
  });

  it('keeps parse errors, bad URLs and bad requests on the result side of the boundary', async () => {
    const core = open();
    const bad = await core.call('connections.add', { url: 'nope://x:1' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_URL' } });
    const added = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}?authkey=peekaboo` });
    const parse = await core.call('calls.call', { connectionId: added.id, source: 'add(1, ' });
    expect(parse).toMatchObject({ ok: false, error: { code: 'E_PARSE' } });
    if (!parse.ok) expect(parse.error.detail).toMatchObject({ column: expect.any(Number) });
    const wrongShape = await dispatch(createAppCore({ connections: core.connections, history: new MemoryCallLog() }), 'calls.call', { source: 1 });
    expect(wrongShape).toMatchObject({ ok: false, error: { code: 'E_BRIDGE' } });
    const unknown = await dispatch(createAppCore({ connections: core.connections, history: new MemoryCallLog() }), 'fs.readFile', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'E_BRIDGE' } });
    expect(Object.keys(contract)).toContain('calls.call');
    await core.ok('connections.remove', { id: added.id });
    await core.connections.closeAll();
  });

  it("names the wire log's call number in the history entries made since the app started", async () => {
    const home = mkdtempSync(join(tmpdir(), 'rpcscope-core-history-'));
    const url = `pickle://127.0.0.1:${server.port}?authkey=peekaboo`;
    const core = openAppCore(home);
    const a = await core.ok('connections.add', { url, name: 'a' });
    const ok = await core.ok('calls.call', { connectionId: a.id, source: 'add(2, 3)' });
    const raised = await core.ok('calls.call', { connectionId: a.id, source: 'sub([1], 1)' });
    const items = await core.ok('history.list', { connectionId: a.id });
    expect(items.map((i) => [i.source, i.callId])).toEqual([
      ['add(2, 3)', ok.callId],
      ['sub([1], 1)', raised.callId],
    ]);
    // the number finds the call's request and reply
    expect(core.connections.wire(a.id).page(0, 10, { callId: items[1].callId }).frames.map((f) => f.dir)).toEqual(['out', 'in']);
    // another connection to the same URL shares the history, not the wire log
    const b = await core.ok('connections.add', { url, name: 'b' });
    expect((await core.ok('history.list', { connectionId: b.id })).map((i) => i.callId)).toEqual([undefined, undefined]);
    await core.connections.closeAll();
    // after a restart the entries are there, the wire log (and so the numbers) are not
    const again = openAppCore(home);
    const listed = await again.ok('history.list', { connectionId: again.connections.list().find((c) => c.name === 'a')!.id });
    expect(listed.map((i) => [i.source, i.callId])).toEqual([
      ['add(2, 3)', undefined],
      ['sub([1], 1)', undefined],
    ]);
    await again.connections.closeAll();
  });

  it('runs console statements with variables and _', async () => {
    const core = open();
    const added = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}?authkey=peekaboo` });
    const id = added.id;
    expect(await core.ok('console.eval', { connectionId: id, source: 'x = add(1, 2)' })).toMatchObject({ kind: 'assigned' });
    const sub = await core.ok('console.eval', { connectionId: id, source: 'sub(x, 10)' });
    expect(sub).toEqual({ kind: 'value', text: '-7', callId: expect.any(Number), bound: '_' });
    // the call's frames carry the number the console was told
    expect(core.connections.wire(id).page(0, 10, { callId: sub.callId }).frames).toHaveLength(2);
    expect(await core.ok('console.eval', { connectionId: id, source: 'add(_, 1)' })).toMatchObject({ kind: 'value', text: '-6' });
    expect(await core.ok('console.eval', { connectionId: id, source: 'y = [1, 2]' })).toEqual({ kind: 'assigned', text: '', bound: 'y' });
    // as at Python's prompt: neither an assignment nor a None changes _
    expect(await core.ok('console.eval', { connectionId: id, source: "values('none')" })).toEqual({ kind: 'value', text: 'None', callId: expect.any(Number) });
    expect(await core.ok('console.eval', { connectionId: id, source: '_' })).toEqual({ kind: 'value', text: '-6', bound: '_' });
    expect(await core.ok('console.eval', { connectionId: id, source: 'add(x, "a")' })).toMatchObject({ kind: 'raised', text: expect.stringMatching(/^TypeError: /) });
    await core.ok('connections.remove', { id });
    await core.connections.closeAll();
  });
});

describe('app core over an RPyC service', () => {
  it('keeps remote objects in console variables and calls their methods', async () => {
    const rpyc = await startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON });
    const connections = new ConnectionRegistry({ secrets: new MemorySecretStore() });
    const handlers = createAppCore({ connections, history: new MemoryCallLog() });
    try {
      const added = await dispatch(handlers, 'connections.add', { url: `rpyc://127.0.0.1:${rpyc.port}` });
      if (!added.ok) throw new Error(added.error.message);
      const id = (added.value as { id: string }).id;
      const run = async (source: string) => {
        const r = await dispatch(handlers, 'console.eval', { connectionId: id, source });
        if (!r.ok) throw new Error(`${source}: ${r.error.code} ${r.error.message}`);
        return r.value as { kind: string; text: string };
      };
      expect(await run('c = counter(5)')).toMatchObject({ kind: 'assigned' });
      expect(await run('c.incr(2)')).toMatchObject({ kind: 'value', text: '7' });
      expect(await run('c.incr(by=3)')).toMatchObject({ kind: 'value', text: '10' });
      expect(await run('fail()')).toMatchObject({ kind: 'raised', text: "ValueError: boom" });
      // help(NAME): the docstring the service lists; a variable is no method name
      expect(await run('help(add)')).toEqual({ kind: 'value', text: 'add(...)\n    Return a + b.' });
      await expect(run('help(nope)')).rejects.toThrow(/E_USAGE no method 'nope' in the server's listing/);
      // help(obj) and help(obj.method) on the remote object held in c: its own exposed methods and docstrings
      expect(await run('help(c)')).toEqual({ kind: 'value', text: expect.stringMatching(/^c: <.*Counter object at 0x[0-9a-f]+>\n {4}incr {2}— Add `by` to the counter and return the new value\.\n {4}value\n {4}attributes: kind, meta, start \(c\.kind reads one\)$/) });
      expect(await run('help(c.incr)')).toEqual({ kind: 'value', text: 'c.incr(...)\n    Add `by` to the counter and return the new value.' });
      await expect(run('help(c.nope)')).rejects.toThrow(/E_USAGE no method 'nope' in the methods of c \(known: incr, value\)/);
      // dropping the last variable holding the counter releases it on the server (a message goes out)
      const before = connections.wire(id).size;
      expect(await run('c = 1')).toMatchObject({ kind: 'assigned' });
      for (let i = 0; i < 100 && connections.wire(id).size === before; i++) await new Promise((r) => setTimeout(r, 20));
      const sent = connections.wire(id).page(before, 10).frames;
      expect(sent.map((f) => f.dir)).toEqual(['out']);
      const methods = await dispatch(handlers, 'methods.list', { connectionId: id });
      expect(methods.ok && (methods.value as { methods: { name: string }[] }).methods.map((m) => m.name)).toEqual(expect.arrayContaining(['foo', 'add', 'counter']));
    } finally {
      await connections.closeAll();
      await rpyc.stop();
    }
  });
});
