// A small HTTP/1.1 client for RPC over HTTP (XML-RPC, JSON-RPC): one request at a time on a
// connection kept alive when the server allows it (an HTTP/1.1 reply without `Connection: close`)
// until it has been idle for IDLE_CLOSE_MS, and reopened when it is not (Python's
// SimpleXMLRPCServer answers HTTP/1.0 and closes).
// It hands back the exact bytes of the request and of the response, so the wire view shows what
// really crossed, next to the body as the value layer needs it (de-chunked, gunzipped).
import type { Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { RpcError } from '../common/errors';
import type { Layer, LayerField } from '../common/frames';
import { header, HttpResponseParser, type HttpResponse } from './http-response';
import { connectPlain } from './socket-reads';
import { startTimeout } from './timeouts';

export { header, type HttpResponse };

export interface HttpEndpoint {
  host: string;
  port: number;
  tls: boolean;
  /** TLS: accept any certificate (self-signed test servers) */
  insecure?: boolean;
  /** connect timeout, ms */
  timeoutMs: number;
  /** largest response body accepted, bytes */
  maxBodyBytes: number;
}

export interface HttpRequest {
  method: string;
  /** path and query, e.g. `/RPC2` */
  path: string;
  headers: [string, string][];
  body: Uint8Array;
}

export interface HttpExchange {
  request: Uint8Array;
  response: HttpResponse;
}

export interface HttpCallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** sees the request bytes as they are written (before the response arrives) */
  onRequestBytes?: (bytes: Uint8Array) => void;
  /** told as a response body with a Content-Length arrives: its bytes here and in all */
  onProgress?: (received: number, total: number) => void;
}

const CRLF = '\r\n';
const TEXT_ENCODER = new TextEncoder();

/**
 * A kept-alive connection left idle longer than this is closed. A single-threaded HTTP/1.1 server
 * (SimpleXMLRPCServer with protocol_version 'HTTP/1.1') serves one connection until it closes, so a
 * window sitting connected between calls would hold it and every other client would hang; calls made
 * back to back (a replay, a batch, a script) still share one connection.
 */
export const IDLE_CLOSE_MS = 1000;

export class HttpClient {
  private socket?: Socket;
  private reader?: ResponseReader;
  private queue: Promise<unknown> = Promise.resolve();
  /** checks, while a kept-alive connection is open, whether it has been idle for long enough */
  private idleTimer?: ReturnType<typeof setTimeout>;
  /** when the last response ended (performance.now()), and whether a request is under way */
  private lastUsed = 0;
  private inFlight = false;
  /** set by close(): a request cut short by the user is not retried */
  private closedByUser = false;

  constructor(readonly endpoint: HttpEndpoint) {}

  get peer(): string {
    const { host, port } = this.endpoint;
    return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.reader?.ended;
  }

  /**
   * Check that the server takes connections, without keeping one: a single-threaded server (the
   * SimpleXMLRPCServer of seed 002, the demo's) serves one connection at a time, and an idle one
   * held open here would leave it waiting on us while every other client of it hangs. A request
   * opens its connection when it is sent, as ServerProxy does, and keeps it only if the server
   * keeps it alive. (The probe reads as an empty request to Python's http.server: closed, not logged.)
   */
  async connect(signal?: AbortSignal): Promise<void> {
    if (this.connected) return;
    await this.open(signal);
    this.drop();
  }

  /** Send one request and read its response. Requests on one client run one after another. */
  request(req: HttpRequest, opts: HttpCallOptions = {}): Promise<HttpExchange> {
    const run = this.queue.then(() => this.exchange(req, opts));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.closedByUser = true;
    this.drop();
  }

  private drop(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.socket?.destroy();
    this.socket = undefined;
    this.reader = undefined;
  }

  private async exchange(req: HttpRequest, opts: HttpCallOptions): Promise<HttpExchange> {
    const bytes = encodeRequest(req, this.endpoint);
    const reused = this.connected;
    this.closedByUser = false;
    this.inFlight = true;
    try {
      return await this.once(bytes, opts);
    } catch (e) {
      if (this.closedByUser) throw new RpcError('E_CLOSED', `the connection to ${this.peer} was closed during the request`);
      // A kept-alive connection the server closed while idle fails before any reply byte:
      // the request never reached the application, so send it again on a fresh connection.
      if (reused && e instanceof StaleConnection) {
        this.drop();
        return this.once(bytes, opts);
      }
      throw e instanceof StaleConnection ? e.error : e;
    } finally {
      this.inFlight = false;
    }
  }

