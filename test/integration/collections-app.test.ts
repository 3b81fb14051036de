// The app's collection entries through dispatch(), against a real Cookbook server: save the current
// call and the whole history, open, run all or one, step through in demo mode, export Python.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppCore } from '../helpers/app-core';
import { startServer, type RunningServer } from '../helpers/python';

const AUTHKEY = 'peekaboo';
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  server = await startServer('cookbook_pickle.py', ['--authkey-hex', Buffer.from(AUTHKEY).toString('hex')]);
  dir = mkdtempSync(join(tmpdir(), 'rpcscope-app-coll-'));
  process.env.RPCSCOPE_AUTHKEY = AUTHKEY;
});
afterAll(async () => {
  delete process.env.RPCSCOPE_AUTHKEY;
  await server?.stop();
});

const open = () => openAppCore(dir);

describe('collections in the app', () => {
  it('saves calls and history, runs them all, one, or step by step, and exports Python', async () => {
    const core = open();
    const conn = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}?authkey=${AUTHKEY}`, name: 'cookbook' });
    const file = join(dir, 'app.collection.json');

    await core.ok('calls.call', { connectionId: conn.id, source: 'add(2, 3)' });
    const saved = await core.ok('collections.saveCall', { path: file, connectionId: conn.id, source: 'add(2, 3)', name: 'add', expect: { equals: '5' } });
    expect(saved.calls).toEqual([{ index: 0, name: 'add', connection: `pickle_127.0.0.1_${server.port}`, call: 'add(2, 3)', expect: { equals: '5' } }]);
    expect(saved.connections[0]).toEqual({ name: `pickle_127.0.0.1_${server.port}`, url: `pickle://127.0.0.1:${server.port}`, authkey: '${env:RPCSCOPE_AUTHKEY}' });
    expect(readFileSync(file, 'utf8')).not.toContain(AUTHKEY);

    await core.ok('console.eval', { connectionId: conn.id, source: "fail('x')" });
    const withHistory = await core.ok('collections.saveHistory', { path: file, connectionId: conn.id });
    expect(withHistory.calls.slice(1).map((c) => [c.call, c.expect])).toEqual([
      ['add(2, 3)', { equals: '5' }],
      ["fail('x')", { raises: 'KeyError' }],
    ]);

    const opened = await core.ok('collections.open', { path: file });
    expect(opened.calls).toHaveLength(3);

    const all = await core.ok('collections.run', { path: file });
    expect(all).toMatchObject({ passed: 3, failed: 0, errors: 0 });
    expect(all.results.map((r) => r.repr ?? r.error?.lastLine)).toEqual(['5', '5', "KeyError: 'missing'"]);

    const one = await core.ok('collections.run', { path: file, index: 2 });
    expect(one.results).toMatchObject([{ index: 2, status: 'pass', call: "fail('x')" }]);
    const none = await core.call('collections.run', { path: file, index: 9 });
    expect(none).toMatchObject({ ok: false, error: { code: 'E_USAGE' } });

    const s1 = await core.ok('collections.step', { path: file });
    expect(s1).toMatchObject({ position: 1, total: 3, done: false, result: { index: 0, status: 'pass', repr: '5' } });
    const s2 = await core.ok('collections.step', { path: file });
    expect(s2).toMatchObject({ position: 2, done: false, result: { index: 1 } });
    const again = await core.ok('collections.step', { path: file, restart: true });
    expect(again).toMatchObject({ position: 1, result: { index: 0 } });
    await core.ok('collections.step', { path: file });
    const last = await core.ok('collections.step', { path: file });
    expect(last).toMatchObject({ position: 3, done: true, result: { index: 2, status: 'pass' } });

    const py = await core.ok('collections.python', { path: file });
    expect(py.script).toContain('show(lambda: pickle_127_0_0_1_');
    expect(py.script).toContain("os.environ['RPCSCOPE_AUTHKEY']");

    const corrupt = await core.call('collections.open', { path: join(dir, 'missing.json') });
    expect(corrupt).toMatchObject({ ok: false, error: { code: 'E_COLLECTION' } });
    await core.connections.closeAll();
  });

  it('saves a history entry whose result the history keeps only the start of without an expected value', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rpcscope-app-coll-big-'));
    const core = openAppCore(home);
    const conn = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}?authkey=${AUTHKEY}` });
    await core.ok('calls.call', { connectionId: conn.id, source: 'big(5000)' });
    await core.ok('calls.call', { connectionId: conn.id, source: 'big(5)' });
    const [item] = await core.ok('history.list', { connectionId: conn.id });
    expect(item).toMatchObject({ source: 'big(5000)', cut: true, summary: `b'${'x'.repeat(998)}… (5,003 characters)` });
    const file = join(home, 'big.collection.json');
    const saved = await core.ok('collections.saveHistory', { path: file, connectionId: conn.id });
    expect(saved.calls.map((c) => [c.call, c.expect])).toEqual([
      ['big(5000)', undefined],
      ['big(5)', { equals: "b'xxxxx'" }],
    ]);
    expect(await core.ok('collections.run', { path: file })).toMatchObject({ passed: 2, failed: 0, errors: 0 });
    await core.connections.closeAll();
  });

  it('remembers the files opened and saved into, most recent first, for the next window', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rpcscope-app-recent-'));
    const core = openAppCore(home);
    expect(await core.ok('collections.recent', {})).toEqual({ files: [], dir: process.cwd() });
    const conn = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}?authkey=${AUTHKEY}` });
    await core.ok('calls.call', { connectionId: conn.id, source: 'add(1, 1)' });
    const [a, b] = ['a.collection.json', 'b.collection.json'].map((f) => join(home, f));
    await core.ok('collections.saveCall', { path: a, connectionId: conn.id, source: 'add(1, 1)' });
    await core.ok('collections.saveHistory', { path: b, connectionId: conn.id });
    await core.ok('collections.open', { path: a });
    expect((await core.ok('collections.recent', {})).files).toEqual([a, b]);
    // a failed open is not a file used
    await core.call('collections.open', { path: join(home, 'nope.json') });
    expect((await core.ok('collections.recent', {})).files).toEqual([a, b]);
    await core.connections.closeAll();

    // kept in the data directory: a new window sees the same list, without the files since deleted
    rmSync(b);
    expect((await openAppCore(home).ok('collections.recent', {})).files).toEqual([a]);

    // an unreadable list is an empty one, written anew on the next use, and opening still works
    writeFileSync(join(home, 'recent-collections.json'), '{"files": [1, 2');
    const fresh = openAppCore(home);
    expect((await fresh.ok('collections.recent', {})).files).toEqual([]);
    expect((await fresh.ok('collections.open', { path: a })).calls).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(home, 'recent-collections.json'), 'utf8'))).toEqual({ files: [a] });
  });

  it('cancels the call under way: it ends as E_CANCELLED and the run goes on with the next call, on a new connection', async () => {
    const core = open();
    const file = join(dir, 'hung.collection.json');
    const connections = [{ name: 'cookbook', url: `pickle://127.0.0.1:${server.port}`, authkey: '${env:RPCSCOPE_AUTHKEY}' }];
    const calls = [
      { connection: 'cookbook', call: 'slow(30)' },
      { connection: 'cookbook', call: 'add(1, 2)', expect: { equals: '3' } },
    ];
    writeFileSync(file, JSON.stringify({ version: 1, connections, calls }));
    expect(await core.ok('collections.cancel', {})).toEqual({ cancelled: 0 });
    const run = core.ok('collections.run', { path: file });
    run.catch(() => undefined);
    // once the first call waits on the server, a cancel reaches it
    await expect.poll(async () => (await core.ok('collections.cancel', {})).cancelled, { timeout: 10_000 }).toBe(1);
    const r = await run;
    expect(r.results.map((x) => [x.status, x.error?.type ?? x.repr])).toEqual([
      ['error', 'E_CANCELLED'],
      ['pass', '3'],
    ]);
    expect(await core.ok('collections.cancel', {})).toEqual({ cancelled: 0 });
  });

  it('tells how far the reply to the call under way has come', async () => {
    const core = open();
    // a slow link: the reply comes in 16 KB pieces 20 ms apart
    const proxy = await startServer('fault_proxy.py', [String(server.port), 'slow']);
    try {
      const file = join(dir, 'big.collection.json');
      const connections = [{ name: 'slow', url: `pickle://127.0.0.1:${proxy.port}`, authkey: '${env:RPCSCOPE_AUTHKEY}' }];
      writeFileSync(file, JSON.stringify({ version: 1, connections, calls: [{ connection: 'slow', call: 'big(1_000_000)' }] }));
      expect(await core.ok('collections.progress', {})).toEqual([]);
      const run = core.ok('collections.run', { path: file });
      run.catch(() => undefined);
      const seen: { received: number; total: number }[] = [];
      await expect
        .poll(
          async () => {
            seen.push(...(await core.ok('collections.progress', {})));
            return new Set(seen.filter((p) => p.received > 0 && p.received < p.total).map((p) => p.received)).size;
          },
          { timeout: 20_000 },
        )
        .toBeGreaterThanOrEqual(2);
      const r = await run;
      expect(r.results[0]).toMatchObject({ status: 'pass' });
      // of the one total the length prefix announced (the pickled bytes and a few of framing), growing
      expect(new Set(seen.map((p) => p.total)).size).toBe(1);
      expect(seen[0].total).toBeGreaterThan(1_000_000);
      expect(seen.map((p) => p.received)).toEqual([...seen.map((p) => p.received)].sort((a, b) => a - b));
      expect(await core.ok('collections.progress', {})).toEqual([]);
    } finally {
      await proxy.stop();
    }
  });

  it("teaches the method list of a server without introspection the names its runs' calls showed to work", async () => {
    // a history of its own, so that only the runs teach
    const core = openAppCore(mkdtempSync(join(tmpdir(), 'rpcscope-app-learn-')));
    const conn = await core.ok('connections.add', { url: `pickle://127.0.0.1:${server.port}?authkey=${AUTHKEY}` });
    expect((await core.ok('methods.list', { connectionId: conn.id })).methods).toEqual([]);
    const file = join(dir, 'learn.collection.json');
    const calls = ['x = add(1, 2)', 'sub(x, 1)', 'nope()'];
    const connection = { name: 'server', url: `pickle://127.0.0.1:${server.port}`, authkey: '${env:RPCSCOPE_AUTHKEY}' };
    writeFileSync(file, JSON.stringify({ version: 1, connections: [connection], calls: calls.map((call) => ({ connection: 'server', call })) }));
    await core.ok('collections.run', { path: file });
    const learned = await core.ok('methods.list', { connectionId: conn.id, cached: true });
    expect(learned.source).toBe('learned');
    // nope() answered KeyError('nope'): no such method
    expect(learned.methods.map((m) => m.name).sort()).toEqual(['add', 'sub']);
    // a step of the demo stepper teaches too
    writeFileSync(file, JSON.stringify({ version: 1, connections: [connection], calls: [{ connection: 'server', call: "echo('a')" }] }));
    await core.ok('collections.step', { path: file, restart: true });
    expect((await core.ok('methods.list', { connectionId: conn.id, cached: true })).methods.map((m) => m.name)).toContain('echo');
  });
});
