// The tokenizer for call expressions: Python's rules for names, numbers and string literals.
// `tokenize` is strict (throws E_PARSE); `highlight` never throws and is meant for editors.
import { RpcError } from './errors';
import { UNICODE_NAMES } from './unicode-names';
import type { PyValue } from './value';

export type TokenKind = 'name' | 'number' | 'string' | 'op' | 'comment' | 'error';

export interface Token {
  kind: TokenKind;
  /** UTF-16 offsets into the source, end exclusive */
  start: number;
  end: number;
  text: string;
  /** the literal's value (numbers and strings) */
  value?: PyValue;
  /** why an 'error' token is one */
  message?: string;
}

/** Punctuation the call grammar uses; anything else is an error. */
const OPS = ['**', '==', '(', ')', '[', ']', '{', '}', ',', ':', '=', '.', '+', '-', '*', ';'];

const STRING_PREFIXES = new Set(['', 'r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf']);

/** 1-based line and column of an offset. */
export function position(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < src.length; i++) {
    if (src[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** An E_PARSE error whose message ends with where the problem is. */
export function parseError(src: string, offset: number, problem: string): RpcError {
  const { line, column } = position(src, offset);
  const where = src.includes('\n') ? `line ${line}, column ${column}` : `column ${column}`;
  return new RpcError('E_PARSE', `${problem} at ${where}`, { line, column, offset });
}

/** Operator characters the lexer has no token for: a clear error rather than "unexpected character". */
const OPERATOR_CHARS = new Set(['/', '%', '<', '>', '&', '|', '^', '@', '~', '!']);

/** The error for an operator where a literal or the end was expected (`add(1/2)`, `_ * 2`). */
export function operatorError(src: string, offset: number, op: string): RpcError {
  return parseError(src, offset, `only literals are allowed: '${op}' is an operator (write the value it would compute)`);
}

const isIdStart = (c: string): boolean => /[\p{L}\p{Nl}_\u2118\u212e\u309b\u309c]/u.test(c);
const isIdChar = (c: string): boolean => /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}_\u00b7\u2118\u212e\u309b\u309c]/u.test(c);
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** The tokens of `src`, without whitespace and comments. Throws E_PARSE at the first bad token. */
export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  while (true) {
    pos = skipSpace(src, pos);
    if (pos >= src.length) return out;
    const tok = lexToken(src, pos);
    if (tok.kind !== 'comment') out.push(tok);
    pos = tok.end;
  }
}

/**
 * Every token of `src` including comments; a bad token becomes an 'error' token (with the
 * message) and lexing resumes after it. Never throws.
 */
