// The HTTP/1.1 response parser of the RPC-over-HTTP clients, apart from the socket: bytes in as they
// arrive, complete responses out. An explicit state machine over one buffer that scans each byte
// once (a 10 MB body in many packets stays linear). It allocates only for bytes received: a
// Content-Length or a chunk size is checked against the body limit and never sizes a buffer, and
// the head, a chunk-size line and the trailers are bounded too. The same bytes give the same
// responses, or the same error, however they are split.
import { gunzipSync, inflateSync } from 'node:zlib';
import { RpcError } from '../common/errors';
import { withPeerHint } from '../codecs/peer-sniff';

export interface HttpResponse {
  version: string;
  status: number;
  reason: string;
  headers: [string, string][];
  /** the whole response as received: status line, headers, body as sent (chunked, compressed) */
  raw: Uint8Array;
  /** length of the status line and headers within raw, including the blank line */
  headLength: number;
  /** the body as the application sees it: de-chunked and decompressed */
  body: Uint8Array;
  /** whether the body arrived compressed (and with which coding) */
  contentEncoding?: string;
}

/** The status line and headers may take this many bytes, and so may a chunk-size line or the trailers. */
export const MAX_HEAD_BYTES = 64 * 1024;

export function header(headers: [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  // (names of another length are passed over without a lowercased copy: a response's headers are
  // looked up several times each)
  for (const [k, v] of headers) if (k.length === lower.length && (k === lower || k.toLowerCase() === lower)) return v;
  return undefined;
}

interface Head {
  version: string;
  status: number;
  reason: string;
  headers: [string, string][];
  headLength: number;
}

type State =
  | { kind: 'head' }
  | { kind: 'length'; end: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; end: number }
  | { kind: 'trailers'; start: number }
  | { kind: 'close' };

const CRLF = '\r\n';
const HEAD_END = Buffer.from('\r\n\r\n');
const HTTP_PREFIX = 'HTTP/';

export class HttpResponseParser {
  /** the unparsed stream from the start of the current response; writable only when owned */
  private buf: Uint8Array = new Uint8Array(0);
  private owned = false;
  private size = 0;
  private ended = false;
  private state: State = { kind: 'head' };
  private head?: Head;
  /** start of the line being read (chunk sizes, trailers) */
  private pos = 0;
  /** where the next search for a line end starts: bytes before it were searched already */
  private scan = 0;
  /** the de-chunked body so far, as ranges of buf */
  private parts: [number, number][] = [];
  private total = 0;

  constructor(
    private readonly peer: string,
    private readonly maxBody: number,
  ) {}

  /** Bytes buffered and not yet returned as part of a response. */
  get buffered(): number {
    return this.size;
  }

  /** How much of a body with a Content-Length has come: [received, total] bytes, while it comes. */
  bodyProgress(): [number, number] | undefined {
    if (this.state.kind !== 'length' || this.head === undefined) return undefined;
    const start = this.head.headLength;
    return [Math.min(this.size, this.state.end) - start, this.state.end - start];
  }

  /** More of the stream. The parser may keep a view of `bytes`: the caller must not change them. */
  feed(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    if (this.size === 0) {
      // Take the first piece as it is (the common one-packet response is never copied); it is
      // not ours to write into, so a second piece moves both into a buffer of our own.
      this.buf = bytes;
      this.owned = false;
      this.size = bytes.length;
      return;
    }
    const need = this.size + bytes.length;
    if (!this.owned || need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.owned ? this.buf.length * 2 : need));
      grown.set(this.buf.subarray(0, this.size));
      this.buf = grown;
      this.owned = true;
    }
    this.buf.set(bytes, this.size);
    this.size = need;
  }

  /** The peer closed the connection: a body that runs until the close is complete. */
  end(): void {
    this.ended = true;
  }

  /** Forget everything buffered and start on a new stream. */
  reset(): void {
    this.buf = new Uint8Array(0);
    this.owned = false;
    this.size = 0;
    this.ended = false;
    this.restart();
  }

  /** The next complete response, taken off the buffer, or undefined while more bytes are needed. */
  take(): HttpResponse | undefined {
    for (;;) {
      const state = this.state;
      switch (state.kind) {
        case 'head': {
          const head = this.readHead();
          if (head === undefined) return undefined;
          if (head === 'interim') continue;
          this.head = head;
          this.state = this.bodyState(head);
          this.pos = this.scan = head.headLength;
          continue;
        }
        case 'length':
          if (this.size < state.end) return undefined;
          this.parts = [[this.head!.headLength, state.end]];
          return this.finish(state.end);
        case 'chunk-size': {
          const lineEnd = this.lineEnd(this.pos + MAX_HEAD_BYTES, 'a chunk-size line');
          if (lineEnd < 0) return undefined;
          const line = this.text(this.pos, lineEnd);
          const sizeText = line.split(';')[0].trim();
          if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw new RpcError('E_PROTOCOL', `bad chunk size from ${this.peer}: ${JSON.stringify(sizeText)}`);
          const n = parseInt(sizeText, 16);
          this.total += n;
          if (this.total > this.maxBody) throw this.tooLarge();
          this.pos = this.scan = lineEnd + 2;
          this.state = n === 0 ? { kind: 'trailers', start: this.pos } : { kind: 'chunk-data', end: this.pos + n };
          continue;
        }
        case 'chunk-data':
          // the chunk and the CRLF after it
          if (this.size < state.end + 2) return undefined;
          this.parts.push([this.pos, state.end]);
          this.pos = this.scan = state.end + 2;
          this.state = { kind: 'chunk-size' };
          continue;
        case 'trailers': {
          // trailer lines until an empty one
          const lineEnd = this.lineEnd(state.start + MAX_HEAD_BYTES - 2, 'the trailers');
          if (lineEnd < 0) return undefined;
          const empty = lineEnd === this.pos;
          this.pos = this.scan = lineEnd + 2;
          if (empty) return this.finish(this.pos);
          continue;
        }
        case 'close':
          // No length: the body runs until the server closes the connection.
          if (this.size - this.head!.headLength > this.maxBody) throw this.tooLarge();
          if (!this.ended) return undefined;
          this.parts = [[this.head!.headLength, this.size]];
          return this.finish(this.size);
      }
    }
  }

  /** The status line and headers once complete; an interim response (100 Continue) is skipped. */
  private readHead(): Head | 'interim' | undefined {
    const view = this.view();
    const at = view.indexOf(HEAD_END, this.scan);
    if (this.size >= 5 && view.toString('latin1', 0, 5) !== HTTP_PREFIX) throw this.notHttp();
    if (at < 0) {
      this.scan = Math.max(0, this.size - 3);
      // the head, when it ends, ends past what is buffered
      if (this.size >= MAX_HEAD_BYTES) throw this.headTooLarge();
      return undefined;
    }
    const headLength = at + 4;
    if (headLength > MAX_HEAD_BYTES) throw this.headTooLarge();
    const lines = view.toString('latin1', 0, at).split(CRLF);
    const m = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0]);
    if (!m) throw this.notHttp();
    const headers: [string, string][] = [];
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new RpcError('E_PROTOCOL', `malformed HTTP header from ${this.peer}: ${JSON.stringify(line)}`);
      headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
    }
    const status = Number(m[2]);
    if (status >= 100 && status < 200) {
      // Interim response (100 Continue): skip it and wait for the real one.
      this.consume(headLength);
      return 'interim';
    }
    return { version: m[1], status, reason: m[3] ?? '', headers, headLength };
  }

  private bodyState(head: Head): State {
    const te = header(head.headers, 'transfer-encoding');
    if (te && /chunked/i.test(te)) return { kind: 'chunk-size' };
    const cl = header(head.headers, 'content-length');
    if (cl === undefined) return { kind: 'close' };
    if (!/^\d+$/.test(cl)) throw new RpcError('E_PROTOCOL', `bad Content-Length from ${this.peer}: ${JSON.stringify(cl)}`);
    const n = Number(cl);
    if (n > this.maxBody) throw new RpcError('E_LIMIT', `the HTTP response from ${this.peer} (${n} bytes) exceeds the limit of ${this.maxBody} bytes`);
    return { kind: 'length', end: head.headLength + n };
  }

  /**
   * The offset of the CRLF ending the line at pos, or -1 while it has not arrived. A line whose end
   * lies (or must lie, by what is buffered) past maxEnd is E_LIMIT either way.
   */
  private lineEnd(maxEnd: number, what: string): number {
    const at = this.view().indexOf(CRLF, Math.max(this.pos, this.scan));
    if (at < 0) {
      this.scan = Math.max(this.pos, this.size - 1);
      if (this.size - 1 > maxEnd) throw this.lineTooLong(what);
      return -1;
    }
    if (at > maxEnd) throw this.lineTooLong(what);
    return at;
  }

  /** Hand out the response ending at `end` and keep what follows for the next one. */
  private finish(end: number): HttpResponse {
    const head = this.head!;
    // The response keeps its bytes; a buffer grown well past them is not kept alive for it.
    const raw = this.owned && this.buf.length - end > end / 8 ? Buffer.from(this.buf.subarray(0, end)) : this.buf.subarray(0, end);
    const parts = this.parts.map(([a, b]) => raw.subarray(a, b));
    const wireBody = parts.length === 1 ? parts[0] : Buffer.concat(parts, this.total);
    const coding = header(head.headers, 'content-encoding')?.toLowerCase();
    const body = this.decompress(wireBody, coding);
    this.consume(end);
    return {
      version: head.version,
      status: head.status,
      reason: head.reason,
      headers: head.headers,
      raw,
      headLength: head.headLength,
      body,
      contentEncoding: coding && coding !== 'identity' ? coding : undefined,
    };
  }

  /** Drop the first n buffered bytes (a response handed out or skipped) and parse afresh. */
  private consume(n: number): void {
    // never written into again: a response handed out may be a view of these bytes
    this.buf = this.buf.subarray(n, this.size);
    this.owned = false;
    this.size -= n;
    this.restart();
  }

  private restart(): void {
    this.state = { kind: 'head' };
    this.head = undefined;
    this.pos = this.scan = 0;
    this.parts = [];
    this.total = 0;
  }

  private view(): Buffer {
    return Buffer.from(this.buf.buffer, this.buf.byteOffset, this.size);
  }

  private text(from: number, to: number): string {
    return this.view().toString('latin1', from, to);
  }

  private decompress(body: Uint8Array, coding: string | undefined): Uint8Array {
    if (!coding || coding === 'identity') return body;
    try {
      if (coding === 'gzip' || coding === 'x-gzip') return gunzipSync(body, { maxOutputLength: this.maxBody });
      if (coding === 'deflate') return inflateSync(body, { maxOutputLength: this.maxBody });
    } catch (e) {
      // a small compressed body can inflate past the limit: that is the limit, not bad data
      if ((e as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new RpcError('E_LIMIT', `the ${coding} body from ${this.peer} inflates past the limit of ${this.maxBody} bytes`);
      }
      throw new RpcError('E_DECODE', `cannot decompress the ${coding} body from ${this.peer}: ${e instanceof Error ? e.message : String(e)}`);
    }
    throw new RpcError('E_PROTOCOL', `unsupported Content-Encoding from ${this.peer}: ${coding}`);
  }

  private tooLarge(): RpcError {
    return new RpcError('E_LIMIT', `the HTTP response from ${this.peer} exceeds the limit of ${this.maxBody} bytes`);
  }

  private headTooLarge(): RpcError {
    return new RpcError('E_LIMIT', `HTTP headers from ${this.peer} exceed ${MAX_HEAD_BYTES} bytes`);
  }

  private lineTooLong(what: string): RpcError {
    return new RpcError('E_LIMIT', `${what} from ${this.peer} exceeds ${MAX_HEAD_BYTES} bytes`);
  }

  private notHttp(): RpcError {
    const err = new RpcError('E_PROTOCOL', `${this.peer} did not answer with HTTP (got ${JSON.stringify(this.text(0, Math.min(40, this.size)))}...)`);
    return withPeerHint(err, this.buf.subarray(0, this.size), 'http') as RpcError;
  }
}
