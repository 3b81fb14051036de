// The timeouts that connects, reads and calls share (one Node timer for all): each fires once, on
// time, in deadline order, also when a shorter one starts while a longer one holds the timer; a
// cancelled one never fires; and a pending one does not keep a finished program running.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { pendingTimeouts, startTimeout } from '../../src/transport/timeouts';

const after = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startTimeout', () => {
  it('fires once after its delay, and not before', async () => {
    let fired = 0;
    const t0 = performance.now();
    let at = 0;
    startTimeout(40, () => {
      fired++;
      at = performance.now() - t0;
    });
    await after(10);
    expect(fired).toBe(0);
    await after(80);
    expect(fired).toBe(1);
    expect(at).toBeGreaterThanOrEqual(39);
    await after(30);
    expect(fired).toBe(1);
  });

  it('fires a short timeout on time while a long one is pending', async () => {
    const cancelLong = startTimeout(60_000, () => {
      throw new Error('the long timeout fired');
    });
    const t0 = performance.now();
    const at = await new Promise<number>((r) => startTimeout(30, () => r(performance.now() - t0)));
    expect(at).toBeGreaterThanOrEqual(29);
    expect(at).toBeLessThan(1000);
    cancelLong();
  });

  it('fires in deadline order, whatever the order they started in', async () => {
    const order: number[] = [];
    for (const ms of [50, 10, 30, 20, 40]) startTimeout(ms, () => order.push(ms));
    await after(120);
    expect(order).toEqual([10, 20, 30, 40, 50]);
  });

  it('fires in deadline order also when a busy event loop makes them due at once', async () => {
    const order: number[] = [];
    for (const ms of [50, 10, 30, 20, 40]) startTimeout(ms, () => order.push(ms));
    const until = performance.now() + 80;
    while (performance.now() < until); // the loop is busy past every deadline
    await after(20);
    expect(order).toEqual([10, 20, 30, 40, 50]);
  });

  it('never fires a cancelled timeout, also when it held the timer', async () => {
    const fired: string[] = [];
    const cancelFirst = startTimeout(10, () => fired.push('first'));
    startTimeout(40, () => fired.push('second'));
    cancelFirst();
    cancelFirst(); // twice is harmless
    await after(80);
    expect(fired).toEqual(['second']);
    expect(pendingTimeouts()).toBe(0);
  });

  it('takes timeouts started from a firing one', async () => {
    const fired: string[] = [];
    // (awaited, not a fixed delay: a busy machine may start the inner one late)
    await new Promise<void>((done) =>
      startTimeout(10, () => {
        fired.push('outer');
        startTimeout(10, () => {
          fired.push('inner');
          done();
        });
      }),
    );
    expect(fired).toEqual(['outer', 'inner']);
  });

  it('lets a program exit with a timeout pending', () => {
    // a CLI call that finished must not wait out its 30 s timeout
    expect(runWithTimeouts(`m.startTimeout(30000, () => console.log('fired')); console.log('started');`)).toBe('started');
  });

  it('fires the other timeouts due when one throws, and leaves the error uncaught', () => {
    const out = runWithTimeouts(`
      process.on('uncaughtException', (e) => console.log('uncaught: ' + e.message));
      setTimeout(() => undefined, 200); // what waits keeps the process up (the timeouts' timer does not)
      m.startTimeout(10, () => { throw new Error('first'); });
      m.startTimeout(10, () => console.log('second fired'));`);
    expect(out.split('\n').sort()).toEqual(['second fired', 'uncaught: first']);
  });
});

/** Run `body` in a Node process of its own with the module as `m`; what it printed. */
function runWithTimeouts(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rpcscope-timeouts-'));
  try {
    const module = join(dir, 'timeouts.mjs');
    writeFileSync(module, transformSync(readFileSync(join(__dirname, '../../src/transport/timeouts.ts'), 'utf8'), { loader: 'ts', format: 'esm' }).code);
    const program = `import(${JSON.stringify(module)}).then((m) => { ${body} })`;
    return execFileSync(process.execPath, ['-e', program], { encoding: 'utf8', timeout: 20_000 }).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
