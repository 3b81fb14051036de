// Pickles that would run code in Python (os.system, subprocess.Popen, eval, exec via REDUCE,
// __reduce_ex__, nested REDUCEs) arrive from a hostile server: rpcscope's client and CLI show them as
// data and nothing runs. Each payload is first shown to be live: Python's pickle.loads of the same
// bytes does create its marker file.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/clients/registry';
import { parseCall } from '../../src/common/parse';
import { repr } from '../../src/common/repr';
import { buildCli, runCli } from '../helpers/cli';
import { runPython, SERVERS_DIR, startServer, type RunningServer } from '../helpers/python';

const KINDS = ['system', 'popen', 'eval', 'exec', 'reduce_ex', 'nested'];
const DISPLAY: Record<string, RegExp> = {
  system: /system/,
  popen: /Popen/,
  eval: /eval/,
  exec: /exec/,
  reduce_ex: /system/,
  nested: /system.*str|str.*system/,
};

let dir: string;
let server: RunningServer;

beforeAll(async () => {
  buildCli();
  dir = mkdtempSync(join(tmpdir(), 'rpcscope-hostile-'));
  server = await startServer('fault_pickle_bomb.py', [dir]);
});
afterAll(() => server?.stop());

describe('hostile pickle replies', () => {
  it('each payload runs its code in Python', () => {
    const live = mkdtempSync(join(tmpdir(), 'rpcscope-live-'));
    for (const kind of KINDS) {
      const hex = runPython(`import subprocess,sys; print(subprocess.check_output([sys.executable, ${JSON.stringify(join(SERVERS_DIR, 'fault_pickle_bomb.py'))}, ${JSON.stringify(live)}, '--dump', ${JSON.stringify(kind)}]).decode().strip())`).trim();
      // the Cookbook wraps the reply: pickle.loads(pickle.loads(frame)), as its client does
      runPython(`import pickle, time; p = pickle.loads(bytes.fromhex(${JSON.stringify(hex)})); r = pickle.loads(p) if isinstance(p, bytes) else p; time.sleep(0.3)`);
      expect(existsSync(join(live, `marker-${kind}`)), kind).toBe(true);
    }
  });

  it('the client decodes them to descriptions of the calls; no marker appears', async () => {
    const c = createClient(`pickle://127.0.0.1:${server.port}`, { timeoutMs: 10_000 });
    try {
      for (const kind of KINDS) {
        const shown = repr(await c.call(parseCall(`payload('${kind}')`)));
        expect(shown, kind).toMatch(DISPLAY[kind]);
        expect(shown, kind).toContain(`marker-${kind}`);
      }
    } finally {
      await c.close();
    }
    await new Promise((r) => setTimeout(r, 300)); // a spawned process would have touched by now
    for (const kind of KINDS) expect(existsSync(join(dir, `marker-${kind}`)), kind).toBe(false);
  });

  it('the CLI prints them and exits 0; no marker appears', async () => {
    for (const kind of KINDS) {
      const r = await runCli(['call', `pickle://127.0.0.1:${server.port}`, `payload('${kind}')`]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, kind).toMatch(DISPLAY[kind]);
    }
    const frames = await runCli(['call', `pickle://127.0.0.1:${server.port}`, "payload('nested')", '--frames']);
    expect(frames.code, frames.stderr).toBe(0);
    expect(frames.stdout + frames.stderr).toMatch(/REDUCE/);
    await new Promise((r) => setTimeout(r, 300));
    for (const kind of KINDS) expect(existsSync(join(dir, `marker-${kind}`)), kind).toBe(false);
  });
});
