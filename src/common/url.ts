// Endpoint URLs, shared by the CLI, the app and collections:
//   pickle://HOST:PORT?authkey=KEY    mpjson://HOST:PORT?authkey=KEY    tcpjson://HOST:PORT
//   xmlrpc[s]://HOST:PORT/PATH        jsonrpc[s]://HOST:PORT/PATH       jsonrpc+tcp://  jsonrpc+ws[s]://
//   rpyc://HOST:PORT
import { RpcError } from './errors';

export const SCHEMES = [
  'pickle',
  'mpjson',
  'tcpjson',
  'xmlrpc',
  'xmlrpcs',
  'jsonrpc',
  'jsonrpcs',
  'jsonrpc+tcp',
  'jsonrpc+ws',
  'jsonrpc+wss',
  'rpyc',
] as const;
export type Scheme = (typeof SCHEMES)[number];

/** The schemes without their TLS variants (xmlrpcs, jsonrpcs, jsonrpc+wss), as help lists them. */
const PLAIN_SCHEMES: readonly Scheme[] = ['pickle', 'mpjson', 'tcpjson', 'xmlrpc', 'jsonrpc', 'jsonrpc+tcp', 'jsonrpc+ws', 'rpyc'];

export const DEFAULT_PORTS: Partial<Record<Scheme, number>> = {
  xmlrpc: 80,
  xmlrpcs: 443,
  jsonrpc: 80,
  jsonrpcs: 443,
  'jsonrpc+ws': 80,
  'jsonrpc+wss': 443,
  rpyc: 18812,
};

export interface Endpoint {
  scheme: Scheme;
  host: string;
  port: number;
  /** path including the leading slash, '' when absent */
  path: string;
  /** query parameters other than the authkey, in order */
  params: [string, string][];
  /** authkey from the URL (`?authkey=`); options may override it */
  authkey?: string;
  /**
   * the URL without its authkey, in one canonical form (explicit port, parameters in the order
   * given): safe to log and store, and the key under which a server's history is kept
   */
  display: string;
}

const URL_RE = /^([a-z][a-z0-9+.-]*):\/\/(\[[0-9a-fA-F:.]+\]|[^/?#:\s]+)(?::(\d+))?(\/[^?#\s]*)?(?:\?([^#\s]*))?$/i;

export function parseEndpoint(url: string): Endpoint {
  const m = URL_RE.exec(url.trim());
  if (!m) {
    // HOST:PORT alone is the usual slip: name the schemes to put before it
    const bare = /^\s*(\[[0-9a-fA-F:.]+\]|[^/?#:\s]+):(\d+)(\/\S*)?\s*$/.test(url);
    const hint = bare ? `; put the server's protocol before it: ${PLAIN_SCHEMES.map((x) => `${x}://`).join(', ')}` : '';
    throw new RpcError('E_URL', `not an endpoint URL: ${JSON.stringify(url)} (expected SCHEME://HOST:PORT[/PATH])${hint}`);
  }
  const scheme = m[1].toLowerCase() as Scheme;
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    throw new RpcError('E_URL', `unsupported scheme "${m[1]}" in ${JSON.stringify(url)}; known: ${SCHEMES.join(', ')}`);
  }
  const host = m[2].startsWith('[') ? m[2].slice(1, -1) : m[2];
  const port = m[3] === undefined ? DEFAULT_PORTS[scheme] : Number(m[3]);
  if (port === undefined) throw new RpcError('E_URL', `${scheme}:// needs a port: ${scheme}://${m[2]}:PORT`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RpcError('E_URL', `port out of range in ${JSON.stringify(url)}`);
  const params: [string, string][] = [];
  let authkey: string | undefined;
  for (const part of (m[5] ?? '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const k = decodeComponent(eq < 0 ? part : part.slice(0, eq), url);
    const v = decodeComponent(eq < 0 ? '' : part.slice(eq + 1), url);
    if (k === 'authkey') authkey = v;
    else params.push([k, v]);
  }
  const path = m[4] ?? '';
  const query = params.map(([k, v]) => (v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&');
  const display = `${scheme}://${m[2]}:${port}${path}${query ? `?${query}` : ''}`;
  return { scheme, host, port, path, params, authkey, display };
}

function decodeComponent(s: string, url: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    throw new RpcError('E_URL', `bad percent-encoding in ${JSON.stringify(url)}`);
  }
}

export function param(ep: Endpoint, name: string): string | undefined {
  return ep.params.find(([k]) => k === name)?.[1];
}

/** Schemes whose URLs have a path (HTTP and WebSocket); the others are a host and a port. */
const HAS_PATH: ReadonlySet<Scheme> = new Set(['xmlrpc', 'xmlrpcs', 'jsonrpc', 'jsonrpcs', 'jsonrpc+ws', 'jsonrpc+wss']);

/**
 * The same server under another scheme: host and port kept, the path where both schemes have one,
 * no query (its parameters are the old scheme's, and an authkey is kept apart from the URL).
 */
export function withScheme(url: string, scheme: Scheme): string {
  const ep = parseEndpoint(url);
  const host = ep.host.includes(':') ? `[${ep.host}]` : ep.host;
  const path = HAS_PATH.has(scheme) && HAS_PATH.has(ep.scheme) ? ep.path : '';
  return `${scheme}://${host}:${ep.port}${path}`;
}

/** Whether the scheme is a multiprocessing.connection one, whose servers usually ask for an authkey. */
export const takesAuthkey = (scheme: string): boolean => scheme === 'pickle' || scheme === 'mpjson';
