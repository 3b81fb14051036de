// How JSON-RPC messages travel: HTTP POST (one reply per request), newline-delimited TCP and
// WebSocket (message streams where replies come back in any order). Each transport delivers every
// incoming message text to the client, which matches replies to requests by id.
import type WebSocket from 'ws';
import { RpcError } from '../common/errors';
import { frameClock, type Layer } from '../common/frames';
import { concatBytes, decodeLatin1, decodeUtf8, encodeUtf8 } from '../codecs/bytes';
import { PEER_HEAD_BYTES, peerKind, schemesFor, withHttpBodyHint, withPeerHint } from '../codecs/peer-sniff';
import { HttpClient, header } from '../transport/http';
import { TcpConnection } from '../transport/tcp';
import { emitRequestFrame, emitResponseFrame } from './http-frames';
import type { CallOptions, ClientOptions } from './types';
import { isInsecure } from './xmlrpc';

export interface SendContext {
  callId?: number;
  timeoutMs: number;
  signal?: AbortSignal;
  onProgress?: CallOptions['onProgress'];
}

export interface JsonRpcTransport {
  readonly connected: boolean;
  connect(signal?: AbortSignal): Promise<void>;
  /** Send one message. HTTP delivers the reply (if any) through onMessage before resolving. */
  send(text: string, ctx: SendContext): Promise<void>;
  close(): void;
}

export interface TransportHooks {
  /** an incoming message; `callId` is set when the transport knows which call it answers (HTTP) */
  onMessage(text: string, callId?: number): void;
  /** the stream broke: every pending call fails with this */
  onClosed(err: RpcError): void;
  /** body and value layers of a JSON message, for frames */
  layers(body: Uint8Array, range: [number, number]): Layer[];
}

export class HttpTransport implements JsonRpcTransport {
  private readonly http: HttpClient;
  private readonly path: string;

  constructor(
    private readonly opts: ClientOptions,
    private readonly hooks: TransportHooks,
  ) {
    const ep = opts.endpoint;
    this.http = new HttpClient({
      host: ep.host,
      port: ep.port,
      tls: ep.scheme === 'jsonrpcs',
      insecure: isInsecure(opts),
      timeoutMs: opts.timeoutMs,
      maxBodyBytes: opts.maxMessageBytes,
    });
    this.path = ep.path === '' ? '/' : ep.path;
  }

  get connected(): boolean {
    return this.http.connected;
  }

  connect(signal?: AbortSignal): Promise<void> {
    return this.http.connect(signal);
  }

  async send(text: string, ctx: SendContext): Promise<void> {
    const { response } = await this.http.request(
      {
        method: 'POST',
        path: this.path,
        headers: [
          ['User-Agent', 'rpcscope'],
          ['Content-Type', 'application/json'],
          ['Accept', 'application/json'],
          ['Accept-Encoding', 'gzip'],
        ],
        body: encodeUtf8(text),
      },
      {
        timeoutMs: ctx.timeoutMs,
        signal: ctx.signal,
        onProgress: ctx.onProgress,
        onRequestBytes: (bytes) => emitRequestFrame(this.opts.onFrame, ctx.callId, bytes, this.hooks.layers),
      },
    );
    emitResponseFrame(this.opts.onFrame, ctx.callId, response, (body, range) => (body.length === 0 ? [] : this.hooks.layers(body, range)));
    let body: string;
    try {
      body = decodeUtf8(response.body, 0, response.body.length);
    } catch {
      throw new RpcError('E_DECODE', `the HTTP ${response.status} reply body from ${this.http.peer} is not valid UTF-8`);
    }
    // Servers answer JSON-RPC errors with 200 (or 4xx/5xx with a JSON body): a JSON body decides;
    // anything else (an HTML 404 page, an XML-RPC fault) is reported as the HTTP answer it is.
    const first = body.trimStart()[0];
    if (first === '{' || first === '[') this.hooks.onMessage(body, ctx.callId);
    else if (response.status >= 300 || body.trim() !== '') {
      const type = header(response.headers, 'content-type') ?? 'no Content-Type';
      const err = new RpcError('E_PROTOCOL', `HTTP ${response.status} ${response.reason} (${type}, not JSON) from ${this.http.peer} for POST ${this.path}`, {
        status: response.status,
      });
      throw withHttpBodyHint(err, response.body, 'jsonrpc');
    }
  }

  close(): void {
    this.http.close();
  }
}

/** Shared by the stream transports: frames for each message, and the client's hooks. */
abstract class StreamTransport implements JsonRpcTransport {
  /** The connect in progress, shared by the calls that wait for it. */
  protected opening?: Promise<void>;

  constructor(
    protected readonly opts: ClientOptions,
    protected readonly hooks: TransportHooks,
    /** The incoming message's call, for the frame: the client knows it by the reply's id. */
    protected readonly callIdOf: (text: string) => number | undefined,
  ) {}

