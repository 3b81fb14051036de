// `npm run bench [-- options]`: bundles bench/index.ts the way the CLI is bundled (esbuild, no
// loader hooks or name-keeping helpers in the hot path), then runs it with a GC it can trigger.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { V8_FLAGS } from './v8-flags.mjs';

const outdir = join('node_modules', '.cache', 'rpcscope-bench');
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, 'bench.mjs');
await build({
  entryPoints: ['bench/index.ts'],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
// the wire-view part loads the built renderer in Chromium: build it on a fresh checkout
const args = process.argv.slice(2);
const skipAt = args.indexOf('--skip');
const skipsFrames = skipAt >= 0 && (args[skipAt + 1] ?? '').split(',').includes('frames');
const wantsRenderer = !args.includes('--no-renderer') && !skipsFrames;
if (wantsRenderer && !existsSync(join('out', 'renderer', 'index.html'))) {
  process.stderr.write('[bench] building the renderer (vite build)\n');
  const { build: viteBuild } = await import('vite');
  await viteBuild({ logLevel: 'warn' });
}
const r = spawnSync(process.execPath, ['--expose-gc', ...V8_FLAGS, outfile, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
