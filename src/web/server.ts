// Web mode: the built renderer over HTTP plus the contract over a WebSocket, on 127.0.0.1 only.
// A random token in the URL is required for the page and the socket; the Host and Origin headers
// must name this server (no other site, and no DNS-rebinding name, can reach it from a browser).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { WebSocket } from 'ws';
import type { Handlers } from '../common/contract';
import { dispatch } from '../common/contract/dispatch';
import { CONTENT_SECURITY_POLICY } from './policy';

export interface WebServerOptions {
  handlers: Handlers;
  /** directory of the built renderer (out/renderer) */
  rendererDir: string;
  /** 0 picks a free port */
  port?: number;
  /** fixed token (tests); random otherwise */
  token?: string;
}

export interface WebServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};
/** largest WebSocket message accepted from the page */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export const BRIDGE_PATH = '/bridge';

function sameToken(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const allowedHosts = (): string[] => [`${HOST}:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const hostOk = (req: IncomingMessage): boolean => allowedHosts().includes(req.headers.host ?? '');
  const originOk = (req: IncomingMessage): boolean => {
    const origin = req.headers.origin;
    return origin !== undefined && allowedOrigins().includes(origin);
  };

  const deny = (res: ServerResponse, status: number, why: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
    res.end(`${why}\n`);
  };

  const server = createServer((req, res) => {
    if (!hostOk(req)) return deny(res, 403, 'forbidden: unexpected Host header');
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'method not allowed');
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '/index.html') {
      // the page itself needs the token; the static bundle it loads holds no data
      if (!sameToken(url.searchParams.get('token'), token)) return deny(res, 403, 'forbidden: missing or wrong token (use the URL rpcscope printed)');
      rel = '/index.html';
    }
    const file = normalize(join(opts.rendererDir, rel));
    if (!file.startsWith(normalize(opts.rendererDir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return deny(res, 404, 'not found');
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });

  // loaded here, not at the top: the CLI bundles this module, and every command would load `ws` at start
  const { WebSocketServer } = await import('ws');
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (url.pathname !== BRIDGE_PATH) return refuse('404 Not Found');
    if (!hostOk(req) || !originOk(req)) return refuse('403 Forbidden');
    if (!sameToken(url.searchParams.get('token'), token)) return refuse('401 Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => serveBridge(ws, opts.handlers));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One page's bridge: `{id, name, req}` in, `{id, result}` out, in any order. */
function serveBridge(ws: WebSocket, handlers: Handlers): void {
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003, 'text only');
    let msg: { id?: unknown; name?: unknown; req?: unknown };
    try {
      msg = JSON.parse(data.toString());
    } catch {
      return ws.close(1007, 'not JSON');
    }
    if (typeof msg.id !== 'number') return ws.close(1008, 'message without id');
    const id = msg.id;
    void dispatch(handlers, msg.name, msg.req).then((result) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
    });
  });
}
