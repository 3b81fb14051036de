// The handlers behind every contract entry, over the services. One object serves Electron main
// (IPC) and web mode (WebSocket); both run it through dispatch() so nothing throws across.
import { randomUUID } from 'node:crypto';
import type { callEntries, CallResult, connectionEntries, ConsoleOutput, Handlers, HandlersOf, HistoryItem, RemoteException, wireEntries } from '../common/contract';
import { exceptionOnlyLines, isRpcError, RemoteError, RpcError } from '../common/errors';
import { resolveLayers } from '../common/frames';
import { toBase64 } from '../common/base64';
import { completeLine } from '../common/completions';
import { explainBareMethod, helpText, helpTopic } from '../common/method-help';
import type { MethodOutcome } from '../common/no-such-method';
import { boundName, parseCall, parseStatement, type Statement } from '../common/parse';
import { pastedCallHint } from '../common/pasted-call';
import { repr } from '../common/repr';
import type { PyValue } from '../common/value';
import { toJsonSafe, type PreviewLimits } from '../common/value-json';
import { collectionHandlers } from './collections-app';
import type { ConnectionRegistry } from './connections';
import type { RecentFiles } from './recent-files';
import { historyError, keptResult, type CallHistory } from './history';
import { RunOutcomes, withLearnedMethods, type CallOutcome } from './learned-methods';

/** One finished call, as history keeps it. */
export interface CallRecord {
  source: string;
  at: number;
  durationMs: number;
  ok: boolean;
  /** the result's repr when ok (its start, as a history keeps it, with resultChars) */
  result?: string;
  /** the whole repr's length, when `result` is only its start */
  resultChars?: number;
  /** the Python exception type or the local error code, and the message */
  error?: { type: string; message: string };
  /** the call's number in the connection's wire log (calls made since the app started) */
  callId?: number;
}

/** The calls made per connection, oldest first. */
export interface CallLog {
  record(connectionId: string, call: CallRecord): void;
  list(connectionId: string, limit?: number): HistoryItem[];
  /** the kept calls themselves, oldest first (method names are learned from them) */
  outcomes(connectionId: string): CallOutcome[];
}

export function historyItem(id: string, c: CallRecord): HistoryItem {
  const summary = c.ok ? (c.result ?? '') : c.error ? (c.error.message ? `${c.error.type}: ${c.error.message}` : c.error.type) : '';
  const item: HistoryItem = { id, source: c.source, at: c.at, durationMs: c.durationMs, ok: c.ok, summary };
  if (c.callId !== undefined) item.callId = c.callId;
  if (c.resultChars !== undefined) item.cut = true;
  return item;
}

/** Keeps the last `max` calls per connection in memory (tests, ephemeral use). */
export class MemoryCallLog implements CallLog {
  private readonly items = new Map<string, { item: HistoryItem; record: CallRecord }[]>();
  private next = 1;
  constructor(private readonly max = 1000) {}
  record(connectionId: string, call: CallRecord): void {
    const list = this.items.get(connectionId) ?? [];
    const kept = call.result === undefined ? call : { ...call, ...keptResult(call.result) };
    list.push({ item: historyItem(String(this.next++), kept), record: kept });
    if (list.length > this.max) list.splice(0, list.length - this.max);
    this.items.set(connectionId, list);
  }
  list(connectionId: string, limit = this.max): HistoryItem[] {
    return (this.items.get(connectionId) ?? []).slice(-limit).map((e) => e.item);
  }
  outcomes(connectionId: string): CallOutcome[] {
    return (this.items.get(connectionId) ?? []).map(({ record: r }) => ({ call: r.source, ok: r.ok, result: r.result, error: r.error }));
  }
}

/** how many of the entries recorded since the app started keep their call number */
const CALL_IDS_KEPT = 10_000;

/**
 * The persisted history (history.ts), keyed by the connection's URL like the CLI's. The entries
 * this process recorded keep their call number in memory (a wire log lasts as long as the process).
 */
export class PersistedCallLog implements CallLog {
  private readonly callIds = new Map<string, { connectionId: string; callId: number }>();

  constructor(
    private readonly history: CallHistory,
    private readonly keyOf: (connectionId: string) => string,
  ) {}
  record(connectionId: string, c: CallRecord): void {
    const id = randomUUID();
    if (c.callId !== undefined) {
      this.callIds.set(id, { connectionId, callId: c.callId });
      if (this.callIds.size > CALL_IDS_KEPT) this.callIds.delete(this.callIds.keys().next().value!);
    }
    this.history.append(this.keyOf(connectionId), {
      id,
      call: c.source,
      ok: c.ok,
      result: c.result,
      error: c.error,
      durationMs: c.durationMs,
      time: new Date(c.at).toISOString(),
    });
  }
  list(connectionId: string, limit?: number): HistoryItem[] {
    return this.history
      .list(this.keyOf(connectionId), limit === undefined ? {} : { limit })
      .map((e) => {
        // (another connection to the same URL shares the history, not the wire log)
        const made = this.callIds.get(e.id);
        const callId = made?.connectionId === connectionId ? made.callId : undefined;
        return historyItem(e.id, { source: e.call, at: Date.parse(e.time), durationMs: e.durationMs, ok: e.ok, result: e.result, resultChars: e.resultChars, error: e.error, callId });
      });
  }
  outcomes(connectionId: string): CallOutcome[] {
    return this.history.list(this.keyOf(connectionId));
  }
}

