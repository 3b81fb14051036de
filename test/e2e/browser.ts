// Debian's Chromium driven by playwright-core, for the web-mode end-to-end tests, and the setup the
// e2e files share: a fresh data directory, the built renderer, the browser and the web host.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startWebHost, type WebHost, type WebHostOptions } from '../../src/web/host';

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

/** Sets the environment variables given; the function returned puts back what was there before. */
function setEnv(vars: Record<string, string>): () => void {
  const saved = Object.keys(vars).map((k) => [k, process.env[k]] as const);
  Object.assign(process.env, vars);
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export interface E2E {
  readonly browser: Browser;
  readonly rendererDir: string;
  /** The web host last started with startHost (closed by close()). */
  readonly host: WebHost;
  /** Starts a web host on the built renderer; it replaces the one before as the host close() closes. */
  startHost(opts?: Omit<WebHostOptions, 'rendererDir'>): Promise<WebHost>;
  /** A page of the size the screenshots are taken at. */
  newPage(): Promise<Page>;
  /** Closes the host and the browser and restores the environment. */
  close(): Promise<void>;
}

/**
 * The setup of one e2e file: RPCSCOPE_HOME in a fresh temp dir named after homePrefix (and any other
 * variables in env), the renderer built and Chromium launched.
 */
export async function openE2E(homePrefix: string, env: Record<string, string> = {}): Promise<E2E> {
  const restoreEnv = setEnv({ RPCSCOPE_HOME: mkdtempSync(join(tmpdir(), homePrefix)), ...env });
  let browser: Browser;
  let rendererDir: string;
  try {
    mkdirSync(SCREENSHOTS, { recursive: true });
    rendererDir = buildRenderer();
    browser = await launchChromium();
  } catch (e) {
    restoreEnv();
    throw e;
  }
  let host: WebHost | undefined;
  return {
    browser,
    rendererDir,
    get host(): WebHost {
      if (!host) throw new Error('no web host started');
      return host;
    },
    async startHost(opts = {}) {
      host = await startWebHost({ ...opts, rendererDir });
      return host;
    },
    newPage: () => browser.newPage({ viewport: { width: 1280, height: 800 } }),
    async close() {
      try {
        await host?.close();
        await browser.close();
      } finally {
        restoreEnv();
      }
    },
  };
}

/** Replaces the composer's text with source and sends it (Ctrl+Enter). */
export async function typeCall(page: Page, source: string): Promise<void> {
  // focus, not a click: after a long call the editor's line is wider than the window, and the
  // middle of it, where a click lands, is off to the side
  await page.getByRole('textbox', { name: 'Call expression' }).focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(source);
  await page.keyboard.press('Control+Enter');
}

/** Saves a screenshot of the page as test-results/screenshots/<name>.png. */
export function shot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
