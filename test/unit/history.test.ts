import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RemoteError, RpcError } from '../../src/common/errors';
import { CallHistory, HISTORY_RESULT_CHARS, historyError, keptResult } from '../../src/services/history';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rpcscope-history-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const KEY = 'pickle://127.0.0.1:17000';

describe('CallHistory', () => {
  it('appends and lists entries per connection, oldest first, across instances', () => {
    const h = new CallHistory({ dir });
    h.append(KEY, { call: 'add(2, 3)', ok: true, result: '5', durationMs: 1.5 });
    h.append(KEY, { call: 'get("x")', ok: false, error: { type: 'KeyError', message: "'x'" }, durationMs: 2 });
    h.append('xmlrpc://127.0.0.1:8000', { call: 'ping()', ok: true, result: "'pong'", durationMs: 1 });
    const again = new CallHistory({ dir });
    const list = again.list(KEY);
    expect(list.map((e) => e.call)).toEqual(['add(2, 3)', 'get("x")']);
    expect(list[0]).toMatchObject({ connection: KEY, ok: true, result: '5' });
    expect(list[1].error).toEqual({ type: 'KeyError', message: "'x'" });
    expect(new Set(list.map((e) => e.id)).size).toBe(2);
    expect(again.connections().sort()).toEqual([KEY, 'xmlrpc://127.0.0.1:8000'].sort());
    expect(again.list(KEY, { limit: 1 }).map((e) => e.call)).toEqual(['get("x")']);
  });

  it("keeps the start of a long result and says how long it was", () => {
    const h = new CallHistory({ dir });
    const big = `b'${'x'.repeat(5_000_000)}'`;
    h.append(KEY, { call: 'big(5000000)', ok: true, result: big, durationMs: 40 });
    h.append(KEY, { call: 'emoji()', ok: true, result: `'${'a'.repeat(HISTORY_RESULT_CHARS - 2)}\u{1f600}'`, durationMs: 1 });
    const [e, emoji] = new CallHistory({ dir }).list(KEY);
    expect(e.result).toBe(`${big.slice(0, HISTORY_RESULT_CHARS)}… (5,000,003 characters)`);
    expect(e.resultChars).toBe(big.length);
    expect(statSync(h.fileOf(KEY)).size).toBeLessThan(4 * HISTORY_RESULT_CHARS);
    // cut before a surrogate pair, not inside it
    expect(emoji.result).toBe(`'${'a'.repeat(HISTORY_RESULT_CHARS - 2)}… (${(HISTORY_RESULT_CHARS + 2).toLocaleString('en-US')} characters)`);
    expect(keptResult('5')).toEqual({ result: '5' });
  });

  it('keeps only the last `limit` entries and compacts the file', () => {
    const h = new CallHistory({ dir, limit: 5 });
    for (let i = 0; i < 60; i++) h.append(KEY, { call: `f(${i})`, ok: true, result: String(i), durationMs: 0 });
    expect(h.list(KEY).map((e) => e.call)).toEqual(['f(55)', 'f(56)', 'f(57)', 'f(58)', 'f(59)']);
    const lines = readFileSync(h.fileOf(KEY), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(5 + 20);
  });

  it('skips corrupted lines with a warning and keeps the rest', () => {
    const warnings: string[] = [];
    const h = new CallHistory({ dir, warn: (m) => warnings.push(m) });
    h.append(KEY, { call: 'a()', ok: true, result: '1', durationMs: 0 });
    appendFileSync(h.fileOf(KEY), '{"id": truncated\nnot json at all\n{"id":"x"}\n');
    h.append(KEY, { call: 'b()', ok: true, result: '2', durationMs: 0 });
    expect(h.list(KEY).map((e) => e.call)).toEqual(['a()', 'b()']);
    expect(warnings.join('\n')).toMatch(/line 2 of history file/);
    expect(warnings.join('\n')).toMatch(/skipped 3 unreadable lines/);
  });

  it('compaction drops bad lines but never good ones', () => {
    const h = new CallHistory({ dir, limit: 3, warn: () => {} });
    h.append(KEY, { call: 'a()', ok: true, result: '1', durationMs: 0 });
    appendFileSync(h.fileOf(KEY), 'garbage\n');
    h.append(KEY, { call: 'b()', ok: true, result: '2', durationMs: 0 });
    h.compact(KEY);
    expect(readFileSync(h.fileOf(KEY), 'utf8')).not.toContain('garbage');
    expect(h.list(KEY).map((e) => e.call)).toEqual(['a()', 'b()']);
  });

  it('two writers appending interleaved keep every entry', () => {
    const a = new CallHistory({ dir });
    const b = new CallHistory({ dir });
    for (let i = 0; i < 20; i++) (i % 2 ? a : b).append(KEY, { call: `f(${i})`, ok: true, result: '0', durationMs: 0 });
    expect(a.list(KEY).map((e) => e.call)).toEqual(Array.from({ length: 20 }, (_, i) => `f(${i})`));
  });

  it('clear removes a connection history', () => {
    const h = new CallHistory({ dir });
    h.append(KEY, { call: 'a()', ok: true, result: '1', durationMs: 0 });
    h.clear(KEY);
    expect(h.list(KEY)).toEqual([]);
  });

  it('describes errors by Python type or local code', () => {
    expect(historyError(new RemoteError('KeyError', [], "'x'"))).toEqual({ type: 'KeyError', message: "'x'" });
    expect(historyError(new RpcError('E_TIMEOUT', 'no answer in 1 s'))).toEqual({ type: 'E_TIMEOUT', message: 'no answer in 1 s' });
  });
});

describe('CallHistory across processes', () => {
  const writers = async (limit: number): Promise<string[]> => {
    const { spawn } = await import('node:child_process');
    const writer = (tag: string) =>
      new Promise<number | null>((resolve) => {
        const code = `
          import { CallHistory } from ${JSON.stringify(join(__dirname, '..', '..', 'src', 'services', 'history.ts'))};
          const h = new CallHistory({ dir: ${JSON.stringify(dir)}, limit: ${limit} });
          for (let i = 0; i < 300; i++) h.append(${JSON.stringify(KEY)}, { call: '${tag}(' + i + ')', ok: true, result: String(i), durationMs: 0 });
        `;
        const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: 'inherit' });
        p.on('exit', resolve);
      });
    expect(await Promise.all([writer('a'), writer('b')])).toEqual([0, 0]);
    return new CallHistory({ dir, limit, warn: (m) => { throw new Error(m); } }).list(KEY).map((e) => e.call);
  };

  it('keeps every entry when two processes append at the same time', async () => {
    const calls = await writers(1000);
    expect(calls).toHaveLength(600);
    // each writer's entries in its own order
    expect(calls.filter((c) => c.startsWith('a('))).toEqual(Array.from({ length: 300 }, (_, i) => `a(${i})`));
    expect(calls.filter((c) => c.startsWith('b('))).toEqual(Array.from({ length: 300 }, (_, i) => `b(${i})`));
  }, 60_000);

  it('compacting while another process appends leaves a readable, bounded, ordered file', async () => {
    const calls = await writers(100);
    expect(calls).toHaveLength(100);
    for (const tag of ['a', 'b']) {
      const seq = calls.filter((c) => c.startsWith(`${tag}(`)).map((c) => Number(c.slice(2, -1)));
      expect(seq).toEqual([...seq].sort((x, y) => x - y));
    }
  }, 60_000);
});
