// Small byte helpers shared by the codecs: fast text decoding and a growable writer.
// Pure: only Uint8Array, DataView, TextEncoder and TextDecoder.

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextEncoder();

/** Runs up to this long are decoded by hand: TextDecoder's per-call cost dominates tiny strings. */
const SHORT_TEXT = 32;

/**
 * Decode `buf[start, end)` as strict UTF-8 (throws TypeError on invalid bytes).
 * Short ASCII runs skip TextDecoder, which matters when a message holds many small keys.
 */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  const n = end - start;
  if (n === 0) return '';
  if (n <= SHORT_TEXT) {
    let k = start;
    while (k < end && buf[k] < 0x80) k++;
    if (k === end) return asciiChars(buf, start, n);
  }
  return utf8Strict.decode(buf.subarray(start, end));
}

/** `n` (>= 1) ASCII bytes as a string: one call per 12 bytes, no intermediate strings, no subarray. */
function asciiChars(b: Uint8Array, a: number, n: number): string {
  const c = String.fromCharCode;
  switch (n) {
    case 1: return c(b[a]);
    case 2: return c(b[a], b[a + 1]);
    case 3: return c(b[a], b[a + 1], b[a + 2]);
    case 4: return c(b[a], b[a + 1], b[a + 2], b[a + 3]);
    case 5: return c(b[a], b[a + 1], b[a + 2], b[a + 3], b[a + 4]);
    case 6: return c(b[a], b[a + 1], b[a + 2], b[a + 3], b[a + 4], b[a + 5]);
    case 7: return c(b[a], b[a + 1], b[a + 2], b[a + 3], b[a + 4], b[a + 5], b[a + 6]);
    case 8: return c(b[a], b[a + 1], b[a + 2], b[a + 3], b[a + 4], b[a + 5], b[a + 6], b[a + 7]);
    case 9: return c(b[a], b[a + 1], b[a + 2], b[a + 3], b[a + 4], b[a + 5], b[a + 6], b[a + 7], b[a + 8]);
    case 10: return c(b[a], b[a + 1], b[a + 2], b[a + 3], b[a + 4], b[a + 5], b[a + 6], b[a + 7], b[a + 8], b[a + 9]);
    case 11: return c(b[a], b[a + 1], b[a + 2], b[a + 3], b[a + 4], b[a + 5], b[a + 6], b[a + 7], b[a + 8], b[a + 9], b[a + 10]);
    default: {
      const head = c(b[a], b[a + 1], b[a + 2], b[a + 3], b[a + 4], b[a + 5], b[a + 6], b[a + 7], b[a + 8], b[a + 9], b[a + 10], b[a + 11]);
      return n === 12 ? head : head + asciiChars(b, a + 12, n - 12);
    }
  }
}

/** Decode `buf[start, end)` as Latin-1 (every byte is one code point). */
export function decodeLatin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i += 4096) {
    s += String.fromCharCode(...buf.subarray(i, Math.min(end, i + 4096)));
  }
  return s;
}

export function encodeUtf8(s: string): Uint8Array {
  return utf8.encode(s);
}

/**
 * Strict UTF-8 encoding as Python's `str.encode('utf-8', 'surrogatepass')` would do it:
 * lone surrogates (which a PyStr may hold) are written as their 3-byte forms instead of U+FFFD.
 */
export function encodeUtf8SurrogatePass(s: string): Uint8Array {
  if (!/[\ud800-\udfff]/.test(s)) return utf8.encode(s);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Little-endian unsigned 64-bit read as a JS number (exact up to 2^53, beyond that still ordered). */
export function readUint64LE(buf: Uint8Array, at: number): number {
  const lo = (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + buf[at + 3] * 0x1000000;
  const hi = (buf[at + 4] | (buf[at + 5] << 8) | (buf[at + 6] << 16)) + buf[at + 7] * 0x1000000;
  return hi * 0x100000000 + lo;
}

export function readUint32LE(buf: Uint8Array, at: number): number {
  return (buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16)) + buf[at + 3] * 0x1000000;
}

export function readInt32LE(buf: Uint8Array, at: number): number {
  return buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24);
}

