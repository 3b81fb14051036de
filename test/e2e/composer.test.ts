// The composer against a JSON-RPC server with OpenRPC discovery: parameter names from the method
// list are offered inside the call's parentheses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../helpers/python';
import { openE2E, shot, typeCall, type E2E } from './browser';

let e2e: E2E;
let server: RunningServer;

beforeAll(async () => {
  e2e = await openE2E('rpcscope-composer-');
  server = await startServer('jsonrpc_server.py', ['http']);
  await e2e.startHost({ demo: false, url: `jsonrpc://127.0.0.1:${server.port}/` });
});

afterAll(async () => {
  await e2e?.close();
  await server?.stop();
});

describe('composer', () => {
  it('completes parameter names and sends keyword calls', async () => {
    const { host } = e2e;
    const page = await e2e.newPage();
    await page.goto(host.server.url);
    const compose = page.getByRole('button', { name: 'Compose subtract' });
    await compose.waitFor();
    expect(await compose.textContent()).toMatch(/subtract\(minuend.*subtrahend/);
    // the empty editor suggests a call of the server's first method, with its parameters' names
    await expect.poll(() => page.locator('.cm-placeholder').textContent()).toBe('add(a, b)');
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
    await shot(page, 'composer-jsonrpc');
    // the console suggests the same method, and help() gives the OpenRPC document's words
    await page.getByRole('tab', { name: 'Console' }).click();
    const input = page.getByLabel('Console input');
    expect(await input.getAttribute('placeholder')).toBe('x = add(a, b), or help(add)');
    const log = page.getByRole('log', { name: 'Console output' });
    // Tab inside help( completes the method's name and closes the call
    await input.fill('help(subtr');
    await input.press('Tab');
    await expect.poll(() => input.inputValue()).toBe('help(subtract)');
    await input.press('Enter');
    await expect.poll(() => log.textContent()).toContain('>>> help(subtract)subtract(minuend: number, subtrahend?: number) -> number\n    minuend - subtrahend.');
    // a list unpacked into the arguments, as Python does
    await input.fill('args = [10, 4]; subtract(*args)');
    await input.press('Enter');
    await expect.poll(() => log.textContent()).toMatch(/>>> subtract\(\*args\)(Frames)?6$/);
    // Tab inside a subscription offers the keys of the dict the variable holds (from the host)
    await input.fill("opts = {'minuend': 9, 'subtrahend': 2}");
    await input.press('Enter');
    await input.fill("subtract(opts['mi");
    await input.press('Tab');
    await expect.poll(() => input.inputValue()).toBe("subtract(opts['minuend']");
    await input.press('End');
    await page.keyboard.type(', opts["');
    await input.press('Tab');
    await expect.poll(() => input.inputValue()).toBe(`subtract(opts['minuend'], opts["`);
    await expect.poll(() => page.getByLabel('Completions').textContent()).toBe('"minuend"]  "subtrahend"]');
    await page.keyboard.type('s');
    await input.press('Tab');
    await expect.poll(() => input.inputValue()).toBe(`subtract(opts['minuend'], opts["subtrahend"]`);
    await page.keyboard.type(')');
    await input.press('Enter');
    await expect.poll(() => log.textContent()).toMatch(/>>> subtract\(opts\['minuend'\], opts\["subtrahend"\]\)(Frames)?7$/);
    // a subscription reads into a value held: reversed, the arguments give the opposite
    await input.fill('subtract(*args[::-1])');
    await input.press('Enter');
    await expect.poll(() => log.textContent()).toMatch(/>>> subtract\(\*args\[::-1\]\)(Frames)?-6$/);
    // back in the Call view the editor has the focus: a call is typed and sent from the keyboard alone
    await page.getByRole('tab', { name: 'Call' }).click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('subtract(3, 1)');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('2');
    // a click on the connection leaves the focus where calls are typed: the editor, the console's line
    const pick = page.locator('.conn-pick').first();
    await pick.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('subtract(5, 1)');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('4');
    await page.getByRole('tab', { name: 'Console' }).click();
    await pick.click();
    await page.keyboard.type('subtract(9, 1)');
    await page.keyboard.press('Enter');
    await expect.poll(() => log.textContent()).toMatch(/>>> subtract\(9, 1\)(Frames)?8$/);
    await page.close();
  });

  it('recalls the calls sent with ↑ and ↓, and keeps a call being written across a reload', async () => {
    const { host } = e2e;
    const page = await e2e.newPage();
    await page.goto(host.server.url);
    const editor = page.getByRole('textbox', { name: 'Call expression' });
    const result = page.getByTestId('result-repr');
    await typeCall(page, 'subtract(10, 1)');
    await expect.poll(() => result.textContent()).toBe('9');
    await typeCall(page, 'subtract(10, 2)');
    await expect.poll(() => result.textContent()).toBe('8');
    await editor.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText('subtract(1');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => editor.textContent()).toBe('subtract(10, 2)');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => editor.textContent()).toBe('subtract(10, 1)');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    // back to what was being written
    await expect.poll(() => editor.textContent()).toBe('subtract(1');

    // a new window: the text being written is still there, and ↑ reaches the connection's history
    await page.reload();
    await expect.poll(() => editor.textContent()).toBe('subtract(1');
    await editor.click();
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => editor.textContent()).toBe('subtract(10, 2)');
    await page.close();
  });

  it('a call pasted from Python client code gets the call as typed here, one click from the editor and the console line', async () => {
    const { host } = e2e;
    const page = await e2e.newPage();
    await page.goto(host.server.url);
    const editor = page.getByRole('textbox', { name: 'Call expression' });
    await typeCall(page, 'proxy.subtract(10, 4)');
    const raised = page.getByRole('alert', { name: 'Remote exception' });
    await expect.poll(() => raised.locator('.exc-line').textContent()).toBe('JSONRPCError: -32601 Method not found: proxy.subtract');
    const hint = raised.getByRole('note');
    expect(await hint.textContent()).toBe("Here a method is called by its own name (proxy. is the Python client's object): subtract(10, 4)");
    await shot(page, 'composer-pasted-call');
    await hint.getByRole('button').click();
    await expect.poll(() => editor.textContent()).toBe('subtract(10, 4)');
    // the editor has the focus: the hinted call goes from the keyboard
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('6');

    await page.getByRole('tab', { name: 'Console' }).click();
    const input = page.getByLabel('Console input');
    const log = page.getByRole('log', { name: 'Console output' });
    await input.fill('x = s.add(1, 2)');
    await input.press('Enter');
    const consoleHint = log.getByRole('note');
    await expect.poll(() => consoleHint.textContent()).toBe("Here a method is called by its own name (s. is the Python client's object): x = add(1, 2)");
    await consoleHint.getByRole('button').click();
    await expect.poll(() => input.inputValue()).toBe('x = add(1, 2)');
    await page.keyboard.press('Enter');
    await input.fill('x');
    await input.press('Enter');
    await expect.poll(() => log.textContent()).toMatch(/>>> x3$/);
    await page.close();
  });

  it("a remote exception's notes (add_note) show under its line, in the result and in the console", async () => {
    const { host } = e2e;
    const page = await e2e.newPage();
    await page.goto(host.server.url);
    await typeCall(page, "fail('bad row', 'while reading rows.csv', 'line 3')");
    const raised = page.getByRole('alert', { name: 'Remote exception' });
    await expect.poll(() => raised.locator('.exc-line').textContent()).toBe('ValueError: bad row');
    expect(await raised.getByLabel('Exception notes').textContent()).toBe('while reading rows.csv\nline 3');
    // the server's traceback, which ends with the same lines, is shown as it came
    expect(await raised.locator('.traceback').textContent()).toMatch(/ValueError: bad row\nwhile reading rows\.csv\nline 3\n?$/);
    await shot(page, 'composer-exception-notes');
    // a call without notes shows none
    await typeCall(page, "fail('plain')");
    await expect.poll(() => raised.locator('.exc-line').textContent()).toBe('ValueError: plain');
    expect(await raised.getByLabel('Exception notes').count()).toBe(0);

    await page.getByRole('tab', { name: 'Console' }).click();
    const input = page.getByLabel('Console input');
    const log = page.getByRole('log', { name: 'Console output' });
    await input.fill("fail('bad row', 'while reading rows.csv')");
    await input.press('Enter');
    await expect.poll(() => log.textContent()).toMatch(/ValueError: bad row\nwhile reading rows\.csv(Frames)?$/);
    await page.close();
  });
});
