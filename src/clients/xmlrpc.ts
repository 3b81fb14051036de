// xmlrpc:// and xmlrpcs:// — XML-RPC over HTTP(S), as Python's ServerProxy speaks it: POST to the
// URL's path (/RPC2 when it has none), text/xml, gzip accepted. Faults become RemoteErrors;
// introspection (system.listMethods/methodHelp/methodSignature) feeds methods(); batches go out as
// one system.multicall.
import type { CallRequest, MethodInfo, MethodList } from '../common/call';
import { RemoteError, RpcError } from '../common/errors';
import type { Layer } from '../common/frames';
import { repr } from '../common/repr';
import { param } from '../common/url';
import { str, strDict, strKeyValue, type PyValue } from '../common/value';
import { withHttpBodyHint } from '../codecs/peer-sniff';
import { decodeXmlRpc, encodeMethodCall, faultToRemoteError, prettyXml } from '../codecs/xmlrpc';
import { decodeUtf8 } from '../codecs/bytes';
import { HttpClient } from '../transport/http';
import type { BatchItem, BatchingClient } from './batch';
import { emitRequestFrame, emitResponseFrame } from './http-frames';
import type { CallOptions, ClientOptions, RpcClient } from './types';

const HEADERS: [string, string][] = [
  ['User-Agent', 'rpcscope'],
  ['Content-Type', 'text/xml'],
  ['Accept-Encoding', 'gzip'],
];

export function isInsecure(opts: ClientOptions): boolean {
  return opts.insecure === true || ['1', 'true', 'yes'].includes((param(opts.endpoint, 'insecure') ?? '').toLowerCase());
}

/** Body layers of an XML-RPC message: the XML pretty-printed and the decoded call or result. */
function xmlLayers(body: Uint8Array, range: [number, number]): Layer[] {
  const text = decodeUtf8(body, 0, body.length);
  const layers: Layer[] = [{ kind: 'xml', title: `XML (${body.length} bytes)`, range, text: prettyXml(text) }];
  const msg = decodeXmlRpc(text);
  if (msg.kind === 'call') {
    layers.push({ kind: 'value', title: `call ${msg.method}`, text: `${msg.method}(${msg.params.map(repr).join(', ')})` });
  } else if (msg.kind === 'fault') {
    layers.push({ kind: 'value', title: `fault ${msg.code}`, text: faultToRemoteError(msg.code, msg.faultString).message });
  } else {
    layers.push({ kind: 'value', title: 'result', text: msg.params.length === 1 ? repr(msg.params[0]) : repr({ t: 'tuple', items: msg.params }) });
  }
  return layers;
}

function isUnsupportedMethod(e: unknown, name: string): boolean {
  return e instanceof RemoteError && e.pyMessage.includes(`"${name}" is not supported`);
}

export class XmlRpcClient implements RpcClient, BatchingClient {
  readonly endpoint;
  private readonly http: HttpClient;
  private readonly path: string;

  constructor(private readonly opts: ClientOptions) {
    this.endpoint = opts.endpoint;
    this.http = new HttpClient({
      host: opts.endpoint.host,
      port: opts.endpoint.port,
      tls: opts.endpoint.scheme === 'xmlrpcs',
      insecure: isInsecure(opts),
      timeoutMs: opts.timeoutMs,
      maxBodyBytes: opts.maxMessageBytes,
    });
    // ServerProxy posts to /RPC2 when the URL has no path.
    this.path = opts.endpoint.path === '' ? '/RPC2' : opts.endpoint.path;
  }

  get connected(): boolean {
    return this.http.connected;
  }

  async connect(o: { signal?: AbortSignal } = {}): Promise<void> {
    await this.http.connect(o.signal);
  }

  async call(req: CallRequest, opts: CallOptions = {}): Promise<PyValue> {
    checkPlainCall(req);
    return this.invoke(req.method, req.args, opts);
  }

  /** All calls in one system.multicall request (or one by one when the server lacks it). */
  async callBatch(reqs: CallRequest[], opts: CallOptions = {}): Promise<BatchItem[]> {
    reqs.forEach(checkPlainCall);
    const calls: PyValue = {
      t: 'list',
      items: reqs.map((r) =>
        strDict([
          ['methodName', str(r.method)],
          ['params', { t: 'list', items: r.args }],
        ]),
      ),
    };
    let result: PyValue;
    try {
      result = await this.invoke('system.multicall', [calls], opts);
    } catch (e) {
      if (!isUnsupportedMethod(e, 'system.multicall')) throw e;
      const out: BatchItem[] = [];
      for (const r of reqs) {
        try {
          out.push({ ok: true, value: await this.invoke(r.method, r.args, opts) });
        } catch (err) {
          if (!(err instanceof RemoteError)) throw err;
          out.push({ ok: false, error: err });
        }
      }
      return out;
    }
    if (result.t !== 'list' || result.items.length !== reqs.length) {
      throw new RpcError('E_PROTOCOL', `system.multicall returned ${result.t === 'list' ? result.items.length + ' items' : 'a ' + result.t} for ${reqs.length} calls`);
    }
    return result.items.map((item): BatchItem => {
      if (item.t === 'list' && item.items.length === 1) return { ok: true, value: item.items[0] };
      if (item.t === 'dict') {
        const code = strKeyValue(item, 'faultCode');
        const msg = strKeyValue(item, 'faultString');
        return { ok: false, error: faultToRemoteError(code?.t === 'int' ? Number(code.v) : 0, msg?.t === 'str' ? msg.v : '', item) };
      }
      return { ok: false, error: new RpcError('E_PROTOCOL', `unexpected system.multicall item: ${repr(item)}`) };
    });
  }

