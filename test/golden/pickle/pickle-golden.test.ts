// Golden pickles written by every CPython here (2.7, 3.6-3.13; see generate.py): each decodes to
// what Python 3.11 loads from it (compared by repr), and disassembles exactly as pickletools.dis.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remoteErrorFromValue } from '../../../src/common/pyexc';
import { repr } from '../../../src/common/repr';
import { decodePickle, disassemblePickle, encodePickle } from '../../../src/codecs/pickle';

interface Vector {
  name: string;
  hex: string;
  from: string[];
  repr: string;
  /** for an exception: the last line of the traceback Python prints for it */
  lastLine?: string;
  /** the lines Python prints under the last line for the exception's notes */
  notes?: string[];
  dis?: string;
  disError?: string;
}

const vectors: Vector[] = JSON.parse(readFileSync(join(__dirname, 'vectors.json'), 'utf8'));
const bytesOf = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const label = (v: Vector): string => `${v.name} [${v.from[0]}${v.from.length > 1 ? ` +${v.from.length - 1}` : ''}]`;

describe('golden pickles', () => {
  it('cover every interpreter and protocol', () => {
    const sources = new Set(vectors.flatMap((v) => v.from));
    for (const s of ['2.7 p0', '2.7 p2', '3.6 p4', '3.11 p5', '3.13 p5']) expect(sources).toContain(s);
    expect(vectors.length).toBeGreaterThan(300);
  });

  it.each(vectors.map((v) => [label(v), v] as const))('decode %s', (_, v) => {
    expect(repr(decodePickle(bytesOf(v.hex)))).toBe(v.repr);
  });

  it.each(vectors.filter((v) => v.lastLine !== undefined).map((v) => [label(v), v] as const))('raise %s', (_, v) => {
    const value = decodePickle(bytesOf(v.hex));
    if (value.t !== 'object') throw new Error(`not an exception: ${repr(value)}`);
    const err = remoteErrorFromValue(value);
    expect(err.lastLine).toBe(v.lastLine);
    expect(err.notes).toEqual(v.notes ?? []);
  });

  it.each(vectors.filter((v) => v.dis !== undefined).map((v) => [label(v), v] as const))('disassemble %s', (_, v) => {
    const d = disassemblePickle(bytesOf(v.hex));
    expect(d.error).toBeUndefined();
    expect(d.text).toBe(v.dis);
    expect(d.ops.reduce((n, op) => n + op.length, 0)).toBe(v.hex.length / 2);
  });

  it.each(vectors.map((v) => [label(v), v] as const))('re-encode %s at every protocol', (_, v) => {
    const value = decodePickle(bytesOf(v.hex));
    for (let protocol = 0; protocol <= 5; protocol++) {
      expect(repr(decodePickle(encodePickle(value, { protocol })))).toBe(v.repr);
    }
  });
});