// 32-bit fields by hand: a DataView on a message's few bytes would move them off V8's heap (a
// malloc'd backing store for every message).
export function readUint32BE(buf: Uint8Array, at: number): number {
  return buf[at] * 0x1000000 + ((buf[at + 1] << 16) | (buf[at + 2] << 8) | buf[at + 3]);
}

export function writeUint32BE(buf: Uint8Array, at: number, n: number): void {
  buf[at] = n >>> 24;
  buf[at + 1] = n >>> 16;
  buf[at + 2] = n >>> 8;
  buf[at + 3] = n;
}

/** A DataView on exactly these bytes (floats and 64-bit fields; see above for 32-bit ones). */
export function dataViewOf(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Also writes an int32 (the same low 32 bits). */
export function writeUint32LE(buf: Uint8Array, at: number, n: number): void {
  buf[at] = n;
  buf[at + 1] = n >>> 8;
  buf[at + 2] = n >>> 16;
  buf[at + 3] = n >>> 24;
}

/** The parts one after another in a new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** A growable output buffer. */
export class ByteWriter {
  private buf: Uint8Array;
  private dv?: DataView;
  private len = 0;

  /**
   * The default start is small enough for V8 to keep the bytes on its heap: a call's request is
   * written with no malloc'd buffer to allocate and free (larger typed arrays get one).
   */
  constructor(initial = 64) {
    this.buf = new Uint8Array(initial);
  }

  /** Made on first use: most small messages need none, and a DataView moves on-heap bytes off the heap. */
  private get view(): DataView {
    return (this.dv ??= dataViewOf(this.buf));
  }

  get length(): number {
    return this.len;
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.dv = undefined;
  }

  u8(b: number): this {
    this.reserve(1);
    this.buf[this.len++] = b;
    return this;
  }

  u16le(n: number): this {
    this.reserve(2);
    this.buf[this.len] = n;
    this.buf[this.len + 1] = n >>> 8;
    this.len += 2;
    return this;
  }

  u32le(n: number): this {
    this.reserve(4);
    writeUint32LE(this.buf, this.len, n);
    this.len += 4;
    return this;
  }

  i32le(n: number): this {
    this.reserve(4);
    writeUint32LE(this.buf, this.len, n);
    this.len += 4;
    return this;
  }

  u32be(n: number): this {
    this.reserve(4);
    writeUint32BE(this.buf, this.len, n);
    this.len += 4;
    return this;
  }

  u64le(n: number): this {
    this.reserve(8);
    this.view.setBigUint64(this.len, BigInt(n), true);
    this.len += 8;
    return this;
  }

  f64be(x: number): this {
    this.reserve(8);
    this.view.setFloat64(this.len, x, false);
    this.len += 8;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** Write a string as UTF-8 (TextEncoder's: a lone surrogate becomes U+FFFD). */
  utf8(s: string): this {
    const n = this.asciiHead(s);
    this.len += n;
    // the rest, from a character boundary, by TextEncoder
    return n === s.length ? this : this.bytes(utf8.encode(s.slice(n)));
  }

  /**
   * Write `s` one byte per character if it is all ASCII, and say so; otherwise write nothing and
   * return false. One pass where a check and then a copy would make two.
   */
  ascii(s: string): boolean {
    const n = this.asciiHead(s);
    if (n < s.length) return false;
    this.len += n;
    return true;
  }

  /** Copy the ASCII characters `s` starts with past the end (not yet counted as written); how many. */
  private asciiHead(s: string): number {
    this.reserve(s.length);
    const buf = this.buf;
    const at = this.len;
    let i = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) break;
      buf[at + i] = c;
    }
    return i;
  }

  /** Take back the last `n` bytes written. */
  drop(n: number): void {
    this.len -= n;
  }

  /** Write a string whose characters are all below U+0100, one byte each. */
  latin1(s: string): this {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i) & 0xff;
    return this;
  }

  /** Overwrite 8 bytes at `at` (a length field reserved earlier). */
  patchU64le(at: number, n: number): void {
    this.view.setBigUint64(at, BigInt(n), true);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
