// One interface for every protocol client. A client owns its connection(s); the CLI, the REPL,
// the app and the collection runner only speak this interface.
import type { CallRequest, MethodList } from '../common/call';
import type { Endpoint } from '../common/url';
import type { FrameSink } from '../common/frames';
import type { PyValue } from '../common/value';

export interface ClientOptions {
  endpoint: Endpoint;
  /** authkey for multiprocessing.connection (overrides the URL's) */
  authkey?: string;
  /** per-call and connect timeout, ms */
  timeoutMs: number;
  /** largest message accepted from the peer, bytes (guards against huge length prefixes) */
  maxMessageBytes: number;
  /** pickle protocol for requests (pickle://), default 4 */
  pickleProtocol?: number;
  /** receives every chunk of bytes in and out, with decoded layers */
  onFrame?: FrameSink;
  /** TLS: accept self-signed certificates (xmlrpcs, jsonrpcs, wss) */
  insecure?: boolean;
}

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export interface CallOptions {
  /** tags the frames of this call so the wire view can group them */
  callId?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** told as a long reply arrives: its bytes received and the total its framing announced (0: it announces none) */
  onProgress?: (received: number, total: number) => void;
}

export interface RpcClient {
  readonly endpoint: Endpoint;
  /** Connect (and authenticate) now; calls connect lazily when this was not called. */
  connect(opts?: { signal?: AbortSignal }): Promise<void>;
  /**
   * Perform one call. Resolves with the result; rejects with RemoteError when the server raised,
   * RpcError for everything else (timeout, closed, decode...).
   */
  call(req: CallRequest, opts?: CallOptions): Promise<PyValue>;
  /** The remote methods, by introspection where the protocol has it. */
  methods(opts?: CallOptions): Promise<MethodList>;
  /** The methods of a remote object the user holds (RPyC netrefs), as `methods` lists the root's; optional. */
  methodsOf?(ref: PyValue, opts?: CallOptions): Promise<MethodList>;
  /** Names that completion may offer for `obj.` (RPyC attributes); optional. */
  complete?(path: string, opts?: CallOptions): Promise<string[]>;
  /** Names that completion may offer for `c.` (or `c.meta.`: `path`), where `c` holds a remote object (RPyC); optional. */
  completeRef?(ref: PyValue, opts?: CallOptions, path?: string[]): Promise<string[]>;
  /** Release a remote reference (RPyC netref) the user no longer holds. */
  release?(ref: PyValue): Promise<void>;
  close(): Promise<void>;
  readonly connected: boolean;
}

export type ClientFactory = (opts: ClientOptions) => RpcClient;
