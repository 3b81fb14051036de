// Servers without introspection: `rpcscope methods` lists the names earlier calls showed to work.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../helpers/cli';
import { startServer, type RunningServer } from '../helpers/python';

describe('methods learned from the call history', () => {
  let server: RunningServer;
  let url: string;
  const env = { RPCSCOPE_HOME: mkdtempSync(join(tmpdir(), 'rpcscope-learned-')) };
  beforeAll(async () => {
    buildCli();
    server = await startServer('cookbook_pickle.py', ['--authkey-hex', Buffer.from('peekaboo').toString('hex')]);
    url = `pickle://127.0.0.1:${server.port}?authkey=peekaboo`;
  });
  afterAll(() => server?.stop());

  it('lists nothing before any call, then the names that worked, not the unknown one', async () => {
    const before = await runCli(['methods', url], env);
    expect(before.code).toBe(0);
    expect(before.stdout).toBe('');
    expect(before.stderr).toMatch(/no introspection/);

    expect((await runCli(['call', url, 'add(2, 3)'], env)).stdout).toBe('5\n');
    const remoteError = await runCli(['call', url, 'sub([1, 2], 4)'], env);
    expect(remoteError.code).toBe(1); // raised inside sub: the name exists
    const unknown = await runCli(['call', url, 'nope()'], env);
    expect(unknown.stdout).toBe("KeyError: 'nope'\n");
    await runCli(['call', url, 'add(1, 1)', '--no-history'], env);

    const after = await runCli(['methods', url], env);
    expect(after.stdout.split('\n').filter(Boolean).sort()).toEqual(['add', 'sub']);
  });

  it("on the Cookbook's JSON variant, the text it answers for an unknown name (\"'nope'\") teaches nothing", async () => {
    const json = await startServer('cookbook_json_str.py');
    try {
      const jsonUrl = `mpjson://127.0.0.1:${json.port}`;
      expect((await runCli(['call', jsonUrl, 'nope()'], env)).stdout).toBe(`"'nope'"\n`);
      expect((await runCli(['call', jsonUrl, 'add(2, 3)'], env)).stdout).toBe('5\n');
      expect((await runCli(['methods', jsonUrl], env)).stdout).toBe('add\n');
    } finally {
      await json.stop();
    }
  });

  it('keeps histories apart per server', async () => {
    const other = `pickle://127.0.0.1:${server.port}?authkey=peekaboo&wrap=1`;
    const r = await runCli(['methods', other], env);
    expect(r.stdout).toBe('');
  });
});
