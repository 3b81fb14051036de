// The rpcscope binary as users run it: `node bin/rpcscope.js ARGS`, built once per test file.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'rpcscope.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Bundle src/cli into dist/cli.js (what `npm install` does through `prepare`). */
export function buildCli(): void {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT });
}

/** State (history, collections) of CLI runs goes here unless a test passes its own RPCSCOPE_HOME. */
const DEFAULT_HOME = mkdtempSync(join(tmpdir(), 'rpcscope-cli-'));

/** Run the binary; never rejects: the exit code is part of the result. */
export function runCli(args: string[], env: Record<string, string> = {}, opts: { input?: string } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [BIN, ...args], { env: { ...process.env, RPCSCOPE_HOME: DEFAULT_HOME, ...env }, cwd: ROOT }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}
