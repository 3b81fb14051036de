// The bundled demo servers: they start on free loopback ports, answer, and die with the app.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createClient } from '../../src/clients/registry';
import type { CallRequest } from '../../src/common/call';
import { startDemoServers } from '../../src/services/demo';
import { alive } from '../helpers/process';

const ROOT = join(__dirname, '..', '..');

describe('demo servers', () => {
  it('start from demo/ and answer as the seeds do', async () => {
    const skipped: string[] = [];
    const servers = await startDemoServers({ onSkip: (why) => skipped.push(why) });
    try {
      const byScheme = Object.fromEntries(servers.map((s) => [s.url.split('://')[0], s]));
      expect(Object.keys(byScheme)).toEqual(expect.arrayContaining(['pickle', 'xmlrpc', 'tcpjson']));
      for (const s of servers) expect(s.url).toMatch(/^[a-z]+:\/\/127\.0\.0\.1:\d+/);
      const sub: CallRequest = { method: 'sub', args: [{ t: 'int', v: 2n }, { t: 'int', v: 3n }], kwargs: [] };
      // a call without the authkey, or with a wrong one, fails its handshake: the recipe's server
      // would stop there; the demo's answers the next client
      for (const authkey of [undefined, 'wrong']) {
        const bad = createClient(byScheme.pickle.url, { authkey, timeoutMs: 10_000 });
        await expect(bad.call(sub)).rejects.toMatchObject({ code: 'E_AUTH' });
        await bad.close();
      }
      const pickle = createClient(byScheme.pickle.url, { authkey: byScheme.pickle.authkey, timeoutMs: 10_000 });
      try {
        expect(await pickle.call(sub)).toEqual({ t: 'int', v: -1n });
      } finally {
        await pickle.close();
      }
      const kv = createClient(byScheme.xmlrpc.url, { timeoutMs: 10_000 });
      try {
        const names = (await kv.methods()).methods.map((m) => m.name);
        expect(names).toEqual(expect.arrayContaining(['get', 'set', 'delete', 'exists', 'keys']));
      } finally {
        await kv.close();
      }
    } finally {
      for (const s of servers) s.stop();
    }
  });

  it('are stopped when the process that started them exits', async () => {
    const code = `import { startDemoServers } from ${JSON.stringify(join(ROOT, 'src/services/demo.ts'))};
      const servers = await startDemoServers();
      console.log('PIDS ' + servers.map((s) => s.pid).join(','));
      process.exit(0);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<number[]>((resolve, reject) => {
      child.on('error', reject);
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('PIDS ')) resolve(line.slice(5).split(',').map(Number));
      });
    });
    await new Promise((r) => child.on('exit', r));
    expect(pids.length).toBeGreaterThanOrEqual(3);
    // SIGTERM was sent on exit; give the interpreters a moment to go
    for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
  });
});
