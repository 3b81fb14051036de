// Scheme -> client. Each protocol module adds one line here.
import { RpcError } from '../common/errors';
import { parseEndpoint, type Scheme } from '../common/url';
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  DEFAULT_TIMEOUT_MS,
  type ClientFactory,
  type ClientOptions,
  type RpcClient,
} from './types';
import { createPickleClient } from './mp/pickle';
import { createMpjsonClient } from './mp/mpjson';
import { createXmlRpcClient } from './xmlrpc';
import { createJsonRpcClient } from './jsonrpc';
import { createTcpJsonClient } from './tcpjson';
import { createRpycClient } from './rpyc/client';

const factories: Partial<Record<Scheme, ClientFactory>> = {
  pickle: createPickleClient,
  mpjson: createMpjsonClient,
  xmlrpc: createXmlRpcClient,
  xmlrpcs: createXmlRpcClient,
  jsonrpc: createJsonRpcClient,
  jsonrpcs: createJsonRpcClient,
  'jsonrpc+tcp': createJsonRpcClient,
  'jsonrpc+ws': createJsonRpcClient,
  'jsonrpc+wss': createJsonRpcClient,
  tcpjson: createTcpJsonClient,
  rpyc: createRpycClient,
};

export type OpenOptions = Partial<Omit<ClientOptions, 'endpoint'>>;

export function createClient(url: string, opts: OpenOptions = {}): RpcClient {
  const endpoint = parseEndpoint(url);
  const factory = factories[endpoint.scheme];
  if (!factory) throw new RpcError('E_URL', `no client for ${endpoint.scheme}:// yet`);
  return factory({
    endpoint,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxMessageBytes: opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    ...opts,
    authkey: opts.authkey ?? endpoint.authkey,
  });
}
