// `npm run bench`: RPC calls against Python's own clients, codecs against CPython's, the wire log
// at 100,000 frames. Options:
//   --calls N       serial calls per client and protocol (default 20000)
//   --runs N        best-of runs for the codec timings (default 5)
//   --only a,b      only these protocols (pickle, mpjson, tcpjson, xmlrpc, jsonrpc-http, jsonrpc-tcp, rpyc)
//   --skip rpc,codecs,frames   leave sections out
//   --no-renderer   no Chromium part in the frames section
//   --write         replace the generated section of BENCHMARKS.md with this run's numbers
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { benchCodecs, type CodecRow } from './codecs';
import { benchFrames, type FramesResult } from './frames';
import { benchRpc, type Measure, type RpcRow } from './rpc';
import { fmt, machine, ROOT } from './util';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string): boolean => process.argv.includes(name);

const calls = Number(option('--calls') ?? 20_000);
const runs = Number(option('--runs') ?? 5);
const only = option('--only') ? new Set(option('--only')!.split(',')) : undefined;
const skip = new Set((option('--skip') ?? '').split(',').filter(Boolean));
const log = (s: string): void => void process.stderr.write(`[bench] ${s}\n`);

function rpcTable(rows: RpcRow[]): string[] {
  const out = [
    '| protocol | calls | rpcscope calls/s (tap off / on) | Python calls/s | calls/s ratio (off / on) ≥ 1.0 | rpcscope CPU µs/call (off / on) | Python CPU µs/call | CPU ratio (off / on) ≤ 0.5 | kernel µs/call (rpcscope off / Python) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (!r.tapOff || !r.tapOn || !r.python) {
      out.push(`| ${r.protocol} | skipped: ${r.skipped ?? 'incomplete'} | | | | | | | |`);
      continue;
    }
    const { tapOff: a, tapOn: b, python: p } = r;
    out.push(
      `| ${r.protocol} | ${a.calls} | ${fmt(a.callsPerSec, 0)} / ${fmt(b.callsPerSec, 0)} | ${fmt(p.callsPerSec, 0)} | ` +
        `${fmt(a.callsPerSec / p.callsPerSec)} / ${fmt(b.callsPerSec / p.callsPerSec)} | ${fmt(a.cpuPerCallUs, 1)} / ${fmt(b.cpuPerCallUs, 1)} | ` +
        `${fmt(p.cpuPerCallUs, 1)} | ${fmt(a.cpuPerCallUs / p.cpuPerCallUs)} / ${fmt(b.cpuPerCallUs / p.cpuPerCallUs)} | ${fmt(a.sysPerCallUs, 1)} / ${fmt(p.sysPerCallUs, 1)} |`,
    );
  }
  const pickle = rows.find((r) => r.protocol === 'pickle');
  if (pickle?.floor && pickle.python) {
    const f = pickle.floor;
    out.push(
      '',
      `Floor: a bare node:net socket (reading into one buffer) sending a prebuilt pickle:// request and awaiting any reply spends ${fmt(f.cpuPerCallUs, 1)} µs CPU per call ` +
        `(${fmt(f.callsPerSec, 0)} calls/s), ${fmt(f.cpuPerCallUs / pickle.python.cpuPerCallUs)}× Python's whole client: the Node runtime's own cost of a loopback round trip.`,
      '',
      kernelLine(pickle.python, f),
    );
  }
  const tcpjson = rows.find((r) => r.protocol === 'tcpjson');
  if (tcpjson?.floor && tcpjson.python && tcpjson.tapOff) {
    const f = tcpjson.floor;
    out.push(
      '',
      `Floor, a connection per call: a bare node:net connection (connect, a prebuilt tcpjson:// request written, the reply read into one buffer until the server closes) ` +
        `makes ${fmt(f.callsPerSec, 0)} calls/s, ${fmt(f.callsPerSec / tcpjson.python.callsPerSec)}× Python's client, and spends ${fmt(f.cpuPerCallUs, 1)} µs CPU per call ` +
        `(${fmt(f.cpuPerCallUs / tcpjson.python.cpuPerCallUs)}×); rpcscope's client makes ${fmt(tcpjson.tapOff.callsPerSec / f.callsPerSec)}× the bare connection's calls/s: ` +
        `what Node's socket setup costs, before any code of ours.`,
    );
  }
  return out;
}

/** How much of a round trip's CPU is the kernel's, which no client code can save. */
function kernelLine(python: Measure, bare: Measure): string {
  const share = python.sysPerCallUs / python.cpuPerCallUs;
  return (
    `Kernel: Python's pickle client spends ${fmt(python.sysPerCallUs, 1)} of its ${fmt(python.cpuPerCallUs, 1)} µs per call in system calls ` +
    `(${fmt(share)} of its CPU), the bare socket ${fmt(bare.sysPerCallUs, 1)} µs. On loopback the sender's system call also runs the receiving ` +
    `side's TCP processing.` +
    (share > 0.5 ? ' The kernel\'s part of a round trip alone is above 0.5× Python\'s whole client here, whatever a client\'s own code costs.' : '')
  );
}

