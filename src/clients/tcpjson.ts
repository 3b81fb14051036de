// tcpjson:// — the raw-TCP JSON RPC of seed 003: one connection per call, the request
// `{"method_name", "method_args", "method_kwargs"}` out, `{"res": ...}` back, the reply read until
// the server closes (the article's client reads 1024 bytes and truncates longer replies).
// There is no error channel: an unknown name answers the string 'Please use the correct function'
// (a result like any other), and an exception in the function stops the server without a reply.
import type { CallRequest, MethodList } from '../common/call';
import { RpcError } from '../common/errors';
import { frameClock, type Layer } from '../common/frames';
import { WRONG_FUNCTION } from '../common/no-such-method';
import { repr } from '../common/repr';
import { str, strDict, strKeyValue, type PyValue } from '../common/value';
import { decodeUtf8, encodeUtf8 } from '../codecs/bytes';
import { jsonToPy, pyToJsonText } from '../codecs/json-value';
import { withPeerHint } from '../codecs/peer-sniff';
import { TcpConnection } from '../transport/tcp';
import type { CallOptions, ClientOptions, RpcClient } from './types';

/** The seed server reads the request with a single recv(1024). */
const SERVER_RECV = 1024;

export function encodeTcpJsonRequest(req: CallRequest): string {
  return pyToJsonText(
    strDict([
      ['method_name', str(req.method)],
      ['method_args', { t: 'list', items: req.args }],
      ['method_kwargs', strDict(req.kwargs)],
    ]),
  );
}

function jsonLayers(text: string, title: string): Layer[] {
  const v = jsonToPy(text);
  return [
    { kind: 'json', title, text: pyToJsonText(v, { indent: 2 }) },
    { kind: 'value', title: 'value', text: repr(v) },
  ];
}

export class TcpJsonClient implements RpcClient {
  readonly endpoint;
  /** names that answered something other than 'Please use the correct function' */
  private readonly learned = new Set<string>();

  constructor(private readonly opts: ClientOptions) {
    this.endpoint = opts.endpoint;
  }

  /** Every call has its own connection: nothing stays open between calls. */
  get connected(): boolean {
    return false;
  }

  /**
   * Nothing to do: there is no session, and even a probe would hurt, since the seed server takes an
   * empty connection as a call, fails to parse it and stops. Connection errors surface on the call.
   */
  async connect(): Promise<void> {}

  async call(req: CallRequest, opts: CallOptions = {}): Promise<PyValue> {
    if (req.target !== undefined) throw new RpcError('E_UNSUPPORTED', 'tcpjson:// has no remote objects to call methods on');
    const text = encodeTcpJsonRequest(req);
    const bytes = encodeUtf8(text);
    const { callId, signal } = opts;
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const sink = this.opts.onFrame;
    const conn = await this.open(signal);
    try {
      sink?.({
        callId,
        dir: 'out',
        bytes,
        time: frameClock(),
        layers: () => [
          ...(bytes.length > SERVER_RECV ? [{ kind: 'note' as const, title: `longer than the server's recv(${SERVER_RECV}): it reads only the first ${SERVER_RECV} bytes` }] : []),
          ...jsonLayers(text, `request (${bytes.length} bytes)`),
        ],
      });
      // not waiting for the write: a write that fails breaks the socket, and the read reports it
      conn.write(bytes).catch(() => undefined);
      const reply = await this.readReply(conn, { callId, timeoutMs, signal, requestLength: bytes.length, onProgress: opts.onProgress });
      let res: PyValue | undefined;
      try {
        const v = jsonToPy(reply.text);
        res = v.t === 'dict' ? strKeyValue(v, 'res') : undefined;
        if (!res) throw new RpcError('E_PROTOCOL', `the reply from ${conn.peer} has no "res": ${reply.text.slice(0, 200)}`);
      } catch (e) {
        throw withPeerHint(e, reply.bytes, 'json');
      }
      if (!(res.t === 'str' && res.v === WRONG_FUNCTION)) this.learned.add(req.method);
      return res;
    } finally {
      conn.close();
    }
  }

