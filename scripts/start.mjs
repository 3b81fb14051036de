// npm start: build what is missing, then open the Electron app when an Electron runtime is there;
// otherwise start web mode (rpcscope ui) and say why. Arguments (e.g. a URL to open) go to either.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { V8_FLAGS, electronV8Switch } from './v8-flags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = (...p) => join(root, ...p);
const args = process.argv.slice(2);

function run(what, cmd, cmdArgs) {
  process.stderr.write(`building ${what}...\n`);
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  if (r.status !== 0) {
    process.stderr.write(`could not build ${what} (exit ${r.status})\n`);
    process.exit(1);
  }
}

const bin = (name, script) => [process.execPath, [at('node_modules', name, script)]];
if (!existsSync(at('dist', 'cli.js'))) run('the command-line tool', process.execPath, [at('scripts', 'build-cli.mjs')]);
if (!existsSync(at('out', 'renderer', 'index.html'))) {
  const [node, [vite]] = bin('vite', join('bin', 'vite.js'));
  run('the renderer', node, [vite, 'build']);
}
if (!existsSync(at('out', 'main', 'index.js')) || !existsSync(at('out', 'preload', 'index.cjs'))) {
  const [node, [ev]] = bin('electron-vite', 'bin/electron-vite.js');
  if (existsSync(ev)) run('the Electron main process and preload', node, [ev, 'build', '--config', 'electron.config.ts', '--ignoreConfigWarning']);
}

/** Where the electron package keeps its binary, if it has one. */
function electronExecutable(pkg) {
  const pathFile = join(pkg, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const exe = override ? join(override, rel || 'electron') : rel ? join(pkg, 'dist', rel) : undefined;
  return exe && existsSync(exe) ? exe : undefined;
}

/**
 * The Electron executable, or why there is none. The electron package fetches its binary on first
 * run; we do that fetch here (once, visibly) so a connected machine gets the real window, and a
 * machine without network access falls back to web mode with the reason.
 */
function electronRuntime() {
  if (process.env.RPCSCOPE_WEB === '1') return { reason: 'RPCSCOPE_WEB=1 asks for web mode' };
  const pkg = at('node_modules', 'electron');
  if (!existsSync(pkg)) return { reason: 'the electron package is not installed' };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { reason: 'there is no display (DISPLAY is not set)' };
  let exe = electronExecutable(pkg);
  if (!exe) {
    process.stderr.write("fetching Electron's binary (first run)...\n");
    const fetch = spawnSync(process.execPath, [join(pkg, 'install.js')], { stdio: ['ignore', 'inherit', 'pipe'], timeout: 300_000, encoding: 'utf8' });
    exe = electronExecutable(pkg);
    if (!exe) {
      const why = (fetch.stderr || '').split('\n').find((l) => /error/i.test(l))?.trim() ?? `exit ${fetch.status}`;
      return { reason: `its binary could not be downloaded (${why}); it is fetched on first run and needs network access` };
    }
  }
  const probe = spawnSync(exe, ['--version'], { timeout: 10_000, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (probe.error) return { reason: `it does not start (${probe.error.message})` };
  if (probe.status !== 0) return { reason: `it does not start (exit ${probe.status}) ${(probe.stderr || '').trim()}` };
  return { exe };
}

const electron = electronRuntime();
let child;
if (electron.exe) {
  child = spawn(electron.exe, [electronV8Switch(), root, ...args], { stdio: 'inherit' });
} else {
  process.stderr.write(`Electron runtime not available: ${electron.reason}; starting web mode\n`);
  child = spawn(process.execPath, [...V8_FLAGS, at('dist', 'cli.js'), 'ui', ...args], { stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
