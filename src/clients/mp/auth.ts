// The multiprocessing.connection authkey handshake, client side. The server challenges first; then we
// challenge the server (Python's Client does both, and so do we).
//   Python <= 3.11: "#CHALLENGE#" + 20 random bytes, answer = raw HMAC-MD5(authkey, the 20 bytes).
//   Python >= 3.12: "#CHALLENGE#{sha256}" + 40 random bytes, answer = "{sha256}" + HMAC-SHA256(authkey,
//   everything after "#CHALLENGE#"). A 20-byte challenge or a 16-byte answer means the legacy MD5 form.
// We challenge the server in the form it used with us, so servers of every version accept our challenge.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { RpcError } from '../../common/errors';
import type { Layer, LayerField } from '../../common/frames';
import { parseLiteral } from '../../common/parse';
import type { PyValue } from '../../common/value';
import { concatBytes } from '../../codecs/bytes';
import type { MpWire } from './wire';

const enc = new TextEncoder();
const CHALLENGE = enc.encode('#CHALLENGE#');
const WELCOME = enc.encode('#WELCOME#');
const FAILURE = enc.encode('#FAILURE#');
/** Python reads handshake messages with recv_bytes(256) */
const HANDSHAKE_LIMIT = 256;
const LEGACY_MESSAGE_LENGTH = 20;
const MD5_LENGTH = 16;
const MODERN_MESSAGE_LENGTH = 40;
/** Python's digest names -> node:crypto's */
const DIGESTS: Record<string, string> = { md5: 'md5', sha256: 'sha256', sha384: 'sha384', sha3_256: 'sha3-256', sha3_384: 'sha3-384' };

export interface AuthOptions {
  /** ms to wait for the server's challenge before concluding it has no authkey */
  challengeTimeoutMs: number;
  signal?: AbortSignal;
}