function codecTable(rows: CodecRow[]): string[] {
  const out = [
    '| what | size | rpcscope CPU ms | compared with | their CPU ms | speed-up (CPU) | rpcscope / their wall ms | speed-up (wall) | target | met (CPU) |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    out.push(
      `| ${r.what} | ${fmt(r.bytes / 1e6, 1)} MB | ${fmt(r.oursMs, 0)} | ${r.otherName} | ${fmt(r.otherMs, 0)} | ${fmt(r.speedup)}× | ` +
        `${fmt(r.oursWallMs, 0)} / ${fmt(r.otherWallMs, 0)} | ${fmt(r.otherWallMs / r.oursWallMs)}× | ` +
        (r.target === undefined ? '- | - |' : `≥ ${r.target}× | ${r.speedup >= r.target ? 'yes' : 'no'} |`),
    );
  }
  return out;
}

function framesText(f: FramesResult): string[] {
  const out = [
    `${f.frames} frames captured from real pickle:// calls in ${fmt(f.captureS, 1)} s; main-process heap after GC ${fmt(f.heapBeforeMb, 0)} MB → ${fmt(f.heapAfterMb, 0)} MB (RSS ${fmt(f.rssAfterMb, 0)} MB).`,
    '',
    '| filter | matches | ms (best of 5, no cached view) |',
    '|---|---:|---:|',
    ...f.filters.map((x) => `| ${x.name} | ${x.matches} | ${fmt(x.ms, 1)} |`),
    '',
  ];
  if (f.renderer) {
    const r = f.renderer;
    out.push(
      `Renderer (web mode in /usr/bin/chromium, ${f.frames} frames in the wire view): filter to 2 frames ${fmt(r.filterMs, 0)} ms, ` +
        `clearing the filter ${fmt(r.clearFilterMs, 0)} ms (target < 100 ms); JS heap ${fmt(r.jsHeapMb, 0)} MB used of ${fmt(r.jsHeapTotalMb, 0)} MB (target < 400 MB). ${r.note ?? ''}`,
    );
  } else out.push(`Renderer part skipped: ${f.rendererSkipped ?? 'unknown reason'}.`);
  return out;
}

async function main(): Promise<void> {
  const m = machine();
  log(`load average at start: ${m.load.map((x) => x.toFixed(2)).join(' ')}`);
  const rpc = skip.has('rpc') ? undefined : await benchRpc(calls, only, log);
  const codecs = skip.has('codecs') ? undefined : benchCodecs(runs, log);
  const frames = skip.has('frames') ? undefined : await benchFrames(!flag('--no-renderer'), log);
  const end = loadavg();
  const lines = [
    `Run ${m.date} on ${m.cpu}, ${m.cores} cores; load average ${m.load.map((x) => x.toFixed(2)).join(' ')} at start, ${end.map((x) => x.toFixed(2)).join(' ')} at end; ` +
      `Node ${m.node} (V8 flags: ${process.execArgv.filter((a) => a !== '--expose-gc').join(' ') || 'none'}), Python ${m.python} (rpyc under ${m.systemPython}). Command: \`npm run bench -- ${process.argv.slice(2).join(' ')}\`.`,
    '',
  ];
  if (rpc) {
    lines.push(`### RPC: serial add(2, 3) calls`, '', 'CPU is process CPU time (Node: process.cpuUsage, all threads; Python: time.process_time) over the call loop only.', '', ...rpcTable(rpc), '');
  }
  if (codecs) lines.push('### Codecs: large replies (best of --runs; CPU time counts V8\'s GC helper threads, wall time does not)', '', ...codecTable(codecs), '');
  if (frames) lines.push('### Wire log at 100,000 frames', '', ...framesText(frames), '');
  const text = lines.join('\n');
  process.stdout.write(text + '\n');
  if (flag('--write')) {
    const file = join(ROOT, 'BENCHMARKS.md');
    const begin = '<!-- bench:begin (generated by npm run bench -- --write) -->';
    const stop = '<!-- bench:end -->';
    let doc: string;
    try {
      doc = readFileSync(file, 'utf8');
    } catch {
      doc = `# Benchmarks\n\n${begin}\n${stop}\n`;
    }
    const a = doc.indexOf(begin);
    const b = doc.indexOf(stop);
    doc = a >= 0 && b > a ? doc.slice(0, a + begin.length) + '\n' + text + '\n' + doc.slice(b) : `${doc}\n${begin}\n${text}\n${stop}\n`;
    writeFileSync(file, doc);
    log(`wrote ${file}`);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
