// The faults of faults.test.ts one level up, where users meet them: the app core (what the window
// calls) and the terminal REPL, against a real Cookbook server behind fault_proxy.py (a server that
// never answers, half-closes, sends garbage, or dies mid-call). The failed call gets a clear error
// within its timeout; the app goes on serving its other connection; the history keeps the calls
// before, the failure, and the calls after; a collection saved before is unchanged; the connection
// works again (the proxy passes later connections through; after a death, the connection is
// pointed at the server itself).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../src/common/errors';
import { openAppCore, type TestAppCore } from '../helpers/app-core';
import { CallHistory } from '../../src/services/history';
import { buildCli, runCli } from '../helpers/cli';
import { startServer, type RunningServer } from '../helpers/python';

const TIMEOUT_MS = 1500;
/** what each fault gives the call that meets it */
const FAULTS: [mode: string, codes: ErrorCode[]][] = [
  ['silent', ['E_TIMEOUT']],
  ['halfclose', ['E_CLOSED', 'E_PROTOCOL', 'E_DECODE']],
  ['garbage', ['E_DECODE', 'E_PROTOCOL']],
  ['die', ['E_CLOSED']],
];

let upstream: RunningServer;
const proxies: RunningServer[] = [];

beforeAll(async () => {
  buildCli();
  upstream = await startServer('cookbook_pickle.py', []);
});
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.stop()));
  await upstream?.stop();
});

const direct = () => `pickle://127.0.0.1:${upstream.port}`;

async function faultyProxy(mode: string): Promise<RunningServer> {
  // '4': a garbled reply keeps its length prefix
  const proxy = await startServer('fault_proxy.py', [String(upstream.port), mode, '4']);
  proxies.push(proxy);
  return proxy;
}

function exited(server: RunningServer): Promise<void> {
  const p = server.proc;
  return p.exitCode !== null || p.signalCode !== null ? Promise.resolve() : new Promise((done) => p.once('exit', () => done()));
}

describe('the app core through faults', () => {
  let core: TestAppCore;
  let healthy: string;
  let collection: string;
  let collectionBytes: Buffer;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpcscope-faults-app-'));
    core = openAppCore(dir);
    healthy = (await core.ok('connections.add', { url: direct(), name: 'healthy', timeoutMs: TIMEOUT_MS })).id;
    collection = join(dir, 'saved.json');
    await core.ok('collections.saveCall', { path: collection, connectionId: healthy, source: 'add(2, 3)', name: 'add', expect: { equals: '5' } });
    collectionBytes = readFileSync(collection);
  });

  const repr = async (connectionId: string, source: string): Promise<string | undefined> => {
    const r = await core.ok('calls.call', { connectionId, source });
    return r.outcome.kind === 'value' ? r.outcome.repr : undefined;
  };

  for (const [mode, codes] of FAULTS) {
    it(`${mode}: a clear error within the timeout, the app goes on, nothing is lost, and the connection works again`, async () => {
      const proxy = await faultyProxy(mode);
      const conn = await core.ok('connections.add', { url: `pickle://127.0.0.1:${proxy.port}`, name: mode, timeoutMs: TIMEOUT_MS });

      const started = Date.now();
      const failed = await core.call('calls.call', { connectionId: conn.id, source: 'add(2, 3)' });
      // (the bound is the call's timeout and slack for a loaded machine: a hang would not end at all)
      expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 5000);
      expect(failed.ok).toBe(false);
      if (failed.ok) return;
      expect(codes).toContain(failed.error.code);
      expect(failed.error.message).toMatch(/127\.0\.0\.1:\d+|add\(\)|pickle|reply/);

      // the other connection is served meanwhile
      expect(await repr(healthy, 'add(1, 1)')).toBe('2');

      if (mode === 'die') {
        await exited(proxy);
        // nothing listens there now: refused at once (a call that never went out is no history)
        const refused = await core.call('calls.call', { connectionId: conn.id, source: 'add(2, 3)' });
        expect(refused.ok ? undefined : refused.error.code).toBe('E_CONNECT');
      }
      expect((await core.ok('history.list', { connectionId: conn.id })).map((h) => [h.source, h.ok, h.summary.split(':')[0]])).toEqual([['add(2, 3)', false, failed.error.code]]);
      if (mode === 'die') await core.ok('connections.edit', { id: conn.id, url: direct() });
      expect(await repr(conn.id, 'add(2, 3)')).toBe('5');
      expect((await core.ok('history.list', { connectionId: conn.id })).at(-1)).toMatchObject({ source: 'add(2, 3)', ok: true });
      expect((await core.ok('connections.list', {})).find((c) => c.id === conn.id)?.status.state).toBe('connected');

      // what was saved before is as it was, and still runs
      expect(readFileSync(collection).equals(collectionBytes)).toBe(true);
      const opened = await core.ok('collections.open', { path: collection });
      expect(opened.calls.map((c) => c.call)).toEqual(['add(2, 3)']);
    });
  }
});

describe('the terminal REPL through faults', () => {
  it('reports each fault, stays up, connects again, and keeps the history of the session', async () => {
    const home = mkdtempSync(join(tmpdir(), 'rpcscope-faults-repl-'));
    const lines: string[] = ['add(1, 1)'];
    const urls: string[] = [];
    for (const [mode] of FAULTS) {
      const url = `pickle://127.0.0.1:${(await faultyProxy(mode)).port}`;
      urls.push(url);
      // the first connection to the proxy is the faulty one; a second .connect opens another
      lines.push(`.connect ${url}`, 'add(2, 3)', `.connect ${mode === 'die' ? direct() : url}`, 'add(2, 3)');
    }
    const r = await runCli(['repl', direct(), '--timeout', String(TIMEOUT_MS / 1000)], { RPCSCOPE_HOME: home, FORCE_COLOR: '' }, { input: lines.join('\n') });
    expect(r.code).toBe(0);
    const printed = r.stdout.trimEnd().split('\n');
    expect(printed.filter((l) => l.startsWith('connected to '))).toHaveLength(FAULTS.length * 2);
    // per fault: its error, then 5 on the next connection
    const out = printed.filter((l) => !l.startsWith('connected to '));
    expect(out).toHaveLength(1 + FAULTS.length * 2);
    expect(out[0]).toBe('2');
    FAULTS.forEach(([, codes], i) => {
      expect(out[1 + 2 * i]).toMatch(new RegExp(`^(${codes.join('|')}): `));
      expect(out[2 + 2 * i]).toBe('5');
    });
    // every call of the session is in the history of its server, the failed ones too
    const history = new CallHistory({ dir: join(home, 'history') });
    const stored = (url: string) => history.list(url).map((e) => [e.call, e.ok]);
    FAULTS.forEach(([mode], i) => {
      expect(stored(urls[i])).toEqual(mode === 'die' ? [['add(2, 3)', false]] : [['add(2, 3)', false], ['add(2, 3)', true]]);
    });
    expect(stored(direct())).toEqual([['add(1, 1)', true], ['add(2, 3)', true]]);
  });
});