/** the largest frame shown byte for byte in the detail view; the rest is summarized */
const MAX_DETAIL_BYTES = 1 << 20;

/** how much of a call's value goes to the window's tree (see toJsonSafe's preview) */
export const WINDOW_PREVIEW: PreviewLimits = { items: 1000, nodes: 50_000 };

export interface AppCoreDeps {
  connections: ConnectionRegistry;
  history: CallLog;
  /** the collection files used last (default: kept in memory) */
  recent?: RecentFiles;
  /** where collections look `${env:NAME}` up; default process.env */
  environ?: Record<string, string | undefined>;
  /** what the window's collection runs showed of each server (default: a new, empty record) */
  runOutcomes?: RunOutcomes;
}

function remoteException(e: RemoteError): RemoteException {
  const x: RemoteException = { pyType: e.pyType, pyMessage: e.pyMessage, lastLine: e.lastLine };
  if (e.extra.traceback !== undefined) x.traceback = e.extra.traceback;
  if (e.notes.length > 0) x.notes = e.notes;
  if (e.extra.code !== undefined) x.code = e.extra.code;
  return x;
}

/** Every contract entry, each feature's handlers merged; a feature with entries adds its group here. */
export function createAppCore(deps: AppCoreDeps): Handlers {
  // one record shared by the runs that fill it and the method lists that read it
  const shared = { ...deps, runOutcomes: deps.runOutcomes ?? new RunOutcomes() };
  return {
    ...connectionHandlers(shared),
    ...callHandlers(shared),
    ...wireHandlers(shared),
    ...collectionHandlers(shared),
  };
}

function connectionHandlers({ connections }: AppCoreDeps): HandlersOf<typeof connectionEntries> {
  return {
    'connections.list': async () => connections.list(),
    'connections.add': async (req) => connections.add(req),
    'connections.edit': async ({ id, ...patch }) => connections.edit(id, patch),
    'connections.remove': async ({ id }) => ({ removed: connections.remove(id) }),
    'connections.connect': async ({ id }) => connections.connect(id),
  };
}

