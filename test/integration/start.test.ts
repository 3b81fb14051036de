// npm start on a machine without Electron's binary: it says why and falls back to web mode, whose
// printed URL serves the app.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { V8_FLAGS, electronV8Switch } from '../../scripts/v8-flags.mjs';

const ROOT = join(__dirname, '..', '..');
const electronPresent = existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));

/** Runs start.mjs until it prints the web-mode URL, then checks the URL and what it said on stderr. */
async function startUntilUrl(env: Record<string, string | undefined>, check: (url: string, stderr: string, startPid: number) => Promise<void>): Promise<void> {
  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), '--no-open', '--no-demo'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.on('exit', (code) => reject(new Error(`start exited with ${code}\n${stderr}`)));
      createInterface({ input: child.stdout }).on('line', (line) => {
        const m = /^rpcscope is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line);
        if (m) resolve(m[1]);
      });
    });
    await check(url, stderr, child.pid ?? -1);
  } finally {
    child.kill('SIGTERM');
  }
}

describe('npm start', () => {
  const home = () => mkdtempSync(join(tmpdir(), 'rpcscope-start-'));

  it.skipIf(electronPresent)('falls back to web mode with the reason, serving the printed URL', async () => {
    const env: Record<string, string | undefined> = { ...process.env, RPCSCOPE_HOME: home() };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    await startUntilUrl(env, async (url, stderr) => {
      expect(stderr).toMatch(/Electron runtime not available: there is no display .*; starting web mode/);
      const status = await new Promise<number>((resolve, reject) => get(url, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));
      expect(status).toBe(200);
      const noToken = await new Promise<number>((resolve, reject) => get(url.replace(/\?token=.*/, ''), (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));
      expect(noToken).toBe(403);
    });
  });

  it.skipIf(electronPresent)("tries to fetch Electron's binary when there is a display, and falls back when that fails", async () => {
    // an unreachable mirror makes the fetch fail the same way everywhere, as it does without network access
    const env = { ...process.env, RPCSCOPE_HOME: home(), DISPLAY: ':99', ELECTRON_MIRROR: 'http://127.0.0.1:9/' };
    await startUntilUrl(env, async (_url, stderr) => {
      expect(stderr).toMatch(/fetching Electron's binary/);
      expect(stderr).toMatch(/Electron runtime not available: its binary could not be downloaded .*; starting web mode/);
    });
    expect(existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'))).toBe(false);
  });

  it.skipIf(electronPresent || process.platform !== 'linux')('starts an Electron runtime, when there is one, with the app and its V8 flags', async () => {
    // a stand-in for Electron's binary where the electron package looks for an override: it
    // answers --version as Electron does and writes down how it was started
    const dist = mkdtempSync(join(tmpdir(), 'rpcscope-electron-'));
    const argvFile = join(dist, 'argv');
    writeFileSync(join(dist, 'electron'), `#!/bin/sh\nif [ "$1" = --version ]; then echo v42.0.0; exit 0; fi\nprintf '%s\\n' "$@" > '${argvFile}'\n`, { mode: 0o755 });
    const env = { ...process.env, RPCSCOPE_HOME: home(), DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: dist };
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs'), 'pickle://127.0.0.1:17000'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(stderr).not.toMatch(/web mode/);
    expect(code).toBe(0);
    expect(readFileSync(argvFile, 'utf8').split('\n').slice(0, -1)).toEqual([electronV8Switch(), ROOT, 'pickle://127.0.0.1:17000']);
  });

  it.skipIf(electronPresent || process.platform !== 'linux')("runs web mode's Node process with the app's V8 flags", async () => {
    const env: Record<string, string | undefined> = { ...process.env, RPCSCOPE_HOME: home() };
    delete env.DISPLAY;
    await startUntilUrl(env, async (_url, _stderr, startPid) => {
      const [pid] = execFileSync('ps', ['-o', 'pid=', '--ppid', String(startPid)], { encoding: 'utf8' }).trim().split(/\s+/);
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      expect(argv.slice(1, 1 + V8_FLAGS.length)).toEqual(V8_FLAGS);
      expect(argv).toContain('ui');
    });
  });
});
