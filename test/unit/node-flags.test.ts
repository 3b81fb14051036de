// The CLI's shebang line carries the V8 flags that web mode, Electron's main process and the
// benchmarks get from scripts/node-flags.mjs: the product runs as it is measured.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module shared with the scripts, without type declarations
import { NODE_FLAGS } from '../../scripts/node-flags.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'rpcscope.js');

describe('V8 flags of rpcscope processes', () => {
  it('bin/rpcscope.js starts node with the flags of scripts/node-flags.mjs', () => {
    const shebang = readFileSync(BIN, 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${(NODE_FLAGS as string[]).join(' ')}`);
  });

  it('the shebang starts the CLI when the file is run as a program, as npm links it', () => {
    const out = execFileSync(BIN, ['--help'], { encoding: 'utf8' });
    expect(out).toMatch(/Usage: rpcscope/);
  });
});