  async methods(): Promise<MethodList> {
    const note = 'tcpjson:// servers have no introspection; these are the names that answered something other than ' + `'${WRONG_FUNCTION}'`;
    const methods = [...this.learned].sort().map((name) => ({ name }));
    return methods.length > 0 ? { methods, source: 'learned', note } : { methods, source: 'none', note: 'tcpjson:// servers have no introspection, and no call has succeeded yet' };
  }

  async close(): Promise<void> {}

  private open(signal?: AbortSignal): Promise<TcpConnection> {
    return TcpConnection.open({ host: this.endpoint.host, port: this.endpoint.port, timeoutMs: this.opts.timeoutMs, signal });
  }

  /** Every chunk until the server closes, each recorded as a frame; the whole reply, as bytes and text. */
  private async readReply(
    conn: TcpConnection,
    o: { callId?: number; timeoutMs: number; signal?: AbortSignal; requestLength: number; onProgress?: CallOptions['onProgress'] },
  ): Promise<{ bytes: Uint8Array; text: string }> {
    const chunks: { bytes: Uint8Array; time: number }[] = [];
    const onChunk = this.opts.onFrame && ((bytes: Uint8Array) => void chunks.push({ bytes, time: frameClock() }));
    let text: string | undefined;
    try {
      let all: Uint8Array;
      try {
        all = await conn.readToEnd({ timeoutMs: o.timeoutMs, signal: o.signal, waitingFor: 'a reply', maxBytes: this.opts.maxMessageBytes, onChunk, onProgress: o.onProgress });
      } catch (e) {
        // (it fails with E_CLOSED only when nothing came)
        throw this.explain(e, o.requestLength);
      }
      if (all.length === 0) throw this.explain(new RpcError('E_CLOSED', `${conn.peer} closed the connection without a reply`), o.requestLength);
      try {
        text = decodeUtf8(all, 0, all.length);
      } catch {
        throw withPeerHint(new RpcError('E_DECODE', `the reply from ${conn.peer} is not valid UTF-8`), all);
      }
      return { bytes: all, text };
    } finally {
      this.emitReplyFrames(chunks, o.callId, text);
    }
  }

  /** One frame per read; the last also carries the whole reply decoded. */
  private emitReplyFrames(chunks: { bytes: Uint8Array; time: number }[], callId: number | undefined, text?: string): void {
    const sink = this.opts.onFrame;
    if (!sink) return;
    const total = chunks.reduce((n, c) => n + c.bytes.length, 0);
    let start = 0;
    chunks.forEach(({ bytes, time }, i) => {
      const note: Layer = { kind: 'note', title: `reply bytes ${start}-${start + bytes.length} of ${total} (read ${i + 1} of ${chunks.length})`, range: [0, bytes.length] };
      start += bytes.length;
      const last = i === chunks.length - 1 && text !== undefined;
      sink({ callId, dir: 'in', bytes, time, layers: last ? () => [note, ...jsonLayers(text!, `reply (${total} bytes)`)] : [note] });
    });
  }

  /** Why a server closed without a word: what seed 003's server does when it cannot answer. */
  private explain(e: unknown, requestLength: number): unknown {
    if (!(e instanceof RpcError) || e.code !== 'E_CLOSED') return e;
    const why =
      requestLength > SERVER_RECV
        ? `the request was ${requestLength} bytes and the server reads only ${SERVER_RECV}, so it could not parse it`
        : 'the function probably raised: this server has no error replies, and an exception stops it';
    return new RpcError('E_CLOSED', `${e.message} (${why})`, e.detail);
  }
}

export const createTcpJsonClient = (opts: ClientOptions): RpcClient => new TcpJsonClient(opts);
