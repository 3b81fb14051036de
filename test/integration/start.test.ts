// npm start on a machine without Electron's binary: it says why and falls back to web mode, whose
// printed URL serves the app.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const electronPresent = existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));

describe('npm start', () => {
  it.skipIf(electronPresent)('falls back to web mode with the reason, serving the printed URL', async () => {
    const env: Record<string, string | undefined> = { ...process.env, RPCSCOPE_HOME: mkdtempSync(join(tmpdir(), 'rpcscope-start-')) };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
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
      expect(stderr).toMatch(/Electron runtime not available: .+; starting web mode/);
      const status = await new Promise<number>((resolve, reject) => get(url, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));
      expect(status).toBe(200);
      const noToken = await new Promise<number>((resolve, reject) => get(url.replace(/\?token=.*/, ''), (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', reject));
      expect(noToken).toBe(403);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
