// A TCP connection any protocol client can build on: connect with a timeout, buffered reads that
// wait for exactly the bytes a parser asks for (or for the peer to close), writes, a tap on the raw
// bytes, and every socket failure mapped to an RpcError with a stable code and a message naming the
// peer.
//
// Reads are sequential: one pending read at a time (a client serializes its calls anyway). A
// message stream whose parser keeps its own state can take the chunks as they come instead (stream).
// A read that times out or is cancelled leaves the stream in an unknown place; the caller decides
// whether to close the connection (message protocols usually must).
import type { Socket } from 'node:net';
import { RpcError } from '../common/errors';
import { concatBytes } from '../codecs/bytes';
import type { Direction } from '../common/frames';
import { connectPlain } from './socket-reads';
import { startTimeout } from './timeouts';

export interface TcpConnectOptions {
  host: string;
  port: number;
  /** connect timeout, ms */
  timeoutMs: number;
  signal?: AbortSignal;
  /** sees every raw chunk read or written, before any parsing (clients record parsed frames themselves) */
  tap?: (dir: Direction, bytes: Uint8Array) => void;
}

export interface ReadOptions {
  /** give up after this many ms (E_TIMEOUT); no limit when absent */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** what the read waits for, in error messages; default "a reply" */
  waitingFor?: string;
  /** told as the bytes of a long read arrive: how many are here of the `total` it waits for */
  onProgress?: (received: number, total: number) => void;
}

/** Receives a connection's bytes as they arrive, for a parser that keeps its own state. */
export interface ChunkSink {
  chunk(bytes: Uint8Array): void;
  /**
   * once, when the stream ends; `why` makes the error that says why (the peer closed, a socket
   * error, or close() here), only when asked: a reply read until the peer closes needs none
   */
  end(why: () => RpcError): void;
}

export class TcpConnection {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private ended = false;
  private closedLocally = false;
  private failure?: RpcError;
  private wake?: () => void;
  private sink?: ChunkSink;

  private constructor(
    private readonly socket: Socket,
    readonly host: string,
    readonly port: number,
    private readonly tap?: TcpConnectOptions['tap'],
  ) {
    socket.on('end', () => this.markEnded());
    socket.on('close', () => this.markEnded());
    socket.on('error', (e) => {
      this.failure ??= mapSocketError(e, this.peer);
      this.markEnded();
    });
  }

  /** A chunk the socket read (ours to keep). */
  private received(bytes: Uint8Array): void {
    this.tap?.('in', bytes);
    if (this.sink) return this.sink.chunk(bytes);
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    this.wake?.();
  }

  /** `HOST:PORT`, for messages */
  get peer(): string {
    return formatPeer(this.host, this.port);
  }

  /** true until the peer closed, an error occurred or close() was called */
  get isOpen(): boolean {
    return !this.ended && !this.closedLocally;
  }

  /** bytes received but not yet consumed */
  get bufferedBytes(): number {
    return this.buffered;
  }

