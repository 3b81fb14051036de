// What is inside a multiprocessing.connection message of the Cookbook servers: a pickle inside a
// pickled bytes object (pickle://), or JSON text inside a pickled str (mpjson://).
import { RpcError } from '../../common/errors';
import type { PyValue } from '../../common/value';
import { decodePickle, decodePickleAt } from '../../codecs/pickle';

/** The pickle inside a wrapped message, if the outer value is one (bytes, or a Python 2 str). */
export function innerPickle(outer: PyValue): Uint8Array | undefined {
  let bytes: Uint8Array | undefined;
  if (outer.t === 'bytes') bytes = outer.v;
  else if (outer.t === 'str' && isLatin1(outer.v)) bytes = Uint8Array.from(outer.v, (c) => c.charCodeAt(0));
  if (!bytes || bytes.length < 2) return undefined;
  try {
    return decodePickleAt(bytes, 0).end === bytes.length ? bytes : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON text inside a reply: a pickled str (Python 3) or a pickled byte string (Python 2's str). */
export function jsonTextOf(payload: Uint8Array): string {
  const outer = decodePickle(payload);
  if (outer.t === 'str') return outer.v;
  if (outer.t === 'bytes') return new TextDecoder().decode(outer.v);
  throw new RpcError('E_PROTOCOL', `expected JSON text in a pickled str, got a pickled ${outer.t}`);
}

function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) return false;
  return true;
}
