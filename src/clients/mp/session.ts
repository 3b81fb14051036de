// The client side of a Cookbook-style server on multiprocessing.connection: one connection, the
// authkey handshake, calls one at a time (a Connection is not safe for interleaved calls), and the
// method names learned from calls that worked. What goes inside each message is the codec's business
// (pickle:// or mpjson://).
import { RemoteError, RpcError } from '../../common/errors';
import type { CallRequest, MethodList } from '../../common/call';
import type { Endpoint } from '../../common/url';
import type { PyValue } from '../../common/value';
import { TcpConnection } from '../../transport/tcp';
import type { CallOptions, ClientOptions, RpcClient } from '../types';
import { authenticate, authkeyBytes, authkeyRequired, isChallenge } from './auth';
import { MpWire, closedDuring, type DescribePayload } from './wire';

/** What a message carries, per scheme. */
export interface MpCodec {
  encodeRequest(req: CallRequest): Uint8Array;
  describeRequest: DescribePayload;
  describeReply: DescribePayload;
  /** The reply's value; throws RemoteError when it is an exception. */
  decodeReply(payload: Uint8Array): PyValue;
  /** Whether a successful reply really says "no such method" (JSON servers send str(KeyError)). */
  isMissingMethodReply?(value: PyValue, method: string): boolean;
  /** Why a server may not answer a call (close or go silent), added to E_CLOSED / E_TIMEOUT. */
  noReplyHint?: string;
  /** Why the first call on a connection may get no reply at all, added to E_CLOSED / E_TIMEOUT. */
  firstCallHint?: string;
}

/** The longest we wait for the server's first handshake message when we hold an authkey. */
const CHALLENGE_WAIT_MS = 2000;
/** Names a server might register to list its functions; tried in order by methods(). */
const LISTING_METHODS = ['system.listMethods', 'listMethods'];
/** A listing answers at once; a server that goes silent on unknown names (seed 001) must not stall us. */
const LISTING_WAIT_MS = 2000;
const NO_INTROSPECTION_NOTE = 'pickle servers have no introspection; these are the names seen to work';

export class MpClient implements RpcClient {
  readonly endpoint: Endpoint;
  private wire?: MpWire;
  /** calls answered on the current connection */
  private answered = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly learned = new Set<string>();
  private readonly key?: Uint8Array;

  constructor(
    private readonly opts: ClientOptions,
    private readonly codec: MpCodec,
  ) {
    this.endpoint = opts.endpoint;
    this.key = opts.authkey !== undefined && opts.authkey !== '' ? authkeyBytes(opts.authkey) : undefined;
  }

  get connected(): boolean {
    return this.wire?.tcp.isOpen ?? false;
  }

  /** Names known to work on this endpoint (seed it from history). */
  learnMethods(names: Iterable<string>): void {
    for (const n of names) this.learned.add(n);
  }

  learnedMethods(): string[] {
    return [...this.learned].sort();
  }

  connect(opts: { signal?: AbortSignal } = {}): Promise<void> {
    return this.serialize(async () => {
      await this.ensureConnected(Date.now() + this.opts.timeoutMs, opts.signal);
    });
  }

  call(req: CallRequest, opts: CallOptions = {}): Promise<PyValue> {
    return this.serialize(() => this.perform(req, opts));
  }

  async methods(opts: CallOptions = {}): Promise<MethodList> {
    const timeoutMs = Math.min(opts.timeoutMs ?? this.opts.timeoutMs, LISTING_WAIT_MS);
    for (const name of LISTING_METHODS) {
      let result: PyValue;
      try {
        result = await this.call({ method: name, args: [], kwargs: [] }, { ...opts, timeoutMs });
      } catch (e) {
        if (e instanceof RemoteError) continue;
        if (e instanceof RpcError && ['E_CLOSED', 'E_DECODE', 'E_TIMEOUT'].includes(e.code)) continue;
        throw e;
      }
      const names = stringItems(result);
      if (names) {
        this.learned.delete(name);
        return { source: 'introspection', methods: names.map((n) => ({ name: n })), note: `listed by the server's ${name}()` };
      }
      this.learned.delete(name);
    }
    const names = this.learnedMethods();
    return {
      source: names.length ? 'learned' : 'none',
      methods: names.map((n) => ({ name: n })),
      note: NO_INTROSPECTION_NOTE,
    };
  }

