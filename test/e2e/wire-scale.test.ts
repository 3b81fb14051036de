// The wire view with 100,000 frames on one connection: the list stays virtualized (only the rows on
// screen exist), scrolls to the end, filters, and shows the last frame's bytes and layers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/python';
import { openE2E, shot, type E2E } from './browser';

let e2e: E2E;
let server: RunningServer;
const N = 100_000;

beforeAll(async () => {
  e2e = await openE2E('rpcscope-scale-');
  server = await startServer('cookbook_pickle.py');
  await e2e.startHost({ demo: false });
});

afterAll(async () => {
  await e2e?.close();
  await server?.stop();
});

describe('wire view at scale', () => {
  it('pages 100,000 frames through a virtualized list', async () => {
    const { host } = e2e;
    const conn = host.app.connections.add({ url: `pickle://127.0.0.1:${server.port}`, name: 'busy' });
    await host.app.connections.connect(conn.id);
    // real traffic first, then a flood of frames as a long session would leave them
    await host.app.connections.call(conn.id, { method: 'add', args: [{ t: 'int', v: 1n }, { t: 'int', v: 2n }], kwargs: [] }, 'add(1, 2)');
    const page = await e2e.newPage();
    await page.goto(host.server.url);
    await page.getByRole('button', { name: 'Select busy' }).click();
    // the method probes of the page are done once the learned method shows
    await page.getByRole('button', { name: 'Compose add' }).waitFor();

    const wire = host.app.connections.wire(conn.id);
    const real = wire.size;
    const enc = new TextEncoder();
    for (let i = 0; wire.size < N; i++) {
      wire.append({ callId: 1000 + Math.floor(i / 2), dir: i % 2 ? 'in' : 'out', bytes: enc.encode(`frame-${i} payload`), layers: [{ kind: 'note', title: `synthetic ${i}` }] });
    }
    await page.getByRole('tab', { name: 'Wire' }).click();
    const list = page.getByRole('listbox', { name: 'Frames' });
    await expect.poll(() => page.locator('.wire-filters .count').textContent()).toBe(`${N} frames`);
    const rows = await list.getByRole('option').count();
    expect(rows).toBeGreaterThan(5);
    expect(rows).toBeLessThan(200);

    // to the end and pick the last frame
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    const last = list.getByRole('option', { name: new RegExp(`^Frame ${N} received`) });
    await last.waitFor();
    await last.click();
    await expect.poll(() => page.getByLabel('Decoded layers').textContent()).toContain(`synthetic ${N - real - 1}`);
    expect(await list.getByRole('option').count()).toBeLessThan(200);
    await shot(page, 'wire-100k');

    // the keyboard walks the whole log
    await list.focus();
    await page.keyboard.press('ArrowUp');
    await page.getByRole('region', { name: `Frame ${N - 1} detail` }).waitFor();
    await page.keyboard.press('Home');
    await page.getByRole('region', { name: 'Frame 1 detail' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('region', { name: 'Frame 2 detail' }).waitFor();
    await page.keyboard.press('End');
    await page.getByRole('region', { name: `Frame ${N} detail` }).waitFor();

    // a text filter narrows 100,000 frames to the one real call
    await page.getByLabel('Filter frames').fill('add(1, 2)');
    await expect.poll(() => page.locator('.wire-filters .count').textContent()).toBe('2 frames');
    expect(await list.getByRole('option').first().textContent()).toContain('add(1, 2)');

    // Show all drops the filters; Clear log asks again before it drops the log
    await page.getByRole('button', { name: 'Clear the filters' }).click();
    await expect.poll(() => page.getByLabel('Filter frames').inputValue()).toBe('');
    await expect.poll(() => page.locator('.wire-filters .count').textContent()).toBe(`${N} frames`);
    const clear = page.getByRole('button', { name: 'Clear frames' });
    await clear.click();
    await expect.poll(() => clear.textContent()).toBe('Clear all frames?');
    expect(wire.size).toBe(N);
    await clear.click();
    await expect.poll(() => page.locator('.wire-filters .count').textContent()).toBe('0 frames');
    expect(wire.size).toBe(0);
    await page.close();
  });
});