  private async once(bytes: Uint8Array, opts: HttpCallOptions): Promise<HttpExchange> {
    if (!this.connected) await this.open(opts.signal);
    const socket = this.socket!;
    const reader = this.reader!;
    reader.reset();
    opts.onRequestBytes?.(bytes);
    socket.write(bytes);
    let response: HttpResponse;
    try {
      response = await reader.read(opts.timeoutMs ?? this.endpoint.timeoutMs, opts.signal, opts.onProgress);
    } catch (e) {
      this.drop();
      throw e;
    }
    if (!keepAlive(response)) this.drop();
    else this.closeWhenIdle();
    return { request: bytes, response };
  }

  /**
   * Close the kept-alive connection unless another request comes first (see IDLE_CLOSE_MS). One
   * timer serves a run of calls: it looks at when the connection was last used and waits on if
   * that was too recent, instead of a timer set and cleared for every call.
   */
  private closeWhenIdle(): void {
    this.lastUsed = performance.now();
    if (this.idleTimer === undefined) this.waitIdle(IDLE_CLOSE_MS);
  }

  private waitIdle(ms: number): void {
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      // a request under way sets the wait again when it ends
      if (this.inFlight) return;
      const left = IDLE_CLOSE_MS - (performance.now() - this.lastUsed);
      if (left > 1) this.waitIdle(left);
      else this.drop();
    }, ms);
    // an idle connection must not keep a finished script (`rpcscope run`) alive
    this.idleTimer.unref();
  }

  private open(signal?: AbortSignal): Promise<void> {
    this.drop();
    const { host, port, tls, insecure, timeoutMs } = this.endpoint;
    const peer = this.peer;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new RpcError('E_CANCELLED', 'the call was cancelled'));
      let reader: ResponseReader | undefined;
      // a TLS socket's reads come as 'data' events (ResponseReader listens); a plain socket's are
      // handed over directly, once the reader exists: reading starts after 'connect'
      const socket = tls
        ? tlsConnect({ host, port, servername: isIp(host) ? undefined : host, rejectUnauthorized: !insecure })
        : connectPlain(host, port, (bytes) => reader?.received(bytes));
      if (tls) socket.setNoDelay(true);
      const readyEvent = tls ? 'secureConnect' : 'connect';
      const fail = (err: RpcError) => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onError = (e: Error) => fail(connectError(e, host, peer, tls));
      const onAbort = () => fail(new RpcError('E_CANCELLED', 'the call was cancelled'));
      const cancelTimeout = startTimeout(timeoutMs, () => fail(new RpcError('E_TIMEOUT', `could not connect to ${peer} within ${timeoutMs / 1000} s`)));
      const cleanup = () => {
        cancelTimeout();
        socket.off('error', onError);
        signal?.removeEventListener('abort', onAbort);
      };
      socket.once('error', onError);
      signal?.addEventListener('abort', onAbort, { once: true });
      socket.once(readyEvent, () => {
        cleanup();
        this.socket = socket;
        reader = new ResponseReader(socket, tls, peer, this.endpoint.maxBodyBytes);
        this.reader = reader;
        resolve();
      });
    });
  }
}

