// The text forms of protocol 0/1 arguments: decimal and float lines, quoted STRING escapes,
// raw-unicode-escape (UNICODE), and UTF-8 with lone surrogates (what Python writes for them).
import { decodeLatin1 } from '../bytes';

/** Python's int() on a decimal line (no underscores, optional sign and surrounding spaces). */
export function parseDecimal(text: string): bigint | undefined {
  const t = text.trim();
  if (!/^[+-]?\d+$/.test(t)) return undefined;
  return BigInt(t);
}

/** Python's float() on the text forms repr() and pickle write: `1.5`, `1e+16`, `inf`, `nan`. */
export function parsePyFloat(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  const m = /^([+-]?)(inf|infinity|nan)$/.exec(t);
  if (m) return m[2] === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

/**
 * codecs.escape_decode: the body of a protocol 0 STRING argument (between its quotes).
 * Returns undefined on a malformed escape.
 */
export function escapeDecode(buf: Uint8Array, start: number, end: number): Uint8Array | undefined {
  const out: number[] = [];
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    if (++i >= end) return undefined; // trailing backslash
    const e = buf[i];
    switch (e) {
      case 0x0a: break; // line continuation
      case 0x5c: out.push(0x5c); break;
      case 0x27: out.push(0x27); break;
      case 0x22: out.push(0x22); break;
      case 0x61: out.push(0x07); break; // \a
      case 0x62: out.push(0x08); break; // \b
      case 0x66: out.push(0x0c); break; // \f
      case 0x6e: out.push(0x0a); break; // \n
      case 0x72: out.push(0x0d); break; // \r
      case 0x74: out.push(0x09); break; // \t
      case 0x76: out.push(0x0b); break; // \v
      case 0x78: { // \xhh
        const hex = decodeLatin1(buf, i + 1, Math.min(end, i + 3));
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
        out.push(parseInt(hex, 16));
        i += 2;
        break;
      }
      default:
        if (e >= 0x30 && e <= 0x37) { // up to three octal digits
          let n = e - 0x30;
          for (let k = 0; k < 2 && i + 1 < end && buf[i + 1] >= 0x30 && buf[i + 1] <= 0x37; k++) n = n * 8 + (buf[++i] - 0x30);
          out.push(n & 0xff);
        } else {
          out.push(0x5c, e); // unknown escapes stay as written
        }
    }
  }
  return Uint8Array.from(out);
}

/** raw-unicode-escape: Latin-1 text where `\uXXXX` and `\UXXXXXXXX` name code points. */
export function rawUnicodeEscapeDecode(buf: Uint8Array, start: number, end: number): string | undefined {
  let s = '';
  for (let i = start; i < end; i++) {
    const c = buf[i];
    if (c === 0x5c && i + 1 < end && (buf[i + 1] === 0x75 || buf[i + 1] === 0x55)) {
      const n = buf[i + 1] === 0x75 ? 4 : 8;
      const hex = decodeLatin1(buf, i + 2, Math.min(end, i + 2 + n));
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) return undefined;
      s += String.fromCodePoint(cp);
      i += 1 + n;
    } else {
      s += String.fromCharCode(c);
    }
  }
  return s;
}

/**
 * UTF-8 that may encode lone surrogates (Python's 'surrogatepass', which pickle uses for str).
 * Returns undefined on bytes that are not UTF-8 even so.
 */
export function decodeUtf8SurrogatePass(buf: Uint8Array, start: number, end: number): string | undefined {
  let s = '';
  let i = start;
  while (i < end) {
    const c = buf[i];
    let cp: number;
    let n: number;
    if (c < 0x80) { cp = c; n = 1; }
    else if (c >= 0xc2 && c < 0xe0) { cp = c & 0x1f; n = 2; }
    else if (c >= 0xe0 && c < 0xf0) { cp = c & 0x0f; n = 3; }
    else if (c >= 0xf0 && c < 0xf5) { cp = c & 0x07; n = 4; }
    else return undefined;
    if (i + n > end) return undefined;
    for (let k = 1; k < n; k++) {
      const b = buf[i + k];
      if ((b & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    if ((n === 3 && cp < 0x800) || (n === 4 && (cp < 0x10000 || cp > 0x10ffff))) return undefined;
    s += String.fromCodePoint(cp);
    i += n;
  }
  return s;
}

/** Two's-complement little-endian bytes (LONG1/LONG4) to a bigint. */
export function decodeLong(buf: Uint8Array, start: number, end: number): bigint {
  const n = end - start;
  if (n === 0) return 0n;
  if (n <= 6) {
    let v = 0;
    for (let i = end - 1; i >= start; i--) v = v * 256 + buf[i];
    if (buf[end - 1] & 0x80) v -= 2 ** (8 * n);
    return BigInt(v);
  }
  let hex = '';
  for (let i = end - 1; i >= start; i--) hex += (buf[i] < 16 ? '0' : '') + buf[i].toString(16);
  let v = BigInt('0x' + hex);
  if (buf[end - 1] & 0x80) v -= 1n << BigInt(8 * n);
  return v;
}

/** A bigint as minimal two's-complement little-endian bytes, as pickle's encode_long writes it. */
export function encodeLong(v: bigint): Uint8Array {
  if (v === 0n) return new Uint8Array(0);
  const out: number[] = [];
  let x = v;
  // emit bytes until the remaining value is all sign and the last byte's top bit matches the sign
  while (true) {
    out.push(Number(x & 0xffn));
    x >>= 8n;
    const top = out[out.length - 1] & 0x80;
    if ((x === 0n && !top) || (x === -1n && top)) break;
  }
  return Uint8Array.from(out);
}
