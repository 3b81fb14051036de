// examples/demo.collection.json against the bundled demo servers: from the command line with
// --demo, and from the app host that started them (the window's Collections view); and the REPL
// started without a URL, on the demo servers.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/common/contract/dispatch';
import { openAppHost, type AppHost } from '../../src/services/app-host';
import { MemorySecretStore } from '../../src/services/secrets';
import { BIN, buildCli, ROOT, runCli } from '../helpers/cli';
import { startServer } from '../helpers/python';
import { alive } from '../helpers/process';

const EXAMPLE = join(ROOT, 'examples', 'demo.collection.json');
const CALLS = (JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { calls: unknown[] }).calls.length;

/** Nothing of the demo is left listening: the ports `run --demo` printed refuse connections. */
async function expectDemoGone(stderr: string): Promise<void> {
  const ports = [...stderr.matchAll(/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
  expect(ports.length).toBeGreaterThanOrEqual(3);
  for (const port of ports) {
    const probe = await runCli(['call', `tcpjson://127.0.0.1:${port}`, 'add(1, 2)', '--timeout', '2']);
    expect(probe.stderr).toMatch(/connection refused/);
  }
}

/** rpcscope running in the background: its output so far and its exit code once it ends. */
function startCli(args: string[], stdin: 'ignore' | 'pipe' = 'ignore') {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: [stdin, 'pipe', 'pipe'] });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out, exited };
}

describe('the demo collection', () => {
  beforeAll(() => buildCli());

  it('passes with rpcscope run --demo, writes JUnit, and stops the demo servers after', async () => {
    const junit = join(mkdtempSync(join(tmpdir(), 'rpcscope-demo-coll-')), 'results.xml');
    const r = await runCli(['run', EXAMPLE, '--demo', '--junit', junit]);
    expect(r.stderr).toMatch(/^demo: Cookbook pickle \(add, sub\) at pickle:\/\/127\.0\.0\.1:\d+$/m);
    expect(r.stdout).toContain(`${CALLS} passed, 0 failed, 0 errors`);
    expect(r.stdout).toContain("TypeError: unsupported operand type(s) for -: 'list' and 'int'");
    expect(r.code).toBe(0);
    expect(readFileSync(junit, 'utf8').match(/<testcase /g)).toHaveLength(CALLS);
    await expectDemoGone(r.stderr);
  });

  it('stops the demo servers when the run is ended by a signal mid-call', async () => {
    const silent = await startServer('raw_peer.py', ['silent']);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'rpcscope-demo-sig-'));
      const file = join(dir, 'hang.collection.json');
      const calls = [
        { connection: 'kv', call: "set('x', 1)" },
        { connection: 'silent', call: 'add(1, 2)' },
      ];
      const connections = [
        { name: 'kv', url: '${env:RPCSCOPE_DEMO_XMLRPC}' },
        { name: 'silent', url: `tcpjson://127.0.0.1:${silent.port}` },
      ];
      writeFileSync(file, JSON.stringify({ version: 1, connections, calls }));
      const run = startCli(['run', file, '--demo', '--timeout', '60']);
      // the first call has answered, the second waits on the silent peer
      await expect.poll(() => run.out.stdout, { timeout: 20_000 }).toContain("set('x', 1)");
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(143);
      await expectDemoGone(run.out.stderr);
    } finally {
      await silent.stop();
    }
  });

  it('without the demo servers, says which variable is missing and what sets it', async () => {
    const r = await runCli(['run', EXAMPLE]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('environment variable RPCSCOPE_DEMO_PICKLE is not set (`rpcscope run --demo` sets it');
  });
});

describe('rpcscope repl without a URL', () => {
  beforeAll(() => buildCli());

  it('runs on the demo Cookbook server, names the others, and stops them all at the end', async () => {
    const r = await runCli(['repl'], {}, { input: ['add(2, 3)', 'sub([1], 1)'].join('\n') });
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual(['5', "TypeError: unsupported operand type(s) for -: 'list' and 'int'"]);
    expect(r.stderr).toMatch(/^demo: XML-RPC KeyValueServer at xmlrpc:\/\/127\.0\.0\.1:\d+\/RPC2$/m);
    expect(r.stderr).toContain('no URL given: the REPL is on the demo Cookbook server (authkey peekaboo)');
    await expectDemoGone(r.stderr);
  });

  it('stops the demo servers when a signal ends it', async () => {
    // (stdin stays open: the REPL waits for its next statement)
    const repl = startCli(['repl'], 'pipe');
    await expect.poll(() => repl.out.stderr, { timeout: 20_000 }).toContain('no URL given');
    repl.child.kill('SIGTERM');
    expect(await repl.exited).toBe(143);
    await expectDemoGone(repl.out.stderr);
  });
});

describe('the demo collection in the app', () => {
  let host: AppHost;
  const before = process.env.RPCSCOPE_HOME;
  beforeAll(async () => {
    process.env.RPCSCOPE_HOME = mkdtempSync(join(tmpdir(), 'rpcscope-demo-host-'));
    host = await openAppHost({ secrets: new MemorySecretStore(), demo: true });
  });
  afterAll(async () => {
    await host?.close();
    if (before === undefined) delete process.env.RPCSCOPE_HOME;
    else process.env.RPCSCOPE_HOME = before;
  });

  it("runs against the servers the host started, which its own process's environment does not name", async () => {
    expect(process.env.RPCSCOPE_DEMO_PICKLE).toBeUndefined();
    const r = await dispatch(host.handlers, 'collections.run', { path: EXAMPLE });
    expect(r).toMatchObject({ ok: true, value: { passed: CALLS, failed: 0, errors: 0 } });
    for (const d of host.demo) expect(d.pid !== undefined && alive(d.pid)).toBe(true);
  });
});
