// One RPyC connection: frames in and out over TCP, requests matched to replies by seq number (so
// calls may overlap), and the peer's own requests answered while we wait. RPyC is symmetric: the
// server sends requests on objects we passed it (a list argument it iterates) and we must reply.
import { inflateSync } from 'node:zlib';
import { RpcError } from '../../common/errors';
import type { FrameSink, Layer } from '../../common/frames';
import type { PyValue } from '../../common/value';
import { FRAME_HEADER_SIZE, checkFlusher, decodeFrameHeader, encodeFrame, framePayload, framingLayer } from '../../codecs/rpyc/channel';
import {
  HANDLER,
  MSG,
  boxFromValue,
  boxToValue,
  decodeMessage,
  decodeRequest,
  encodeMessage,
  handlerName,
  messageLayers,
  requestArgs,
  type Boxed,
  type Handler,
  type MsgType,
} from '../../codecs/rpyc/messages';
import { isBrineable } from '../../codecs/rpyc/brine';
import { concatBytes } from '../../codecs/bytes';
import { PEER_HEAD_BYTES, withPeerHint } from '../../codecs/peer-sniff';
import { repr } from '../../common/repr';
import { STOP_ITERATION, decodeException, encodeException, remoteErrorFrom } from '../../codecs/rpyc/vinegar';
import type { TcpConnection } from '../../transport/tcp';
import { startTimeout } from '../../transport/timeouts';

/** What the peer's request raised on our side, sent back as a vinegar exception. */
export class ServedError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
    /** the exception's args when they are not just the message (KeyError carries the key) */
    readonly pyArgs?: PyValue[],
  ) {
    super(message);
  }
}

/** Raised by a served iterator at its end: vinegar sends StopIteration as the int 1. */
export class ServedStopIteration extends Error {}

export type RequestServer = (handler: number, args: Boxed) => Boxed;

export interface RequestOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  callId?: number;
  /** told as a long frame arrives, of the frame's length */
  onProgress?: (received: number, total: number) => void;
  /** what the request is for, in error messages: `the call to slow()` */
  what: string;
}

interface Pending {
  resolve: (b: Boxed) => void;
  reject: (e: unknown) => void;
  callId?: number;
  onProgress?: RequestOptions['onProgress'];
  what: string;
}

export class RpycConnection {
  private nextSeq = 0;
  private readonly pending = new Map<number, Pending>();
  private failure?: RpcError;

  constructor(
    readonly tcp: TcpConnection,
    private readonly opts: { onFrame?: FrameSink; maxMessageBytes: number; serve: RequestServer },
  ) {
    void this.readLoop();
  }

  get isOpen(): boolean {
    return this.failure === undefined && this.tcp.isOpen;
  }

  /** Send a request and wait for its reply. Rejects with RemoteError when the peer raised. */
  request(handler: Handler, args: Boxed, o: RequestOptions): Promise<Boxed> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = this.nextSeq++;
    return new Promise<Boxed>((resolve, reject) => {
      if (o.signal?.aborted) return reject(new RpcError('E_CANCELLED', `${o.what} was cancelled`));
      // a late reply after a timeout is matched by seq and dropped: the connection stays usable
      const cancelTimeout = startTimeout(o.timeoutMs, () => {
        done();
        reject(new RpcError('E_TIMEOUT', `no reply to ${o.what} from ${this.tcp.peer} within ${o.timeoutMs / 1000} s`));
      });
      const onAbort = () => {
        done();
        reject(new RpcError('E_CANCELLED', `${o.what} was cancelled`));
      };
      const done = () => {
        this.pending.delete(seq);
        cancelTimeout();
        o.signal?.removeEventListener('abort', onAbort);
      };
      o.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(seq, {
        callId: o.callId,
        onProgress: o.onProgress,
        what: o.what,
        resolve: (b) => {
          done();
          resolve(b);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      });
      this.send(MSG.REQUEST, seq, requestArgs(handler, args), o.callId).catch((e: unknown) => this.pending.get(seq)?.reject(e));
    });
  }

  /** Send a request whose reply nobody waits for (DEL of a released reference, CLOSE). */
  notify(handler: Handler, args: Boxed, callId?: number): void {
    if (this.failure) return;
    const seq = this.nextSeq++;
    this.send(MSG.REQUEST, seq, requestArgs(handler, args), callId).catch(() => undefined);
  }

  /** Tell the peer we are leaving (RPyC's HANDLE_CLOSE), then close. */
  async shutdown(): Promise<void> {
    if (!this.failure) {
      const sent = this.send(MSG.REQUEST, this.nextSeq++, requestArgs(HANDLER.CLOSE, { label: 'value', value: { t: 'tuple', items: [] } }));
      await Promise.race([sent.catch(() => undefined), new Promise((r) => setTimeout(r, 200))]);
    }
    this.close();
  }

  close(): void {
    this.fail(new RpcError('E_CLOSED', `the connection to ${this.tcp.peer} is closed`));
  }

  private send(msg: MsgType, seq: number, args: PyValue, callId?: number): Promise<void> {
    const frame = encodeFrame(encodeMessage(msg, seq, args));
    this.opts.onFrame?.({ dir: 'out', callId, bytes: frame, layers: () => frameLayers(frame) });
    return this.tcp.write(frame);
  }

  /** The call that frames arriving now most likely belong to: the latest one still waiting. */
  private currentCallId(): number | undefined {
    let id: number | undefined;
    for (const p of this.pending.values()) if (p.callId !== undefined) id = p.callId;
    return id;
  }

