import { afterEach, describe, expect, it } from 'vitest';
import { styleFor, useColour } from '../../src/cli/style';

const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('terminal colours', () => {
  it('colour on a TTY, none when piped, none with NO_COLOR', () => {
    delete process.env.NO_COLOR;
    delete process.env.FORCE_COLOR;
    expect(useColour({ isTTY: true })).toBe(true);
    expect(useColour({ isTTY: false })).toBe(false);
    expect(useColour({})).toBe(false);
    expect(styleFor({ isTTY: true }).red('x')).toBe('\x1b[31mx\x1b[39m');
    expect(styleFor({ isTTY: false }).red('x')).toBe('x');
    process.env.NO_COLOR = '1';
    expect(useColour({ isTTY: true })).toBe(false);
    process.env.NO_COLOR = '';
    expect(useColour({ isTTY: true })).toBe(true);
    delete process.env.NO_COLOR;
    process.env.FORCE_COLOR = '1';
    expect(useColour({ isTTY: false })).toBe(true);
    process.env.FORCE_COLOR = '';
    expect(useColour({ isTTY: false })).toBe(false);
  });
});
