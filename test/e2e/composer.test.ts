// The composer against a JSON-RPC server with OpenRPC discovery: parameter names from the method
// list are offered inside the call's parentheses.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from '../../src/web/host';
import { startServer, type RunningServer } from '../helpers/python';
import { buildRenderer, launchChromium, SCREENSHOTS } from './browser';

let browser: Browser;
let host: WebHost;
let server: RunningServer;
const savedHome = process.env.RPCSCOPE_HOME;

beforeAll(async () => {
  process.env.RPCSCOPE_HOME = mkdtempSync(join(tmpdir(), 'rpcscope-composer-'));
  const rendererDir = buildRenderer();
  server = await startServer('jsonrpc_server.py', ['http']);
  browser = await launchChromium();
  host = await startWebHost({ demo: false, rendererDir, url: `jsonrpc://127.0.0.1:${server.port}/` });
});

afterAll(async () => {
  await host?.close();
  await browser?.close();
  await server?.stop();
  if (savedHome === undefined) delete process.env.RPCSCOPE_HOME;
  else process.env.RPCSCOPE_HOME = savedHome;
});

describe('composer', () => {
  it('completes parameter names and sends keyword calls', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.server.url);
    const compose = page.getByRole('button', { name: 'Compose subtract' });
    await compose.waitFor();
    expect(await compose.textContent()).toMatch(/subtract\(minuend.*subtrahend/);
    await compose.click();
    const editor = page.getByRole('textbox', { name: 'Call expression' });
    await expect.poll(() => editor.textContent()).toBe('subtract()');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('mi');
    await page.locator('.cm-tooltip-autocomplete').getByText('minuend=').waitFor();
    // CodeMirror ignores Enter for a moment after the list opens (its interactionDelay, 75 ms)
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await page.keyboard.type('10, subtrahend=3');
    await expect.poll(() => editor.textContent()).toBe('subtract(minuend=10, subtrahend=3)');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('7');
    await page.screenshot({ path: join(SCREENSHOTS, 'composer-jsonrpc.png') });
    await page.close();
  });
});