/** `b'...'`, `rb"..."` and the like: an authkey given in Python's own notation for bytes */
const BYTES_LITERAL = /^(?:[bB][rR]?|[rR][bB])(['"])[\s\S]*\1$/;

/**
 * The authkey as bytes (URL `?authkey=` is percent-decoded first). Text written as a Python bytes
 * literal, `b'\x8fpeek'`, is those bytes, as Python's `authkey=` takes them: the way to give a key
 * that is not UTF-8 text (os.urandom makes such keys). Any other text is its UTF-8 encoding.
 */
export function authkeyBytes(authkey: string): Uint8Array {
  if (!BYTES_LITERAL.test(authkey)) return enc.encode(authkey);
  let v: PyValue;
  try {
    v = parseLiteral(authkey);
  } catch {
    v = { t: 'none' };
  }
  // (the message does not repeat the key: it is a secret)
  if (v.t !== 'bytes') throw new RpcError('E_AUTH', "the authkey is written like a Python bytes literal (b'...') but is not a valid one");
  return v.v;
}

export function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  return b.length >= prefix.length && prefix.every((x, i) => b[i] === x);
}

export function isChallenge(payload: Uint8Array): boolean {
  return startsWith(payload, CHALLENGE);
}

/** Split a challenge body or an answer into its digest name ('' = legacy MD5) and the MAC/payload. */
export function digestNameAndPayload(message: Uint8Array): { digest: string; payload: Uint8Array } {
  if (message.length === LEGACY_MESSAGE_LENGTH || message.length === MD5_LENGTH) return { digest: '', payload: message };
  if (message[0] === 0x7b) {
    const close = message.indexOf(0x7d, 1);
    if (close > 0 && close <= 10) {
      const name = new TextDecoder().decode(message.subarray(1, close));
      if (name in DIGESTS) return { digest: name, payload: message.subarray(close + 1) };
    }
  }
  throw new RpcError('E_PROTOCOL', 'the server used an authentication message of unsupported length or digest', {
    length: message.length,
  });
}

/** Our answer to a challenge body (what follows "#CHALLENGE#"). */
export function answerFor(key: Uint8Array, body: Uint8Array): Uint8Array {
  const { digest } = digestNameAndPayload(body);
  const mac = createHmac(DIGESTS[digest || 'md5'], key).update(body).digest();
  if (!digest) return new Uint8Array(mac);
  return concatBytes([enc.encode(`{${digest}}`), mac]);
}

/** Whether `answer` is a correct response to our challenge body. */
export function verifyAnswer(key: Uint8Array, body: Uint8Array, answer: Uint8Array): boolean {
  let parsed;
  try {
    parsed = digestNameAndPayload(answer);
  } catch {
    return false;
  }
  const expected = createHmac(DIGESTS[parsed.digest || 'md5'], key).update(body).digest();
  return expected.length === parsed.payload.length && timingSafeEqual(expected, parsed.payload);
}

/** A fresh challenge body in the form of `serverBody`: legacy 20 bytes, or `{digest}` + 40 bytes. */
export function challengeLike(serverBody: Uint8Array): Uint8Array {
  const { digest } = digestNameAndPayload(serverBody);
  if (!digest) return new Uint8Array(randomBytes(LEGACY_MESSAGE_LENGTH));
  return concatBytes([enc.encode(`{${digest}}`), randomBytes(MODERN_MESSAGE_LENGTH)]);
}

/** Run both halves of the handshake on a fresh connection. */
export async function authenticate(wire: MpWire, key: Uint8Array, opts: AuthOptions): Promise<void> {
  const receive = (waitingFor: string): Promise<Uint8Array> =>
    wire.recvBytes(HANDSHAKE_LIMIT, { timeoutMs: opts.challengeTimeoutMs, signal: opts.signal, waitingFor, describe: describeHandshake });

  // 1. the server challenges us
  let challenge: Uint8Array;
  try {
    challenge = await receive('an authentication challenge');
  } catch (e) {
    if (e instanceof RpcError && e.code === 'E_TIMEOUT') {
      throw new RpcError(
        'E_AUTH',
        `the server did not send an authentication challenge within ${Math.round(opts.challengeTimeoutMs / 100) / 10} s; it probably has no authkey (connect without one), or it is not a multiprocessing.connection server (check the URL's scheme)`,
      );
    }
    if (e instanceof RpcError && e.code === 'E_LIMIT') {
      throw new RpcError('E_PROTOCOL', 'the server sent a long message instead of an authentication challenge; it probably has no authkey');
    }
    throw e;
  }
  if (!isChallenge(challenge)) {
    throw new RpcError('E_PROTOCOL', 'the server did not start with an authentication challenge; it probably has no authkey (connect without one)');
  }
  const body = challenge.subarray(CHALLENGE.length);
  await wire.sendBytes(answerFor(key, body), { describe: describeHandshake });
  const verdict = await receive('the authentication verdict').catch((e: unknown) => {
    if (e instanceof RpcError && e.code === 'E_CLOSED') throw rejected();
    throw e;
  });
  if (!equal(verdict, WELCOME)) {
    if (equal(verdict, FAILURE)) throw rejected();
    throw new RpcError('E_PROTOCOL', 'the server answered the authentication with neither #WELCOME# nor #FAILURE#');
  }

  // 2. we challenge the server, in the form it used with us
  const ours = challengeLike(body);
  await wire.sendBytes(concatBytes([CHALLENGE, ours]), { describe: describeHandshake });
  const answer = await receive("the server's answer to our challenge");
  if (!verifyAnswer(key, ours, answer)) {
    await wire.sendBytes(FAILURE, { describe: describeHandshake }).catch(() => undefined);
    throw new RpcError('E_AUTH', "authentication failed: the server's answer to our challenge was wrong (it has a different authkey)");
  }
  await wire.sendBytes(WELCOME, { describe: describeHandshake });
}

/**
 * The recipe's `while True: client = sock.accept()` has no try: a failed handshake raises in
 * accept() and ends the server's loop, and the next connection is refused. Both authkey errors say
 * so, since the user's server may well be the recipe's.
 */
const RECIPE_SERVER_NOTE = 'a server written as the Cookbook recipe stops accepting connections after a failed handshake';

function rejected(): RpcError {
  return new RpcError('E_AUTH', `authentication failed: the server rejected the authkey (wrong authkey?); ${RECIPE_SERVER_NOTE}`);
}

/** The error for a client without an authkey that met a challenge. */
export function authkeyRequired(): RpcError {
  return new RpcError('E_AUTH', `the server requires an authkey (give ?authkey=KEY, --authkey or RPCSCOPE_AUTHKEY); ${RECIPE_SERVER_NOTE}`);
}

/** Handshake layer: challenge, answer or verdict, with its fields. */
export function describeHandshake(payload: Uint8Array, base: number): Layer[] {
  const fields: LayerField[] = [];
  let title: string;
  const range = (a: number, b: number): [number, number] => [base + a, base + b];
  if (isChallenge(payload)) {
    const body = payload.subarray(CHALLENGE.length);
    let digest = '';
    try {
      digest = digestNameAndPayload(body).digest;
    } catch {
      digest = '?';
    }
    const prefix = digest ? digest.length + 2 : 0;
    title = `challenge (${digest || 'md5, legacy'}, ${body.length - prefix} random bytes)`;
    fields.push({ name: 'marker', value: '#CHALLENGE#', range: range(0, CHALLENGE.length) });
    if (digest) fields.push({ name: 'digest', value: `{${digest}}`, range: range(CHALLENGE.length, CHALLENGE.length + prefix) });
    fields.push({ name: 'nonce', value: hex(body.subarray(prefix)), range: range(CHALLENGE.length + prefix, payload.length) });
  } else if (equal(payload, WELCOME) || equal(payload, FAILURE)) {
    title = `verdict ${new TextDecoder().decode(payload)}`;
    fields.push({ name: 'verdict', value: new TextDecoder().decode(payload), range: range(0, payload.length) });
  } else {
    let digest = '';
    let mac = payload;
    try {
      ({ digest, payload: mac } = digestNameAndPayload(payload));
    } catch {
      digest = '?';
    }
    const prefix = payload.length - mac.length;
    title = `answer (HMAC-${(digest || 'md5').toUpperCase()})`;
    if (prefix) fields.push({ name: 'digest', value: `{${digest}}`, range: range(0, prefix) });
    fields.push({ name: 'mac', value: hex(mac), range: range(prefix, payload.length) });
  }
  return [{ kind: 'handshake', title, range: range(0, payload.length), fields }];
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
