// Real Python peers for the tests: find the interpreters this machine has and start servers from
// test/servers/*.py on 127.0.0.1 with an ephemeral port. A server prints `PORT <n>` once listening.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

// (import.meta.url, not __dirname: the benchmark's ESM bundle imports this module too)
export const SERVERS_DIR = fileURLToPath(new URL('../servers', import.meta.url));

export interface Python {
  /** e.g. "3.11.7" */
  version: string;
  /** [major, minor] */
  mm: [number, number];
  path: string;
}

function versionOf(path: string): Python | undefined {
  const r = spawnSync(path, ['-c', 'import sys; print("%d.%d.%d" % sys.version_info[:3])'], { encoding: 'utf8' });
  if (r.status !== 0) return undefined;
  const version = r.stdout.trim();
  const [a, b] = version.split('.').map(Number);
  return { version, mm: [a, b], path };
}

let cached: Python[] | undefined;

/** Every CPython on this machine: pyenv's versions (2.7, 3.6-3.13 here) plus the default python3. */
export function allPythons(): Python[] {
  if (cached) return cached;
  const found = new Map<string, Python>();
  const root = spawnSync('pyenv', ['root'], { encoding: 'utf8' }).stdout?.trim() || join(process.env.HOME ?? '/root', '.pyenv');
  const versionsDir = join(root, 'versions');
  if (existsSync(versionsDir)) {
    for (const v of readdirSync(versionsDir).sort()) {
      for (const exe of ['python3', 'python']) {
        const p = join(versionsDir, v, 'bin', exe);
        if (!existsSync(p)) continue;
        const py = versionOf(p);
        if (py && !found.has(`${py.mm[0]}.${py.mm[1]}`)) found.set(`${py.mm[0]}.${py.mm[1]}`, py);
        break;
      }
    }
  }
  for (const p of ['/usr/bin/python3', 'python3']) {
    const py = versionOf(p);
    if (py && !found.has(`${py.mm[0]}.${py.mm[1]}`)) found.set(`${py.mm[0]}.${py.mm[1]}`, py);
  }
  cached = [...found.values()].sort((x, y) => x.mm[0] - y.mm[0] || x.mm[1] - y.mm[1]);
  return cached;
}

/** The default python3 (what users most likely run). */
export function defaultPython(): Python {
  const py = versionOf('python3');
  if (!py) throw new Error('python3 is not installed');
  return py;
}

/** Debian's interpreter, which has python3-rpyc. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface RunningServer {
  port: number;
  host: string;
  proc: ChildProcess;
  /** stderr collected so far (for failure messages) */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Start `test/servers/<script>` (or an absolute path) with `args`; resolves once it printed `PORT n`.
 * Extra lines on stdout are available through `lines`.
 */
export function startServer(
  script: string,
  args: string[] = [],
  opts: { python?: string; timeoutMs?: number; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const file = script.startsWith('/') ? script : join(SERVERS_DIR, script);
  const proc = spawn(opts.python ?? 'python3', ['-u', file, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...opts.env },
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${script} did not report a port within ${opts.timeoutMs ?? 15000} ms\n${err}`));
    }, opts.timeoutMs ?? 15000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before listening\n${err}`));
    });
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      const m = /^PORT (\d+)$/.exec(line.trim());
      if (!m) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      resolve({
        port: Number(m[1]),
        host: '127.0.0.1',
        proc,
        stderr: () => err,
        stop: () =>
          new Promise<void>((done) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return done();
            proc.once('exit', () => done());
            proc.kill('SIGKILL');
          }),
      });
    });
  });
}

/** Run a Python snippet to completion and return stdout (throws with stderr on failure). */
export function runPython(code: string, opts: { python?: string; input?: string | Uint8Array; args?: string[] } = {}): string {
  const r = spawnSync(opts.python ?? 'python3', ['-c', code, ...(opts.args ?? [])], {
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`python failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

/** runPython without blocking this process's event loop, for a Python client that runs while our sockets and timers move. */
export function runPythonAsync(code: string, opts: { python?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(opts.python ?? 'python3', ['-c', code], { encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python failed (${err.code}):\n${stderr}`));
      else resolve(stdout);
    });
  });
}
