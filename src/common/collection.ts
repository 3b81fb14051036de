// The collection format: named connections, ordered calls with expectations, variables and
// environments. Files are git-diffable: stable key order, 2-space indent, one call per entry.
//
//   {
//     "version": 1,
//     "variables": { "host": "127.0.0.1" },
//     "environments": { "ci": { "host": "10.0.0.5" } },
//     "connections": [
//       { "name": "kv", "url": "pickle://${var:host}:17000", "authkey": "${env:KV_AUTHKEY}", "options": { "timeout": 5 } }
//     ],
//     "calls": [
//       { "name": "add", "connection": "kv", "call": "add(2, 3)", "expect": { "equals": "5" } }
//     ]
//   }
//
// An authkey is never stored in clear: only as a reference to an environment variable.
import { z } from 'zod';
import { RemoteError, RpcError } from './errors';
import { parseEndpoint } from './url';
import { parseLiteral } from './parse';
import { repr } from './repr';
import { kvPairs, type PyValue } from './value';
import { hashKey } from './value-util';

export const COLLECTION_VERSION = 1;

const ENV_REF_RE = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/;
const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** `${var:name}` and `${env:NAME}` inside call text and URLs */
const PLACEHOLDER_RE = /\$\{(var|env):([A-Za-z_][A-Za-z0-9_.-]*)\}/g;

const variablesSchema = z.record(z.string().regex(NAME_RE, 'variable names are letters, digits, _ . -'), z.string());

/** A URL may carry an authkey only as a reference (`?authkey=${env:NAME}`). */
function hasClearAuthkey(url: string): boolean {
  const m = /[?&]authkey=([^&#]*)/i.exec(url);
  return m !== null && !ENV_REF_RE.test(decodeURIComponentSafe(m[1]));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export const connectionSchema = z.object({
  name: z.string().regex(NAME_RE, 'connection names are letters, digits, _ . -'),
  url: z.string().min(1).refine((u) => !hasClearAuthkey(u), 'the URL carries an authkey in clear; use authkey: "${env:NAME}" instead'),
  /** a reference to an environment variable, `${env:NAME}`; never the key itself */
  authkey: z.string().regex(ENV_REF_RE, 'authkey must be a reference like "${env:AUTHKEY}", never the key itself').optional(),
  options: z
    .object({
      /** seconds */
      timeout: z.number().positive().optional(),
      pickleProtocol: z.number().int().min(0).max(5).optional(),
    })
    .strict()
    .optional(),
}).strict();
export type CollectionConnection = z.infer<typeof connectionSchema>;

export const expectationSchema = z.union([
  z.object({ equals: z.string().describe('a Python literal the result must equal') }).strict(),
  z.object({ raises: z.string().min(1).describe('the Python exception type the call must raise, e.g. KeyError') }).strict(),
  z.object({ matches: z.string().describe("a regular expression the result's repr must match") }).strict(),
]);
export type Expectation = z.infer<typeof expectationSchema>;

export const collectionCallSchema = z.object({
  name: z.string().optional(),
  /** the name of one of the collection's connections */
  connection: z.string(),
  /** the call as Python, e.g. `add(2, 3)`; `${var:name}` is substituted */
  call: z.string().min(1),
  expect: expectationSchema.optional(),
}).strict();
export type CollectionCall = z.infer<typeof collectionCallSchema>;

export const collectionSchema = z
  .object({
    version: z.literal(COLLECTION_VERSION),
    name: z.string().optional(),
    description: z.string().optional(),
    variables: variablesSchema.optional(),
    /** named sets of variables overriding `variables` (`rpcscope run --env NAME`) */
    environments: z.record(z.string(), variablesSchema).optional(),
    connections: z.array(connectionSchema),
    calls: z.array(collectionCallSchema),
  })
  .strict()
  .superRefine((c, ctx) => {
    const names = new Set<string>();
    c.connections.forEach((conn, i) => {
      if (names.has(conn.name)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'name'], message: `duplicate connection name "${conn.name}"` });
      names.add(conn.name);
    });
    c.calls.forEach((call, i) => {
      if (!names.has(call.connection)) {
        ctx.addIssue({ code: 'custom', path: ['calls', i, 'connection'], message: `no connection named "${call.connection}"` });
      }
      if (call.expect && 'matches' in call.expect) {
        try {
          new RegExp(call.expect.matches);
        } catch {
          ctx.addIssue({ code: 'custom', path: ['calls', i, 'expect', 'matches'], message: 'not a valid regular expression' });
        }
      }
    });
  });
export type Collection = z.infer<typeof collectionSchema>;

export function emptyCollection(): Collection {
  return { version: COLLECTION_VERSION, connections: [], calls: [] };
}

/** `a.b[2].c` for an issue path. */
function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out || '(top level)';
}

