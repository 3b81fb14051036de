// Collections on disk and running them. Shared by `rpcscope run`, the REPL's `.save` and the app.
//
//   const c = loadCollection('rpcscope.collection.json');     // E_COLLECTION with line/column or path
//   saveCollection(file, c);                                   // temp file + fsync + rename
//   const runner = new CollectionRunner(c, { env: 'ci' });
//   for (let r; (r = await runner.step()); ) show(r);          // demo mode: one call at a time
//   const summary = await runner.runAll(show);                 // or everything
//   await runner.close();
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  authkeyEnvName,
  emptyCollection,
  evaluate,
  parseCollection,
  resolveConnectionUrl,
  serializeCollection,
  substitute,
  variablesFor,
  type Collection,
  type CollectionCall,
  type CollectionConnection,
  type Outcome,
} from '../common/collection';
import { isRpcError, RemoteError, RpcError } from '../common/errors';
import type { FrameSink } from '../common/frames';
import { parseStatement } from '../common/parse';
import { repr } from '../common/repr';
import type { PyValue } from '../common/value';
import { LatestProgress, type ReplyProgress } from '../common/waiting-text';
import { createClient, type OpenOptions } from '../clients/registry';
import type { RpcClient } from '../clients/types';
import type { CallOutcome } from './learned-methods';

export const DEFAULT_COLLECTION_FILE = 'rpcscope.collection.json';

/** 1-based line and column of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n') };
}

/** Parses collection file text; corrupt JSON names the line and column. */
export function parseCollectionText(text: string, source: string): Collection {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /at position (\d+)/.exec(msg);
    const offset = pos ? Number(pos[1]) : text.length;
    const { line, column } = lineColumn(text, offset);
    const what = msg.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
    throw new RpcError('E_COLLECTION', `${source}:${line}:${column}: not valid JSON (${what})`, { line, column });
  }
  return parseCollection(data, source);
}

/** Reads and validates a collection file; never modifies it. */
export function loadCollection(file: string): Collection {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RpcError('E_COLLECTION', code === 'ENOENT' ? `${file}: no such collection file` : `${file}: cannot read (${code ?? String(e)})`);
  }
  return parseCollectionText(text, file);
}

export interface AtomicWriteHooks {
  /** called after the temp file is written and synced, before the rename (tests simulate a crash here) */
  beforeRename?: (tmpFile: string) => void;
}

/** Writes through a temp file in the same directory, fsync, rename: readers see the old or the new file. */
export function atomicWriteFile(file: string, text: string, hooks: AtomicWriteHooks = {}): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    hooks.beforeRename?.(tmp);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  // make the rename itself durable
  try {
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // some filesystems refuse fsync on a directory; the data itself is synced
  }
}

export function saveCollection(file: string, c: Collection, hooks?: AtomicWriteHooks): void {
  atomicWriteFile(file, serializeCollection(c), hooks);
}

/**
 * Adds (or replaces, by name) a call in the collection file, creating the file and the connection
 * entry as needed. A corrupt or newer existing file is refused, not overwritten.
 */
export function addCallToFile(file: string, call: CollectionCall, connection: CollectionConnection): Collection {
  const c = existsSync(file) ? loadCollection(file) : emptyCollection();
  const existing = c.connections.find((x) => x.name === connection.name);
  if (!existing) c.connections.push(connection);
  else if (existing.url !== connection.url) {
    throw new RpcError('E_COLLECTION', `${file} already has a connection "${connection.name}" for ${existing.url}`);
  }
  const i = call.name === undefined ? -1 : c.calls.findIndex((x) => x.name === call.name);
  if (i >= 0) c.calls[i] = call;
  else c.calls.push(call);
  saveCollection(file, c);
  return c;
}

