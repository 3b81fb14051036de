// One REPL session: the client, the variables (`x = add(2, 3)`, `_`), the last call (for .save),
// recent frames (for .frames) and the persistent call history. Independent of the terminal so the
// dot-commands and the evaluator stay small.
import type { CallRequest, MethodList } from '../../common/call';
import { RemoteError, RpcError, isRpcError } from '../../common/errors';
import { frameClock, type FrameInput } from '../../common/frames';
import { explainBareMethod, helpText, helpTopic } from '../../common/method-help';
import { pastedCallHint, type PastedCallHint } from '../../common/pasted-call';
import { boundName, parseCall, parseStatement, type Statement } from '../../common/parse';
import { repr } from '../../common/repr';
import type { MethodOutcome } from '../../common/no-such-method';
import { parseEndpoint } from '../../common/url';
import { LatestProgress, type ReplyProgress } from '../../common/waiting-text';
import type { PyValue } from '../../common/value';
import type { RpcClient } from '../../clients/types';
import { CallHistory, historyError } from '../../services/history';
import { openClient, type ConnectionFlags } from '../common';
import { withLearnedMethods } from '../../services/learned-methods';

/** frames kept for `.frames` */
const FRAME_BUFFER = 500;

export interface LastCall {
  /** the statement as typed */
  source: string;
  outcome: { ok: true; value: PyValue } | { ok: false; error: unknown };
}

export type EvalOutput =
  | { kind: 'value'; text: string; hint?: PastedCallHint }
  | { kind: 'assigned'; hint?: PastedCallHint }
  | { kind: 'raised'; error: RemoteError; hint?: PastedCallHint }
  | { kind: 'failed'; error: RpcError; hint?: PastedCallHint };

export class ReplSession {
  client!: RpcClient;
  url!: string;
  readonly scope = new Map<string, PyValue>();
  frames: FrameInput[] = [];
  last?: LastCall;
  /** told of each frame as it passes (`.trace on`) */
  onFrame?: (frame: FrameInput) => void;
  /** when the statement being evaluated started (ms since the epoch, as frame times) */
  statementAt = frameClock();
  /** statements that went to the server, bound a variable or showed a value, in order, for .python */
  readonly sessionCalls: string[] = [];
  private methodCache?: Promise<MethodList>;
  /** how much of the reply to the call waiting now has come, once it is arriving */
  private readonly receiving = new LatestProgress();

  constructor(
    url: string,
    readonly flags: ConnectionFlags,
    readonly history: CallHistory,
  ) {
    this.open(url);
  }

  /** The history key: the display URL (no authkey). */
  get key(): string {
    return parseEndpoint(this.url).display;
  }

  /** Whether an authkey is in use (the URL's, --authkey or $RPCSCOPE_AUTHKEY), for .save. */
  get hasAuthkey(): boolean {
    return (this.flags.authkey ?? parseEndpoint(this.url).authkey ?? process.env.RPCSCOPE_AUTHKEY) !== undefined;
  }

  private open(url: string): void {
    this.use(this.newClient(url), url);
  }

  private use(client: RpcClient, url: string): void {
    this.client = client;
    this.url = url;
    this.methodCache = undefined;
  }

  /** A client whose frames go to `this.frames` (read at each frame: .connect swaps it) */
  private newClient(url: string): RpcClient {
    return openClient(url, this.flags, (frame) => {
      // stamped on arrival where the client gives no time (the .frames times were all +0.0 ms)
      const f = frame.time === undefined ? { ...frame, time: frameClock() } : frame;
      this.onFrame?.(f);
      this.frames.push(f);
      if (this.frames.length > FRAME_BUFFER) this.frames.splice(0, this.frames.length - FRAME_BUFFER);
    });
  }

  /**
   * After a cancelled call: servers answer one call at a time per connection, so the abandoned
   * reply would hold up the next call. Start over on a fresh connection (remote objects held in
   * variables belong to the old one).
   */
  async reopen(): Promise<void> {
    const old = this.client;
    this.open(this.url);
    await old.close().catch(() => undefined);
  }

  /** Switches to another endpoint once it is connected; on a failure the session stays where it was. */
  async connect(url: string): Promise<void> {
    parseEndpoint(url);
    // until it is connected, the new client's frames (its handshake) are kept apart
    const kept = this.frames;
    this.frames = [];
    const client = this.newClient(url);
    try {
      await client.connect();
    } catch (e) {
      await client.close().catch(() => undefined);
      // a failed attempt's frames (a rejected handshake) follow the session's for .frames
      this.frames = kept.concat(this.frames).slice(-FRAME_BUFFER);
      if (e instanceof RpcError) throw new RpcError(e.code, `${e.message} (still on ${this.key})`);
      throw e;
    }
    const old = this.client;
    this.sessionCalls.length = 0;
    this.use(client, url);
    await old.close().catch(() => undefined);
  }

  /** The server's listing (asked once per connection) with the names the history has seen work since. */
  async methods(): Promise<MethodList> {
    this.methodCache ??= this.client.methods().catch((e: unknown) => {
      this.methodCache = undefined;
      throw e;
    });
    return withLearnedMethods(await this.methodCache, this.history.list(this.key));
  }

