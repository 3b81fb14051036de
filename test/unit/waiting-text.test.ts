import { describe, expect, it } from 'vitest';
import { fmtSize } from '../../src/common/byte-size';
import { waitingText } from '../../src/common/waiting-text';

describe('waitingText', () => {
  it('says how long a call has waited, and the key that cancels it', () => {
    expect(waitingText(3400, undefined, 'Esc')).toBe('waiting 3 s for the reply · Esc cancels');
  });

  it('says how much of the reply has come, of the total its framing announced', () => {
    expect(waitingText(1200, { received: 764 * 1024, total: 3_000_016 }, 'Ctrl-C')).toBe('receiving the reply: 764.0 KB of 2.9 MB (1 s) · Ctrl-C cancels');
  });

  it('says only how much has come where the framing announces no length (total 0)', () => {
    expect(waitingText(2600, { received: 65536, total: 0 }, 'Esc')).toBe('receiving the reply: 64.0 KB so far (3 s) · Esc cancels');
  });
});

describe('fmtSize', () => {
  it('writes bytes, KB and MB', () => {
    expect([0, 1023, 1024, 1536, (1 << 20) - 1, 1 << 20, 5.25 * (1 << 20)].map(fmtSize)).toEqual(['0 B', '1023 B', '1.0 KB', '1.5 KB', '1.0 MB', '1.0 MB', '5.3 MB']);
  });
});