/** A failure before the first response byte on a connection that may have been closed while idle. */
class StaleConnection extends Error {
  constructor(readonly error: RpcError) {
    super(error.message);
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function connectError(e: Error, host: string, peer: string, tls: boolean): RpcError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code === 'ECONNREFUSED') return new RpcError('E_CONNECT', `connection refused by ${peer}`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new RpcError('E_CONNECT', `cannot resolve host "${host}"`);
  if (tls && /certificate|self.signed|SSL|TLS/i.test(`${code} ${e.message}`)) {
    return new RpcError('E_CONNECT', `TLS handshake with ${peer} failed: ${e.message} (add ?insecure=1 to accept a self-signed certificate)`);
  }
  return new RpcError('E_CONNECT', `cannot connect to ${peer}: ${e.message}`);
}

function keepAlive(res: HttpResponse): boolean {
  const conn = header(res.headers, 'connection')?.toLowerCase() ?? '';
  if (conn.split(/\s*,\s*/).includes('close')) return false;
  if (res.version === 'HTTP/1.0') return conn.split(/\s*,\s*/).includes('keep-alive');
  // A body delimited by the close of the connection cannot be followed by another response.
  return header(res.headers, 'content-length') !== undefined || /chunked/i.test(header(res.headers, 'transfer-encoding') ?? '');
}

function encodeRequest(req: HttpRequest, ep: HttpEndpoint): Uint8Array {
  const defaultPort = ep.tls ? 443 : 80;
  const hostHeader = (ep.host.includes(':') ? `[${ep.host}]` : ep.host) + (ep.port === defaultPort ? '' : `:${ep.port}`);
  const lines = [`${req.method} ${req.path} HTTP/1.1`, `Host: ${hostHeader}`];
  for (const [k, v] of req.headers) lines.push(`${k}: ${v}`);
  lines.push(`Content-Length: ${req.body.length}`);
  const head = TEXT_ENCODER.encode(lines.join(CRLF) + CRLF + CRLF);
  const out = new Uint8Array(head.length + req.body.length);
  out.set(head);
  out.set(req.body, head.length);
  return out;
}

/** Reads one response at a time from a socket, through the response parser. */
class ResponseReader {
  private readonly parser: HttpResponseParser;
  ended = false;
  private error?: RpcError;
  private wake?: () => void;

  constructor(
    socket: Socket,
    emitsData: boolean,
    private readonly peer: string,
    maxBody: number,
  ) {
    this.parser = new HttpResponseParser(peer, maxBody);
    if (emitsData) socket.on('data', (d: Buffer) => this.received(d));
    const end = () => {
      this.ended = true;
      this.parser.end();
      this.wake?.();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', (e: NodeJS.ErrnoException) => {
      this.error ??= new RpcError('E_CLOSED', e.code === 'ECONNRESET' ? `${peer} reset the connection` : `connection to ${peer} failed: ${e.message}`);
      end();
    });
  }

  received(bytes: Uint8Array): void {
    this.parser.feed(bytes);
    this.wake?.();
  }

  reset(): void {
    // Bytes left over from a previous response would be a protocol error; drop them.
    this.parser.reset();
    if (this.ended) this.parser.end();
  }

  read(timeoutMs: number, signal?: AbortSignal, onProgress?: HttpCallOptions['onProgress']): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (err: unknown, res?: HttpResponse) => {
        if (settled) return;
        settled = true;
        this.wake = undefined;
        cancelTimeout();
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve(res!);
      };
      const onAbort = () => finish(new RpcError('E_CANCELLED', 'the call was cancelled'));
      const cancelTimeout = startTimeout(timeoutMs, () =>
        finish(new RpcError('E_TIMEOUT', `no HTTP response from ${this.peer} within ${Number((timeoutMs / 1000).toFixed(3))} s`)),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
      this.wake = () => {
        try {
          const res = this.parser.take();
          if (res) finish(undefined, res);
          else if (!this.ended) {
            const p = onProgress ? this.parser.bodyProgress() : undefined;
            if (p) onProgress?.(p[0], p[1]);
          } else {
            const size = this.parser.buffered;
            const err =
              size === 0
                ? new StaleConnection(this.error ?? new RpcError('E_CLOSED', `${this.peer} closed the connection without an HTTP response`))
                : new RpcError('E_CLOSED', `${this.peer} closed the connection in the middle of an HTTP response (${size} bytes received)`);
            finish(err);
          }
        } catch (e) {
          finish(e);
        }
      };
      this.wake();
    });
  }
}

/** The http layer of a request or response frame: start line and headers, body noted by size. */
export function httpLayer(bytes: Uint8Array, headLength?: number): Layer {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = headLength ?? (buf.indexOf('\r\n\r\n') < 0 ? buf.length : buf.indexOf('\r\n\r\n') + 4);
  const text = buf.subarray(0, end).toString('latin1');
  const lines = text.split(CRLF).filter((l) => l !== '');
  const fields: LayerField[] = [];
  let at = lines[0]?.length + 2;
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    fields.push({ name: colon < 0 ? line : line.slice(0, colon), value: colon < 0 ? '' : line.slice(colon + 1).trim(), range: [at, at + line.length] });
    at += line.length + 2;
  }
  fields.push({ name: 'body', value: `${bytes.length - end} bytes`, range: [end, bytes.length] });
  return { kind: 'http', title: lines[0] ?? '', range: [0, end], text: text.trimEnd(), fields };
}
