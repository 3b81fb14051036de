// Web mode's gate: loopback only, the token on the page and the socket, Host and Origin checked.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAppCore, MemoryCallLog } from '../../src/services/app-core';
import { ConnectionRegistry } from '../../src/services/connections';
import { MemorySecretStore } from '../../src/services/secrets';
import { startWebServer, type WebServer } from '../../src/web/server';

let web: WebServer;
const TOKEN = 'test-token-0123456789';

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rpcscope-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>rpcscope</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  const connections = new ConnectionRegistry({ secrets: new MemorySecretStore() });
  web = await startWebServer({ handlers: createAppCore({ connections, history: new MemoryCallLog() }), rendererDir: dir, token: TOKEN });
});
afterAll(async () => {
  await web?.close();
});

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: web.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the bridge; resolves with the first answer to connections.list, or the refusal status. */
function bridge(query: string, origin: string | undefined): Promise<{ opened: boolean; status?: number; answer?: unknown }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/bridge${query}`, origin === undefined ? {} : { origin });
    ws.on('unexpected-response', (_req, res) => {
      resolve({ opened: false, status: res.statusCode });
      ws.terminate();
    });
    ws.on('error', () => resolve({ opened: false }));
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, name: 'connections.list', req: {} })));
    ws.on('message', (data) => {
      resolve({ opened: true, answer: JSON.parse(data.toString()) });
      ws.close();
    });
  });
}

describe('web mode server', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(web.url).toBe(`http://127.0.0.1:${web.port}/?token=${TOKEN}`);
  });

  it('serves the page only with the right token, with a CSP', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=wrong')).status).toBe(403);
    expect((await get(`/?token=${TOKEN}x`)).status).toBe(403);
    const ok = await get(`/?token=${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>rpcscope</title>');
    expect(String(ok.headers['content-security-policy'])).toContain("default-src 'none'");
    expect((await get('/assets/app.js')).status).toBe(200);
    expect((await get('/assets/../../etc/passwd')).status).toBe(404);
    expect((await get('/%2e%2e/%2e%2e/etc/passwd')).status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get(`/?token=${TOKEN}`, { host: `evil.example:${web.port}` })).status).toBe(403);
  });

  it('opens the bridge only with the token and our Origin', async () => {
    const origin = `http://127.0.0.1:${web.port}`;
    expect(await bridge('', origin)).toMatchObject({ opened: false, status: 401 });
    expect(await bridge('?token=nope', origin)).toMatchObject({ opened: false, status: 401 });
    expect(await bridge(`?token=${TOKEN}`, 'https://evil.example')).toMatchObject({ opened: false, status: 403 });
    expect(await bridge(`?token=${TOKEN}`, `http://127.0.0.1:${web.port + 1}`)).toMatchObject({ opened: false, status: 403 });
    expect(await bridge(`?token=${TOKEN}`, undefined)).toMatchObject({ opened: false, status: 403 });
    expect(await bridge(`?token=${TOKEN}`, origin)).toEqual({ opened: true, answer: { id: 1, result: { ok: true, value: [] } } });
  });

  it('answers malformed bridge messages with failures, not crashes', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${web.port}/bridge?token=${TOKEN}`, { origin: `http://127.0.0.1:${web.port}` });
    await new Promise((r) => ws.on('open', r));
    const answer = new Promise((r) => ws.once('message', (d) => r(JSON.parse(d.toString()))));
    ws.send(JSON.stringify({ id: 9, name: 'calls.call', req: { connectionId: 5 } }));
    expect(await answer).toMatchObject({ id: 9, result: { ok: false, error: { code: 'E_BRIDGE' } } });
    const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
    ws.send('not json');
    expect(await closed).toBe(1007);
  });

  it('is not reachable on other interfaces', async () => {
    const other = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!other) return; // a machine with loopback only has nothing else to try
    const reached = await new Promise<boolean>((resolve) => {
      const s = connect({ host: other.address, port: web.port });
      s.on('connect', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    expect(reached).toBe(false);
  });
});