  private resolve = (name: string): PyValue | undefined => {
    if (name === '_') return this.scope.get('_');
    return this.scope.get(name);
  };

  /** Evaluates one statement: a call, an assignment, or a literal/variable to show. */
  async evaluate(source: string, signal: AbortSignal): Promise<EvalOutput> {
    this.statementAt = frameClock();
    const topic = helpTopic(source, this.resolve);
    if (topic !== undefined) {
      const client = this.client;
      const methodsOf = client.methodsOf && ((ref: PyValue) => client.methodsOf!(ref, { signal }));
      return { kind: 'value', text: await helpText(topic, { methods: () => this.methods(), methodsOf }) };
    }
    let stmt: Statement;
    try {
      stmt = parseStatement(source, { resolve: this.resolve });
    } catch (e) {
      throw await explainBareMethod(e, source, () => this.methods());
    }
    if (stmt.kind === 'expr') {
      this.bind(stmt, stmt.value);
      // (it may set `_`, which a later call reads; in the script it prints as here)
      this.sessionCalls.push(source);
      return { kind: 'value', text: repr(stmt.value) };
    }
    if (stmt.kind === 'assign' && stmt.call === undefined) {
      this.bind(stmt, stmt.value ?? { t: 'none' });
      this.sessionCalls.push(source);
      return { kind: 'assigned' };
    }
    const call = stmt.call as CallRequest;
    const started = performance.now();
    const time = new Date().toISOString();
    this.receiving.clear();
    try {
      const value = await this.client.call(call, { signal, onProgress: this.receiving.report });
      this.record(source, time, started, { ok: true, value });
      this.bind(stmt, value);
      const text = repr(value);
      const hint = await this.hint(source, call, { ok: true, result: text });
      return stmt.kind === 'assign' ? { kind: 'assigned', hint } : { kind: 'value', text, hint };
    } catch (e) {
      this.record(source, time, started, { ok: false, error: e });
      if (e instanceof RemoteError) return { kind: 'raised', error: e, hint: await this.hint(source, call, { ok: false, error: historyError(e) }) };
      if (isRpcError(e, 'E_CANCELLED')) {
        await this.reopen();
        return { kind: 'failed', error: new RpcError('E_CANCELLED', `${e.message}; reconnecting for the next call`) };
      }
      if (e instanceof RpcError) return { kind: 'failed', error: e, hint: await this.hint(source, call, { ok: false, error: historyError(e) }) };
      throw e;
    } finally {
      this.receiving.clear();
    }
  }

  /** What to type instead of a call pasted from Python client code (`proxy.add(2, 3)`), if it was one. */
  private hint(source: string, call: CallRequest, outcome: MethodOutcome): Promise<PastedCallHint | undefined> {
    if (call.target) return Promise.resolve(undefined);
    return pastedCallHint(source, call.method, outcome, () => this.methods());
  }

  /** How much of the reply to the waiting call has come (of the total its framing announced, 0: none). */
  replyProgress(): ReplyProgress | undefined {
    return this.receiving.current;
  }

  private bind(stmt: Statement, value: PyValue): void {
    const name = boundName(stmt, value);
    if (name !== undefined) this.scope.set(name, value);
  }

  private record(source: string, time: string, started: number, outcome: LastCall['outcome']): void {
    // a cancelled call is not something to save or replay
    if (!outcome.ok && isRpcError(outcome.error, 'E_CANCELLED')) return;
    this.last = { source, outcome };
    this.sessionCalls.push(source);
    const durationMs = performance.now() - started;
    try {
      this.history.append(this.key, {
        time,
        call: source,
        ok: outcome.ok,
        durationMs,
        ...(outcome.ok ? { result: repr(outcome.value) } : { error: historyError(outcome.error) }),
      });
    } catch {
      // an unwritable history must not break the session
    }
  }

  /**
   * The last call as text a collection can replay: the source when it uses no REPL variables,
   * else the call rebuilt with their values written out.
   */
  replayableSource(): string | undefined {
    if (!this.last) return undefined;
    const src = this.last.source;
    // `c.incr(2)` on a remote object held in a REPL variable cannot replay on its own
    const head = /^\s*(?:[A-Za-z_]\w*\s*=\s*)?([A-Za-z_]\w*)\./.exec(src)?.[1];
    if (head !== undefined && this.scope.get(head)?.t === 'ref') {
      throw new RpcError('E_UNSUPPORTED', `${src.trim()} calls the remote object ${head}, which a collection cannot hold; save calls on the service root`);
    }
    try {
      parseStatement(src);
      return src;
    } catch {
      // uses variables: write their values in
    }
    const stmt = parseStatement(src, { resolve: this.resolve });
    const call = stmt.kind === 'expr' ? undefined : stmt.call;
    if (!call || call.target) return undefined;
    const args = [...call.args.map(repr), ...call.kwargs.map(([k, v]) => `${k}=${repr(v)}`)];
    const text = `${call.method}(${args.join(', ')})`;
    parseCall(text);
    return stmt.kind === 'assign' ? `${stmt.target} = ${text}` : text;
  }

  async close(): Promise<void> {
    await this.client.close().catch(() => undefined);
  }
}
