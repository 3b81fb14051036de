// rpyc://HOST:PORT — an RPyC 5.x service's root. `foo(1, x=2)` is one CALLATTR(root, 'foo', ...);
// `c.incr(2)` on a netref held in a variable is CALLATTR on that reference. Calls may overlap on the
// one connection (replies are matched by seq).
//
// Results: brine values arrive as values. Remote objects arrive as netrefs ({t:'ref'}); small remote
// builtins.list / dict / set / frozenset are read into plain values (len, BUFFITER, getitem for
// dict values) and released at once, so `get_list()` shows `[1, 2, 3]` like Python's print would.
// Larger ones, deeper ones and every other class stay references, shown by their remote repr.
import { RemoteError, RpcError } from '../../common/errors';
import type { CallRequest, MethodInfo, MethodList } from '../../common/call';
import { repr } from '../../common/repr';
import type { Endpoint } from '../../common/url';
import type { PyRef, PyValue } from '../../common/value';
import { HANDLER, idPackValue, type Boxed, type Handler, type IdPack } from '../../codecs/rpyc/messages';
import { TcpConnection } from '../../transport/tcp';
import type { CallOptions, ClientOptions, RpcClient } from '../types';
import { RpycConnection } from './connection';
import { LocalObjects, boxTuple } from './local-objects';
import { RemoteRefs, refValue } from './remote-refs';

/** Limits on reading remote builtins into values. */
export const MATERIALIZE = {
  /** a container with more items stays a reference */
  maxItems: 1000,
  /** items read per call, over all containers */
  maxTotal: 10_000,
  /** containers nested deeper stay references */
  maxDepth: 8,
};

const MATERIALIZABLE: Record<string, 'list' | 'dict' | 'set' | 'frozenset'> = {
  'builtins.list': 'list',
  'builtins.dict': 'dict',
  'builtins.set': 'set',
  'builtins.frozenset': 'frozenset',
};

const EXPOSED_PREFIX = 'exposed_';

interface Session {
  conn: RpycConnection;
  root: IdPack;
  refs: RemoteRefs;
  locals: LocalObjects;
}

interface Ctx {
  deadline: number;
  signal?: AbortSignal;
  callId?: number;
  onProgress?: CallOptions['onProgress'];
  what: string;
}

const str = (s: string): PyValue => ({ t: 'str', v: s });
const value = (v: PyValue): Boxed => ({ label: 'value', value: v });

export class RpycClient implements RpcClient {
  readonly endpoint: Endpoint;
  private session?: Session;
  private opening?: Promise<Session>;

  constructor(private readonly opts: ClientOptions) {
    this.endpoint = opts.endpoint;
  }

  get connected(): boolean {
    return this.session?.conn.isOpen ?? false;
  }

  /** References the server holds to our objects, and ours to its (for tests and status). */
  get stats(): { localObjects: number; remoteRefs: number } {
    return { localObjects: this.session?.locals.size ?? 0, remoteRefs: this.session?.refs.size ?? 0 };
  }

  async connect(opts: { signal?: AbortSignal } = {}): Promise<void> {
    await this.ensureSession({ deadline: Date.now() + this.opts.timeoutMs, signal: opts.signal, what: 'GETROOT' });
  }

