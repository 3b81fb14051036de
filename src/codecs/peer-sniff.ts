// What a peer's first bytes say about the protocol it speaks, for the error a client gives when they
// are not its own protocol: the usual cause is a URL with the wrong scheme (xmlrpc:// at a Cookbook
// server, pickle:// at a web server), and naming what the server looks like says how to fix it.
import { RpcError } from '../common/errors';
import { decodeLatin1 } from './bytes';

const CHALLENGE = '#CHALLENGE#';

export type PeerKind = 'multiprocessing' | 'http' | 'json';

/** How many of a peer's first bytes are enough to tell its kind. */
export const PEER_HEAD_BYTES = 32;

/** What the server looks like, and the schemes that speak to such a server. */
interface Guess {
  looksLike: string;
  schemes: string[];
}

const GUESSES: Record<PeerKind, Guess> = {
  multiprocessing: { looksLike: 'a multiprocessing.connection server asking for an authkey (pickle:// or mpjson://, with ?authkey=)', schemes: ['pickle', 'mpjson'] },
  http: { looksLike: 'an HTTP server (xmlrpc:// or jsonrpc://)', schemes: ['xmlrpc', 'jsonrpc'] },
  json: { looksLike: 'a server that sends JSON (tcpjson:// or jsonrpc+tcp://)', schemes: ['tcpjson', 'jsonrpc+tcp'] },
};

/** The detail of an error that says which schemes the server looks like it speaks (the window offers them). */
interface WrongSchemeDetail {
  schemes: string[];
}

/** The schemes that speak to a server of this kind. */
export const schemesFor = (kind: PeerKind): string[] => GUESSES[kind].schemes;

/** The schemes an error suggests instead of the URL's, when it says the scheme looks wrong. */
export function suggestedSchemes(e: unknown): string[] | undefined {
  const detail = e instanceof RpcError ? (e.detail as Partial<WrongSchemeDetail> | undefined) : undefined;
  const schemes = detail?.schemes;
  return Array.isArray(schemes) && schemes.every((x) => typeof x === 'string') ? schemes : undefined;
}

/** `e` with the guess added to its message, and its schemes to its detail. */
function withGuess(e: RpcError, what: string, guess: Guess): RpcError {
  const detail = typeof e.detail === 'object' && e.detail !== null ? e.detail : {};
  return new RpcError(e.code, `${e.message}; ${what}the server looks like ${guess.looksLike}: check the URL's scheme`, { ...detail, schemes: guess.schemes });
}

/** Bytes [from, to) as Latin-1, or fewer when there are fewer. */
const latin1 = (b: Uint8Array, from: number, to: number): string => (from >= b.length ? '' : decodeLatin1(b, from, Math.min(to, b.length)));

/** The kind of server that sends these first bytes, when they are recognizable. */
export function peerKind(first: Uint8Array): PeerKind | undefined {
  // multiprocessing.connection: a 4-byte length, then the authkey challenge (every CPython)
  if (latin1(first, 4, 4 + CHALLENGE.length) === CHALLENGE) return 'multiprocessing';
  const head = latin1(first, 0, 16);
  if (head.startsWith('HTTP/')) return 'http';
  // Python's http.server answers a request line it cannot read with a bare HTML error page (no
  // status line: it takes the request for HTTP/0.9)
  if (/^\s*<(!doctype html|html)/i.test(head)) return 'http';
  if (/^\s*[[{]/.test(head)) return 'json';
  return undefined;
}

/**
 * `e` with what the peer looks like added to its message, when its bytes say; else `e`. `own` is
 * the kind the client itself speaks: bytes of that kind that still failed say nothing about the scheme.
 */
export function withPeerHint(e: unknown, first: Uint8Array, own?: PeerKind): unknown {
  const kind = peerKind(first);
  if (!kind || kind === own || !(e instanceof RpcError)) return e;
  return withGuess(e, '', GUESSES[kind]);
}

export type HttpBodyKind = 'xmlrpc' | 'jsonrpc';

const BODY_GUESSES: Record<HttpBodyKind, Guess> = {
  xmlrpc: { looksLike: 'an XML-RPC server (xmlrpc://)', schemes: ['xmlrpc'] },
  jsonrpc: { looksLike: 'a JSON-RPC server (jsonrpc://)', schemes: ['jsonrpc'] },
};

/** The RPC protocol an HTTP reply's body is written in, when its start says. */
function httpBodyKind(body: Uint8Array): HttpBodyKind | undefined {
  const head = latin1(body, 0, 64);
  if (/^\s*(<\?xml[^>]*>\s*)?<methodResponse[\s>]/.test(head)) return 'xmlrpc';
  if (/^\s*[[{]/.test(head)) return 'jsonrpc';
  return undefined;
}

/** `e` with the RPC protocol the HTTP reply's body is in added to its message, when not `own`; else `e`. */
export function withHttpBodyHint(e: unknown, body: Uint8Array, own: HttpBodyKind): unknown {
  const kind = httpBodyKind(body);
  if (!kind || kind === own || !(e instanceof RpcError)) return e;
  return withGuess(e, `the reply is ${kind === 'xmlrpc' ? 'XML-RPC' : 'JSON'}: `, BODY_GUESSES[kind]);
}
