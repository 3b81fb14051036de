// rpyc:// against peers that misbehave: huge length prefixes, bad brine, bad framing, bad zlib, the
// RPyC 6 format, a server that hangs up or dies mid-call. Each gives a clear RpcError, never a hang.
import { afterAll, describe, expect, it } from 'vitest';
import { RpcError } from '../../src/common/errors';
import type { PyValue } from '../../src/common/value';
import { createClient } from '../../src/clients/registry';
import { SYSTEM_PYTHON, startServer, type RunningServer } from '../helpers/python';

const started: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop()));
});

async function failure(mode: string, timeoutMs = 5000): Promise<RpcError> {
  const server = await startServer('rpyc_bad.py', [mode]);
  started.push(server);
  const c = createClient(`rpyc://127.0.0.1:${server.port}`, { timeoutMs, maxMessageBytes: 1024 * 1024 });
  try {
    await c.call({ method: 'foo', args: [], kwargs: [] });
  } catch (e) {
    expect(e).toBeInstanceOf(RpcError);
    return e as RpcError;
  } finally {
    await c.close();
  }
  throw new Error(`${mode}: the call succeeded`);
}

describe('rpyc:// with a misbehaving peer', () => {
  it('refuses a huge length prefix with E_LIMIT', async () => {
    const e = await failure('huge');
    expect(e.code).toBe('E_LIMIT');
    expect(e.message).toMatch(/frame of 4294967295 bytes exceeds the limit of 1048576 bytes/);
  });
  it('names the unknown brine tag and its offset', async () => {
    const e = await failure('badtag');
    expect(e.code).toBe('E_DECODE');
    expect(e.message).toBe('brine: unknown tag 0xf7 at offset 3');
  });
  it('notices a frame without its trailing newline', async () => {
    const e = await failure('noflush');
    expect(e.code).toBe('E_DECODE');
    expect(e.message).toMatch(/expected '\\n' after the payload at offset 11, found 0x58/);
  });
  it('reports bad zlib data', async () => {
    const e = await failure('badzlib');
    expect(e.code).toBe('E_DECODE');
    expect(e.message).toMatch(/bad zlib data/);
  });
  it('recognizes the RPyC 6 message format', async () => {
    const e = await failure('v6');
    expect(e.code).toBe('E_PROTOCOL');
    expect(e.message).toMatch(/RPyC 6/);
  });
  it('gives E_CLOSED when the server hangs up', async () => {
    const e = await failure('close');
    expect(e.code).toBe('E_CLOSED');
    expect(e.message).toMatch(/closed the connection during GETROOT/);
  });
  it('gives E_TIMEOUT when the server never answers', async () => {
    const e = await failure('silent', 300);
    expect(e.code).toBe('E_TIMEOUT');
  });

  it('matches replies that come back out of order to their calls by seq', async () => {
    const server = await startServer('rpyc_bad.py', ['reverse'], { python: SYSTEM_PYTHON });
    started.push(server);
    const c = createClient(`rpyc://127.0.0.1:${server.port}`, { timeoutMs: 5000 });
    await c.connect();
    const results = await Promise.all(['a', 'b', 'c'].map((m) => c.call({ method: m, args: [], kwargs: [] })));
    // GETROOT was seq 0: the calls are seqs 1..3, answered 3, 2, 1
    expect(results).toEqual([1, 2, 3].map((n) => ({ t: 'str', v: `reply to ${n}` })));
    await c.close();
  });

  it('gives E_CLOSED to every pending call when the server dies mid-call', async () => {
    const server = await startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON });
    started.push(server);
    const c = createClient(`rpyc://127.0.0.1:${server.port}`, { timeoutMs: 20_000 });
    const slow = (s: number) => c.call({ method: 'slow', args: [{ t: 'float', v: s } as PyValue], kwargs: [] });
    await c.connect();
    const calls = [slow(10), slow(12)].map((p) => p.then(() => undefined, (e: unknown) => e));
    // the server runs one request at a time per connection: wait until it is inside the first
    await new Promise<void>((resolve) => {
      server.proc.stdout?.on('data', (d: Buffer) => {
        if (d.toString().includes('SLOW 10')) resolve();
      });
    });
    server.proc.kill('SIGKILL');
    const errors = await Promise.all(calls);
    for (const e of errors) {
      expect(e).toBeInstanceOf(RpcError);
      expect((e as RpcError).code).toBe('E_CLOSED');
      expect((e as RpcError).message).toMatch(/closed the connection during the call to slow\(\)/);
    }
    await c.close();
  });
});