function callHandlers({ connections, history, runOutcomes }: AppCoreDeps): HandlersOf<typeof callEntries> {
  /** console variables per connection (`x = add(1, 2)`, `_`) */
  const scopes = new Map<string, Map<string, PyValue>>();
  const scopeOf = (id: string): Map<string, PyValue> => {
    let s = scopes.get(id);
    if (!s) scopes.set(id, (s = new Map()));
    return s;
  };

  /** the methods the server lists, and the names its history and collection runs saw work where it lists none */
  const listMethods = async (connectionId: string, cached?: boolean) => {
    const list = await connections.methods(connectionId, { cached });
    const runs = runOutcomes?.outcomes(connections.get(connectionId).url) ?? [];
    return withLearnedMethods(list, [...history.outcomes(connectionId), ...runs]);
  };

  /** the calls waiting on each connection (the composer's and the console's may overlap) */
  const waiting = new Map<string, Set<AbortController>>();

  /** Sets a console variable; a remote object no variable holds any more is released. */
  const setVar = (connectionId: string, name: string, value: PyValue): void => {
    const scope = scopeOf(connectionId);
    const old = scope.get(name);
    scope.set(name, value);
    if (old?.t !== 'ref') return;
    for (const v of scope.values()) if (v.t === 'ref' && v.handle === old.handle) return;
    void connections.release(connectionId, old);
  };

  /**
   * Runs one call and records it; remote exceptions are an outcome, local failures throw. The value
   * goes to the window as a preview (its repr whole): a reply of 400,000 dicts is 185 MB of JSON-safe
   * form, where the tree shows a few hundred rows at a time.
   */
  async function runCall(connectionId: string, req: ReturnType<typeof parseCall>, source: string): Promise<{ result: CallResult; value?: PyValue }> {
    const started = performance.now();
    const at = Date.now();
    const abort = new AbortController();
    const hintFor = (outcome: MethodOutcome) =>
      req.target ? undefined : pastedCallHint(source, req.method, outcome, () => listMethods(connectionId, true));
    const mine = waiting.get(connectionId) ?? new Set<AbortController>();
    waiting.set(connectionId, mine.add(abort));
    try {
      const { callId, value } = await connections.call(connectionId, req, source, abort.signal);
      const durationMs = performance.now() - started;
      const text = repr(value);
      history.record(connectionId, { source, at, durationMs, ok: true, result: text, callId });
      const hint = await hintFor({ ok: true, result: text });
      return { result: { callId, durationMs, outcome: { kind: 'value', value: toJsonSafe(value, WINDOW_PREVIEW), repr: text }, ...(hint && { hint }) }, value };
    } catch (e) {
      const durationMs = performance.now() - started;
      const callId = (e as { callId?: number }).callId ?? 0;
      if (e instanceof RemoteError) {
        history.record(connectionId, { source, at, durationMs, ok: false, error: historyError(e), callId: callId || undefined });
        const hint = await hintFor({ ok: false, error: historyError(e) });
        return { result: { callId, durationMs, outcome: { kind: 'raised', exception: remoteException(e) }, ...(hint && { hint }) } };
      }
      // (a call the user cancelled is nothing to replay, as in the terminal REPL)
      if (callId && !isRpcError(e, 'E_CANCELLED')) history.record(connectionId, { source, at, durationMs, ok: false, error: historyError(e), callId });
      const hint = e instanceof RpcError ? await hintFor({ ok: false, error: historyError(e) }) : undefined;
      throw hint ? Object.assign(e as RpcError, { hint }) : e;
    } finally {
      mine.delete(abort);
      if (mine.size === 0 && waiting.get(connectionId) === mine) waiting.delete(connectionId);
    }
  }

  return {
    'methods.list': async ({ connectionId, cached }) => listMethods(connectionId, cached),

    'calls.call': async ({ connectionId, source }) => {
      const req = parseCall(source.trim(), { resolve: (n) => scopeOf(connectionId).get(n) });
      return (await runCall(connectionId, req, source.trim())).result;
    },

    'console.eval': async ({ connectionId, source }): Promise<ConsoleOutput> => {
      const scope = scopeOf(connectionId);
      const topic = helpTopic(source, (n) => scope.get(n));
      if (topic !== undefined) {
        const sources = { methods: () => listMethods(connectionId, true), methodsOf: (ref: PyValue) => connections.methodsOf(connectionId, ref) };
        return { kind: 'value', text: await helpText(topic, sources) };
      }
      let st: Statement;
      try {
        st = parseStatement(source.trim(), { resolve: (n) => scope.get(n) });
      } catch (e) {
        throw await explainBareMethod(e, source.trim(), () => listMethods(connectionId, true));
      }
      /** binds the statement's value as Python's prompt does; the name bound goes to the window (Tab completes it) */
      const bind = (value: PyValue): { bound?: string } => {
        const name = boundName(st, value);
        if (name === undefined) return {};
        setVar(connectionId, name, value);
        return { bound: name };
      };
      if (st.kind === 'expr') return { kind: 'value', text: repr(st.value), ...bind(st.value) };
      if (st.kind === 'assign' && st.value !== undefined) return { kind: 'assigned', text: '', ...bind(st.value) };
      const call = st.call;
      if (!call) throw new RpcError('E_PARSE', 'nothing to run');
      const { result, value } = await runCall(connectionId, call, source.trim());
      const { callId, hint } = result;
      const said = { callId, ...(hint && { hint }) };
      if (result.outcome.kind === 'raised') {
        return { kind: 'raised', text: exceptionOnlyLines(result.outcome.exception).join('\n'), ...said };
      }
      const bound = value === undefined ? {} : bind(value);
      return st.kind === 'assign' ? { kind: 'assigned', text: '', ...said, ...bound } : { kind: 'value', text: result.outcome.repr, ...said, ...bound };
    },

    'console.complete': async ({ connectionId, line }) => {
      const scope = scopeOf(connectionId);
      const resolve = (n: string) => scope.get(n);
      const found = await completeLine(line, {
        methods: async () => (await listMethods(connectionId, true)).methods,
        variables: [...scope.keys()],
        resolve,
        attributes: (head) => connections.attributes(connectionId, head, resolve),
      });
      return found ?? { kind: 'argument', prefix: '', candidates: [] };
    },

    'calls.cancel': async ({ connectionId }) => {
      const calls = [...(waiting.get(connectionId) ?? [])];
      for (const a of calls) a.abort();
      return { cancelled: calls.length };
    },

    'calls.progress': async ({ connectionId }) => connections.progress(connectionId),

    'history.list': async ({ connectionId, limit }) => history.list(connectionId, limit),
  };
}

function wireHandlers({ connections }: AppCoreDeps): HandlersOf<typeof wireEntries> {
  return {
    'wire.page': async ({ connectionId, offset, limit, filter }) => connections.wire(connectionId).page(offset, limit, filter ?? {}),
    'wire.detail': async ({ connectionId, seq }) => {
      const log = connections.wire(connectionId);
      const f = log.get(seq);
      if (!f) throw new RpcError('E_USAGE', `no frame ${seq} on this connection (the log may have been cleared)`);
      const shown = f.bytes.subarray(0, MAX_DETAIL_BYTES);
      return { ...log.summarize(f), bytesB64: toBase64(shown), shownBytes: shown.length, layers: resolveLayers(f) };
    },
    'wire.clear': async ({ connectionId }) => ({ cleared: connections.wire(connectionId).clear() }),
  };
}
