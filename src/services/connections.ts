// The connection registry: the endpoints the user works with, their status, their clients and wire
// logs. Remembered across restarts in connections.json (URLs without authkeys; authkeys go to a
// SecretStore). Several connections live at once; each call gets a callId that tags its frames.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { CallRequest, MethodList } from '../common/call';
import type { ConnectionInfo, ConnectionStatus } from '../common/contract/connections';
import { RpcError, isRpcError } from '../common/errors';
import { parseEndpoint } from '../common/url';
import type { ReplyProgress } from '../common/waiting-text';
import type { PyValue } from '../common/value';
import { attributeNames } from '../clients/attributes';
import { createClient, type OpenOptions } from '../clients/registry';
import { suggestedSchemes } from '../codecs/peer-sniff';
import { DEFAULT_TIMEOUT_MS, type RpcClient } from '../clients/types';
import type { SecretStore } from './secrets';
import { writePrivateFile } from './secrets';
import { WireLog } from './wirelog';

// what the window is told of a connection: the contract's shapes
export type { ConnectionInfo, ConnectionStatus } from '../common/contract/connections';

export interface ConnectionInput {
  url: string;
  name?: string;
  authkey?: string;
  timeoutMs?: number;
  ephemeral?: boolean;
}

interface Saved {
  id: string;
  name: string;
  url: string;
  timeoutMs: number;
}

interface Live extends Saved {
  ephemeral: boolean;
  /** ephemeral connections keep their authkey here instead of the store */
  memoryAuthkey?: string;
  status: ConnectionStatus;
  client?: RpcClient;
  /** what the server listed last (methods with `cached` answers from it) */
  listing?: MethodList;
  connecting?: Promise<void>;
  wire: WireLog;
  /** the replies being received, by call number: bytes here of the total their framing announced (0: none) */
  receiving: Map<number, CallProgress>;
}

export interface CallProgress extends ReplyProgress {
  callId: number;
}

export type ClientOpener = (url: string, opts: OpenOptions) => RpcClient;

export interface RegistryOptions {
  /** connections.json; undefined keeps nothing on disk */
  file?: string;
  secrets: SecretStore;
  open?: ClientOpener;
  /** frames kept per connection */
  maxFrames?: number;
}

const MAX_CALL_SOURCES = 500_000;
/** What the wire view shows as the call of the frames a method listing exchanged. */
export const LISTING_SOURCE = '(listing the methods)';
/** ... and of the frames a connect exchanged (authkey challenge, RPyC handshake). */
export const CONNECT_SOURCE = '(connecting)';

/** errors after which the client is dropped and the next call reconnects */
const CONNECTION_LOST = new Set(['E_CONNECT', 'E_AUTH', 'E_CLOSED', 'E_PROTOCOL']);

