// The Electron side builds without Electron's binary: main as ESM, the preload as one CommonJS file
// that needs nothing but `electron` (a sandboxed preload can load nothing else).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { channelOf, ENTRY_NAMES } from '../../src/common/contract';

const ROOT = join(__dirname, '..', '..');

describe('electron-vite build', () => {
  it('bundles main and a self-contained CommonJS preload', () => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--config', 'electron.config.ts'], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const preload = readFileSync(join(ROOT, 'out', 'preload', 'index.cjs'), 'utf8');
    expect([...preload.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).toContain('exposeInMainWorld');
    const main = readFileSync(join(ROOT, 'out', 'main', 'index.js'), 'utf8');
    expect(main).toMatch(/from\s*["']electron["']/);
    // the channels are built from the contract's names at run time; the names are in both bundles
    for (const name of ENTRY_NAMES) {
      expect(preload).toContain(`"${name}"`);
      expect(main).toContain(`"${name}"`);
    }
    expect(channelOf('calls.call')).toBe('rpcscope:calls.call');
  });
});