/**
 * Validates parsed JSON as a collection. A newer version is reported as such (not as a schema
 * problem); schema violations name the path of the first few problems.
 */
export function parseCollection(data: unknown, source = 'collection'): Collection {
  if (data && typeof data === 'object' && !Array.isArray(data) && 'version' in data) {
    const v = (data as { version: unknown }).version;
    if (typeof v === 'number' && Number.isInteger(v) && v > COLLECTION_VERSION) {
      throw new RpcError('E_COLLECTION', `${source}: collection version ${v} is newer than this rpcscope supports (${COLLECTION_VERSION})`);
    }
  }
  const r = collectionSchema.safeParse(data);
  if (!r.success) {
    const problems = r.error.issues.slice(0, 5).map((i) => `${pathText(i.path)}: ${i.message}`);
    throw new RpcError('E_COLLECTION', `${source} is not a valid collection: ${problems.join('; ')}`, { issues: r.error.issues });
  }
  return r.data;
}

// --- writing -----------------------------------------------------------------------------------

function sortedRecord<T>(r: Record<string, T>, map: (v: T) => unknown = (v) => v): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(r).sort()) out[k] = map(r[k]);
  return out;
}

/** Fixed key order for every object, so saving twice gives the same bytes and diffs stay small. */
function canonical(c: Collection): unknown {
  const conn = (x: CollectionConnection) => ({
    name: x.name,
    url: x.url,
    ...(x.authkey !== undefined && { authkey: x.authkey }),
    ...(x.options && Object.keys(x.options).length > 0 && { options: sortedRecord(x.options) }),
  });
  const call = (x: CollectionCall) => ({
    ...(x.name !== undefined && { name: x.name }),
    connection: x.connection,
    call: x.call,
    ...(x.expect !== undefined && { expect: x.expect }),
  });
  return {
    version: c.version,
    ...(c.name !== undefined && { name: c.name }),
    ...(c.description !== undefined && { description: c.description }),
    ...(c.variables && { variables: sortedRecord(c.variables) }),
    ...(c.environments && { environments: sortedRecord(c.environments, (vars) => sortedRecord(vars)) }),
    connections: c.connections.map(conn),
    calls: c.calls.map(call),
  };
}

/** The file text: validated (clear authkeys refused), stable key order, 2-space indent, final newline. */
export function serializeCollection(c: Collection): string {
  const checked = parseCollection(c, 'the collection to save');
  return `${JSON.stringify(canonical(checked), null, 2)}\n`;
}

/** The default environment variable an authkey reference points to. */
export const DEFAULT_AUTHKEY_ENV = 'RPCSCOPE_AUTHKEY';

/**
 * A connection entry for `url` that is safe to store: a `?authkey=` in clear is removed from the
 * URL and replaced by a reference (`${env:RPCSCOPE_AUTHKEY}` unless told otherwise).
 */