  async methods(opts: CallOptions = {}): Promise<MethodList> {
    let listed: PyValue;
    try {
      listed = await this.invoke('system.listMethods', [], opts);
    } catch (e) {
      if (!isUnsupportedMethod(e, 'system.listMethods')) throw e;
      return { methods: [], source: 'none', note: 'the server has no introspection (system.listMethods is not supported)' };
    }
    if (listed.t !== 'list') throw new RpcError('E_PROTOCOL', `system.listMethods returned ${repr(listed)}`);
    const names = listed.items.flatMap((i) => (i.t === 'str' ? [i.v] : []));
    const reqs = names.flatMap((n): CallRequest[] => [
      { method: 'system.methodSignature', args: [{ t: 'str', v: n }], kwargs: [] },
      { method: 'system.methodHelp', args: [{ t: 'str', v: n }], kwargs: [] },
    ]);
    const answers = reqs.length === 0 ? [] : await this.callBatch(reqs, opts);
    const methods = names.map((name, i): MethodInfo => {
      const info: MethodInfo = { name };
      const sig = answers[2 * i];
      const help = answers[2 * i + 1];
      if (sig?.ok) {
        const text = signatureText(name, sig.value);
        if (text) info.signature = text;
      }
      if (help?.ok && help.value.t === 'str' && help.value.v.trim() !== '') info.doc = help.value.v;
      return info;
    });
    return { methods, source: 'introspection' };
  }

  async close(): Promise<void> {
    this.http.close();
  }

  private async invoke(method: string, params: PyValue[], opts: CallOptions): Promise<PyValue> {
    const body = encodeMethodCall(method, params);
    const { callId } = opts;
    const { response } = await this.http.request(
      { method: 'POST', path: this.path, headers: HEADERS, body },
      {
        timeoutMs: opts.timeoutMs ?? this.opts.timeoutMs,
        signal: opts.signal,
        onProgress: opts.onProgress,
        onRequestBytes: (bytes) => emitRequestFrame(this.opts.onFrame, callId, bytes, xmlLayers),
      },
    );
    emitResponseFrame(this.opts.onFrame, callId, response, xmlLayers);
    if (response.status !== 200) {
      throw new RpcError('E_PROTOCOL', `HTTP ${response.status} ${response.reason} from ${this.http.peer} for POST ${this.path}`, {
        status: response.status,
      });
    }
    let msg: ReturnType<typeof decodeXmlRpc>;
    try {
      msg = decodeXmlRpc(response.body);
    } catch (e) {
      throw withHttpBodyHint(e, response.body, 'xmlrpc');
    }
    if (msg.kind === 'fault') throw faultToRemoteError(msg.code, msg.faultString, msg.value);
    if (msg.kind === 'call') throw new RpcError('E_PROTOCOL', `${this.http.peer} answered with a methodCall`);
    return msg.params.length === 1 ? msg.params[0] : { t: 'tuple', items: msg.params };
  }
}

function checkPlainCall(req: CallRequest): void {
  if (req.kwargs.length > 0) {
    throw new RpcError('E_USAGE', `XML-RPC has no keyword arguments (got ${req.kwargs.map(([k]) => k).join(', ')}=...)`);
  }
  if (req.target !== undefined) throw new RpcError('E_UNSUPPORTED', 'XML-RPC has no remote objects to call methods on');
}

/**
 * XML-RPC signatures are lists of [return type, param types...]: shown as `string get(string)`.
 * Python answers 'signatures not supported' (no signature).
 */
function signatureText(name: string, v: PyValue): string | undefined {
  if (v.t !== 'list') return undefined;
  const sigs = v.items.flatMap((s) => {
    if (s.t !== 'list' || s.items.length === 0) return [];
    const types = s.items.map((t) => (t.t === 'str' ? t.v : repr(t)));
    return [`${types[0]} ${name}(${types.slice(1).join(', ')})`];
  });
  return sigs.length > 0 ? sigs.join(' | ') : undefined;
}

export const createXmlRpcClient = (opts: ClientOptions): RpcClient => new XmlRpcClient(opts);