/** The URL with any authkey taken out, and the authkey. */
export function splitAuthkey(url: string): { url: string; authkey?: string } {
  const ep = parseEndpoint(url);
  const clean = url.trim().replace(/([?&])authkey=[^&#]*(&?)/i, (_m, sep: string, more: string) => (more ? sep : '')).replace(/[?&]$/, '');
  return ep.authkey === undefined ? { url: clean } : { url: clean, authkey: ep.authkey };
}

export class ConnectionRegistry {
  private readonly conns = new Map<string, Live>();
  private readonly open: ClientOpener;
  private nextCallId = 1;
  private readonly callSources = new Map<number, string>();

  constructor(private readonly opts: RegistryOptions) {
    this.open = opts.open ?? createClient;
    this.load();
  }

  list(): ConnectionInfo[] {
    return [...this.conns.values()].map((c) => this.info(c));
  }

  get(id: string): ConnectionInfo {
    return this.info(this.live(id));
  }

  add(input: ConnectionInput): ConnectionInfo {
    const split = splitAuthkey(input.url);
    const id = randomUUID();
    const c: Live = {
      id,
      name: input.name?.trim() || defaultName(split.url),
      url: split.url,
      timeoutMs: input.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      ephemeral: input.ephemeral ?? false,
      status: { state: 'idle' },
      wire: this.newWireLog(),
      receiving: new Map(),
    };
    this.conns.set(id, c);
    this.setAuthkey(c, input.authkey ?? split.authkey);
    this.save();
    void this.connect(id);
    return this.info(c);
  }

  edit(id: string, patch: { url?: string; name?: string; authkey?: string; timeoutMs?: number }): ConnectionInfo {
    const c = this.live(id);
    let authkey = patch.authkey;
    if (patch.url !== undefined) {
      const split = splitAuthkey(patch.url);
      c.url = split.url;
      if (!patch.name && c.name === defaultName(c.url)) c.name = defaultName(split.url);
      authkey ??= split.authkey;
    }
    if (patch.name !== undefined && patch.name.trim()) c.name = patch.name.trim();
    if (patch.timeoutMs !== undefined) c.timeoutMs = patch.timeoutMs;
    if (authkey !== undefined) this.setAuthkey(c, authkey === '' ? undefined : authkey);
    c.listing = undefined;
    this.save();
    this.drop(c);
    void this.connect(id);
    return this.info(c);
  }

  remove(id: string): boolean {
    const c = this.conns.get(id);
    if (!c) return false;
    this.drop(c);
    this.conns.delete(id);
    this.opts.secrets.delete(id);
    this.save();
    return true;
  }

  /** (Re)connects now; resolves when the status is connected or failed. */
  async connect(id: string): Promise<ConnectionInfo> {
    const c = this.live(id);
    this.drop(c);
    await this.ensureClient(c).catch(() => undefined);
    return this.info(c);
  }

  wire(id: string): WireLog {
    return this.live(id).wire;
  }

  callSource(callId: number): string | undefined {
    return this.callSources.get(callId);
  }

  /** Performs one call; `source` is what the user typed (kept for history and the wire filter). */
  async call(id: string, req: CallRequest, source: string, signal?: AbortSignal): Promise<{ callId: number; value: PyValue }> {
    const c = this.live(id);
    const callId = this.newCallId(source);
    const client = await this.ensureClient(c);
    let ended = false;
    try {
      // (a stream shared by calls may report the bytes of the next reply to the last caller: not once it is answered)
      const onProgress = (received: number, total: number) => void (ended || c.receiving.set(callId, { callId, received, total }));
      const value = await client.call(req, { callId, timeoutMs: c.timeoutMs, onProgress, ...(signal && { signal }) });
      c.status = { state: 'connected' };
      return { callId, value };
    } catch (e) {
      // a cancelled call's server is still at work on it, and answers a connection's calls one at a
      // time: the next call starts over on a new connection, as the terminal REPL's does (remote
      // objects of the old one go with it)
      if (isRpcError(e, 'E_CANCELLED') && c.client === client) void this.drop(c, false);
      this.noteFailure(c, e);
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { callId });
    } finally {
      ended = true;
      c.receiving.delete(callId);
    }
  }

  /** How far the replies being received on the connection have come. */
  progress(id: string): CallProgress[] {
    return [...this.live(id).receiving.values()];
  }

  /** The server's methods; `cached`: its last listing, when there is one, without asking again. */
  async methods(id: string, opts: { cached?: boolean } = {}): Promise<MethodList> {
    const c = this.live(id);
    if (opts.cached && c.listing) return c.listing;
    const client = await this.ensureClient(c);
    try {
      // its frames (the probes of a server without introspection too) are named in the wire view
      c.listing = await client.methods({ timeoutMs: c.timeoutMs, callId: this.newCallId(LISTING_SOURCE) });
      return c.listing;
    } catch (e) {
      this.noteFailure(c, e);
      throw e;
    }
  }

  /** The methods of a remote object the user holds (RPyC netrefs), for help(obj). */
  async methodsOf(id: string, ref: PyValue): Promise<MethodList> {
    const c = this.live(id);
    const client = await this.ensureClient(c);
    if (!client.methodsOf) throw new RpcError('E_UNSUPPORTED', `${client.endpoint.scheme}:// has no remote objects to list the methods of`);
    try {
      return await client.methodsOf(ref, { timeoutMs: c.timeoutMs, callId: this.newCallId(LISTING_SOURCE) });
    } catch (e) {
      this.noteFailure(c, e);
      throw e;
    }
  }

  /** The attribute names Tab offers after `head.` in the console (RPyC; see clients/attributes.ts). */
  async attributes(id: string, head: string, resolve: (name: string) => PyValue | undefined): Promise<string[]> {
    return attributeNames(await this.ensureClient(this.live(id)), head, resolve);
  }

  /** A call id for the frames of one exchange, and what the wire view shows for it. */
  private newCallId(source: string): number {
    const callId = this.nextCallId++;
    this.callSources.set(callId, source);
    // the sources of old calls go the way of their frames
    if (this.callSources.size > MAX_CALL_SOURCES) this.callSources.delete(this.callSources.keys().next().value as number);
    return callId;
  }

  /** Lets the server drop a remote object the user no longer holds (RPyC netrefs). */
  async release(id: string, ref: PyValue): Promise<void> {
    const client = this.conns.get(id)?.client;
    await client?.release?.(ref).catch(() => undefined);
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.conns.values()].map((c) => this.drop(c)));
  }

  private async ensureClient(c: Live): Promise<RpcClient> {
    if (c.client && c.status.state === 'connected') return c.client;
    if (c.connecting) {
      await c.connecting;
      if (c.client) return c.client;
    }
    const attempt = (async () => {
      c.status = { state: 'connecting' };
      // no call is in flight while the client connects, so its untagged frames are the handshake;
      // they get a call number of their own once there is one (HTTP clients exchange nothing here)
      let handshaking = true;
      let handshakeId: number | undefined;
      try {
        const client = this.open(c.url, {
          authkey: this.authkeyOf(c),
          timeoutMs: c.timeoutMs,
          onFrame: (f) => {
            if (handshaking && f.callId === undefined) f = { ...f, callId: (handshakeId ??= this.newCallId(CONNECT_SOURCE)) };
            c.wire.append(f);
          },
        });
        c.client = client;
        await client.connect();
        if (c.client === client) c.status = { state: 'connected' };
      } catch (e) {
        this.noteFailure(c, e);
        throw e;
      } finally {
        handshaking = false;
      }
    })();
    c.connecting = attempt;
    try {
      await attempt;
    } finally {
      if (c.connecting === attempt) c.connecting = undefined;
    }
    if (!c.client) throw new RpcError('E_CONNECT', `${c.url}: not connected`);
    return c.client;
  }

  private noteFailure(c: Live, e: unknown): void {
    if (!isRpcError(e)) return; // a remote exception says nothing bad about the connection
    // a server that speaks another protocol fails every call: the connection shows why, and what to try
    const schemes = suggestedSchemes(e);
    if (!CONNECTION_LOST.has(e.code) && !schemes && c.status.state === 'connected') return;
    c.status = { state: 'failed', code: e.code, reason: e.message, ...(schemes && { schemes }) };
    if (CONNECTION_LOST.has(e.code) || schemes) void this.drop(c, false);
  }

  private async drop(c: Live, resetStatus = true): Promise<void> {
    const client = c.client;
    c.client = undefined;
    if (resetStatus) c.status = { state: 'idle' };
    if (client) await client.close().catch(() => undefined);
  }

  private setAuthkey(c: Live, authkey: string | undefined): void {
    if (c.ephemeral) c.memoryAuthkey = authkey;
    else if (authkey === undefined) this.opts.secrets.delete(c.id);
    else this.opts.secrets.set(c.id, authkey);
  }

  private authkeyOf(c: Live): string | undefined {
    return c.ephemeral ? c.memoryAuthkey : this.opts.secrets.get(c.id);
  }

  private info(c: Live): ConnectionInfo {
    return {
      id: c.id,
      name: c.name,
      url: c.url,
      scheme: c.url.slice(0, Math.max(0, c.url.indexOf('://'))),
      hasAuthkey: this.authkeyOf(c) !== undefined,
      timeoutMs: c.timeoutMs,
      ephemeral: c.ephemeral,
      status: c.status,
    };
  }

  private live(id: string): Live {
    const c = this.conns.get(id);
    if (!c) throw new RpcError('E_USAGE', `no connection with id ${id}`);
    return c;
  }

  private newWireLog(): WireLog {
    return new WireLog(this.opts.maxFrames, (callId) => this.callSources.get(callId));
  }

  private load(): void {
    const file = this.opts.file;
    if (!file || !existsSync(file)) return;
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new RpcError('E_INTERNAL', `${file} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    const items = (data as { connections?: unknown })?.connections;
    if (!Array.isArray(items)) return;
    for (const s of items as Partial<Saved>[]) {
      if (typeof s.id !== 'string' || typeof s.url !== 'string') continue;
      this.conns.set(s.id, {
        id: s.id,
        name: typeof s.name === 'string' ? s.name : defaultName(s.url),
        url: s.url,
        timeoutMs: typeof s.timeoutMs === 'number' ? s.timeoutMs : DEFAULT_TIMEOUT_MS,
        ephemeral: false,
        status: { state: 'idle' },
        wire: this.newWireLog(),
        receiving: new Map(),
      });
    }
  }

  private save(): void {
    if (!this.opts.file) return;
    const connections: Saved[] = [...this.conns.values()]
      .filter((c) => !c.ephemeral)
      .map(({ id, name, url, timeoutMs }) => ({ id, name, url, timeoutMs }));
    writePrivateFile(this.opts.file, JSON.stringify({ version: 1, connections }, null, 2) + '\n');
  }
}

function defaultName(url: string): string {
  return url.replace(/^[a-z+]+:\/\//i, '');
}
