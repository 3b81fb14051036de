// Batches (XML-RPC system.multicall, JSON-RPC batch arrays): one result or error per request, in
// request order, whatever order the server answered in.
import type { RemoteError, RpcError } from '../common/errors';
import type { CallRequest } from '../common/call';
import type { PyValue } from '../common/value';
import type { CallOptions } from './types';

export type BatchItem = { ok: true; value: PyValue } | { ok: false; error: RemoteError | RpcError };

export interface BatchingClient {
  callBatch(reqs: CallRequest[], opts?: CallOptions): Promise<BatchItem[]>;
}

/** Whether a client sends batches (xmlrpc://, jsonrpc:// and its transports). */
export function isBatchingClient(c: object): c is BatchingClient {
  return typeof (c as Partial<BatchingClient>).callBatch === 'function';
}
