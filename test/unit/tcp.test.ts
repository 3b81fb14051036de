// The generic TCP connection against real sockets: buffered reads, closes, refusals, timeouts, aborts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildSync } from 'esbuild';
import { afterEach, describe, expect, it } from 'vitest';
import { TcpConnection } from '../../src/transport/tcp';

let servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  servers = [];
});

/** A server that runs `onConn` for each connection; resolves with its port. */
function serve(onConn: (s: Socket) => void): Promise<number> {
  const server = createServer(onConn);
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

const open = (port: number) => TcpConnection.open({ host: '127.0.0.1', port, timeoutMs: 5000 });

describe('TcpConnection', () => {
  it('reads exactly the bytes asked for across chunk boundaries', async () => {
    const port = await serve((s) => {
      s.write(Buffer.from([1, 2]));
      setTimeout(() => s.write(Buffer.from([3, 4, 5, 6, 7])), 20);
    });
    const c = await open(port);
    expect(Array.from(await c.readExactly(3))).toEqual([1, 2, 3]);
    expect(Array.from(await c.readExactly(4))).toEqual([4, 5, 6, 7]);
    c.close();
  });

  it('taps raw bytes in both directions and echoes writes', async () => {
    const port = await serve((s) => s.pipe(s));
    const seen: string[] = [];
    const c = await TcpConnection.open({ host: '127.0.0.1', port, timeoutMs: 5000, tap: (d, b) => seen.push(`${d}:${b.length}`) });
    await c.write(new Uint8Array(10));
    await c.readExactly(10);
    expect(seen[0]).toBe('out:10');
    expect(seen.filter((s) => s.startsWith('in:')).length).toBeGreaterThan(0);
    c.close();
  });

  it('says how many bytes arrived when the peer closes mid-read', async () => {
    const port = await serve((s) => s.end(Buffer.from([9, 9, 9])));
    const c = await open(port);
    await expect(c.readExactly(8)).rejects.toMatchObject({
      code: 'E_CLOSED',
      message: 'server closed the connection while waiting for a reply (3 of 8 bytes)',
    });
  });

  it('reads until the peer closes', async () => {
    const port = await serve((s) => {
      s.write('abc');
      setTimeout(() => s.end('def'), 10);
    });
    const c = await open(port);
    expect(new TextDecoder().decode(await c.readToEnd())).toBe('abcdef');
    expect(c.isOpen).toBe(false);
  });

  it('reads until close: each piece as it comes, a reset after some bytes ends the reply, a reset before any fails', async () => {
    const port = await serve((s) => {
      s.write('abc');
      setTimeout(() => s.write('def'), 10);
      setTimeout(() => s.resetAndDestroy(), 30);
    });
    const c = await open(port);
    const pieces: string[] = [];
    const progress: number[] = [];
    const all = await c.readToEnd({ onChunk: (b) => pieces.push(new TextDecoder().decode(b)), onProgress: (n, total) => progress.push(n, total) });
    expect(new TextDecoder().decode(all)).toBe('abcdef');
    expect(pieces.join('')).toBe('abcdef');
    expect(progress.filter((_, i) => i % 2 === 0).at(-1)).toBe(6);
    expect(progress.filter((_, i) => i % 2 === 1).every((t) => t === 0)).toBe(true);

    const resetting = await serve((s) => setTimeout(() => s.resetAndDestroy(), 10));
    const r = await open(resetting);
    await expect(r.readToEnd()).rejects.toMatchObject({ code: 'E_CLOSED', message: `127.0.0.1:${resetting} reset the connection` });
  });

  it('reading until close ends in a timeout or a cancel, naming what it waited for', async () => {
    // (the client's close resets the connection: the server's side just goes)
    const port = await serve((s) => s.on('error', () => undefined).write('partial'));
    const c = await open(port);
    await expect(c.readToEnd({ timeoutMs: 50, waitingFor: 'the reply' })).rejects.toMatchObject({ code: 'E_TIMEOUT', message: `no reply from 127.0.0.1:${port} within 0.05 s` });
    c.close();
    const d = await open(port);
    const ac = new AbortController();
    const pending = d.readToEnd({ signal: ac.signal });
    ac.abort();
    await expect(pending).rejects.toMatchObject({ code: 'E_CANCELLED' });
    d.close();
  });

  it('enforces a size limit when reading until close', async () => {
    const port = await serve((s) => s.end(Buffer.alloc(100)));
    const c = await open(port);
    await expect(c.readToEnd({ maxBytes: 10 })).rejects.toMatchObject({ code: 'E_LIMIT' });
    c.close();
  });

  it('maps a refused connection to E_CONNECT naming the peer', async () => {
    const port = await serve(() => undefined);
    await new Promise((r) => servers.pop()!.close(r));
    await expect(open(port)).rejects.toMatchObject({ code: 'E_CONNECT', message: `connection refused by 127.0.0.1:${port}` });
  });

  it('times out a read with E_TIMEOUT', async () => {
    const port = await serve(() => undefined);
    const c = await open(port);
    await expect(c.readExactly(1, { timeoutMs: 50 })).rejects.toMatchObject({ code: 'E_TIMEOUT' });
    c.close();
  });

  it('cancels a read on abort with E_CANCELLED', async () => {
    const port = await serve(() => undefined);
    const c = await open(port);
    const ac = new AbortController();
    const p = c.readExactly(1, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'E_CANCELLED' });
    await expect(c.readExactly(1, { signal: ac.signal })).rejects.toMatchObject({ code: 'E_CANCELLED' });
    c.close();
  });

  it('fails reads and writes after close() instead of hanging', async () => {
    const port = await serve(() => undefined);
    const c = await open(port);
    const pending = c.readExactly(4);
    c.close();
    await expect(pending).rejects.toMatchObject({ code: 'E_CLOSED' });
    await expect(c.write(new Uint8Array(1))).rejects.toMatchObject({ code: 'E_CLOSED' });
  });

  it('streams chunks to a sink, buffered ones first, then says why the stream ended', async () => {
    const port = await serve((s) => {
      s.write('ab');
      setTimeout(() => s.write('cd'), 30);
      setTimeout(() => s.end('ef'), 60);
    });
    const c = await open(port);
    await new Promise((r) => setTimeout(r, 15));
    expect(c.bufferedBytes).toBe(2);
    const got: string[] = [];
    const ended = new Promise<unknown>((resolve) => c.stream({ chunk: (b) => got.push(new TextDecoder().decode(b)), end: (why) => resolve(why()) }));
    expect(await ended).toMatchObject({ code: 'E_CLOSED', message: `127.0.0.1:${port} closed the connection` });
    expect(got.join('')).toBe('abcdef');
    expect(got[0]).toBe('ab');
  });

  it('ends a stream once, with the local reason, when closed here', async () => {
    const port = await serve(() => undefined);
    const c = await open(port);
    const reasons: unknown[] = [];
    c.stream({ chunk: () => undefined, end: (why) => reasons.push(why()) });
    c.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatchObject({ code: 'E_CLOSED', message: `the connection to 127.0.0.1:${port} is closed` });
  });

  it('refuses to stream while a read waits', async () => {
    const port = await serve(() => undefined);
    const c = await open(port);
    const pending = c.readExactly(1);
    expect(() => c.stream({ chunk: () => undefined, end: () => undefined })).toThrow(/a read is pending/);
    c.close();
    await expect(pending).rejects.toMatchObject({ code: 'E_CLOSED' });
  });


  it('keeps the bytes of each connection apart when many read at once through the shared read buffer', async () => {
    // every connection's reads land in one buffer (socket-reads.ts) and are copied out: chunks kept
    // from earlier reads must not change, and no connection may see another's bytes
    const size = 1 << 20;
    const pattern = (k: number, i: number) => (i * 31 + k * 7) & 0xff;
    const streams = Array.from({ length: 6 }, (_, k) => Buffer.from(Uint8Array.from({ length: size }, (_, i) => pattern(k, i))));
    const port = await serve((s) => s.once('data', (d) => s.end(streams[d[0]])));
    const conns = await Promise.all(streams.map(() => open(port)));
    const kept: Uint8Array[][] = conns.map(() => []);
    const ends = conns.map(
      (c, k) =>
        new Promise<void>((resolve) => {
          c.stream({ chunk: (bytes) => kept[k].push(bytes), end: () => resolve() });
        }),
    );
    await Promise.all(conns.map((c, k) => c.write(Uint8Array.of(k))));
    await Promise.all(ends);
    for (let k = 0; k < conns.length; k++) {
      expect(kept[k].length).toBeGreaterThan(1);
      expect(Buffer.concat(kept[k]).equals(streams[k])).toBe(true);
    }
  });

  it('closes a connection the peer has closed, so that it keeps no finished program running', async () => {
    // a half-open socket would keep the event loop alive: a script whose server hung up must still end
    const port = await serve((s) => s.end('bye'));
    const dir = mkdtempSync(join(tmpdir(), 'rpcscope-tcp-'));
    try {
      const module = join(dir, 'tcp.mjs');
      buildSync({ entryPoints: [join(__dirname, '../../src/transport/tcp.ts')], bundle: true, platform: 'node', format: 'esm', outfile: module, logLevel: 'silent' });
      const program = `import(${JSON.stringify(module)}).then(async ({ TcpConnection }) => {
        const c = await TcpConnection.open({ host: '127.0.0.1', port: ${port}, timeoutMs: 5000 });
        console.log(new TextDecoder().decode(await c.readToEnd()));
      })`;
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', program], { timeout: 20_000 });
      expect(stdout.trim()).toBe('bye');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