  abstract readonly connected: boolean;
  abstract connect(signal?: AbortSignal): Promise<void>;
  abstract send(text: string, ctx: SendContext): Promise<void>;
  abstract close(): void;

  /** Whether frames are recorded: callers skip building a frame's title and call id when not. */
  protected get tapping(): boolean {
    return this.opts.onFrame !== undefined;
  }

  protected frame(dir: 'in' | 'out', bytes: Uint8Array, what: string, callId?: number, body = bytes): void {
    this.opts.onFrame?.({
      dir,
      callId,
      bytes,
      time: frameClock(),
      layers: () => [{ kind: 'framing', title: what, range: [0, bytes.length] }, ...this.hooks.layers(body, [0, body.length])],
    });
  }
}

/** Newline-delimited JSON over one TCP connection, requests in flight concurrently. */
export class TcpLineTransport extends StreamTransport {
  private conn?: TcpConnection;
  /** told of a long line's bytes (whose call its id will say) as they come: the latest caller that asked */
  private progress?: SendContext['onProgress'];

  get connected(): boolean {
    return this.conn?.isOpen ?? false;
  }

  connect(signal?: AbortSignal): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.opening ??= TcpConnection.open({ host: this.opts.endpoint.host, port: this.opts.endpoint.port, timeoutMs: this.opts.timeoutMs, signal })
      .then((conn) => {
        this.conn = conn;
        this.readLines(conn);
      })
      .finally(() => (this.opening = undefined));
    return this.opening;
  }

  send(text: string, ctx: SendContext): Promise<void> {
    const conn = this.conn;
    if (conn?.isOpen) {
      this.writeLine(conn, text, ctx);
      return RESOLVED;
    }
    return this.connect(ctx.signal).then(() => this.writeLine(this.conn!, text, ctx));
  }

  close(): void {
    this.conn?.close();
    this.conn = undefined;
  }

  /**
   * Not waiting for the write to complete: a write that fails breaks the socket, and the read side
   * reports that to every waiting call (onClosed).
   */
  private writeLine(conn: TcpConnection, text: string, ctx: SendContext): void {
    const bytes = encodeUtf8(text + '\n');
    if (ctx.onProgress) this.progress = ctx.onProgress;
    if (this.tapping) this.frame('out', bytes, `line (${bytes.length} bytes)`, ctx.callId, bytes.subarray(0, bytes.length - 1));
    conn.write(bytes).catch(() => undefined);
  }

  /** Split the incoming bytes into lines as they arrive; a partial line waits for the rest. */
  private readLines(conn: TcpConnection): void {
    let pending: Uint8Array[] = [];
    let pendingLength = 0;
    let failed = false;
    /** the connection's first bytes, until a line has been read: another protocol's show there */
    let head: Uint8Array | undefined = new Uint8Array(0);
    const fail = (err: RpcError) => {
      // closing here ends the stream too: the first reason is the one the calls get
      if (failed) return;
      failed = true;
      conn.close();
      if (this.conn === conn) this.conn = undefined;
      this.hooks.onClosed(err);
    };
    conn.stream({
      chunk: (chunk) => {
        if (head && head.length < PEER_HEAD_BYTES) {
          // an authkey challenge (sent as soon as we connect) or an HTTP error page is no JSON-RPC line
          head = concatBytes([head, chunk.subarray(0, PEER_HEAD_BYTES - head.length)]);
          const kind = peerKind(head);
          if (kind !== undefined && kind !== 'json') {
            const got = JSON.stringify(decodeLatin1(head, 0, head.length));
            return fail(withPeerHint(new RpcError('E_PROTOCOL', `${conn.peer} did not answer with lines of JSON (got ${got}...)`), head) as RpcError);
          }
        }
        let start = 0;
        try {
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, start)) {
            pending.push(chunk.subarray(start, i + 1));
            const line = concat(pending, pendingLength + i + 1 - start);
            pending = [];
            pendingLength = 0;
            start = i + 1;
            this.deliver(line);
            head = undefined;
          }
        } catch (e) {
          return fail(e instanceof RpcError ? e : new RpcError('E_DECODE', String(e)));
        }
        if (start < chunk.length) {
          pending.push(chunk.slice(start));
          pendingLength += chunk.length - start;
          if (pendingLength > this.opts.maxMessageBytes) {
            fail(new RpcError('E_LIMIT', `a line from ${conn.peer} exceeds the limit of ${this.opts.maxMessageBytes} bytes`));
          } else {
            // a line ends at its newline: no total to give
            this.progress?.(pendingLength, 0);
          }
        }
      },
      end: (why) => fail(why()),
    });
  }

  private deliver(line: Uint8Array): void {
    const body = line.subarray(0, line.length - 1);
    let text: string;
    try {
      text = decodeUtf8(body, 0, body.length);
    } catch {
      throw new RpcError('E_DECODE', 'a reply line is not valid UTF-8');
    }
    if (text.trim() === '') return;
    // the call id is found by a regex over the reply: only worth it when the frame is recorded
    if (this.tapping) this.frame('in', line, `line (${line.length} bytes)`, this.callIdOf(text), body);
    this.hooks.onMessage(text);
  }
}