/** A name for a connection entry derived from its URL: `pickle_127.0.0.1_17000`. */
export function connectionNameFor(url: string): string {
  const m = /^([a-z+]+):\/\/\[?([^/?#\]]+?)\]?(?::(\d+))?(?:[/?#]|$)/i.exec(url);
  const raw = m ? [m[1], m[2], m[3]].filter(Boolean).join('_') : 'server';
  return raw.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[^A-Za-z_]/, '_$&');
}

// --- running -----------------------------------------------------------------------------------

export interface CallResult {
  index: number;
  name?: string;
  connection: string;
  /** the call text after variable substitution */
  call: string;
  status: 'pass' | 'fail' | 'error';
  message?: string;
  /** repr of the result, when the call returned */
  repr?: string;
  /** when the call raised or failed: the Python type or local error code, and the message */
  error?: { type: string; message: string; lastLine: string; traceback?: string; notes?: string[] };
  durationMs: number;
}

export interface RunSummary {
  results: CallResult[];
  passed: number;
  failed: number;
  errors: number;
  durationMs: number;
}

export interface RunnerOptions {
  /** environment name (variables overriding the collection's) */
  env?: string;
  /** where `${env:NAME}` and authkey references are looked up; default process.env */
  environ?: Record<string, string | undefined>;
  /** default call timeout, ms, for connections without options.timeout */
  timeoutMs?: number;
  open?: (url: string, opts: OpenOptions) => RpcClient;
  onFrame?: FrameSink;
  /** told of each call that went to a server, with the URL it went to (what the method list learns from) */
  onCalled?: (url: string, outcome: CallOutcome) => void;
}

export class CollectionRunner {
  private next = 0;
  private readonly clients = new Map<string, RpcClient>();
  /** each connection's URL, variables substituted */
  private readonly urls = new Map<string, string>();
  private readonly vars: Record<string, string>;
  private readonly environ: Record<string, string | undefined>;
  /** names bound by `x = call(...)` entries, usable by later calls */
  private readonly scope = new Map<string, PyValue>();
  private readonly results: CallResult[] = [];
  private abort = new AbortController();
  /** how much of the reply to the call running now has come, once it is arriving */
  private readonly receiving = new LatestProgress();
  /** whether a call is waiting on its server now */
  private calling = false;

  constructor(
    readonly collection: Collection,
    private readonly opts: RunnerOptions = {},
  ) {
    this.vars = variablesFor(collection, opts.env);
    this.environ = opts.environ ?? process.env;
  }

  get total(): number {
    return this.collection.calls.length;
  }

  /** index of the call the next step() runs */
  get position(): number {
    return this.next;
  }

  get done(): boolean {
    return this.next >= this.total;
  }

  /** Runs the next call; undefined when all have run. */
  async step(): Promise<CallResult | undefined> {
    if (this.done) return undefined;
    const index = this.next++;
    const result = await this.runOne(index);
    this.results.push(result);
    return result;
  }

  /** Runs the calls left; `onStart` is told of each call's index before it runs, `onResult` of its result. */
  async runAll(onResult?: (r: CallResult) => void, onStart?: (index: number) => void): Promise<RunSummary> {
    const started = performance.now();
    while (!this.done) {
      onStart?.(this.next);
      // (not inside onResult?.(…): without onResult the step would never run)
      const result = (await this.step())!;
      onResult?.(result);
    }
    return summarize(this.results, performance.now() - started);
  }

  /** How much of the reply to the running call has come (of the total its framing announced, 0: none). */
  replyProgress(): ReplyProgress | undefined {
    return this.receiving.current;
  }

  /** Start over from the first call (connections stay open, variables are forgotten). */
  reset(): void {
    this.next = 0;
    this.results.length = 0;
    this.scope.clear();
  }

  /** Cancels the call in progress (it ends as an error with E_CANCELLED); whether one was. */
  cancel(): boolean {
    this.abort.abort();
    this.abort = new AbortController();
    return this.calling;
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    await Promise.allSettled(all.map((c) => c.close()));
  }

  private forget(name: string, client: RpcClient): void {
    if (this.clients.get(name) === client) this.clients.delete(name);
    void client.close().catch(() => undefined);
  }

  private clientFor(name: string): RpcClient {
    const existing = this.clients.get(name);
    if (existing) return existing;
    const conn = this.collection.connections.find((c) => c.name === name);
    if (!conn) throw new RpcError('E_COLLECTION', `no connection named "${name}"`);
    const url = resolveConnectionUrl(conn, this.vars, this.environ);
    const opts: OpenOptions = {};
    if (conn.authkey !== undefined) {
      const envName = authkeyEnvName(conn.authkey);
      const key = this.environ[envName];
      if (key === undefined) throw new RpcError('E_AUTH', `connection "${name}" needs its authkey in the environment variable ${envName}, which is not set`);
      opts.authkey = key;
    }
    const timeout = conn.options?.timeout !== undefined ? conn.options.timeout * 1000 : this.opts.timeoutMs;
    if (timeout !== undefined) opts.timeoutMs = timeout;
    if (conn.options?.pickleProtocol !== undefined) opts.pickleProtocol = conn.options.pickleProtocol;
    if (this.opts.onFrame) opts.onFrame = this.opts.onFrame;
    const client = (this.opts.open ?? createClient)(url, opts);
    this.clients.set(name, client);
    this.urls.set(name, url);
    return client;
  }

  private async runOne(index: number): Promise<CallResult> {
    const entry = this.collection.calls[index];
    const base = { index, ...(entry.name !== undefined && { name: entry.name }), connection: entry.connection };
    const started = performance.now();
    let text = entry.call;
    let outcome: Outcome;
    let calledUrl: string | undefined;
    try {
      text = substitute(entry.call, this.vars, this.environ, `call ${index + 1}`);
      const stmt = parseStatement(text, { resolve: (n) => this.scope.get(n) });
      let value: PyValue;
      if (stmt.kind === 'expr') value = stmt.value;
      else if (stmt.kind === 'assign' && stmt.call === undefined) value = stmt.value ?? { t: 'none' };
      else {
        this.receiving.clear();
        this.calling = true;
        const client = this.clientFor(entry.connection);
        calledUrl = this.urls.get(entry.connection);
        value = await client
          .call(stmt.call!, { signal: this.abort.signal, callId: index + 1, onProgress: this.receiving.report })
          .catch((e: unknown) => {
            // the server is still at work on a cancelled call and answers a connection's calls in
            // turn: the next call on it starts over on a new connection
            if (isRpcError(e, 'E_CANCELLED')) this.forget(entry.connection, client);
            throw e;
          })
          .finally(() => {
            this.receiving.clear();
            this.calling = false;
          });
        // as in the REPL, `_` is the last call's result
        this.scope.set('_', value);
      }
      if (stmt.kind === 'assign') this.scope.set(stmt.target, value);
      outcome = { ok: true, value };
    } catch (e) {
      outcome = { ok: false, error: e };
    }
    const durationMs = performance.now() - started;
    const verdict = evaluate(entry.expect, outcome);
    const result: CallResult = { ...base, call: text, status: verdict.status, durationMs };
    if (verdict.message !== undefined) result.message = verdict.message;
    if (outcome.ok) result.repr = repr(outcome.value);
    else result.error = describeError(outcome.error);
    if (calledUrl !== undefined) {
      this.opts.onCalled?.(calledUrl, { call: text, ok: outcome.ok, ...(result.repr !== undefined && { result: result.repr }), ...(result.error && { error: result.error }) });
    }
    return result;
  }
}

export function describeError(e: unknown): NonNullable<CallResult['error']> {
  if (e instanceof RemoteError) {
    return {
      type: e.pyType,
      message: e.pyMessage,
      lastLine: e.lastLine,
      ...(e.extra.traceback ? { traceback: e.extra.traceback } : {}),
      ...(e.notes.length > 0 ? { notes: e.notes } : {}),
    };
  }
  if (e instanceof RpcError) return { type: e.code, message: e.message, lastLine: `${e.code}: ${e.message}` };
  const message = e instanceof Error ? e.message : String(e);
  return { type: 'E_INTERNAL', message, lastLine: message };
}

export function summarize(results: CallResult[], durationMs: number): RunSummary {
  const count = (s: CallResult['status']) => results.filter((r) => r.status === s).length;
  return { results: [...results], passed: count('pass'), failed: count('fail'), errors: count('error'), durationMs };
}