export function connectionEntry(
  name: string,
  url: string,
  opts: { hasAuthkey?: boolean; authkeyEnv?: string; timeout?: number } = {},
): CollectionConnection {
  const clear = hasClearAuthkey(url);
  const cleanUrl = clear ? url.replace(/([?&])authkey=[^&#]*&?/i, '$1').replace(/[?&]$/, '') : url;
  const entry: CollectionConnection = { name, url: cleanUrl };
  if (clear || opts.hasAuthkey) entry.authkey = `\${env:${opts.authkeyEnv ?? DEFAULT_AUTHKEY_ENV}}`;
  if (opts.timeout !== undefined) entry.options = { timeout: opts.timeout };
  return entry;
}

// --- variables ---------------------------------------------------------------------------------

/** The variables in effect: the collection's, overridden by the environment's. */
export function variablesFor(c: Collection, env?: string): Record<string, string> {
  if (env !== undefined && !c.environments?.[env]) {
    const known = Object.keys(c.environments ?? {});
    throw new RpcError('E_USAGE', `no environment "${env}" in the collection${known.length ? ` (known: ${known.join(', ')})` : ''}`);
  }
  return { ...c.variables, ...(env !== undefined ? c.environments?.[env] : {}) };
}

/**
 * Replaces `${var:name}` from `vars` and `${env:NAME}` from `env`; an unknown one is an error
 * naming it and where it was used.
 */
export function substitute(text: string, vars: Record<string, string>, env: Record<string, string | undefined>, where: string): string {
  return text.replace(PLACEHOLDER_RE, (_m, kind: string, name: string) => {
    const value = kind === 'var' ? vars[name] : env[name];
    if (value === undefined) {
      if (kind === 'var') throw new RpcError('E_COLLECTION', `${where}: unknown variable \${var:${name}}`);
      const hint = name.startsWith('RPCSCOPE_DEMO_') ? ' (`rpcscope run --demo` sets it, as does the window running the demo servers)' : '';
      throw new RpcError('E_COLLECTION', `${where}: environment variable ${name} is not set${hint}`);
    }
    return value;
  });
}

/** The environment variable an authkey reference names. */
export function authkeyEnvName(ref: string): string {
  const m = ENV_REF_RE.exec(ref);
  if (!m) throw new RpcError('E_COLLECTION', `authkey must be a reference like "\${env:AUTHKEY}"`);
  return m[1];
}

/** The connection's URL with variables substituted, validated. */
export function resolveConnectionUrl(conn: CollectionConnection, vars: Record<string, string>, env: Record<string, string | undefined>): string {
  const url = substitute(conn.url, vars, env, `connection "${conn.name}"`);
  parseEndpoint(url);
  return url;
}

// --- expectations ------------------------------------------------------------------------------

/** Python's == over the value model, including lists and dicts (order-insensitive for dicts). */
export function valuesEqual(a: PyValue, b: PyValue): boolean {
  if ((a.t === 'list' && b.t === 'list') || (a.t === 'tuple' && b.t === 'tuple')) {
    return a.items.length === b.items.length && a.items.every((x, i) => valuesEqual(x, b.items[i]));
  }
  if (a.t === 'dict' && b.t === 'dict') {
    if (a.kv.length !== b.kv.length) return false;
    const byKey = new Map<string, PyValue>();
    for (const [k, v] of kvPairs(b.kv)) {
      const hk = hashKey(k);
      if (hk === undefined) return false;
      byKey.set(hk, v);
    }
    return kvPairs(a.kv).every(([k, v]) => {
      const hk = hashKey(k);
      const other = hk === undefined ? undefined : byKey.get(hk);
      return other !== undefined && valuesEqual(v, other);
    });
  }
  if ((a.t === 'set' || a.t === 'frozenset') && (b.t === 'set' || b.t === 'frozenset')) {
    return hashKey({ t: 'frozenset', items: a.items }) === hashKey({ t: 'frozenset', items: b.items });
  }
  if (a.t === 'bytearray' && b.t === 'bytearray') return hashKey({ t: 'bytes', v: a.v }) === hashKey({ t: 'bytes', v: b.v });
  if (a.t === 'object' || b.t === 'object') return repr(a) === repr(b);
  const ka = hashKey(a);
  return ka !== undefined && ka === hashKey(b);
}

export type Outcome = { ok: true; value: PyValue } | { ok: false; error: unknown };

export interface Verdict {
  status: 'pass' | 'fail' | 'error';
  /** why it failed or errored, in words */
  message?: string;
}

/**
 * Judges one call's outcome. A call without an expectation passes when it returns; a remote error
 * that was not expected is a failure; a local error (connection, timeout) is an error.
 */
export function evaluate(expect: Expectation | undefined, outcome: Outcome): Verdict {
  if (!outcome.ok) {
    const e = outcome.error;
    if (!(e instanceof RemoteError)) {
      return { status: 'error', message: e instanceof RpcError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e) };
    }
    if (expect && 'raises' in expect) {
      const short = e.pyType.split('.').pop();
      if (e.pyType === expect.raises || short === expect.raises) return { status: 'pass' };
      return { status: 'fail', message: `expected ${expect.raises}, raised ${e.lastLine}` };
    }
    return { status: 'fail', message: `raised ${e.lastLine}` };
  }
  const text = repr(outcome.value);
  if (!expect) return { status: 'pass' };
  if ('raises' in expect) return { status: 'fail', message: `expected ${expect.raises}, returned ${text}` };
  if ('matches' in expect) {
    return new RegExp(expect.matches).test(text) ? { status: 'pass' } : { status: 'fail', message: `${text} does not match /${expect.matches}/` };
  }
  let expected: PyValue | undefined;
  try {
    expected = parseLiteral(expect.equals);
  } catch {
    // not a literal (e.g. `<common.Point object ...>`): compare the repr text
  }
  const equal = expected !== undefined ? valuesEqual(outcome.value, expected) : text === expect.equals;
  return equal ? { status: 'pass' } : { status: 'fail', message: `expected ${expect.equals}, got ${text}` };
}

/** A call's verdict message where it says more than the result line shown beside it (an error's own line, or "raised" and it). */
export function verdictNote(r: { status: string; message?: string; error?: { lastLine: string } }): string | undefined {
  if (r.status === 'pass' || r.message === undefined) return undefined;
  const line = r.error?.lastLine;
  return r.message === line || r.message === `raised ${line}` ? undefined : r.message;
}
