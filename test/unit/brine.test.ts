// Brine against RPyC 5.3.0 itself: vectors from test/golden/rpyc/gen_brine.py (brine.dump run by
// Debian's python3), compared both ways, plus the errors bad bytes must give.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRpcError } from '../../src/common/errors';
import { repr } from '../../src/common/repr';
import type { PyValue } from '../../src/common/value';
import { ELLIPSIS, NOT_IMPLEMENTED, brineFields, decodeBrine, encodeBrine, isBrineable, slice } from '../../src/codecs/rpyc/brine';

interface Tagged {
  t: string;
  v?: string | boolean;
  hex?: string;
  items?: Tagged[];
}

const hexBytes = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

function fromTagged(x: Tagged): PyValue {
  const items = (): PyValue[] => (x.items ?? []).map(fromTagged);
  switch (x.t) {
    case 'none':
      return { t: 'none' };
    case 'ellipsis':
      return ELLIPSIS;
    case 'notimplemented':
      return NOT_IMPLEMENTED;
    case 'bool':
      return { t: 'bool', v: x.v === true };
    case 'int':
      return { t: 'int', v: BigInt(String(x.v)) };
    case 'float':
      return { t: 'float', v: Buffer.from(x.hex ?? '', 'hex').readDoubleBE(0) };
    case 'complex': {
      const b = Buffer.from(x.hex ?? '', 'hex');
      return { t: 'complex', re: b.readDoubleBE(0), im: b.readDoubleBE(8) };
    }
    case 'str':
      return { t: 'str', v: String(x.v) };
    case 'bytes':
      return { t: 'bytes', v: hexBytes(x.hex ?? '') };
    case 'tuple':
      return { t: 'tuple', items: items() };
    case 'frozenset':
      return { t: 'frozenset', items: items() };
    case 'slice': {
      const [a, b, c] = items();
      return slice(a, b, c);
    }
    default:
      throw new Error(`unknown tagged type ${x.t}`);
  }
}

const vectors = JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'rpyc', 'brine-vectors.json'), 'utf8')) as {
  value: Tagged;
  repr: string;
  hex: string;
}[];

describe('brine golden vectors (rpyc 5.3.0 brine.dump)', () => {
  it('has the vectors', () => expect(vectors.length).toBeGreaterThan(60));
  for (const vec of vectors) {
    const label = vec.repr.length > 60 ? `${vec.repr.slice(0, 57)}...` : vec.repr;
    it(`encodes ${label}`, () => {
      const v = fromTagged(vec.value);
      expect(isBrineable(v)).toBe(true);
      expect(toHex(encodeBrine(v))).toBe(vec.hex);
    });
    it(`decodes ${label}`, () => {
      const v = decodeBrine(hexBytes(vec.hex));
      expect(repr(v)).toBe(vec.repr);
      // and round-trips to the same bytes
      expect(toHex(encodeBrine(v))).toBe(vec.hex);
    });
  }
});

function decodeErr(hex: string): string {
  try {
    decodeBrine(hexBytes(hex));
  } catch (e) {
    if (isRpcError(e, 'E_DECODE')) return e.message;
    throw e;
  }
  throw new Error(`decoded ${hex} without error`);
}

describe('brine errors', () => {
  it('names an unknown tag and its offset', () => {
    expect(decodeErr('1151f5')).toMatch(/unknown tag 0xf5 at offset 2/);
    expect(decodeErr('09')).toMatch(/unknown tag 0x09 at offset 0/);
  });
  it('refuses truncated data', () => {
    expect(decodeErr('')).toMatch(/end of the data at offset 0/);
    expect(decodeErr('0d6162')).toMatch(/truncated STR4.*offset 0/);
    expect(decodeErr('18000000')).toMatch(/truncated FLOAT/);
    expect(decodeErr('1251')).toMatch(/TUP3 claims 3 items but only 1 bytes remain at offset 0/);
    expect(decodeErr('08')).toMatch(/end of the data at offset 1/);
  });
  it('refuses huge length prefixes without allocating', () => {
    expect(decodeErr('0fffffffff')).toMatch(/truncated STR_L4: needs 4294967295 more bytes/);
    expect(decodeErr('15ffffffff00')).toMatch(/TUP_L4 claims 4294967295 items/);
    expect(decodeErr('17ffffffff31')).toMatch(/INT_L4 of 4294967295 digits exceeds the limit/);
  });
  it('refuses trailing bytes, bad ints, bad UTF-8 and deep nesting', () => {
    expect(decodeErr('5050')).toMatch(/1 trailing bytes after the value at offset 1/);
    expect(decodeErr('16026162')).toMatch(/INT_L1 is not a decimal int: "ab"/);
    expect(decodeErr('080bc328')).toMatch(/invalid UTF-8 at offset 0/);
    expect(decodeErr('0851')).toMatch(/UNICODE must wrap bytes/);
    expect(decodeErr('1951')).toMatch(/SLICE must hold a 3-tuple/);
    expect(decodeErr('10'.repeat(300) + '00')).toMatch(/nesting deeper than 256/);
  });
  it('refuses to encode what brine cannot carry', () => {
    for (const v of [
      { t: 'list', items: [] },
      { t: 'dict', entries: [] },
      { t: 'tuple', items: [{ t: 'set', items: [] }] },
      { t: 'str', v: '\ud800' },
    ] as PyValue[]) {
      expect(isBrineable(v)).toBe(false);
      expect(() => encodeBrine(v)).toThrow(/brine cannot carry/);
    }
  });
  it('lists the decoded tree with ranges', () => {
    const fields = brineFields(hexBytes('1251501153115102'));
    expect(fields.map((f) => [f.name, f.value, f.range, f.depth])).toEqual([
      ['TUP3', '3 items', [0, 8], 0],
      ['IMM_INT', '1', [1, 2], 1],
      ['IMM_INT', '0', [2, 3], 1],
      ['TUP2', '2 items', [3, 8], 1],
      ['IMM_INT', '3', [4, 5], 2],
      ['TUP2', '2 items', [5, 8], 2],
      ['IMM_INT', '1', [6, 7], 3],
      ['EMPTY_TUPLE', '()', [7, 8], 3],
    ]);
  });
});
