// The Electron window's security settings and the IPC sender check, checked under Node against the
// same contract the app serves.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IpcMainInvokeEvent } from 'electron';
import { describe, expect, it } from 'vitest';
import { channelOf, ENTRY_NAMES, type Handlers } from '../../src/common/contract';
import { registerIpc } from '../../src/main/ipc';
import { allowNavigation, ELECTRON_CSP, isTrustedSender, permissionPolicy, windowOpenPolicy, windowOptions, withCsp } from '../../src/main/policy';

const RENDERER = 'file:///opt/rpcscope/out/renderer/index.html';

describe('Electron window policy', () => {
  it('isolates the renderer: context isolation, sandbox, no Node, web security on', () => {
    const o = windowOptions('/opt/rpcscope/out/preload/index.cjs');
    expect(o.webPreferences).toMatchObject({
      preload: '/opt/rpcscope/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('sends a strict CSP: no inline or eval scripts, no network, replacing any other policy', () => {
    const directives = Object.fromEntries(ELECTRON_CSP.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'none'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(ELECTRON_CSP).not.toMatch(/unsafe-eval/);
    const h = withCsp({ 'content-security-policy': ["default-src *"], 'X-Other': ['1'] });
    expect(h).toEqual({ 'X-Other': ['1'], 'Content-Security-Policy': [ELECTRON_CSP] });
    const html = readFileSync(join(__dirname, '../../renderer/index.html'), 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy"[\s\S]*default-src 'none'; script-src 'self';/);
  });

  it('denies navigation away from the app, new windows and permissions but the clipboard write', () => {
    expect(allowNavigation(`${RENDERER}#/wire`, RENDERER)).toBe(true);
    expect(allowNavigation('https://example.com/', RENDERER)).toBe(false);
    expect(allowNavigation('file:///etc/passwd', RENDERER)).toBe(false);
    expect(allowNavigation('not a url', RENDERER)).toBe(false);
    expect(windowOpenPolicy()).toEqual({ action: 'deny' });
    // only the Copy buttons' clipboard write, from the top frame of our page
    expect(permissionPolicy('clipboard-sanitized-write', `${RENDERER}#/call`, RENDERER, true)).toBe(true);
    expect(permissionPolicy('clipboard-sanitized-write', RENDERER, RENDERER, false)).toBe(false);
    expect(permissionPolicy('clipboard-sanitized-write', 'https://example.com/', RENDERER, true)).toBe(false);
    expect(permissionPolicy('clipboard-sanitized-write', undefined, RENDERER, true)).toBe(false);
    for (const p of ['clipboard-read', 'media', 'notifications', 'geolocation', 'openExternal', 'unknown']) {
      expect(permissionPolicy(p, RENDERER, RENDERER, true)).toBe(false);
    }
  });

  it('answers IPC only for the top frame of our page, one handler per contract entry', async () => {
    const registered = new Map<string, (e: IpcMainInvokeEvent, req: unknown) => Promise<unknown>>();
    let calls = 0;
    const handlers = Object.fromEntries(
      ENTRY_NAMES.map((n) => [
        n,
        async () => {
          calls++;
          return [];
        },
      ]),
    ) as unknown as Handlers;
    registerIpc({ handle: (ch, fn) => void registered.set(ch, fn as never) }, handlers, RENDERER);
    expect([...registered.keys()].sort()).toEqual(ENTRY_NAMES.map(channelOf).sort());

    const event = (url: string, top = true) => ({ senderFrame: { url, parent: top ? null : {} } }) as unknown as IpcMainInvokeEvent;
    const list = registered.get(channelOf('connections.list'))!;
    expect(await list(event('https://evil.example/'), {})).toMatchObject({ ok: false, error: { code: 'E_BRIDGE' } });
    expect(await list(event(RENDERER, false), {})).toMatchObject({ ok: false, error: { code: 'E_BRIDGE' } });
    expect(calls).toBe(0);
    expect(await list(event(RENDERER), {})).toEqual({ ok: true, value: [] });
    expect(calls).toBe(1);
    expect(isTrustedSender(undefined, RENDERER, true)).toBe(false);
  });
});
