// The wire log at 100,000 frames: real frames captured from pickle:// calls, then filter time and
// main-process memory; and, when the web-mode app is built, the same log in Chromium's wire view:
// filter latency as the user sees it and the renderer's memory (CDP Performance.getMetrics).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../src/clients/registry';
import type { CallRequest } from '../src/common/call';
import { WireLog, type FrameQuery } from '../src/services/wirelog';
import { gc, ROOT, startServer } from './util';

export const FRAMES = 100_000;

export interface FramesResult {
  frames: number;
  captureS: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  rssAfterMb: number;
  filters: { name: string; matches: number; ms: number }[];
  renderer?: { filterMs: number; clearFilterMs: number; jsHeapMb: number; jsHeapTotalMb: number; note?: string };
  rendererSkipped?: string;
}

const mb = (n: number): number => n / (1024 * 1024);

/** best of 5; before each run another query replaces the log's cached view, so each run filters */
function filterMs(wire: WireLog, q: FrameQuery): { ms: number; matches: number } {
  let best = Infinity;
  let matches = 0;
  for (let i = 0; i < 5; i++) {
    wire.page(0, 1, { text: `no such text ${i}`, dir: 'out' });
    const t = performance.now();
    matches = wire.page(0, 100, q).total;
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, matches };
}

const callOf = (i: number): CallRequest => ({ method: 'add', args: [{ t: 'int', v: BigInt(i) }, { t: 'int', v: 3n }], kwargs: [] });

export async function benchFrames(withRenderer: boolean, log: (s: string) => void): Promise<FramesResult> {
  const server = await startServer('cookbook_pickle.py');
  const sources = new Map<number, string>();
  try {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const wire = new WireLog(undefined, (id) => sources.get(id));
    const client = createClient(`pickle://127.0.0.1:${server.port}`, { onFrame: (f) => wire.append(f) });
    log(`frames: capturing ${FRAMES} frames from pickle:// calls`);
    const t0 = performance.now();
    for (let i = 0; wire.size < FRAMES; i++) {
      sources.set(i, `add(${i}, 3)`);
      await client.call(callOf(i), { callId: i });
    }
    const captureS = (performance.now() - t0) / 1000;
    await client.close();
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const filters = [
      { name: 'text "add(4242, 3)"', q: { text: 'add(4242, 3)' } },
      { name: 'direction in', q: { dir: 'in' as const } },
      { name: 'one call id', q: { callId: 31337 } },
    ].map(({ name, q }) => ({ name, ...filterMs(wire, q) }));
    const result: FramesResult = {
      frames: wire.size,
      captureS,
      heapBeforeMb: mb(heapBefore),
      heapAfterMb: mb(heapAfter),
      rssAfterMb: mb(process.memoryUsage().rss),
      filters,
    };
    wire.clear();
    if (!withRenderer) result.rendererSkipped = 'not asked for (--no-renderer)';
    else {
      try {
        result.renderer = await rendererFrames(server.port, log);
      } catch (e) {
        result.rendererSkipped = (e as Error).message.split('\n')[0];
      }
    }
    return result;
  } finally {
    await server.stop();
  }
}

async function rendererFrames(port: number, log: (s: string) => void): Promise<NonNullable<FramesResult['renderer']>> {
  const rendererDir = join(ROOT, 'out', 'renderer');
  if (!existsSync('/usr/bin/chromium')) throw new Error('no /usr/bin/chromium');
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error('the renderer is not built (npm run build)');
  const { chromium } = await import('playwright-core');
  const { startWebHost } = await import('../src/web/host');
  const savedHome = process.env.RPCSCOPE_HOME;
  const home = mkdtempSync(join(tmpdir(), 'rpcscope-bench-home-'));
  process.env.RPCSCOPE_HOME = home;
  const host = await startWebHost({ demo: false, rendererDir });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const conn = host.app.connections.add({ url: `pickle://127.0.0.1:${port}`, name: 'busy' });
    await host.app.connections.connect(conn.id);
    await host.app.connections.call(conn.id, callOf(2), 'add(2, 3)');
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(host.server.url);
    await page.getByRole('button', { name: 'Select busy' }).click();
    await page.getByRole('button', { name: 'Compose add' }).waitFor();
    log(`frames: filling the app's wire log to ${FRAMES} frames for the renderer`);
    const wire = host.app.connections.wire(conn.id);
    // frames shaped like the captured pickle:// ones (header + payload), without 50,000 more calls
    const bytes = new Uint8Array([0, 0, 0, 0x23, 0x80, 4, 0x95, 0x18, 0, 0, 0, 0, 0, 0, 0, 0x8c, 3, 0x61, 0x64, 0x64]);
    for (let i = 0; wire.size < FRAMES; i++) {
      wire.append({ callId: 1000 + (i >> 1), dir: i % 2 ? 'in' : 'out', bytes, layers: [{ kind: 'note', title: `frame ${i}` }] });
    }
    await page.getByRole('tab', { name: 'Wire' }).click();
    // a string: the page's globals are not in this file's (Node) types
    const countIs = (text: string): Promise<unknown> =>
      page.waitForFunction(`document.querySelector('.wire-filters .count')?.textContent === ${JSON.stringify(text)}`, undefined, { polling: 'raf', timeout: 60_000 });
    await countIs(`${FRAMES} frames`);
    const filterMs = await typeInPage(page, 'add(2, 3)', '2 frames');
    const clearFilterMs = await typeInPage(page, '', `${FRAMES} frames`);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('Performance.enable');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const metric = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
    await page.close();
    return {
      filterMs,
      clearFilterMs,
      jsHeapMb: mb(metric('JSHeapUsedSize')),
      jsHeapTotalMb: mb(metric('JSHeapTotalSize')),
      note: 'filter time: measured in the page, from the input event in the filter box to the new count in the DOM (the WebSocket round trip to the host and React rendering included)',
    };
  } finally {
    await browser.close();
    await host.close();
    if (savedHome === undefined) delete process.env.RPCSCOPE_HOME;
    else process.env.RPCSCOPE_HOME = savedHome;
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Type into the filter box inside the page and time, with the page's clock, until the frame count
 * shows `expected`. A string: the page's globals are not in this file's (Node) types.
 */
async function typeInPage(page: import('playwright-core').Page, text: string, expected: string): Promise<number> {
  const script = `(async () => {
    const input = document.querySelector('[aria-label="Filter frames"]');
    const count = document.querySelector('.wire-filters .count');
    const done = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (count.textContent === ${JSON.stringify(expected)}) { obs.disconnect(); resolve(performance.now()); }
      });
      obs.observe(count, { childList: true, characterData: true, subtree: true });
    });
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    const t0 = performance.now();
    setter.call(input, ${JSON.stringify(text)});
    input.dispatchEvent(new Event('input', { bubbles: true }));
    return (await done) - t0;
  })()`;
  return (await page.evaluate(script)) as number;
}
