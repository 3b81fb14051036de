// The Collections view in Chromium against web mode and a real Cookbook server: save the current
// call, save the history, run all, step through in demo mode, see pass/fail per call.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/python';
import { openE2E, typeCall, type E2E } from './browser';

let e2e: E2E;
let server: RunningServer;

beforeAll(async () => {
  // the saved collection refers to the authkey as ${env:RPCSCOPE_AUTHKEY}
  e2e = await openE2E('rpcscope-e2e-coll-', { RPCSCOPE_AUTHKEY: 'peekaboo' });
  server = await startServer('cookbook_pickle.py', ['--authkey-hex', Buffer.from('peekaboo').toString('hex')]);
});

afterAll(async () => {
  await e2e?.close();
  await server?.stop();
});

describe('collections in web mode', () => {
  it('saves calls, runs them and steps through them with pass/fail per call', async () => {
    const host = await e2e.startHost({ demo: false });
    const page = await e2e.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(host.server.url);

    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByLabel('URL', { exact: true }).fill(`pickle://127.0.0.1:${server.port}`);
    await page.getByLabel('Authkey', { exact: true }).fill('peekaboo');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByTestId('connection-status').filter({ hasText: /^connected$/ }).waitFor();

    await typeCall(page, 'add(2, 3)');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('5');

    await page.getByRole('tab', { name: 'Collections' }).click();
    // nothing used yet: the view says what the buttons do and where a relative name lands
    await page.getByText(/^No collection open\. .* create it when it does not exist \(in \//).waitFor();
    const file = join(mkdtempSync(join(tmpdir(), 'rpcscope-e2e-file-')), 'ui.collection.json');
    await page.getByLabel('Collection file').fill(file);
    // the name is asked for in the view (no window.prompt: Electron has none)
    await page.getByRole('button', { name: 'Save current call' }).click();
    const nameBox = page.getByLabel('Name of the saved call');
    expect(await nameBox.inputValue()).toBe('add');
    await page.keyboard.press('Escape');
    await nameBox.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Save current call' }).click();
    await nameBox.fill('plus');
    await nameBox.press('Enter');
    const table = page.getByRole('table', { name: 'Collection calls' });
    await table.getByText('add(2, 3)').waitFor();
    expect(await table.textContent()).toContain('== 5');
    expect(readFileSync(file, 'utf8')).toContain('"name": "plus"');

    // the history (add(2, 3) once more, and a call with a remote error)
    await page.getByRole('tab', { name: 'Call' }).click();
    await typeCall(page, "fail('x')");
    await page.getByRole('alert', { name: 'Remote exception' }).waitFor();
    await page.getByRole('tab', { name: 'Collections' }).click();
    await page.getByRole('button', { name: 'Save history' }).click();
    await expect.poll(() => table.getByRole('row').count(), { timeout: 10_000 }).toBe(4);
    expect(await table.textContent()).toContain('raises KeyError');

    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => table.getByLabel('pass').count()).toBe(3);
    expect(await table.textContent()).toContain("KeyError: 'missing'");

    // demo mode: one call per click
    await page.getByRole('button', { name: 'Step through' }).click();
    await page.getByRole('button', { name: 'Step (1/3)' }).waitFor();
    await expect.poll(() => table.getByLabel('pass').count()).toBe(1);
    await page.getByRole('button', { name: 'Step (1/3)' }).click();
    await page.getByRole('button', { name: 'Step (2/3)' }).click();
    await page.getByRole('button', { name: 'Step through' }).waitFor();
    await expect.poll(() => table.getByLabel('pass').count()).toBe(3);

    // one call alone
    await page.getByRole('button', { name: 'Run plus' }).click();
    await page.getByRole('button', { name: 'Python script' }).click();
    await page.getByText('def show(thunk):').waitFor();

    // a new window shows the collection used last, without asking for it
    await page.reload();
    await page.getByRole('tab', { name: 'Collections' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBe(4);
    expect(await page.getByLabel('Collection file').inputValue()).toBe(file);
    // Enter in the file box opens the file named there; a missing one says so
    await page.getByLabel('Collection file').fill(file + '.nope');
    await page.getByLabel('Collection file').press('Enter');
    await page.getByRole('alert').getByText(/no such collection file/).waitFor();
    await page.getByLabel('Collection file').fill(file);
    await page.getByLabel('Collection file').press('Enter');
    await expect.poll(() => table.getByRole('row').count()).toBe(4);
    expect(pageErrors).toEqual([]);
  });

  /** A collection of `calls` on the Cookbook server (at `port`), written and opened in the Collections view of a new page. */
  async function openCollection(calls: object[], port = server.port) {
    const host = await e2e.startHost({ demo: false });
    const file = join(mkdtempSync(join(tmpdir(), 'rpcscope-e2e-run-')), 'run.collection.json');
    const connections = [{ name: 'cookbook', url: `pickle://127.0.0.1:${port}`, authkey: '${env:RPCSCOPE_AUTHKEY}' }];
    writeFileSync(file, JSON.stringify({ version: 1, connections, calls }));
    const page = await e2e.newPage();
    await page.goto(host.server.url);
    await page.getByRole('tab', { name: 'Collections' }).click();
    await page.getByLabel('Collection file').fill(file);
    await page.getByLabel('Collection file').press('Enter');
    const table = page.getByRole('table', { name: 'Collection calls' });
    await expect.poll(() => table.getByRole('row').count()).toBe(calls.length + 1);
    return { page, table };
  }

  it("a run teaches the method list of a server without introspection the names its calls showed to work", async () => {
    // a server of its own: no history of calls on it yet
    const fresh = await startServer('cookbook_pickle.py', ['--authkey-hex', Buffer.from('peekaboo').toString('hex')]);
    try {
      const calls = ['x = add(1, 2)', 'echo(x)', 'nope()'].map((call) => ({ connection: 'cookbook', call }));
      const { page, table } = await openCollection(calls, fresh.port);
      await page.getByRole('button', { name: 'Add connection' }).click();
      await page.getByLabel('URL', { exact: true }).fill(`pickle://127.0.0.1:${fresh.port}`);
      await page.getByLabel('Authkey', { exact: true }).fill('peekaboo');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      // (an earlier test's connection is in the list too)
      await page.getByRole('button', { name: `Select 127.0.0.1:${fresh.port}` }).getByTestId('connection-status').filter({ hasText: /^connected$/ }).waitFor();
      await page.getByRole('tab', { name: 'Collections' }).click();
      await page.getByRole('button', { name: 'Run all' }).click();
      await expect.poll(() => table.getByLabel('pass').count()).toBe(2);
      await page.getByRole('tab', { name: 'Call' }).click();
      const methods = page.getByRole('list', { name: 'Methods' });
      await page.getByRole('button', { name: 'Compose echo' }).waitFor();
      await page.getByRole('button', { name: 'Compose add' }).waitFor();
      expect(await methods.textContent()).not.toContain('nope');
      await page.close();
    } finally {
      await fresh.stop();
    }
  });

  it('Run all shows its progress, fills the table as calls finish, and stops between two calls', async () => {
    const { page, table } = await openCollection(Array.from({ length: 5 }, () => ({ connection: 'cookbook', call: 'slow(1)', expect: { equals: "'done'" } })));

    await page.getByRole('button', { name: 'Run all' }).click();
    const progress = page.getByRole('status').filter({ hasText: /^Running call \d of 5…/ });
    await progress.getByText('Running call 2 of 5…').waitFor();
    expect(await table.getByLabel('pass').count()).toBe(1);
    await page.getByRole('button', { name: 'Stop' }).click();
    // the call under way finishes, and no other starts
    await progress.waitFor({ state: 'detached' });
    const ran = await table.getByLabel('pass').count();
    expect(ran).toBeGreaterThanOrEqual(2);
    expect(ran).toBeLessThan(5);
    expect(await table.getByText('not run').count()).toBe(5 - ran);
    // stepping goes on from there
    await page.getByRole('button', { name: `Step (${ran}/5)` }).click();
    await page.getByRole('button', { name: `Step (${ran + 1}/5)` }).waitFor();
    expect(await table.getByLabel('pass').count()).toBe(ran + 1);
    await page.close();
  });

  it('shows the call under way and how long it has waited; Escape cancels it and the run goes on', async () => {
    const { page, table } = await openCollection([
      { name: 'hangs', connection: 'cookbook', call: 'slow(30)' },
      { connection: 'cookbook', call: 'add(1, 2)', expect: { equals: '3' } },
    ]);
    await page.getByRole('button', { name: 'Run all' }).click();
    const status = page.getByRole('status').filter({ hasText: /^Running call 1 of 2…/ });
    await status.getByText(/waiting [1-9] s for the reply · Esc cancels/).waitFor();
    expect(await table.getByRole('row').nth(1).textContent()).toContain('running…');
    // the row of the call under way is the one marked current
    expect(await table.getByRole('row').nth(1).getAttribute('class')).toBe('current');
    await page.keyboard.press('Escape');
    // the cancelled call is an error; the next one runs, on a new connection, and passes
    await status.waitFor({ state: 'detached' });
    const rows = table.getByRole('row');
    await expect.poll(() => rows.nth(1).textContent()).toMatch(/E_CANCELLED/);
    // once: the error's line is the whole story
    expect((await rows.nth(1).textContent())!.match(/E_CANCELLED/g)).toHaveLength(1);
    expect(await rows.nth(2).getByLabel('pass').count()).toBe(1);
    await page.close();
  });

  it("shows how much of the reply to the call under way has come", async () => {
    // a slow link: the reply comes in 16 KB pieces 20 ms apart
    const proxy = await startServer('fault_proxy.py', [String(server.port), 'slow']);
    try {
      const { page, table } = await openCollection([{ connection: 'cookbook', call: 'big(3_000_000)' }], proxy.port);
      await page.getByRole('button', { name: 'Run all' }).click();
      const status = page.getByRole('status').filter({ hasText: /^Running call 1 of 1…/ });
      await status.getByText(/receiving the reply: [\d.]+ (KB|MB) of 2\.9 MB \(\d+ s\) · Esc cancels/).waitFor({ timeout: 20_000 });
      await status.waitFor({ state: 'detached', timeout: 20_000 });
      expect(await table.getByLabel('pass').count()).toBe(1);
      await page.close();
    } finally {
      await proxy.stop();
    }
  });
});
