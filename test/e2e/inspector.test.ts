// The inspector in Chromium against web mode and a real Cookbook pickle server: connect, list
// methods, call, see a remote error, inspect the wire, use the console and history, restart the
// host on the same data directory and find the connection remembered.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/python';
import { openE2E, shot, typeCall, type E2E } from './browser';

let e2e: E2E;
let server: RunningServer;

beforeAll(async () => {
  e2e = await openE2E('rpcscope-e2e-');
  server = await startServer('cookbook_pickle.py', ['--authkey-hex', Buffer.from('peekaboo').toString('hex'), '--list']);
});

afterAll(async () => {
  await e2e?.close();
  await server?.stop();
});

describe('inspector in web mode', () => {
  it('connects, calls, shows errors and frames, and remembers the connection across a restart', async () => {
    let host = await e2e.startHost({ demo: false });
    const page = await e2e.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(host.server.url);

    // a bad URL is refused with the parser's reason
    await page.getByRole('button', { name: 'Add connection' }).click();
    await page.getByLabel('URL', { exact: true }).fill('pickle:/nope');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'not an endpoint URL' }).waitFor();

    await page.getByLabel('URL', { exact: true }).fill(`pickle://127.0.0.1:${server.port}`);
    await page.getByLabel('Name', { exact: true }).fill('cookbook');
    await page.getByLabel('Authkey', { exact: true }).fill('peekaboo');
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByTestId('connection-status').filter({ hasText: /^connected$/ }).waitFor();

    // methods discovered through the server's listMethods(); clicking one composes a call
    await page.getByRole('button', { name: 'Compose sub' }).waitFor();
    await page.getByLabel('Filter methods').fill('ad');
    await page.getByRole('button', { name: 'Compose sub' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Compose add' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'Call expression' }).textContent()).toBe('add()');
    await shot(page, 'methods');

    await typeCall(page, 'add(2, 3)');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('5');
    await shot(page, 'call-result');
    // exchanges are numbered in order, the method listing's included
    const addCall = /^call #(\d+)$/.exec((await page.locator('.call-id').textContent()) ?? '')?.[1];
    expect(Number(addCall)).toBeGreaterThan(1);

    await typeCall(page, 'add([1, 2], [3, 4])');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('[1, 2, 3, 4]');
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(host.server.url).origin });
    await page.getByRole('button', { name: 'Copy result' }).click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe('[1, 2, 3, 4]');
    // a refused write (as Electron refuses one without the permission) says so on the button, then goes back
    await page.evaluate(`Object.defineProperty(navigator.clipboard, 'writeText', {
      value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')),
      configurable: true,
    })`);
    await page.getByRole('button', { name: 'Copy result' }).click();
    await page.getByRole('button', { name: 'Copy result' }).filter({ hasText: /^Copy failed$/ }).waitFor();
    await page.getByRole('button', { name: 'Copy result' }).filter({ hasText: /^Copy$/ }).waitFor();
    await page.evaluate('delete navigator.clipboard.writeText'); // back to the real one

    // a long repr: its start is laid out, the rest on request, and Copy takes all of it
    await typeCall(page, 'big(300000)');
    const resultPane = page.getByRole('region', { name: 'Result' });
    await resultPane.getByText('Showing the first 100,000 of 300,003 characters.').waitFor();
    expect((await page.getByTestId('result-repr').textContent())?.length).toBe(100_000);
    expect(await page.getByRole('tree', { name: 'Result tree' }).count()).toBe(0); // a scalar: no tree
    await page.getByRole('button', { name: 'Copy result' }).click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText().then((t) => t.length)')).toBe(300_003);
    await resultPane.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(async () => (await page.getByTestId('result-repr').textContent())?.length).toBe(300_003);

    // a large result also gets an expandable tree
    const nums = Array.from({ length: 80 }, (_, i) => i * 1000);
    await typeCall(page, `add([${nums.join(', ')}], [{'k': (1, 2)}])`);
    const tree = page.getByRole('tree', { name: 'Result tree' });
    await tree.waitFor();
    expect(await tree.getByRole('treeitem').count()).toBe(82);
    await tree.getByRole('button', { name: 'Expand 80' }).click();
    await tree.getByText("'k'").waitFor();
    await tree.getByRole('button', { name: 'Collapse result' }).click();
    expect(await tree.getByRole('treeitem').count()).toBe(1);

    // a long list: the window gets the repr whole and the first 1,000 items for the tree
    await typeCall(page, `add([${Array.from({ length: 1500 }, (_, i) => i).join(', ')}], [])`);
    await tree.getByRole('button', { name: 'Collapse result' }).getByText('list (1,500)').waitFor();
    expect(await page.getByTestId('result-repr').textContent()).toMatch(/^\[0, 1, .*, 1498, 1499\]$/);
    await shot(page, 'long-call');
    // the composer keeps its height under a tall result
    expect((await page.locator('.composer').boundingBox())?.height).toBeGreaterThan(20);
    for (const shown of [200, 400, 600, 800]) {
      await tree.getByRole('button', { name: `Show 200 more of ${1000 - shown}` }).click();
    }
    await tree.getByText('… and 500 more, not sent to the window (the repr has them all)').waitFor();
    expect(await tree.getByRole('treeitem').count()).toBe(1001);

    await typeCall(page, 'sub([1, 2], 4)');
    const exc = page.getByRole('alert', { name: 'Remote exception' });
    await exc.waitFor();
    expect(await exc.locator('.exc-type').textContent()).toBe('TypeError');
    expect(await exc.textContent()).toContain("unsupported operand type(s) for -: 'list' and 'int'");
    await shot(page, 'remote-error');
    // Frames opens the wire view on that call: its request and the reply carrying the exception
    const framesButton = exc.getByRole('button', { name: /^Show the frames of call #\d+$/ });
    const subCall = /#(\d+)$/.exec((await framesButton.getAttribute('aria-label')) ?? '')?.[1];
    await framesButton.click();
    await page.getByRole('tab', { name: 'Wire', selected: true }).waitFor();
    expect(await page.getByLabel('Call number').inputValue()).toBe(subCall);
    await page.getByRole('option', { name: new RegExp(`received \\d+ bytes call ${subCall}$`) }).waitFor();
    await expect.poll(() => page.getByRole('option', { name: / bytes call \d+$/ }).count()).toBe(2);
    // the request shows its clock time, the reply how long after the request it came
    const [requestTime, replyTime] = await page.locator('.frame-row span:nth-child(5)').allTextContents();
    expect(requestTime).toMatch(/^\d\d:\d\d:\d\d\.\d{3}$/);
    expect(replyTime).toMatch(/^\+\d+(\.\d\d)? (ms|s)$/);
    await page.getByLabel('Call number').fill('');
    await page.keyboard.press('Alt+1');
    await page.getByRole('tab', { name: 'Call', selected: true }).waitFor();

    // a slow call is cancelled with Escape (or its Cancel button); the next call starts over
    await typeCall(page, 'slow(30)');
    await page.getByRole('button', { name: 'Cancel the call' }).waitFor();
    // after a second the wait is counted, saying how to end it
    const waiting = page.getByRole('status', { name: 'Waiting for the reply' });
    await expect.poll(() => waiting.textContent(), { timeout: 5_000 }).toMatch(/^waiting \d+ s for the reply · Esc cancels$/);
    await page.keyboard.press('Escape');
    const cancelled = page.getByRole('alert', { name: 'Call failed' }).filter({ hasText: 'E_CANCELLED' });
    await cancelled.waitFor({ timeout: 5_000 });
    await expect.poll(() => page.getByRole('button', { name: 'Cancel the call' }).count()).toBe(0);
    await typeCall(page, 'add(2, 3)');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('5');

    // a parse error is marked in the editor at its column, and sending it names the problem
    await typeCall(page, 'add(1, ]');
    await page.locator('.cm-lintRange-error').waitFor();
    expect(await page.locator('.cm-lintRange-error').textContent()).toBe(']');
    await page.getByRole('alert', { name: 'Call failed' }).filter({ hasText: 'E_PARSE' }).waitFor();
    // (it never reached the wire: no frames to show)
    expect(await page.getByRole('alert', { name: 'Call failed' }).getByRole('button', { name: /^Show the frames/ }).count()).toBe(0);

    // completion offers the server's method names
    const editor = page.getByRole('textbox', { name: 'Call expression' });
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('su');
    await page.locator('.cm-tooltip-autocomplete').getByText('sub').waitFor();
    // CodeMirror ignores Enter for a moment after the list opens (its interactionDelay, 75 ms)
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await expect.poll(() => editor.textContent()).toMatch(/^sub\(/);

    // the wire (Alt+3): the frames of add(2, 3)'s call and its decoded pickle
    await page.keyboard.press('Alt+3');
    await page.getByRole('tab', { name: 'Wire', selected: true }).waitFor();
    await page.getByLabel('Call number').fill(addCall!);
    const sent = page.getByRole('option', { name: new RegExp(`sent \\d+ bytes call ${addCall}$`) });
    await sent.waitFor();
    expect(await page.getByRole('option', { name: new RegExp(`call ${addCall}$`) }).count()).toBe(2);
    // until a frame is picked, the lower pane says how
    await page.getByTestId('frame-detail-hint').getByText(/^Select a frame/).waitFor();
    await shot(page, 'wire-no-selection');
    await sent.click();
    await page.getByTestId('frame-detail-hint').waitFor({ state: 'detached' });
    // the detail names the call the frame belongs to
    await page.getByRole('region', { name: /^Frame \d+ detail$/ }).getByText('add(2, 3)').waitFor();
    // and when it came: the request at its clock time, the reply that long into the call
    const detailHead = page.locator('.frame-detail header > span').first();
    await expect.poll(() => detailHead.textContent()).toMatch(/^Frame \d+ · sent \d\d:\d\d:\d\d\.\d{3} · \d+ bytes · call #/);
    await page.getByRole('option', { name: new RegExp(`received \\d+ bytes call ${addCall}$`) }).click();
    await expect.poll(() => detailHead.textContent()).toMatch(/^Frame \d+ · received \d\d:\d\d:\d\d\.\d{3} \(\+[\d.]+ (ms|s) into the call\) · /);
    await sent.click();
    await expect.poll(() => detailHead.textContent()).toMatch(/^Frame \d+ · sent /);
    const layers = page.getByLabel('Decoded layers');
    await layers.getByText(/pickle protocol/).first().waitFor();
    // with nothing selected, the copies take the whole frame: Python reads the literal back to the
    // bytes the hex dump shows
    const dumped = (await page.locator('.hex-bytes span').allTextContents()).join(' ');
    await page.getByRole('button', { name: 'Copy the frame as hex' }).click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(dumped);
    await page.getByRole('button', { name: 'Copy the frame as a Python bytes literal' }).click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toMatch(/^b'/);
    const literal = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(execFileSync('python3', ['-c', "import ast, sys; print(ast.literal_eval(sys.argv[1]).hex(' '))", literal], { encoding: 'utf8' }).trim()).toBe(dumped);
    expect(await layers.textContent()).toContain("('add', (2, 3), {})");
    expect(await page.getByLabel('Hex dump').textContent()).toContain('add');
    // the pickle as pickletools.dis lists it, each opcode tied to its bytes
    expect(await layers.textContent()).toMatch(/SHORT_BINUNICODE\s*'add'/);
    expect(await layers.textContent()).toMatch(/BININT1\s*2/);
    await layers.getByRole('button', { name: /Highlight pickle protocol/ }).first().click();
    expect(await page.locator('.hexdump .hl').count()).toBeGreaterThan(10);
    await layers.getByRole('button', { name: /SHORT_BINUNICODE 'add'/ }).last().click();
    await expect.poll(() => page.locator('.hex-bytes .hl').allTextContents()).toEqual(['8c', '03', '61', '64', '64']);
    // the selected bytes copy as hex and as a Python bytes literal
    await page.getByRole('button', { name: /^Copy the bytes \d+-\d+ as hex$/ }).click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe('8c 03 61 64 64');
    await page.getByRole('button', { name: /^Copy the bytes \d+-\d+ as a Python bytes literal$/ }).click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe("b'\\x8c\\x03add'");
    // and a byte picks the innermost opcode covering it
    await page.locator('.hex-bytes span', { hasText: /^4b$/ }).first().click();
    await expect.poll(() => layers.locator('.fields li.selected').textContent()).toMatch(/BININT1\s*2/);
    await shot(page, 'wire');

    // the console: variables and _
    // typed from the keyboard alone: the input has the focus when the view opens, and keeps it
    await page.getByRole('tab', { name: 'Console' }).click();
    const input = page.getByLabel('Console input');
    const log = page.getByRole('log', { name: 'Console output' });
    for (const line of ['x = add(40, 2)', 'sub(x, 2)', 'add(_, 1)']) {
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
      await expect.poll(() => log.textContent()).toContain(`>>> ${line}`);
      await expect.poll(() => input.getAttribute('aria-busy')).toBe('false');
    }
    await expect.poll(() => log.textContent()).toContain('>>> add(_, 1)41');
    // each statement that made a call links to its frames: three here (`_` alone would make none)
    expect(await log.getByRole('button', { name: /^Show the frames of call #\d+$/ }).count()).toBe(3);
    // Tab completes method names and the console's variables, as the terminal REPL does
    await page.keyboard.type('s');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByLabel('Completions').textContent()).toBe('slow  sub');
    await page.keyboard.type('u');
    await page.keyboard.press('Tab');
    await expect.poll(() => input.inputValue()).toBe('sub(');
    await page.keyboard.type('x');
    await page.keyboard.press('Tab');
    await expect.poll(() => input.inputValue()).toBe('sub(x');
    await page.keyboard.type(', 2)');
    await page.keyboard.press('Enter');
    await expect.poll(() => log.textContent()).toContain('>>> sub(x, 2)40');
    // an open bracket continues on a `...` line, as at Python's prompt; ↑ brings the statement back
    await page.keyboard.type('add([1,');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByLabel('Statement so far').textContent()).toBe('>>> add([1,');
    await page.keyboard.type('2], [3])');
    await page.keyboard.press('Enter');
    await expect.poll(() => log.textContent()).toContain('>>> add([1,\n... 2], [3])[1, 2, 3]');
    await expect.poll(() => page.getByLabel('Statement so far').count()).toBe(0);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getByLabel('Statement so far').textContent()).toBe('>>> add([1,');
    await expect.poll(() => input.inputValue()).toBe('2], [3])');
    // Escape drops a statement left open
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByLabel('Statement so far').count()).toBe(0);
    await expect.poll(() => input.inputValue()).toBe('');
    /** types a line, Enter, and waits for the scrollback to show `shown` */
    const enter = async (line: string, shown: string) => {
      await page.keyboard.type(line);
      await page.keyboard.press('Enter');
      await expect.poll(() => log.textContent()).toContain(shown);
    };
    // statements joined by ';' run in turn, as at Python's prompt
    await enter('q = add(1, 2); sub(q, 1)', '>>> q = add(1, 2)Frames>>> sub(q, 1)2');
    // help(NAME) shows what the listing says of a method, as in the terminal REPL
    await enter('help(sub)', '>>> help(sub)sub(...)\n    (the server gives no documentation for it)');
    // the terminal REPL's dot-commands are views here: the console says which
    await enter('.frames 2', '>>> .frames 2.frames is a command of the terminal REPL; here it is the Wire view (Alt+3)');
    // a paste of several lines runs the statements its lines complete; the last line stays to edit
    const pasted = JSON.stringify('p = add(1, 2)\n# a comment\nadd(p,\n 10)\nsub(p, 1)');
    // (a string: the tests' TypeScript has no DOM types; a function's source in a string is not called)
    await page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData('text/plain', ${pasted});
      const el = document.querySelector('[aria-label="Console input"]');
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);
    await expect.poll(() => log.textContent()).toContain('>>> add(p,\n...  10)13');
    await expect.poll(() => input.inputValue()).toBe('sub(p, 1)');
    expect(await log.textContent()).toContain('>>> p = add(1, 2)');
    expect(await log.textContent()).not.toContain('a comment');
    await page.keyboard.press('Enter');
    await expect.poll(() => log.textContent()).toContain('>>> sub(p, 1)2');
    // Escape while a statement waits cancels its call, as Ctrl-C does in the terminal REPL
    await page.keyboard.type('slow(30)');
    await page.keyboard.press('Enter');
    await expect.poll(() => input.getAttribute('aria-busy')).toBe('true');
    // the statement shows while it waits, and after a second how long it has
    expect(await log.getByLabel('Running statement').locator('pre').textContent()).toBe('>>> slow(30)');
    await log.getByRole('status', { name: 'Waiting for the reply' }).waitFor({ timeout: 5_000 });
    // a statement entered meanwhile waits its turn (type-ahead), shown as queued
    await page.keyboard.type('add(7, 8)');
    await page.keyboard.press('Enter');
    await expect.poll(() => log.getByLabel('Statements queued').textContent()).toBe('>>> add(7, 8)');
    expect(await input.inputValue()).toBe('');
    await page.keyboard.press('Escape');
    await expect.poll(() => input.getAttribute('aria-busy'), { timeout: 5_000 }).toBe('false');
    expect(await log.getByRole('status', { name: 'Waiting for the reply' }).count()).toBe(0);
    expect(await log.textContent()).toMatch(/>>> slow\(30\)[^>]*cancelled/);
    // the cancel drops the queue too, as Ctrl-C drops what was typed ahead
    expect(await log.getByLabel('Statements queued').count()).toBe(0);
    expect(await log.textContent()).not.toContain('add(7, 8)');
    // and a statement entered while another waits runs after it
    await page.keyboard.type('slow(0.5)');
    await page.keyboard.press('Enter');
    await page.keyboard.type('add(7, 8)');
    await page.keyboard.press('Enter');
    await expect.poll(() => log.textContent()).toMatch(/>>> slow\(0\.5\)'done'(Frames)?>>> add\(7, 8\)15$/);
    await expect.poll(() => input.getAttribute('aria-busy')).toBe('false');
    await shot(page, 'console');
    // an underscore is drawn: the input leaves room below the baseline (it showed `x_y` as `x y`)
    await page.evaluate(`document.querySelector('[aria-label="Console input"]').style.caretColor = 'transparent'`);
    await input.fill(' ');
    const blank = await input.screenshot();
    await input.fill('_');
    expect((await input.screenshot()).equals(blank)).toBe(false);
    await input.fill('');
    // after a reload, ↑ still reaches the statements: the connection's history keeps them
    await page.reload();
    // (a click, not Alt+2: a key pressed before the page has mounted its handlers goes nowhere)
    await page.getByRole('tab', { name: 'Console' }).click();
    await page.getByRole('tab', { name: 'Console', selected: true }).waitFor();
    await page.getByLabel('Console input').focus();
    // (the history arrives from the host after the page loads: ↓ back to the empty line, ↑ again)
    await expect
      .poll(async () => {
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowUp');
        return page.getByLabel('Console input').inputValue();
      })
      .toBe('add(7, 8)');
    // (the cancelled slow(30) is no call to recall)
    for (const earlier of ['slow(0.5)', 'sub(p, 1)']) {
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => page.getByLabel('Console input').inputValue()).toBe(earlier);
    }
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getByLabel('Console input').inputValue()).toBe(' 10)');
    expect(await page.getByLabel('Statement so far').textContent()).toBe('>>> add(p,');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getByLabel('Console input').inputValue()).toBe('p = add(1, 2)');
    await expect.poll(() => page.getByLabel('Statement so far').count()).toBe(0);
    await page.getByLabel('Console input').fill('');

    // history, re-run
    await page.getByRole('tab', { name: 'History' }).click();
    const table = page.getByRole('table', { name: 'Call history' });
    await table.getByText('add(2, 3)').first().waitFor();
    await shot(page, 'history');
    // Ctrl+L focuses its filter, which keeps the calls or results holding the text
    const allRows = await table.getByRole('row').count();
    await page.keyboard.press('Control+l');
    await expect.poll(() => page.evaluate('document.activeElement && document.activeElement.id')).toBe('history-filter');
    await page.keyboard.type('TypeError');
    await expect.poll(() => table.getByRole('row').count()).toBeLessThan(allRows);
    const kept = await table.locator('tbody tr').allTextContents();
    expect(kept.length).toBeGreaterThan(0);
    for (const row of kept) expect(row).toContain('TypeError');
    expect(await page.getByRole('status').filter({ hasText: / of \d+ calls$/ }).textContent()).toBe(`${kept.length} of ${allRows - 1} calls`);
    await page.getByLabel('Filter calls').fill('');
    await expect.poll(() => table.getByRole('row').count()).toBe(allRows);
    await page.getByRole('button', { name: 'Re-run add(2, 3)' }).first().click();
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('5');
    // a call made since the app started opens its frames from its row: the re-run, newest first
    await page.getByRole('tab', { name: 'History' }).click();
    const newest = table.getByRole('row').nth(1);
    await expect.poll(() => newest.getByRole('code').first().textContent()).toBe('add(2, 3)');
    const rowFrames = newest.getByRole('button', { name: /^Show the frames of call #\d+$/ });
    const rerunCall = /#(\d+)$/.exec((await rowFrames.getAttribute('aria-label')) ?? '')?.[1];
    await rowFrames.click();
    await page.getByRole('tab', { name: 'Wire', selected: true }).waitFor();
    expect(await page.getByLabel('Call number').inputValue()).toBe(rerunCall);
    await expect.poll(() => page.getByRole('option', { name: / bytes call \d+$/ }).count()).toBe(2);
    await page.getByRole('button', { name: 'Clear the filters' }).click();

    await page.keyboard.press('F1');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
    await shot(page, 'help');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor({ state: 'detached' });
    expect(pageErrors).toEqual([]);

    // restart the host on the same data directory: the connection (and its authkey) is remembered;
    // the old page says its host is gone
    await host.close();
    await page.getByRole('alert').filter({ hasText: 'The rpcscope host is not reachable' }).waitFor();
    await page.close();
    host = await e2e.startHost({ demo: 'auto' });
    expect(host.app.demo).toEqual([]);
    const page2 = await e2e.newPage();
    await page2.goto(host.server.url);
    await page2.getByRole('button', { name: 'Select cookbook' }).waitFor();
    await page2.getByTestId('connection-status').filter({ hasText: /^connected$/ }).waitFor();
    await typeCall(page2, 'sub(10, 4)');
    await expect.poll(() => page2.getByTestId('result-repr').textContent()).toBe('6');
    await shot(page2, 'restarted');
    // the wire log began with this host: of the history's rows, only the call made since has Frames
    await page2.getByRole('tab', { name: 'History' }).click();
    const table2 = page2.getByRole('table', { name: 'Call history' });
    await table2.getByText('sub(10, 4)').waitFor();
    expect(await table2.getByRole('row').count()).toBeGreaterThan(5);
    expect(await table2.getByRole('button', { name: /^Show the frames of call #\d+$/ }).count()).toBe(1);
    expect(await table2.getByRole('row').nth(1).getByRole('button', { name: /^Show the frames/ }).count()).toBe(1);
    await page2.getByRole('tab', { name: 'Call' }).click();

    // edit: rename, keep the stored authkey
    await page2.getByRole('button', { name: 'Edit cookbook' }).click();
    await page2.getByLabel('Name', { exact: true }).fill('renamed');
    await page2.getByRole('button', { name: 'Save' }).click();
    await page2.getByRole('button', { name: 'Select renamed' }).waitFor();
    await page2.getByText(/^connected$/).waitFor();
    await typeCall(page2, 'add(1, 1)');
    await expect.poll(() => page2.getByTestId('result-repr').textContent()).toBe('2');

    // a dead server: the connection shows failed with the reason
    await page2.getByRole('button', { name: 'Add connection' }).click();
    await page2.getByLabel('URL', { exact: true }).fill('pickle://127.0.0.1:1');
    await page2.getByLabel('Name', { exact: true }).fill('dead');
    await page2.getByRole('button', { name: 'Connect', exact: true }).click();
    await page2.getByTestId('connection-status').filter({ hasText: /^failed: .*127\.0\.0\.1:1/ }).waitFor();
    await shot(page2, 'failed-connection');
    // removing one (and its saved authkey) takes a second click; moving away forgets the first
    const removeDead = page2.getByRole('button', { name: 'Remove dead' });
    await removeDead.click();
    await expect.poll(() => removeDead.textContent()).toBe('Remove?');
    await page2.getByRole('button', { name: 'Select renamed' }).focus();
    await expect.poll(() => removeDead.textContent()).toBe('✕');
    await removeDead.click();
    await removeDead.click();
    await page2.getByRole('button', { name: 'Select dead' }).waitFor({ state: 'detached' });
    await page2.getByRole('button', { name: 'Select renamed' }).waitFor();

    // keyboard: Ctrl+L focuses the method filter, Ctrl+K the composer
    await page2.keyboard.press('Control+L');
    await expect.poll(() => page2.locator('#method-filter:focus').count()).toBe(1);
    await page2.keyboard.press('Control+K');
    await expect.poll(() => page2.locator('[aria-label="Call expression"]:focus').count()).toBe(1);
    await page2.close();
  });

  it('shows how much of a long reply has come over a slow link', async () => {
    // the reply in 16 KB pieces 20 ms apart: three megabytes take about four seconds
    const proxy = await startServer('fault_proxy.py', [String(server.port), 'slow']);
    try {
      const page = await e2e.newPage();
      await page.goto(e2e.host.server.url);
      await page.getByRole('button', { name: 'Add connection' }).click();
      await page.getByLabel('URL', { exact: true }).fill(`pickle://127.0.0.1:${proxy.port}`);
      await page.getByLabel('Name', { exact: true }).fill('slow link');
      await page.getByLabel('Authkey', { exact: true }).fill('peekaboo');
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await page.getByRole('button', { name: 'Compose big' }).waitFor();
      await typeCall(page, 'big(3_000_000)');
      const status = page.getByRole('status', { name: 'Waiting for the reply' });
      // the pickle's 3,000,018 bytes are 2.9 MB
      await expect.poll(() => status.textContent(), { timeout: 10_000 }).toMatch(/^receiving the reply: [\d.]+ (B|KB|MB) of 2\.9 MB \(\d+ s\) · Esc cancels$/);
      await shot(page, 'receiving');
      await expect.poll(() => page.getByTestId('result-repr').textContent(), { timeout: 15_000 }).toMatch(/^b'xxxx/);
      expect(await status.count()).toBe(0);
      await page.close();
    } finally {
      await proxy.stop();
    }
  });
});