  static open(opts: TcpConnectOptions): Promise<TcpConnection> {
    const peer = formatPeer(opts.host, opts.port);
    return new Promise((resolve, reject) => {
      if (opts.signal?.aborted) return reject(cancelled());
      let conn: TcpConnection | undefined;
      // reading starts after 'connect', whose listener below makes the connection
      const socket = connectPlain(opts.host, opts.port, (bytes) => conn?.received(bytes));
      const fail = (err: RpcError) => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onError = (e: Error) => fail(mapConnectError(e, opts.host, opts.port));
      const onAbort = () => fail(cancelled());
      const cancelTimeout = startTimeout(opts.timeoutMs, () =>
        fail(new RpcError('E_TIMEOUT', `could not connect to ${peer} within ${seconds(opts.timeoutMs)}`)),
      );
      const cleanup = () => {
        cancelTimeout();
        socket.off('error', onError);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      socket.once('error', onError);
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        cleanup();
        conn = new TcpConnection(socket, opts.host, opts.port, opts.tap);
        resolve(conn);
      });
    });
  }

  /** Exactly `n` bytes; rejects with E_CLOSED if the peer closes first. */
  async readExactly(n: number, opts: ReadOptions = {}): Promise<Uint8Array> {
    if (this.buffered >= n) return this.take(n);
    const progress = opts.onProgress;
    const ready = progress ? () => this.buffered >= n || (progress(this.buffered, n), false) : () => this.buffered >= n;
    await this.waitFor(ready, opts, () => `(${this.buffered} of ${n} bytes)`);
    return this.take(n);
  }

  /**
   * Exactly `n` bytes if they are already buffered, else undefined (nothing consumed). Lets a
   * parser take the rest of a message that came in one chunk without a wait, a timer or a promise.
   */
  takeBuffered(n: number): Uint8Array | undefined {
    return this.buffered >= n ? this.take(n) : undefined;
  }

  /**
   * Everything until the peer closes its side, taken as it arrives (one wait for the whole reply,
   * not one per chunk); `onChunk` sees each piece. A reset after some bytes ends the reply too, as
   * a close does. E_LIMIT past `maxBytes`. The connection is done after it, whatever the outcome.
   */
  readToEnd(opts: ReadOptions & { maxBytes?: number; onChunk?: (bytes: Uint8Array) => void } = {}): Promise<Uint8Array> {
    const max = opts.maxBytes ?? Infinity;
    return new Promise<Uint8Array>((resolve, reject) => {
      const parts: Uint8Array[] = [];
      let total = 0;
      let settled = false;
      let disarm: (() => void) | undefined;
      const finish = (err?: RpcError) => {
        if (settled) return;
        settled = true;
        disarm?.();
        if (err) reject(err);
        else resolve(concatBytes(parts));
      };
      if (opts.signal?.aborted) return finish(cancelled());
      this.stream({
        chunk: (bytes) => {
          if (settled) return;
          parts.push(bytes);
          total += bytes.length;
          opts.onChunk?.(bytes);
          if (total > max) return finish(new RpcError('E_LIMIT', `the reply from ${this.peer} exceeds the limit of ${max} bytes`));
          // the reply ends when the peer closes: no total to give
          opts.onProgress?.(total, 0);
        },
        // the peer's close ends the reply, and so does a reset once some of it came
        end: (why) => finish(!this.closedLocally && (this.failure === undefined || (this.failure.code === 'E_CLOSED' && total > 0)) ? undefined : why()),
      });
      if (!settled) disarm = this.armDeadline(opts, finish);
    });
  }

  /**
   * Hand every chunk to `sink` from now on, buffered ones first, instead of serving reads: a
   * message stream read this way costs no promise or wait per chunk.
   */
  stream(sink: ChunkSink): void {
    if (this.wake) throw new RpcError('E_INTERNAL', `a read is pending on the connection to ${this.peer}`);
    this.sink = sink;
    const buffered = this.chunks;
    this.chunks = [];
    this.buffered = 0;
    for (const c of buffered) sink.chunk(c);
    if (this.ended) this.endSink();
  }

  write(bytes: Uint8Array): Promise<void> {
    if (!this.isOpen) return Promise.reject(this.failure ?? this.closedError());
    this.tap?.('out', bytes);
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(this.failure ?? mapSocketError(err, this.peer)) : resolve()));
    });
  }

  /** Up to `max` of the bytes received and not yet consumed, left in place (for error messages). */
  peekBuffered(max: number): Uint8Array {
    const out = new Uint8Array(Math.min(max, this.buffered));
    let at = 0;
    for (const c of this.chunks) {
      if (at === out.length) break;
      const k = Math.min(c.length, out.length - at);
      out.set(c.subarray(0, k), at);
      at += k;
    }
    return out;
  }

  /** Close now; pending reads fail with E_CLOSED. */
  close(): void {
    if (this.closedLocally) return;
    this.closedLocally = true;
    this.socket.destroy();
    this.markEnded();
  }

  private closedError(): RpcError {
    return new RpcError('E_CLOSED', `the connection to ${this.peer} is closed`);
  }

  private markEnded(): void {
    const first = !this.ended;
    this.ended = true;
    this.wake?.();
    if (first) this.endSink();
  }

  private endSink(): void {
    this.sink?.end(() => this.failure ?? (this.closedLocally ? this.closedError() : new RpcError('E_CLOSED', `${this.peer} closed the connection`)));
  }

  private take(n: number): Uint8Array {
    this.buffered -= n;
    const first = this.chunks[0];
    if (first && first.length >= n) {
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
      return first.subarray(0, n);
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0];
      const k = Math.min(c.length, n - filled);
      out.set(c.subarray(0, k), filled);
      filled += k;
      if (k === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(k);
    }
    return out;
  }

  /**
   * Resolve once `ready()` holds. Rejects when the stream ends first, on timeout, or on abort.
   */
  private waitFor(
    ready: () => boolean,
    opts: ReadOptions,
    progress: () => string,
  ): Promise<void> {
    if (this.wake) return Promise.reject(new RpcError('E_INTERNAL', `concurrent reads on the connection to ${this.peer}`));
    const what = opts.waitingFor ?? 'a reply';
    return new Promise<void>((resolve, reject) => {
      let disarm: (() => void) | undefined;
      const finish = (err?: unknown) => {
        this.wake = undefined;
        disarm?.();
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        let ok: boolean;
        try {
          ok = ready();
        } catch (e) {
          return finish(e);
        }
        if (ok) return finish();
        if (!this.ended) return;
        if (this.closedLocally) return finish(this.closedError());
        if (this.failure && this.failure.code !== 'E_CLOSED') return finish(this.failure);
        const p = progress();
        finish(
          new RpcError('E_CLOSED', `server closed the connection while waiting for ${what}${p ? ` ${p}` : ''}`, {
            peer: this.peer,
            buffered: this.buffered,
          }),
        );
      };
      if (opts.signal?.aborted) return finish(cancelled());
      // settled already (the bytes are here, or the stream ended): no timer or listener to arm
      this.wake = check;
      check();
      if (this.wake !== undefined) disarm = this.armDeadline(opts, finish);
    });
  }

  /** A read's cancel and timeout: `fail` gets E_CANCELLED or E_TIMEOUT; returns what disarms both. */
  private armDeadline(opts: ReadOptions, fail: (err: RpcError) => void): () => void {
    const onAbort = () => fail(cancelled());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = opts.timeoutMs;
    const cancelTimeout =
      timeoutMs !== undefined && Number.isFinite(timeoutMs)
        ? startTimeout(timeoutMs, () => fail(new RpcError('E_TIMEOUT', `no ${stripArticle(opts.waitingFor ?? 'a reply')} from ${this.peer} within ${seconds(timeoutMs)}`)))
        : undefined;
    return () => {
      cancelTimeout?.();
      opts.signal?.removeEventListener('abort', onAbort);
    };
  }
}