export function highlight(src: string): Token[] {
  const out: Token[] = [];
  let pos = 0;
  while (true) {
    pos = skipSpace(src, pos);
    if (pos >= src.length) return out;
    try {
      const tok = lexToken(src, pos);
      out.push(tok);
      pos = tok.end;
    } catch (e) {
      // a bad string covers the rest of the line, a bad number or word its run of word characters
      const nl = src.indexOf('\n', pos);
      const word = /^[\w.]+/u.exec(src.slice(pos))?.[0].length ?? 1;
      const end = /^[rRuUbBfF]*['"]/.test(src.slice(pos, pos + 3)) ? (nl < 0 ? src.length : nl) : pos + word;
      out.push({ kind: 'error', start: pos, end, text: src.slice(pos, end), message: e instanceof Error ? e.message : String(e) });
      pos = end;
    }
  }
}

function skipSpace(src: string, pos: number): number {
  while (pos < src.length) {
    const c = src[pos];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') pos++;
    else if (c === '\\' && (src[pos + 1] === '\n' || (src[pos + 1] === '\r' && src[pos + 2] === '\n'))) pos += src[pos + 1] === '\n' ? 2 : 3;
    else break;
  }
  return pos;
}

function lexToken(src: string, pos: number): Token {
  const c = src[pos];
  if (c === '#') {
    const nl = src.indexOf('\n', pos);
    const end = nl < 0 ? src.length : nl;
    return { kind: 'comment', start: pos, end, text: src.slice(pos, end) };
  }
  if (isDigit(c) || (c === '.' && isDigit(src[pos + 1]))) return lexNumber(src, pos);
  if (c === '"' || c === "'") return lexString(src, pos, '');
  const cp = src.codePointAt(pos)!;
  const ch = String.fromCodePoint(cp);
  if (isIdStart(ch)) {
    let end = pos + ch.length;
    while (end < src.length) {
      const next = String.fromCodePoint(src.codePointAt(end)!);
      if (!isIdChar(next)) break;
      end += next.length;
    }
    const text = src.slice(pos, end);
    if (src[end] === '"' || src[end] === "'") {
      const prefix = text.toLowerCase();
      if (prefix === 'f' || prefix === 'fr' || prefix === 'rf') {
        throw parseError(src, pos, 'f-strings are not supported (they are not literals)');
      }
      if (STRING_PREFIXES.has(prefix)) return lexString(src, end, prefix, pos);
      if (/^[rubf]+$/i.test(text)) throw parseError(src, pos, `invalid string prefix '${text}'`);
    }
    return { kind: 'name', start: pos, end, text };
  }
  for (const op of OPS) {
    if (src.startsWith(op, pos)) return { kind: 'op', start: pos, end: pos + op.length, text: op };
  }
  if (OPERATOR_CHARS.has(ch)) throw operatorError(src, pos, /\/\/|<<|>>|[<>!]=|./y.exec(src.slice(pos))![0]);
  const shown = cp < 0x20 || cp === 0x7f ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `'${ch}'`;
  throw parseError(src, pos, `unexpected character ${shown}`);
}

/** Reads digits (with single underscores between them) matching `ok`; returns the end offset. */
function readDigits(src: string, pos: number, ok: (c: string) => boolean): number {
  let end = pos;
  while (end < src.length) {
    if (ok(src[end])) end++;
    else if (src[end] === '_' && end > pos && ok(src[end + 1] ?? '')) end++;
    else break;
  }
  return end;
}

const RADIX: Record<string, { name: string; ok: (c: string) => boolean }> = {
  x: { name: 'hexadecimal', ok: (c) => /[0-9a-fA-F]/.test(c) },
  o: { name: 'octal', ok: (c) => c >= '0' && c <= '7' },
  b: { name: 'binary', ok: (c) => c === '0' || c === '1' },
};

function lexNumber(src: string, start: number): Token {
  const bad = (what: string): never => {
    throw parseError(src, start, what);
  };
  const radix = src[start] === '0' ? RADIX[(src[start + 1] ?? '').toLowerCase()] : undefined;
  if (radix !== undefined) {
    // 0x_FF is allowed: an underscore may follow the prefix
    const digitsAt = src[start + 2] === '_' ? start + 3 : start + 2;
    const end = radix.ok(src[digitsAt] ?? '') ? readDigits(src, digitsAt, radix.ok) : digitsAt;
    if (end === digitsAt && isDigit(src[digitsAt])) bad(`invalid digit '${src[digitsAt]}' in ${radix.name} literal`);
    if (end === digitsAt) bad(`invalid ${radix.name} literal`);
    if (isDigit(src[end])) bad(`invalid digit '${src[end]}' in ${radix.name} literal`);
    if (src[end] === '_' || (end < src.length && isIdChar(src[end]))) bad(`invalid ${radix.name} literal`);
    const text = src.slice(start, end);
    const clean = '0' + text[1].toLowerCase() + text.slice(2).replace(/_/g, '');
    return { kind: 'number', start, end, text, value: { t: 'int', v: BigInt(clean) } };
  }
  let end = readDigits(src, start, isDigit);
  const intEnd = end;
  let isFloat = false;
  if (src[end] === '.') {
    isFloat = true;
    end++;
    if (isDigit(src[end])) end = readDigits(src, end, isDigit);
  }
  if (src[end] === 'e' || src[end] === 'E') {
    let e = end + 1;
    if (src[e] === '+' || src[e] === '-') e++;
    if (isDigit(src[e])) {
      end = readDigits(src, e, isDigit);
      isFloat = true;
    } else {
      bad('invalid decimal literal');
    }
  }
  let imaginary = false;
  if (src[end] === 'j' || src[end] === 'J') {
    imaginary = true;
    end++;
  }
  if (end < src.length && (src[end] === '_' || isIdChar(src[end]))) bad('invalid decimal literal');
  const text = src.slice(start, end);
  const clean = text.replace(/_/g, '').replace(/[jJ]$/, '');
  if (imaginary) return { kind: 'number', start, end, text, value: { t: 'complex', re: 0, im: Number(clean) } };
  if (isFloat) return { kind: 'number', start, end, text, value: { t: 'float', v: Number(clean) } };
  const intText = src.slice(start, intEnd).replace(/_/g, '');
  if (intText.length > 1 && intText.startsWith('0') && /[1-9]/.test(intText)) {
    bad('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers');
  }
  return { kind: 'number', start, end, text, value: { t: 'int', v: BigInt(clean) } };
}

const SIMPLE_ESCAPES: Record<string, number> = { '\\': 0x5c, "'": 0x27, '"': 0x22, a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11 };

let namesIndex: Map<string, number> | undefined;

/** The code point for a \N{...} name, from the common names rpcscope knows. */
export function lookupUnicodeName(name: string): number | undefined {
  if (namesIndex === undefined) {
    namesIndex = new Map();
    for (const entry of UNICODE_NAMES.split('|')) {
      const colon = entry.indexOf(':');
      namesIndex.set(entry.slice(colon + 1), parseInt(entry.slice(0, colon), 16));
    }
  }
  return namesIndex.get(name.toUpperCase().trim().replace(/\s+/g, ' '));
}

/** One string or bytes literal starting at its quote (`prefixStart` is where its prefix began). */
function lexString(src: string, quoteAt: number, prefix: string, prefixStart = quoteAt): Token {
  const raw = prefix.includes('r');
  const isBytes = prefix.includes('b');
  const q = src[quoteAt];
  const triple = src[quoteAt + 1] === q && src[quoteAt + 2] === q;
  const delim = triple ? q.repeat(3) : q;
  let pos = quoteAt + delim.length;
  // str: code points; bytes: byte values
  const units: number[] = [];
  const unterminated = (): never => {
    throw parseError(src, prefixStart, `unterminated ${triple ? 'triple-quoted ' : ''}string literal`);
  };
  while (true) {
    if (pos >= src.length) unterminated();
    if (src.startsWith(delim, pos)) {
      pos += delim.length;
      break;
    }
    const cp = src.codePointAt(pos)!;
    const ch = String.fromCodePoint(cp);
    if (ch === '\n' && !triple) unterminated();
    if (isBytes && cp > 0x7f) throw parseError(src, pos, 'bytes can only contain ASCII literal characters');
    if (ch !== '\\') {
      units.push(cp);
      pos += ch.length;
      continue;
    }
    const next = src[pos + 1];
    if (next === undefined) unterminated();
    if (raw) {
      // a backslash still keeps the next character (even a quote) inside the literal
      units.push(0x5c);
      const nextCp = src.codePointAt(pos + 1)!;
      if (isBytes && nextCp > 0x7f) throw parseError(src, pos + 1, 'bytes can only contain ASCII literal characters');
      units.push(nextCp);
      pos += 1 + String.fromCodePoint(nextCp).length;
      continue;
    }
    pos = escape(src, pos, isBytes, units);
  }
  const text = src.slice(prefixStart, pos);
  const value: PyValue = isBytes ? { t: 'bytes', v: Uint8Array.from(units) } : { t: 'str', v: units.map((u) => String.fromCodePoint(u)).join('') };
  return { kind: 'string', start: prefixStart, end: pos, text, value };
}

/** Decodes the escape sequence at `pos` (a backslash) into `units`; returns the offset after it. */
function escape(src: string, pos: number, isBytes: boolean, units: number[]): number {
  const next = src[pos + 1];
  const fail = (what: string): never => {
    throw parseError(src, pos, what);
  };
  if (next === '\n') return pos + 2;
  if (next === '\r') return src[pos + 2] === '\n' ? pos + 3 : pos + 2;
  if (next in SIMPLE_ESCAPES) {
    units.push(SIMPLE_ESCAPES[next]);
    return pos + 2;
  }
  if (next >= '0' && next <= '7') {
    let end = pos + 1;
    while (end < pos + 4 && src[end] >= '0' && src[end] <= '7') end++;
    const v = parseInt(src.slice(pos + 1, end), 8);
    // bytes keep the low 8 bits of \400..\777, as CPython does
    units.push(isBytes ? v & 0xff : v);
    return end;
  }
  const hexEscape = (digits: number, label: string): number => {
    const hex = src.slice(pos + 2, pos + 2 + digits);
    if (hex.length < digits || !/^[0-9a-fA-F]+$/.test(hex)) fail(`truncated \\${label} escape`);
    const v = parseInt(hex, 16);
    if (v > 0x10ffff) fail('illegal Unicode character in \\U escape');
    units.push(v);
    return pos + 2 + digits;
  };
  if (next === 'x') return hexEscape(2, 'xXX');
  if (!isBytes && next === 'u') return hexEscape(4, 'uXXXX');
  if (!isBytes && next === 'U') return hexEscape(8, 'UXXXXXXXX');
  if (!isBytes && next === 'N') {
    const close = src.indexOf('}', pos);
    if (src[pos + 2] !== '{' || close < 0 || src.slice(pos + 3, close).includes('\n')) fail('malformed \\N character escape');
    const name = src.slice(pos + 3, close);
    const cp = lookupUnicodeName(name);
    if (cp === undefined) fail(`unknown Unicode character name '${name}' (only common names are known; write \\uXXXX instead)`);
    units.push(cp!);
    return close + 1;
  }
  // an unrecognised escape keeps its backslash, as in Python
  units.push(0x5c);
  return pos + 1;
}
