// Call history per connection, persisted as JSON lines under dataPath('history').
//
// API (used by the REPL, `rpcscope run` and the app's History panel):
//   const h = new CallHistory({ limit: 1000 });           // dir defaults to dataPath('history')
//   h.append(endpoint.display, { call: 'add(2, 3)', ok: true, result: '5', durationMs: 3 });
//   h.list(endpoint.display, { limit: 50 });             // oldest first, newest last
//   h.connections();                                     // the keys that have a history
//   h.clear(endpoint.display);
//
// The key is the endpoint's display URL (authkey already replaced by ***), so the same server keeps
// one history whichever tool called it. One file per key; every entry is one line written with a
// single O_APPEND write, so several processes may append at once without interleaving. When a file
// grows past limit + slack lines it is compacted (rewritten to its last `limit` entries through a
// temp file and a rename) under a lock file; an append from another process landing during that
// short window may be lost, which is acceptable for a history. Unreadable lines are skipped with a
// warning and the rest is kept.
import { createHash, randomUUID } from 'node:crypto';
import {
  appendFileSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RemoteError, RpcError } from '../common/errors';
import { dataPath } from './paths';

export const historyEntrySchema = z.object({
  /** unique id of the entry */
  id: z.string(),
  /** when the call started, ISO 8601 */
  time: z.string(),
  /** the connection key: the endpoint's display URL */
  connection: z.string(),
  /** the call as the user typed it */
  call: z.string(),
  ok: z.boolean(),
  /** repr of the result when ok: its first HISTORY_RESULT_CHARS characters when longer */
  result: z.string().optional(),
  /** the whole repr's length, when `result` is only its start */
  resultChars: z.number().int().optional(),
  /** when not ok: the Python exception type (`KeyError`) or the local error code (`E_TIMEOUT`) */
  error: z.object({ type: z.string(), message: z.string() }).optional(),
  durationMs: z.number(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

export type NewHistoryEntry = Omit<HistoryEntry, 'id' | 'time' | 'connection'> & { id?: string; time?: string };

export const DEFAULT_HISTORY_LIMIT = 1000;

/**
 * The longest result an entry keeps: a history is a list of summaries, read whole when listed, and
 * a 20 MB reply's repr is 42 million characters.
 */
export const HISTORY_RESULT_CHARS = 1000;

/** A result as a history entry keeps it: whole, or its start (saying how long it was) and its length. */
export function keptResult(repr: string): { result: string; resultChars?: number } {
  if (repr.length <= HISTORY_RESULT_CHARS) return { result: repr };
  // not between the two halves of a surrogate pair
  const end = /[\ud800-\udbff]/.test(repr[HISTORY_RESULT_CHARS - 1]) ? HISTORY_RESULT_CHARS - 1 : HISTORY_RESULT_CHARS;
  return { result: `${repr.slice(0, end)}… (${repr.length.toLocaleString('en-US')} characters)`, resultChars: repr.length };
}

export interface CallHistoryOptions {
  /** directory of the history files; default dataPath('history') */
  dir?: string;
  /** entries kept per connection; default 1000 */
  limit?: number;
  /** told about skipped lines; default: a line on stderr */
  warn?: (message: string) => void;
}

export class CallHistory {
  readonly dir: string;
  readonly limit: number;
  private readonly warn: (message: string) => void;
  /** lines per file as far as this process knows, to decide when to compact without rereading */
  private readonly lineCounts = new Map<string, number>();

  constructor(opts: CallHistoryOptions = {}) {
    this.dir = opts.dir ?? dataPath('history');
    this.limit = Math.max(1, opts.limit ?? DEFAULT_HISTORY_LIMIT);
    this.warn = opts.warn ?? ((m) => process.stderr.write(`rpcscope: ${m}\n`));
  }

  /** The file of a connection: a readable slug plus a hash, so distinct keys never share a file. */
  fileOf(connection: string): string {
    const slug = connection.replace(/[^A-Za-z0-9.-]+/g, '_').slice(0, 60);
    const hash = createHash('sha256').update(connection).digest('hex').slice(0, 12);
    return join(this.dir, `${slug}-${hash}.jsonl`);
  }

  append(connection: string, entry: NewHistoryEntry): HistoryEntry {
    const full: HistoryEntry = historyEntrySchema.parse({
      ...entry,
      ...(entry.result === undefined ? {} : keptResult(entry.result)),
      id: entry.id ?? randomUUID(),
      time: entry.time ?? new Date().toISOString(),
      connection,
    });
    const file = this.fileOf(connection);
    mkdirSync(this.dir, { recursive: true });
    appendFileSync(file, `${JSON.stringify(full)}\n`, { mode: 0o600 });
    const count = (this.lineCounts.get(file) ?? this.countLines(file) - 1) + 1;
    this.lineCounts.set(file, count);
    if (count > this.limit + this.slack()) this.compact(connection);
    return full;
  }

  /** The last `limit` entries (all kept ones by default), oldest first. */
  list(connection: string, opts: { limit?: number } = {}): HistoryEntry[] {
    const entries = this.readAll(this.fileOf(connection)).filter((e) => e.connection === connection);
    const n = Math.min(opts.limit ?? this.limit, this.limit);
    return entries.slice(-n);
  }

  /** Every connection key that has a history file. */
  connections(): string[] {
    if (!existsSync(this.dir)) return [];
    const keys = new Set<string>();
    for (const name of readdirSync(this.dir).sort()) {
      if (!name.endsWith('.jsonl')) continue;
      const last = this.readAll(join(this.dir, name)).at(-1);
      if (last) keys.add(last.connection);
    }
    return [...keys];
  }

  clear(connection: string): void {
    const file = this.fileOf(connection);
    rmSync(file, { force: true });
    this.lineCounts.delete(file);
  }

  /** Rewrites a connection's file to its last `limit` entries (dropping bad lines). */
  compact(connection: string): void {
    const file = this.fileOf(connection);
    const lock = `${file}.lock`;
    let lockFd: number;
    try {
      lockFd = openSync(lock, 'wx');
    } catch {
      // another process is compacting; it will trim the file (a stale lock older than a minute is broken)
      // (the other process may remove the lock between our open and stat: no entry is no lock)
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 60_000) rmSync(lock, { force: true });
      return;
    }
    try {
      const keep = this.readAll(file).slice(-this.limit);
      const tmp = `${file}.${process.pid}.tmp`;
      const fd = openSync(tmp, 'w', 0o600);
      try {
        writeSync(fd, keep.map((e) => `${JSON.stringify(e)}\n`).join(''));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, file);
      this.lineCounts.set(file, keep.length);
    } finally {
      closeSync(lockFd);
      rmSync(lock, { force: true });
    }
  }

  private slack(): number {
    return Math.max(20, Math.floor(this.limit / 10));
  }

  private countLines(file: string): number {
    if (!existsSync(file)) return 0;
    const text = readFileSync(file, 'utf8');
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    return n;
  }

  private readAll(file: string): HistoryEntry[] {
    if (!existsSync(file)) return [];
    const lines = readFileSync(file, 'utf8').split('\n');
    const out: HistoryEntry[] = [];
    let bad = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i].trim();
      if (line === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      const r = historyEntrySchema.safeParse(parsed);
      if (r.success) out.push(r.data);
      else if (bad++ === 0) this.warn(`skipping unreadable line ${i + 1} of history file ${file}`);
    }
    if (bad > 1) this.warn(`skipped ${bad} unreadable lines in history file ${file}`);
    return out;
  }
}

/** The error part of an entry from whatever a call threw. */
export function historyError(e: unknown): { type: string; message: string } {
  if (e instanceof RemoteError) return { type: e.pyType, message: e.pyMessage };
  if (e instanceof RpcError) return { type: e.code, message: e.message };
  return { type: 'Error', message: e instanceof Error ? e.message : String(e) };
}