  /** Who hears of a long frame's bytes (its seq is inside it): the latest request still waiting that asked. */
  private progressListener(): RequestOptions['onProgress'] {
    let listener: RequestOptions['onProgress'];
    for (const p of this.pending.values()) if (p.onProgress) listener = p.onProgress;
    return listener;
  }

  private async readLoop(): Promise<void> {
    try {
      for (;;) {
        const header = await this.tcp.readExactly(FRAME_HEADER_SIZE, { waitingFor: 'a frame' });
        let h: ReturnType<typeof decodeFrameHeader>;
        try {
          h = decodeFrameHeader(header, this.opts.maxMessageBytes);
        } catch (e) {
          // a header that makes no sense may be another protocol's first bytes
          throw withPeerHint(e, concatBytes([header, this.tcp.peekBuffered(PEER_HEAD_BYTES)]));
        }
        const rest =
          this.tcp.takeBuffered(h.length + 1) ??
          (await this.tcp.readExactly(h.length + 1, { waitingFor: 'the rest of a frame', onProgress: this.progressListener() }));
        checkFlusher(rest[h.length], FRAME_HEADER_SIZE + h.length);
        const frame = concatBytes([header, rest]);
        const inflate = (d: Uint8Array) => inflateLimited(d, this.opts.maxMessageBytes);
        const payload = framePayload(frame, inflate);
        const message = decodeMessage(payload);
        const callId = message.msg === MSG.REQUEST ? this.currentCallId() : (this.pending.get(message.seq)?.callId ?? this.currentCallId());
        this.opts.onFrame?.({ dir: 'in', callId, bytes: frame, layers: () => frameLayers(frame, inflate) });
        this.dispatch(message.msg, message.seq, message.args, callId);
      }
    } catch (e) {
      this.fail(e instanceof RpcError ? e : new RpcError('E_PROTOCOL', `rpyc: ${e instanceof Error ? e.message : String(e)}`));
    }
  }

  private dispatch(msg: MsgType, seq: number, args: PyValue, callId?: number): void {
    if (msg === MSG.REQUEST) {
      this.answer(seq, args, callId);
      return;
    }
    const p = this.pending.get(seq);
    if (!p) return; // a reply to a request that timed out or was cancelled
    if (msg === MSG.REPLY) {
      p.resolve(boxFromValue(args));
      return;
    }
    const exc = decodeException(args);
    if (exc.stopIteration) p.reject(remoteErrorFrom({ module: 'builtins', name: 'StopIteration', args: [], attrs: [], traceback: '' }));
    else p.reject(remoteErrorFrom(exc));
  }

  /** Serve the peer's request; anything we cannot do goes back as an exception, never silence. */
  private answer(seq: number, args: PyValue, callId?: number): void {
    let reply: PyValue;
    let msg: MsgType = MSG.REPLY;
    let handler = 0;
    try {
      const req = decodeRequest(args);
      handler = req.handler;
      reply = boxToValue(this.opts.serve(req.handler, req.args));
    } catch (e) {
      msg = MSG.EXCEPTION;
      if (e instanceof ServedStopIteration) {
        reply = STOP_ITERATION;
      } else {
        const type = e instanceof ServedError ? e.pyType : 'RuntimeError';
        const text = e instanceof Error ? e.message : String(e);
        const tb = `Traceback (most recent call last):\n  served by rpcscope: ${handlerName(handler)}\n${type}: ${text}\n`;
        // vinegar sends args brine cannot carry as their repr
        const args = (e instanceof ServedError && e.pyArgs) || [{ t: 'str', v: text }];
        reply = encodeException('builtins', type, args.map((a) => (isBrineable(a) ? a : { t: 'str', v: repr(a) })), tb);
      }
    }
    if (handler === HANDLER.CLOSE) {
      this.close();
      return;
    }
    this.send(msg, seq, reply, callId).catch(() => undefined);
  }

  private fail(err: RpcError): void {
    if (this.failure) return;
    this.failure = err;
    this.tcp.close();
    for (const p of [...this.pending.values()]) {
      if (err.code === 'E_CLOSED') {
        p.reject(new RpcError('E_CLOSED', `${this.tcp.peer} closed the connection during ${p.what}`, err.detail));
      } else {
        p.reject(err);
      }
    }
    this.pending.clear();
  }
}

function inflateLimited(data: Uint8Array, max: number): Uint8Array {
  try {
    return new Uint8Array(inflateSync(data, { maxOutputLength: Math.min(max, 2 ** 31 - 1) }));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new RpcError('E_LIMIT', `rpyc frame inflates past the limit of ${max} bytes`);
    throw new RpcError('E_DECODE', `rpyc frame: bad zlib data (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Every layer of one frame for the wire view. */
export function frameLayers(frame: Uint8Array, inflate?: (d: Uint8Array) => Uint8Array): Layer[] {
  const framing = framingLayer(frame);
  const compressed = frame[4] === 1;
  const payload = framePayload(frame, inflate);
  if (!compressed) return [framing, ...messageLayers(payload, FRAME_HEADER_SIZE)];
  const inner = messageLayers(payload, 0).map((l) => ({ ...l, range: undefined, fields: l.fields?.map((f) => ({ ...f, range: undefined })) }));
  return [framing, { kind: 'note', title: `zlib payload inflated from ${frame.length - FRAME_HEADER_SIZE - 1} to ${payload.length} bytes` }, ...inner];
}
