// Shared by the benchmark sections: the repo root, Python servers on ephemeral ports, Python scripts
// run to completion, and the machine description BENCHMARKS.md records.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startServer as startTestServer } from '../test/helpers/python';

/** scripts/bench.mjs runs us from the repo root */
export const ROOT = process.cwd();
export const SERVERS = join(ROOT, 'test', 'servers');
export const BENCH = join(ROOT, 'bench');
export const PYTHON = 'python3';
export const SYSTEM_PYTHON = '/usr/bin/python3';

export interface Server {
  port: number;
  stop(): Promise<void>;
}

/** A test server (test/servers/SCRIPT) on an ephemeral port, as the tests start them. */
export function startServer(script: string, args: string[] = [], python = PYTHON): Promise<Server> {
  return startTestServer(join(SERVERS, script), args, { python, timeoutMs: 20_000 });
}

/** Run a Python script file from bench/ and parse the JSON line it prints last. */
export function runPythonJson<T>(script: string, args: string[], python = PYTHON): T {
  const out = execFileSync(python, [join(BENCH, script), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const lines = out.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

export interface Machine {
  cpu: string;
  cores: number;
  load: [number, number, number];
  node: string;
  python: string;
  systemPython: string;
  date: string;
}

export function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux: os.cpus() said enough
  }
  const pyVersion = (py: string): string => {
    try {
      return execFileSync(py, ['-c', 'import sys; print(sys.version.split()[0])'], { encoding: 'utf8' }).trim();
    } catch {
      return 'missing';
    }
  };
  const [a, b, c] = loadavg();
  return {
    cpu,
    cores: cpus().length,
    load: [a, b, c],
    node: process.version,
    python: pyVersion(PYTHON),
    systemPython: pyVersion(SYSTEM_PYTHON),
    date: new Date().toISOString(),
  };
}

/** process CPU (user + system, all threads) in seconds since `since` */
export function cpuSince(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}

/** The kernel's part of cpuSince (system time), seconds. */
export function sysSince(since: NodeJS.CpuUsage): number {
  return process.cpuUsage(since).system / 1e6;
}

type Gc = (opts?: { type: 'minor' | 'major' }) => void;

export function gc(): void {
  const g = (globalThis as { gc?: Gc }).gc;
  if (g) {
    g();
    g();
  }
}

/**
 * Sleep while V8's helper threads finish sweeping what a gc() just freed. Without the pause that
 * work lands in the next timed call's process CPU: up to 90 ms of a 300 ms pickle encode, spent
 * on the value the run before left behind (Python frees its own before its timer starts).
 */
export function letSweepersFinish(ms = 200): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Two scavenges: what a timed piece of work left in V8's young generation is moved to the old
 * generation, as the next scavenges would do anyway. Charging this to the work keeps its cost from
 * being put off past the end of the measurement (CPython frees and collects as it goes).
 */
export function settleYoungGeneration(): void {
  const g = (globalThis as { gc?: Gc }).gc;
  if (g) {
    g({ type: 'minor' });
    g({ type: 'minor' });
  }
}

export const fmt = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');
