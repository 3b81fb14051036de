// What a peer's first bytes say about the protocol it speaks, for the error a client gives when they
// are not its own protocol: the usual cause is a URL with the wrong scheme (xmlrpc:// at a Cookbook
// server, pickle:// at a web server), and naming what the server looks like says how to fix it.
import { RpcError } from '../common/errors';
import { decodeLatin1 } from './bytes';

const CHALLENGE = '#CHALLENGE#';

/** Bytes [from, to) as Latin-1, or fewer when there are fewer. */
const latin1 = (b: Uint8Array, from: number, to: number): string => (from >= b.length ? '' : decodeLatin1(b, from, Math.min(to, b.length)));

/** The kind of server that sends these first bytes, when they are recognizable. */
export function peerLooksLike(first: Uint8Array): string | undefined {
  // multiprocessing.connection: a 4-byte length, then the authkey challenge (every CPython)
  if (latin1(first, 4, 4 + CHALLENGE.length) === CHALLENGE) {
    return 'a multiprocessing.connection server asking for an authkey (pickle:// or mpjson://, with ?authkey=)';
  }
  const head = latin1(first, 0, 16);
  if (head.startsWith('HTTP/')) return 'an HTTP server (xmlrpc:// or jsonrpc://)';
  if (/^\s*[[{]/.test(head)) return 'a server that sends JSON (tcpjson:// or jsonrpc+tcp://)';
  return undefined;
}

/** `e` with what the peer looks like added to its message, when its bytes say; else `e`. */
export function withPeerHint(e: unknown, first: Uint8Array): unknown {
  const kind = peerLooksLike(first);
  if (!kind || !(e instanceof RpcError)) return e;
  return new RpcError(e.code, `${e.message}; the server looks like ${kind}: check the URL's scheme`, e.detail);
}
