// Standard base64 (RFC 4648, with padding) for pure code, which has no btoa/Buffer.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;

const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
const ASCII = new TextDecoder();
const PAD = 0x3d;

/** Encodes as ASCII bytes first and decodes them once: a string built piece by piece cost 10x. */
export function toBase64(b: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(b.length / 3) * 4);
  const whole = b.length - (b.length % 3);
  let o = 0;
  for (let i = 0; i < whole; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out[o++] = ALPHABET_CODES[n >> 18];
    out[o++] = ALPHABET_CODES[(n >> 12) & 63];
    out[o++] = ALPHABET_CODES[(n >> 6) & 63];
    out[o++] = ALPHABET_CODES[n & 63];
  }
  if (whole < b.length) {
    const two = whole + 1 < b.length;
    const n = (b[whole] << 16) | (two ? b[whole + 1] << 8 : 0);
    out[o++] = ALPHABET_CODES[n >> 18];
    out[o++] = ALPHABET_CODES[(n >> 12) & 63];
    out[o++] = two ? ALPHABET_CODES[(n >> 6) & 63] : PAD;
    out[o++] = PAD;
  }
  return ASCII.decode(out);
}

/** Decodes base64 (whitespace ignored); undefined when the text is not valid base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  const s = text.replace(/\s+/g, '');
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = s.charCodeAt(i + j);
      const isPad = c === 0x3d && i + j >= s.length - pad;
      const d = isPad ? 0 : c < 128 ? LOOKUP[c] : -1;
      if (d < 0) return undefined;
      n = (n << 6) | d;
    }
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
