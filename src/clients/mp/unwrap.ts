// What is inside a multiprocessing.connection message of the Cookbook servers: a pickle inside a
// pickled bytes object (pickle://), or JSON text inside a pickled str (mpjson://).
import { RpcError } from '../../common/errors';
import type { PyValue } from '../../common/value';
import { decodePickle, decodePickleAt } from '../../codecs/pickle';

/**
 * The pickle inside a wrapped message (the outer value is bytes, or a Python 2 str) and its value.
 * Telling whether the bytes are a whole pickle means decoding them, so the value comes with it
 * instead of being decoded a second time.
 */
export function unwrapInnerPickle(outer: PyValue): { bytes: Uint8Array; value: PyValue } | undefined {
  let bytes: Uint8Array | undefined;
  if (outer.t === 'bytes') bytes = outer.v;
  else if (outer.t === 'str' && isLatin1(outer.v)) bytes = Uint8Array.from(outer.v, (c) => c.charCodeAt(0));
  if (!bytes || bytes.length < 2) return undefined;
  let decoded: { value: PyValue; end: number };
  try {
    decoded = decodePickleAt(bytes, 0);
  } catch {
    return undefined;
  }
  return decoded.end === bytes.length ? { bytes, value: decoded.value } : undefined;
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
