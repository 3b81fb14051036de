// Debian's Chromium driven by playwright-core, for the web-mode end-to-end tests.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

export const ROOT = join(__dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

/** Builds the renderer so the test exercises the current UI. */
export function buildRenderer(): string {
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
    cwd: ROOT,
    stdio: 'pipe',
    // the test runner's NODE_ENV=test would give a development build of React
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const dir = join(ROOT, 'out', 'renderer');
  if (!existsSync(join(dir, 'index.html'))) throw new Error('renderer build produced no index.html');
  return dir;
}