const RESOLVED = Promise.resolve();

function concat(parts: Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function rawBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Why the WebSocket handshake failed, with what the server looks like: an HTTP server that does not
 * upgrade answers with a status (ws: "Unexpected server response: 501"), and a server that is not
 * HTTP at all fails Node's HTTP parser, whose error keeps the bytes it choked on (rawPacket).
 */
function handshakeError(peer: string, e: Error & { rawPacket?: Uint8Array }): RpcError {
  const status = /^Unexpected server response: (\d+)/.exec(e.message)?.[1];
  if (status !== undefined) {
    return new RpcError('E_CONNECT', `${peer} answered the WebSocket handshake with HTTP ${status}, not an upgrade: a wrong path, or an HTTP server without WebSocket (jsonrpc:// or xmlrpc://)`, {
      status: Number(status),
      schemes: schemesFor('http'),
    });
  }
  const err = new RpcError('E_CONNECT', `WebSocket to ${peer} failed: ${e.message}`);
  return e.rawPacket ? (withPeerHint(err, e.rawPacket, 'http') as RpcError) : err;
}

/** JSON-RPC over WebSocket text messages (the `ws` package). */
export class WsTransport extends StreamTransport {
  private ws?: WebSocket;

  get connected(): boolean {
    return this.ws !== undefined && this.ws.readyState === this.ws.OPEN;
  }

  private get url(): string {
    const ep = this.opts.endpoint;
    const host = ep.host.includes(':') ? `[${ep.host}]` : ep.host;
    const query = ep.params.filter(([k]) => k !== 'insecure');
    const qs = query.length ? '?' + query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&') : '';
    return `${ep.scheme === 'jsonrpc+wss' ? 'wss' : 'ws'}://${host}:${ep.port}${ep.path || '/'}${qs}`;
  }

  connect(signal?: AbortSignal): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.opening ??= this.open(signal).finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async open(signal?: AbortSignal): Promise<void> {
    const peer = `${this.opts.endpoint.host}:${this.opts.endpoint.port}`;
    // `ws` is loaded on the first WebSocket connection, not at every CLI start (with node:repl, ~35 ms of 350)
    const { default: WebSocket } = await import('ws');
    return new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(this.url, {
        handshakeTimeout: this.opts.timeoutMs,
        maxPayload: this.opts.maxMessageBytes,
        rejectUnauthorized: !isInsecure(this.opts),
      });
      const onAbort = () => {
        ws.terminate();
        reject(new RpcError('E_CANCELLED', 'the call was cancelled'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      ws.once('open', () => {
        signal?.removeEventListener('abort', onAbort);
        this.ws = ws;
        resolve();
      });
      ws.on('error', (e: NodeJS.ErrnoException & { rawPacket?: Uint8Array }) => {
        const err =
          e.code === 'ECONNREFUSED'
            ? new RpcError('E_CONNECT', `connection refused by ${peer}`)
            : /maxPayload|Max payload/i.test(e.message)
              ? new RpcError('E_LIMIT', `a WebSocket message from ${peer} exceeds the limit of ${this.opts.maxMessageBytes} bytes`)
              : this.ws
                ? new RpcError('E_CLOSED', `WebSocket to ${peer} failed: ${e.message}`)
                : handshakeError(peer, e);
        if (this.ws === ws) this.hooks.onClosed(err);
        else reject(err);
      });
      ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
        const bytes = rawBytes(data);
        let text: string;
        try {
          text = decodeUtf8(bytes, 0, bytes.length);
        } catch {
          this.hooks.onClosed(new RpcError('E_DECODE', `a WebSocket message from ${peer} is not valid UTF-8`));
          return;
        }
        if (this.tapping) this.frame('in', bytes, `WebSocket ${isBinary ? 'binary' : 'text'} message (${bytes.length} bytes)`, this.callIdOf(text));
        this.hooks.onMessage(text);
      });
      ws.on('close', (code: number) => {
        if (this.ws === ws) {
          this.ws = undefined;
          this.hooks.onClosed(new RpcError('E_CLOSED', `${peer} closed the WebSocket (code ${code})`));
        }
      });
    });
  }

  async send(text: string, ctx: SendContext): Promise<void> {
    await this.connect(ctx.signal);
    const bytes = encodeUtf8(text);
    if (this.tapping) this.frame('out', bytes, `WebSocket text message (${bytes.length} bytes)`, ctx.callId);
    await new Promise<void>((resolve, reject) =>
      this.ws!.send(bytes, { binary: false }, (err) => (err ? reject(new RpcError('E_CLOSED', `WebSocket send failed: ${err.message}`)) : resolve())),
    );
  }

  close(): void {
    const ws = this.ws;
    this.ws = undefined;
    ws?.terminate();
  }
}