function formatPeer(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function stripArticle(s: string): string {
  return s.replace(/^(a|an|the) /, '');
}

function cancelled(): RpcError {
  return new RpcError('E_CANCELLED', 'the call was cancelled');
}

function errnoOf(e: Error): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

function mapConnectError(e: Error, host: string, port: number): RpcError {
  const peer = formatPeer(host, port);
  switch (errnoOf(e)) {
    case 'ECONNREFUSED':
      return new RpcError('E_CONNECT', `connection refused by ${peer}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new RpcError('E_CONNECT', `cannot resolve host "${host}"`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new RpcError('E_CONNECT', `${peer} is unreachable`);
    case 'ETIMEDOUT':
      return new RpcError('E_TIMEOUT', `could not connect to ${peer} (timed out)`);
    default:
      return new RpcError('E_CONNECT', `cannot connect to ${peer}: ${e.message}`);
  }
}

function mapSocketError(e: Error, peer: string): RpcError {
  switch (errnoOf(e)) {
    case 'ECONNRESET':
      return new RpcError('E_CLOSED', `${peer} reset the connection`);
    case 'EPIPE':
      return new RpcError('E_CLOSED', `${peer} closed the connection`);
    case 'ETIMEDOUT':
      return new RpcError('E_TIMEOUT', `the connection to ${peer} timed out`);
    default:
      return new RpcError('E_CLOSED', `connection to ${peer} failed: ${e.message}`);
  }
}
