// The embedded demo in the browser: the seed servers start with the app, appear as connections,
// and answer — the Cookbook pickle server, the XML-RPC KeyValueServer with introspection, the raw
// TCP JSON server and (with rpyc installed) the RPyC TestService.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openE2E, shot, typeCall, type E2E } from './browser';

let e2e: E2E;

beforeAll(async () => {
  e2e = await openE2E('rpcscope-demo-');
  await e2e.startHost({ demo: 'auto' });
});

afterAll(async () => {
  await e2e?.close();
});

describe('embedded demo', () => {
  it('starts the seed servers as connections that answer', async () => {
    const { host } = e2e;
    const names = host.app.demo.map((d) => d.name);
    expect(names.length).toBeGreaterThanOrEqual(3);
    const page = await e2e.newPage();
    await page.goto(host.server.url);

    // the Cookbook pickle server (authkey peekaboo, kept out of the URL)
    // it has no introspection: the methods list starts empty and learns each name that works
    await page.getByRole('button', { name: /^Select demo: Cookbook pickle/ }).click();
    await page.getByText('No names yet').waitFor();
    await typeCall(page, 'sub(2, 3)');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('-1');
    // the server was asked for a listing once (calls on a connection run in order, so a second
    // listing asked for at start would be on the wire by now), though the page both selected the
    // connection and saw it come up
    const pickleDemo = host.app.connections.list().find((c) => c.name.startsWith('demo: Cookbook pickle'))!;
    const probes = host.app.connections.wire(pickleDemo.id).page(0, 100, { dir: 'out', text: 'listMethods' });
    expect(probes.frames.map((f) => f.preview)).toHaveLength(2); // system.listMethods, then listMethods
    await page.getByRole('button', { name: 'Compose sub' }).waitFor();
    await typeCall(page, 'nosuch(1)');
    await page.getByRole('alert', { name: 'Remote exception' }).waitFor();
    expect(await page.getByRole('list', { name: 'Methods' }).textContent()).not.toContain('nosuch');
    // a reload of the page answers from the last listing and what calls showed since: no new probe
    await page.reload();
    await page.getByRole('button', { name: /^Select demo: Cookbook pickle/ }).click();
    await page.getByRole('button', { name: 'Compose sub' }).waitFor();
    await typeCall(page, 'sub(5, 3)');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('2');
    expect(host.app.connections.wire(pickleDemo.id).page(0, 100, { dir: 'out', text: 'listMethods' }).frames).toHaveLength(2);

    // the XML-RPC KeyValueServer: methods with docs by introspection, values, and a KeyError fault
    await page.getByRole('button', { name: /^Select demo: XML-RPC/ }).click();
    await page.getByRole('button', { name: 'Compose keys' }).waitFor();
    expect(await page.getByRole('list', { name: 'Methods' }).textContent()).toContain('Return the value stored under name');
    await typeCall(page, "set('spam', [1, 2.5, None])");
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('None');
    await typeCall(page, "get('spam')");
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe('[1, 2.5, None]');
    await typeCall(page, "get('nope')");
    const exc = page.getByRole('alert', { name: 'Remote exception' });
    await exc.waitFor();
    expect(await exc.locator('.exc-type').textContent()).toBe('KeyError');
    await shot(page, 'demo-xmlrpc');

    // the wire of an XML-RPC call shows the HTTP request and its XML
    await page.getByRole('tab', { name: 'Wire' }).click();
    await page.getByLabel('Filter frames').fill('spam');
    await page.getByRole('listbox', { name: 'Frames' }).getByRole('option', { name: /sent/ }).first().click();
    await expect.poll(() => page.getByLabel('Decoded layers').textContent()).toContain('<methodName>set</methodName>');
    await shot(page, 'demo-wire-xmlrpc');

    // the raw TCP JSON server of seed 003
    await page.getByRole('tab', { name: 'Call' }).click();
    await page.getByRole('button', { name: /^Select demo: raw TCP JSON/ }).click();
    await typeCall(page, 'add(40, 2)');
    await expect.poll(() => page.getByTestId('result-repr').textContent()).toMatch(/42/);

    if (names.some((n) => n.includes('RPyC'))) {
      await page.getByRole('button', { name: /^Select demo: RPyC/ }).click();
      await typeCall(page, 'foo()');
      await expect.poll(() => page.getByTestId('result-repr').textContent()).toBe("'foo'");
    }
    await page.close();
  });
});
