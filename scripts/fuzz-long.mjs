// npm run fuzz:long: the fuzz targets (test/fuzz) with FUZZ_RUNS inputs for every decoder (default
// 1,000,000), the test files spread over the machine's cores. Each file writes its per-decoder counts
// to test-results/fuzz-long/<file>.json; this script merges them, prints a table and writes
// test-results/fuzz-long.json. It fails when a target fails or a decoder got fewer inputs than asked.
//   FUZZ_RUNS=20000 npm run fuzz:long          a quicker pass (throughput, sizing)
//   FUZZ_WORKERS=1 npm run fuzz:long           one file at a time
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'test-results');
const PARTS = join(RESULTS, 'fuzz-long');
const OUT = join(RESULTS, 'fuzz-long.json');

/** Every decoder the targets fuzz: a missing one means a file did not report. */
const DECODERS = ['pickle', 'pickle disassembly', 'xml-rpc', 'json', 'json-rpc', 'brine', 'rpyc channel', 'rpyc message', 'mp framing', 'mp handshake', 'http response'];

const runs = Number(process.env.FUZZ_RUNS ?? 1_000_000);
if (!Number.isInteger(runs) || runs <= 0) {
  console.error(`FUZZ_RUNS must be a positive integer, not ${process.env.FUZZ_RUNS}`);
  process.exit(2);
}
const workers = Number(process.env.FUZZ_WORKERS ?? os.availableParallelism());
const source = sourceVersion();

rmSync(PARTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });
const started = new Date();
const t0 = performance.now();
const vitest = join(ROOT, 'node_modules', '.bin', 'vitest');
const args = ['run', '--project', 'unit', `--maxWorkers=${workers}`, 'test/fuzz', ...process.argv.slice(2)];
console.log(`fuzz:long: ${runs.toLocaleString('en')} inputs per decoder, ${workers} workers: vitest ${args.join(' ')}`);
const child = spawn(vitest, args, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: String(runs) } });
child.on('error', (e) => {
  console.error(`cannot run vitest: ${e.message}`);
  process.exit(2);
});
child.on('exit', (code, signal) => {
  const wallSeconds = (performance.now() - t0) / 1000;
  const merged = new Map();
  const files = existsSync(PARTS) ? readdirSync(PARTS).filter((f) => f.endsWith('.json')) : [];
  for (const f of files) {
    const counts = JSON.parse(readFileSync(join(PARTS, f), 'utf8'));
    for (const [name, c] of Object.entries(counts)) {
      const m = merged.get(name) ?? { inputs: 0, values: 0, errors: 0, decodeMs: 0, wallMs: 0, files: [] };
      for (const k of ['inputs', 'values', 'errors', 'decodeMs', 'wallMs']) m[k] += c[k];
      m.files.push(f.replace(/\.json$/, ''));
      merged.set(name, m);
    }
  }
  const names = [...DECODERS, ...[...merged.keys()].filter((n) => !DECODERS.includes(n)).sort()];
  const decoders = names.map((name) => {
    const m = merged.get(name) ?? { inputs: 0, values: 0, errors: 0, decodeMs: 0, wallMs: 0, files: [] };
    return {
      decoder: name,
      inputs: m.inputs,
      values: m.values,
      errors: m.errors,
      decodeSeconds: round(m.decodeMs / 1000),
      wallSeconds: round(m.wallMs / 1000),
      files: m.files.sort(),
    };
  });
  const short = decoders.filter((d) => d.inputs < runs);
  const cpus = os.cpus();
  const report = {
    started: started.toISOString(),
    finished: new Date().toISOString(),
    fuzzRuns: runs,
    ...source,
    workers,
    wallSeconds: round(wallSeconds),
    vitestExit: signal ?? code,
    passed: code === 0 && short.length === 0,
    machine: {
      cpu: cpus[0]?.model ?? 'unknown',
      cores: cpus.length,
      memoryGiB: round(os.totalmem() / 2 ** 30),
      os: `${os.type()} ${os.release()}`,
      node: process.version,
    },
    decoders,
  };
  writeFileSync(OUT, JSON.stringify(report, null, 1) + '\n');

  const rows = decoders.map((d) => [d.decoder, n(d.inputs), n(d.values), n(d.errors), d.decodeSeconds.toFixed(1), d.wallSeconds.toFixed(1)]);
  const head = ['decoder', 'inputs', 'values', 'errors', 'in decoder s', 'wall s'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join('  ');
  console.log(`\n${line(head)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}`);
  console.log(`\nwall time ${(wallSeconds / 60).toFixed(1)} min on ${report.machine.cores} x ${report.machine.cpu}; written to ${OUT}`);
  for (const d of short) console.error(`${d.decoder}: ${n(d.inputs)} inputs, fewer than ${n(runs)}`);
  if (signal) process.kill(process.pid, signal);
  process.exit(code !== 0 ? code : short.length ? 1 : 0);
});

/** The commit the run is of, and whether src/ or test/ had changes on top of it. */
function sourceVersion() {
  const git = (...a) => spawnSync('git', a, { cwd: ROOT, encoding: 'utf8' });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0) return { commit: process.env.FUZZ_COMMIT ?? 'unknown' };
  const changed = git('status', '--porcelain', '--', 'src', 'test').stdout.trim();
  return { commit: head.stdout.trim(), uncommittedChanges: changed ? changed.split('\n').map((l) => l.trim()) : [] };
}

function round(x) {
  return Math.round(x * 10) / 10;
}

function n(x) {
  return x.toLocaleString('en');
}