  async close(): Promise<void> {
    this.drop();
  }

  private serialize<T>(run: () => Promise<T>): Promise<T> {
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private drop(): void {
    this.wire?.tcp.close();
    this.wire = undefined;
  }

  private async ensureConnected(deadline: number, signal?: AbortSignal): Promise<MpWire> {
    if (this.wire?.tcp.isOpen) return this.wire;
    this.drop();
    const tcp = await TcpConnection.open({
      host: this.endpoint.host,
      port: this.endpoint.port,
      timeoutMs: Math.max(1, deadline - Date.now()),
      signal,
    });
    const wire = new MpWire(tcp, this.opts.onFrame);
    if (this.key) {
      try {
        await authenticate(wire, this.key, {
          challengeTimeoutMs: Math.max(1, Math.min(CHALLENGE_WAIT_MS, deadline - Date.now())),
          signal,
        });
      } catch (e) {
        tcp.close();
        throw e;
      }
    }
    this.wire = wire;
    this.answered = 0;
    return wire;
  }

  private async perform(req: CallRequest, opts: CallOptions): Promise<PyValue> {
    const timeoutMs = opts.timeoutMs ?? this.opts.timeoutMs;
    const deadline = Date.now() + timeoutMs;
    const payload = this.codec.encodeRequest(req);
    // connected already (every call but the first): no extra await
    const wire = this.wire?.tcp.isOpen ? this.wire : await this.ensureConnected(deadline, opts.signal);
    let reply: Uint8Array;
    try {
      // the reply is awaited, not the write: a write that fails breaks the socket, and the read
      // then fails with what happened
      wire.sendBytes(payload, { callId: opts.callId, describe: this.codec.describeRequest }).catch(() => undefined);
      reply = await wire.recvBytes(this.opts.maxMessageBytes, {
        callId: opts.callId,
        describe: this.codec.describeReply,
        timeoutMs: Math.max(1, deadline - Date.now()),
        signal: opts.signal,
        waitingFor: `the reply to ${req.method}()`,
        onProgress: opts.onProgress,
      });
    } catch (e) {
      // the stream is at an unknown position now: start over on the next call
      this.drop();
      const hint = [this.codec.noReplyHint, this.answered === 0 ? this.codec.firstCallHint : undefined].filter(Boolean).join('; ');
      if (e instanceof RpcError && e.code === 'E_TIMEOUT') {
        const msg = `no reply to ${req.method}() from ${wire.tcp.peer} within ${timeoutMs / 1000} s`;
        throw new RpcError('E_TIMEOUT', hint ? `${msg} (${hint})` : msg);
      }
      throw closedDuring(e, `during the call to ${req.method}`, hint);
    }
    this.answered++;
    if (!this.key && isChallenge(reply)) {
      this.drop();
      throw authkeyRequired();
    }
    let value: PyValue;
    try {
      value = this.codec.decodeReply(reply);
    } catch (e) {
      if (e instanceof RemoteError && !isMissingMethodError(e, req.method)) this.learned.add(req.method);
      throw e;
    }
    if (!this.codec.isMissingMethodReply?.(value, req.method)) this.learned.add(req.method);
    return value;
  }
}

/** The Cookbook looks functions up in a dict: an unknown name raises KeyError(name). */
function isMissingMethodError(e: RemoteError, method: string): boolean {
  const a = e.pyArgs[0];
  return e.pyType === 'KeyError' && e.pyArgs.length === 1 && a.t === 'str' && a.v === method;
}

function stringItems(v: PyValue): string[] | undefined {
  if (v.t !== 'list' && v.t !== 'tuple') return undefined;
  const out: string[] = [];
  for (const item of v.items) {
    if (item.t !== 'str') return undefined;
    out.push(item.v);
  }
  return out;
}