  async call(req: CallRequest, opts: CallOptions = {}): Promise<PyValue> {
    const ctx = this.ctx(opts, req.attribute ? `the read of ${req.method}` : `the call to ${req.method}()`);
    const s = await this.ensureSession(ctx);
    const path = req.method.split('.');
    const name = path.pop() ?? req.method;
    let obj = req.target === undefined ? s.root : this.targetId(s, req.target);
    const intermediates: IdPack[] = [];
    try {
      for (const attr of path) {
        const got = await this.request(s, HANDLER.GETATTR, [{ label: 'local', id: obj }, value(str(attr))], ctx);
        if (got.label !== 'remote') throw new RpcError('E_UNSUPPORTED', `${attr} is a value, not an object with methods`);
        s.refs.add(got.id);
        intermediates.push(got.id);
        obj = got.id;
      }
      const args = boxTuple(req.args.map((a) => this.box(s, a)));
      const kwargs = boxTuple(req.kwargs.map(([k, v]) => boxTuple([value(str(k)), this.box(s, v)])));
      // `c.value` reads the attribute itself; `f(2)` calls the object f holds
      const result = req.attribute
        ? await this.request(s, HANDLER.GETATTR, [{ label: 'local', id: obj }, value(str(name))], ctx)
        : req.invoke
          ? await this.request(s, HANDLER.CALL, [{ label: 'local', id: obj }, args, kwargs], ctx)
          : await this.request(s, HANDLER.CALLATTR, [{ label: 'local', id: obj }, value(str(name)), args, kwargs], ctx);
      return await this.present(s, this.unbox(s, result), 0, { budget: MATERIALIZE.maxTotal }, ctx);
    } finally {
      for (const id of intermediates) this.releaseId(s, id, 1);
    }
  }

  async methods(opts: CallOptions = {}): Promise<MethodList> {
    const ctx = this.ctx(opts, 'the method listing (INSPECT)');
    const s = await this.ensureSession(ctx);
    return { ...(await this.inspect(s, s.root, ctx)), note: "the service root's exposed methods (RPyC INSPECT)" };
  }

  async methodsOf(ref: PyValue, opts: CallOptions = {}): Promise<MethodList> {
    const ctx = this.ctx(opts, 'the method listing of a remote object (INSPECT)');
    const s = await this.ensureSession(ctx);
    const id = this.targetId(s, ref);
    const list = await this.inspect(s, id, ctx);
    // INSPECT lists methods only; the object's other exposed names are its attributes
    const methods = new Set(list.methods.map((m) => m.name));
    const attributes = (await this.dirOf(s, id, ctx)).filter((n) => !methods.has(n));
    return { ...list, note: "the remote object's exposed methods (RPyC INSPECT)", ...(attributes.length > 0 && { attributes }) };
  }

