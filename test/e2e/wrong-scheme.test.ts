// A connection made with the wrong scheme, in Chromium against web mode and real servers: the
// failed connection offers the schemes its server looks like it speaks, and one click (plus the
// authkey a Cookbook server asks for) gets a working connection to the same host and port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/python';
import { openE2E, shot, typeCall, type E2E } from './browser';

let e2e: E2E;
let cookbook: RunningServer;
let jsonRpc: RunningServer;

beforeAll(async () => {
  e2e = await openE2E('rpcscope-e2e-scheme-');
  [cookbook, jsonRpc] = await Promise.all([
    startServer('cookbook_pickle.py', ['--authkey-hex', Buffer.from('peekaboo').toString('hex')]),
    startServer('jsonrpc_server.py', ['http']),
  ]);
});

afterAll(async () => {
  await e2e?.close();
  await cookbook?.stop();
  await jsonRpc?.stop();
});

describe('a connection with the wrong scheme', () => {
  it('offers the schemes the server looks like, and switches to one', async () => {
    const host = await e2e.startHost({ demo: false });
    const page = await e2e.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(host.server.url);

    const add = async (url: string, name: string) => {
      await page.getByRole('button', { name: 'Add connection' }).click();
      await page.getByLabel('URL', { exact: true }).fill(url);
      await page.getByLabel('Name', { exact: true }).fill(name);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
    };
    const status = (name: string) => page.getByRole('listitem').filter({ has: page.getByRole('button', { name: `Select ${name}` }) }).getByTestId('connection-status');

    // XML-RPC at the Cookbook server: its authkey challenge names the multiprocessing schemes
    await add(`xmlrpc://127.0.0.1:${cookbook.port}/`, 'cookbook');
    await status('cookbook').filter({ hasText: /looks like a multiprocessing\.connection server/ }).waitFor();
    const tryCookbook = page.getByRole('group', { name: 'Schemes to try for cookbook' });
    expect(await tryCookbook.getByRole('button').allTextContents()).toEqual(['pickle://', 'mpjson://']);
    await shot(page, 'wrong-scheme-offers');

    // pickle:// needs the authkey the server asked for: the form opens on it, the URL already switched
    await tryCookbook.getByRole('button', { name: 'pickle://' }).click();
    const form = page.getByRole('form', { name: 'Edit connection' });
    expect(await form.getByLabel('URL', { exact: true }).inputValue()).toBe(`pickle://127.0.0.1:${cookbook.port}`);
    await expect.poll(() => form.locator(':focus').getAttribute('type')).toBe('password');
    await page.keyboard.type('peekaboo');
    await page.keyboard.press('Enter');
    await status('cookbook').filter({ hasText: /^connected$/ }).waitFor();
    await expect(tryCookbook.count()).resolves.toBe(0);
    // the form gone, the call is typed where calls go
    await expect.poll(() => page.locator('[aria-label="Call expression"]:focus').count()).toBe(1);
    await page.keyboard.insertText('add(2, 3)');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('5');

    // XML-RPC at a JSON-RPC server: the reply is JSON, and jsonrpc:// reconnects at once
    await add(`xmlrpc://127.0.0.1:${jsonRpc.port}/`, 'json service');
    await status('json service').filter({ hasText: /the reply is JSON: the server looks like a JSON-RPC server/ }).waitFor();
    const tryJson = page.getByRole('group', { name: 'Schemes to try for json service' });
    await tryJson.getByRole('button', { name: 'jsonrpc://' }).click();
    await status('json service').filter({ hasText: /^connected$/ }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: 'Select json service' }).textContent()).toContain(`jsonrpc://127.0.0.1:${jsonRpc.port}/`);
    await typeCall(page, 'add(2, 3)');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('5');

    expect(pageErrors).toEqual([]);
  });
});
