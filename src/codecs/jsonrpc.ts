// JSON-RPC 2.0 messages: requests, notifications and batches out; responses (single or batch) in;
// error objects as remote errors. Values go through the one JSON <-> PyValue mapping (json-value).
import { RemoteError, RpcError } from '../common/errors';
import { repr } from '../common/repr';
import { str, strDict, strKeyValue, type PyValue } from '../common/value';
import { jsonString, jsonToPy, pyToJsonText } from './json-value';

export type JsonRpcParams = { kind: 'positional'; args: PyValue[] } | { kind: 'named'; kwargs: [string, PyValue][] };

export interface JsonRpcRequest {
  method: string;
  params: JsonRpcParams;
  /** absent for a notification */
  id?: number;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: PyValue;
}

export interface JsonRpcResponse {
  /** null when the server could not read the request's id (parse error, invalid request) */
  id: PyValue;
  result?: PyValue;
  error?: JsonRpcErrorObject;
}


/**
 * One request (or notification, without id) as JSON text, as json.dumps writes the request dict:
 * the envelope is written directly and only the params go through the value encoder (building the
 * whole request as a dict value first cost as much as encoding it, on every call).
 */
export function encodeJsonRpcRequest(req: JsonRpcRequest): string {
  const params = pyToJsonText(req.params.kind === 'positional' ? { t: 'list', items: req.params.args } : strDict(req.params.kwargs));
  const id = req.id === undefined ? '' : `, "id": ${req.id}`;
  return `{"jsonrpc": "2.0", "method": ${jsonString(req.method)}, "params": ${params}${id}}`;
}

/** A batch: a JSON array of requests and notifications. */
export function encodeJsonRpcBatch(reqs: JsonRpcRequest[]): string {
  return `[${reqs.map(encodeJsonRpcRequest).join(', ')}]`;
}

function field(obj: PyValue, name: string): PyValue | undefined {
  return obj.t === 'dict' ? strKeyValue(obj, name) : undefined;
}

function responseOf(v: PyValue): JsonRpcResponse {
  if (v.t !== 'dict') throw new RpcError('E_PROTOCOL', `a JSON-RPC response must be an object, got ${repr(v)}`);
  const id = field(v, 'id') ?? { t: 'none' };
  const result = field(v, 'result');
  const error = field(v, 'error');
  if ((result === undefined) === (error === undefined)) {
    throw new RpcError('E_PROTOCOL', `a JSON-RPC response needs exactly one of "result" and "error": ${repr(v)}`);
  }
  if (error === undefined) return { id, result };
  const code = field(error, 'code');
  const message = field(error, 'message');
  if (code?.t !== 'int' || message?.t !== 'str') {
    throw new RpcError('E_PROTOCOL', `a JSON-RPC error needs an integer "code" and a string "message": ${repr(error)}`);
  }
  const data = field(error, 'data');
  return { id, error: { code: Number(code.v), message: message.v, ...(data === undefined ? {} : { data }) } };
}

/** A response message: one response, or a batch of them. */
export function decodeJsonRpcResponse(text: string | Uint8Array): JsonRpcResponse | JsonRpcResponse[] {
  const v = jsonToPy(text);
  if (v.t === 'list') return v.items.map(responseOf);
  return responseOf(v);
}

/** The numeric id of a response, when it is one of ours. */
export function responseId(r: JsonRpcResponse): number | undefined {
  return r.id.t === 'int' ? Number(r.id.v) : undefined;
}

const STANDARD_MESSAGES: Record<number, string> = {
  [-32700]: 'Parse error',
  [-32600]: 'Invalid Request',
  [-32601]: 'Method not found',
  [-32602]: 'Invalid params',
  [-32603]: 'Internal error',
};

/**
 * A JSON-RPC error object as a remote error. When the data names a Python exception (a
 * `{type, message, traceback}` object, or a traceback text) that is what is shown:
 * `KeyError: 'nope'`. Otherwise the type is JSONRPCError and the message `-32601 Method not found`,
 * followed by the data when it is a plain string (`: add`).
 */
export function jsonRpcErrorToRemote(err: JsonRpcErrorObject): RemoteError {
  const extra = { code: err.code, ...(err.data === undefined ? {} : { data: err.data }) };
  const data = err.data;
  if (data?.t === 'dict') {
    const type = field(data, 'type') ?? field(data, 'exception') ?? field(data, 'name');
    const message = field(data, 'message');
    const tb = field(data, 'traceback');
    if (type?.t === 'str' && /^[A-Za-z_][\w.]*$/.test(type.v)) {
      const text = message?.t === 'str' ? message.v : err.message;
      return new RemoteError(type.v, [str(text)], text, { ...extra, ...(tb?.t === 'str' ? { traceback: tb.v } : {}) });
    }
  }
  if (data?.t === 'str') {
    const last = lastTracebackLine(data.v);
    if (last) return new RemoteError(last.type, [str(last.message)], last.message, { ...extra, traceback: data.v });
  }
  const base = `${err.code} ${err.message || STANDARD_MESSAGES[err.code] || ''}`.trim();
  const detail = data === undefined ? '' : data.t === 'str' ? `: ${data.v}` : `: ${repr(data)}`;
  return new RemoteError('JSONRPCError', [{ t: 'int', v: BigInt(err.code) }, str(err.message)], base + detail, extra);
}

/** `Type: message` from the end of a Python traceback text. */
function lastTracebackLine(text: string): { type: string; message: string } | undefined {
  if (!text.startsWith('Traceback (most recent call last):')) return undefined;
  const lines = text.trimEnd().split('\n');
  const m = /^([A-Za-z_][\w.]*)(?:: ([\s\S]*))?$/.exec(lines[lines.length - 1]);
  return m ? { type: m[1], message: m[2] ?? '' } : undefined;
}