  /** An object's exposed methods with their docstrings, by name. */
  private async inspect(s: Session, id: IdPack, ctx: Ctx): Promise<MethodList> {
    const listing = this.unbox(s, await this.request(s, HANDLER.INSPECT, [value(idPackValue(id))], ctx));
    const methods = new Map<string, MethodInfo>();
    for (const item of listing.t === 'tuple' ? listing.items : []) {
      if (item.t !== 'tuple' || item.items[0]?.t !== 'str') continue;
      const name = exposedName(item.items[0].v);
      if (name === undefined || methods.has(name)) continue;
      const doc = item.items[1];
      methods.set(name, { name, ...(doc?.t === 'str' ? { doc: doc.v } : {}) });
    }
    return { source: 'introspection', methods: [...methods.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
  }

  /** Attribute names for `path.` from the root: '' lists the root's exposed names. */
  async complete(path: string, opts: CallOptions = {}): Promise<string[]> {
    if (path === '') return (await this.methods(opts)).methods.map((m) => m.name);
    const ctx = this.ctx(opts, `completion of ${path}`);
    const s = await this.ensureSession(ctx);
    return this.dirAlong(s, s.root, path.split('.'), ctx);
  }

  /** Attribute names of a netref the user holds, or (`path`) of an attribute of it: `c.meta.`. */
  async completeRef(ref: PyValue, opts: CallOptions = {}, path: string[] = []): Promise<string[]> {
    const ctx = this.ctx(opts, 'completion');
    const s = await this.ensureSession(ctx);
    return this.dirAlong(s, this.targetId(s, ref), path, ctx);
  }

  /** The exposed names of what `path` reaches from `start` ([] for a plain value on the way). */
  private async dirAlong(s: Session, start: IdPack, path: string[], ctx: Ctx): Promise<string[]> {
    const held: IdPack[] = [];
    try {
      let obj = start;
      for (const attr of path) {
        const got = await this.request(s, HANDLER.GETATTR, [{ label: 'local', id: obj }, value(str(attr))], ctx);
        if (got.label !== 'remote') return [];
        s.refs.add(got.id);
        held.push(got.id);
        obj = got.id;
      }
      return await this.dirOf(s, obj, ctx);
    } finally {
      for (const id of held) this.releaseId(s, id, 1);
    }
  }

  async release(ref: PyValue): Promise<void> {
    const s = this.session;
    const id = s?.refs.idOf(ref);
    if (s && id) this.releaseId(s, id);
  }

  async close(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    this.opening = undefined;
    if (s) await s.conn.shutdown();
  }

  // ---- internals

  private ctx(opts: CallOptions, what: string): Ctx {
    return { deadline: Date.now() + (opts.timeoutMs ?? this.opts.timeoutMs), signal: opts.signal, callId: opts.callId, onProgress: opts.onProgress, what };
  }

  private ensureSession(ctx: Ctx): Promise<Session> {
    if (this.session?.conn.isOpen) return Promise.resolve(this.session);
    this.opening ??= this.open(ctx).finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async open(ctx: Ctx): Promise<Session> {
    const tcp = await TcpConnection.open({
      host: this.endpoint.host,
      port: this.endpoint.port,
      timeoutMs: Math.max(1, ctx.deadline - Date.now()),
      signal: ctx.signal,
    });
    const refs = new RemoteRefs();
    const locals = new LocalObjects(refs);
    const partial: { s?: Session } = {};
    const conn = new RpycConnection(tcp, {
      onFrame: this.opts.onFrame,
      maxMessageBytes: this.opts.maxMessageBytes,
      serve: (handler, args) => locals.serve(handler, args, (b) => (partial.s ? this.unbox(partial.s, b) : str('?'))),
    });
    try {
      const root = await conn.request(HANDLER.GETROOT, value({ t: 'tuple', items: [] }), {
        timeoutMs: Math.max(1, ctx.deadline - Date.now()),
        signal: ctx.signal,
        callId: ctx.callId,
        what: 'GETROOT (is this an RPyC 5 server?)',
      });
      if (root.label !== 'remote') throw new RpcError('E_PROTOCOL', 'rpyc: GETROOT did not return a reference');
      refs.add(root.id);
      partial.s = { conn, root: root.id, refs, locals };
      this.session = partial.s;
      return partial.s;
    } catch (e) {
      conn.close();
      throw e;
    }
  }

  private request(s: Session, handler: Handler, parts: Boxed[], ctx: Ctx): Promise<Boxed> {
    return s.conn.request(handler, boxTuple(parts), {
      timeoutMs: Math.max(1, ctx.deadline - Date.now()),
      signal: ctx.signal,
      callId: ctx.callId,
      onProgress: ctx.onProgress,
      what: ctx.what,
    });
  }

  private targetId(s: Session, target: PyValue): IdPack {
    if (target.t !== 'ref') {
      throw new RpcError('E_UNSUPPORTED', `${repr(target)} is a local value; only remote objects (netrefs) have methods to call`);
    }
    const id = s.refs.idOf(target);
    if (!id) throw new RpcError('E_UNSUPPORTED', `${target.repr ?? target.cls} was released or belongs to an earlier connection`);
    return id;
  }

  private box(s: Session, v: PyValue): Boxed {
    try {
      return s.locals.box(v);
    } catch (e) {
      throw new RpcError('E_ENCODE', e instanceof Error ? e.message : String(e));
    }
  }

  private unbox(s: Session, b: Boxed): PyValue {
    switch (b.label) {
      case 'value':
        return b.value;
      case 'tuple':
        return { t: 'tuple', items: b.items.map((x) => this.unbox(s, x)) };
      case 'local':
        return s.locals.lookup(b.id);
      case 'remote':
        return s.refs.add(b.id);
    }
  }

  private releaseId(s: Session, id: IdPack, n?: number): void {
    const count = s.refs.take(id, n);
    if (count > 0 && id.instanceId !== s.root.instanceId) s.conn.notify(HANDLER.DEL, boxTuple([{ label: 'local', id }, value({ t: 'int', v: BigInt(count) })]));
  }

  private async dirOf(s: Session, id: IdPack, ctx: Ctx): Promise<string[]> {
    const names = this.unbox(s, await this.request(s, HANDLER.DIR, [{ label: 'local', id }], ctx));
    const out = new Set<string>();
    for (const n of names.t === 'tuple' ? names.items : []) {
      if (n.t !== 'str') continue;
      const name = exposedName(n.v);
      if (name !== undefined) out.add(name);
    }
    return [...out].sort();
  }

  /** Replace small remote builtins by their contents and give other references their repr. */
  private async present(s: Session, v: PyValue, depth: number, budget: { budget: number }, ctx: Ctx): Promise<PyValue> {
    switch (v.t) {
      case 'tuple':
        return { t: 'tuple', items: await Promise.all(v.items.map((x) => this.present(s, x, depth, budget, ctx))) };
      case 'ref': {
        const id = s.refs.idOf(v);
        if (!id) return v;
        return this.presentRef(s, v, id, depth, budget, ctx);
      }
      default:
        return v;
    }
  }

  private async presentRef(s: Session, ref: PyRef, id: IdPack, depth: number, budget: { budget: number }, ctx: Ctx): Promise<PyValue> {
    const kind = MATERIALIZABLE[id.cls];
    const self: Boxed = { label: 'local', id };
    try {
      if (kind && depth < MATERIALIZE.maxDepth) {
        const len = this.unbox(s, await this.request(s, HANDLER.CALLATTR, [self, value(str('__len__')), value({ t: 'tuple', items: [] }), value({ t: 'tuple', items: [] })], ctx));
        const n = len.t === 'int' ? Number(len.v) : Infinity;
        if (n <= MATERIALIZE.maxItems && n <= budget.budget) {
          budget.budget -= n;
          const got = this.unbox(s, await this.request(s, HANDLER.BUFFITER, [self, value({ t: 'int', v: BigInt(n) })], ctx));
          const items = got.t === 'tuple' ? got.items : [];
          let out: PyValue;
          if (kind === 'dict') {
            // dict values one getitem each, all in flight at once
            const vals = await Promise.all(
              items.map(async (k) =>
                this.unbox(s, await this.request(s, HANDLER.CALLATTR, [self, value(str('__getitem__')), boxTuple([this.box(s, k)]), value({ t: 'tuple', items: [] })], ctx)),
              ),
            );
            const keys = await Promise.all(items.map((k) => this.present(s, k, depth + 1, budget, ctx)));
            const values = await Promise.all(vals.map((x) => this.present(s, x, depth + 1, budget, ctx)));
            out = { t: 'dict', kv: keys.flatMap((k, i) => [k, values[i]]) };
          } else {
            const presented = await Promise.all(items.map((x) => this.present(s, x, depth + 1, budget, ctx)));
            out = { t: kind, items: presented };
          }
          this.releaseId(s, id, 1);
          return out;
        }
      }
      const text = this.unbox(s, await this.request(s, HANDLER.REPR, [self], ctx));
      return text.t === 'str' ? refValue(id, text.v) : ref;
    } catch (e) {
      // a server that refuses len/repr on its own object: show the bare reference
      if (e instanceof RemoteError) return ref;
      throw e;
    }
  }
}

/** `exposed_foo` -> `foo`; other names are not callable from outside (allow_public_attrs=False). */
function exposedName(name: string): string | undefined {
  if (!name.startsWith(EXPOSED_PREFIX)) return undefined;
  const bare = name.slice(EXPOSED_PREFIX.length);
  // @rpyc.service on a subclass re-prefixes inherited exposed names: exposed_exposed_foo
  if (bare === '' || bare.startsWith(EXPOSED_PREFIX)) return undefined;
  return bare;
}

export function createRpycClient(opts: ClientOptions): RpcClient {
  return new RpycClient(opts);
}
