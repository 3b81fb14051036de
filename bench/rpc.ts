// Serial add(2, 3) calls through rpcscope's client (frame tap off and on) and through Python's own
// client, against the same server in the same run.
import { connect } from 'node:net';
import { createClient } from '../src/clients/registry';
import { encodeMpFrame } from '../src/codecs/mp-framing';
import { encodePickle } from '../src/codecs/pickle';
import { encodeUtf8 } from '../src/codecs/bytes';
import { encodeTcpJsonRequest } from '../src/clients/tcpjson';
import type { RpcClient } from '../src/clients/types';
import type { CallRequest } from '../src/common/call';
import { WireLog } from '../src/services/wirelog';
import { cpuSince, runPythonJson, startServer, sysSince, SYSTEM_PYTHON, PYTHON, type Server } from './util';

interface Protocol {
  name: string;
  /** py_client.py's protocol name */
  py: string;
  script: string;
  args: string[];
  python?: string;
  url: (port: number) => string;
  /**
   * run calls / this many: tcpjson opens a connection per call, and each leaves a socket in
   * TIME_WAIT for a minute; past the ~28,000 ephemeral ports' worth, every connect has to reuse one
   * and costs both clients more the longer the run (Python's 20,000-call loop, run four times in a
   * row: 81-114 µs CPU a call against 51 in a 5,000-call run), so longer runs measure the kernel's
   * port search and penalize whichever client runs last
   */
  divideCalls?: number;
}

export const PROTOCOLS: Protocol[] = [
  { name: 'pickle', py: 'pickle', script: 'cookbook_pickle.py', args: [], url: (p) => `pickle://127.0.0.1:${p}` },
  { name: 'mpjson', py: 'mpjson', script: 'cookbook_json.py', args: [], url: (p) => `mpjson://127.0.0.1:${p}` },
  { name: 'tcpjson', py: 'tcpjson', script: 'tcpjson_seed003.py', args: [], url: (p) => `tcpjson://127.0.0.1:${p}`, divideCalls: 4 },
  { name: 'xmlrpc', py: 'xmlrpc', script: 'xmlrpc_kv.py', args: ['--http11'], url: (p) => `xmlrpc://127.0.0.1:${p}/RPC2` },
  // --no-nagle: the server writes the headers and the body apart, and with Nagle's algorithm on,
  // every call would wait out the client's delayed ACK (~40 ms) whichever client makes it
  { name: 'jsonrpc-http', py: 'jsonrpc-http', script: 'jsonrpc_server.py', args: ['http', '--no-nagle'], url: (p) => `jsonrpc://127.0.0.1:${p}/` },
  { name: 'jsonrpc-tcp', py: 'jsonrpc-tcp', script: 'jsonrpc_server.py', args: ['tcp', '--inline'], url: (p) => `jsonrpc+tcp://127.0.0.1:${p}` },
  { name: 'rpyc', py: 'rpyc', script: 'rpyc_seed004.py', args: [], python: SYSTEM_PYTHON, url: (p) => `rpyc://127.0.0.1:${p}` },
];

const ADD: CallRequest = {
  method: 'add',
  args: [
    { t: 'int', v: 2n },
    { t: 'int', v: 3n },
  ],
  kwargs: [],
};

/**
 * Calls made before a measured loop: enough for V8 to finish tiering the code up, so the loop
 * measures the cost of a call and not a one-off cost spread over its calls. V8 optimizes a call
 * path over its first few thousand runs, on background threads that process.cpuUsage counts: with
 * 200 warm-up calls, pickle's next 5000 cost 3x what later calls do (98-107 us each, against 33-41
 * after 3000 warm-up calls and 30-32 after 12000), the tap-off run paid for compiling code the
 * tap-on run then reused (tap on measured cheaper than tap off), and the figure changed with --calls.
 * As many as are measured, at least 200 (the JSON-RPC HTTP run is paced at 40 ms a call).
 */
function warmupCalls(n: number): number {
  return Math.max(200, n);
}

export interface Measure {
  calls: number;
  callsPerSec: number;
  cpuPerCallUs: number;
  /** the part of cpuPerCallUs spent in the kernel (system time): the socket calls themselves */
  sysPerCallUs: number;
}

export interface RpcRow {
  protocol: string;
  tapOff?: Measure;
  tapOn?: Measure;
  python?: Measure;
  /**
   * pickle: a bare node:net socket writing a prebuilt request and waiting for any reply; tcpjson: a
   * bare node:net connection per call, writing a prebuilt request and reading until the server closes
   */
  floor?: Measure;
  skipped?: string;
}

/**
 * The least CPU a Node process spends on one request/reply over a loopback socket: no codec, no
 * framing, no timeout, reads into one buffer as the clients' sockets do (socket-reads.ts), and the
 * request a prebuilt Buffer. Puts the client's numbers in proportion to the runtime's own cost.
 */
async function socketFloor(port: number, n: number): Promise<Measure> {
  const inner = encodePickle({ t: 'tuple', items: [{ t: 'str', v: 'add' }, { t: 'tuple', items: ADD.args }, { t: 'dict', kv: [] }] });
  const frame = Buffer.from(encodeMpFrame(encodePickle({ t: 'bytes', v: inner })));
  let replied: () => void = () => undefined;
  const sock = connect({ port, host: '127.0.0.1', noDelay: true, onread: { buffer: new Uint8Array(64 * 1024), callback: () => (replied(), true) } });
  await new Promise<void>((ok, fail) => sock.once('connect', ok).once('error', fail));
  const once = (): Promise<void> =>
    new Promise<void>((ok) => {
      replied = ok;
      sock.write(frame);
    });
  try {
    for (let i = 0; i < warmupCalls(n); i++) await once();
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < n; i++) await once();
    const wall = (performance.now() - w0) / 1000;
    return { calls: n, callsPerSec: n / wall, cpuPerCallUs: (cpuSince(c0) / n) * 1e6, sysPerCallUs: (sysSince(c0) / n) * 1e6 };
  } finally {
    sock.destroy();
  }
}

/**
 * The least a Node process spends on seed 003's exchange: a new node:net connection, a prebuilt
 * request written, the reply read (into one buffer) until the server closes, the socket destroyed.
 * No codec, no frames, no timeout: what tcpjson:// costs before any code of ours.
 */
async function connectionFloor(port: number, n: number): Promise<Measure> {
  const request = Buffer.from(encodeUtf8(encodeTcpJsonRequest(ADD)));
  const buffer = new Uint8Array(64 * 1024);
  const once = (): Promise<void> =>
    new Promise<void>((ok, fail) => {
      let got = 0;
      const sock = connect({ port, host: '127.0.0.1', noDelay: true, onread: { buffer, callback: (nread) => ((got += nread), true) } });
      sock.once('connect', () => sock.write(request));
      sock.once('end', () => {
        sock.destroy();
        if (got > 0) ok();
        else fail(new Error('the server closed without a reply'));
      });
      sock.once('error', fail);
    });
  // It runs after the clients' connections, whose sockets wait in TIME_WAIT for a minute: a short
  // warm-up (Node's own code, nothing of ours to optimize) and half the calls keep the run's total
  // within the ~28,000 ephemeral ports, past which every connect searches for a free one.
  const calls = Math.max(1, Math.floor(n / 2));
  for (let i = 0; i < Math.min(500, calls); i++) await once();
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  for (let i = 0; i < calls; i++) await once();
  const wall = (performance.now() - w0) / 1000;
  return { calls, callsPerSec: calls / wall, cpuPerCallUs: (cpuSince(c0) / calls) * 1e6, sysPerCallUs: (sysSince(c0) / calls) * 1e6 };
}

async function nodeRun(url: string, n: number, tap: boolean): Promise<Measure> {
  const log = new WireLog();
  const client: RpcClient = createClient(url, { timeoutMs: 30_000, onFrame: tap ? (f) => log.append(f) : undefined });
  try {
    await client.connect();
    for (let i = 0; i < warmupCalls(n); i++) await client.call(ADD); // warm-up: JIT, connection
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < n; i++) {
      const r = await client.call(ADD);
      if (r.t !== 'int' || r.v !== 5n) throw new Error(`add(2, 3) gave ${JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
    }
    const wall = (performance.now() - w0) / 1000;
    const cpu = cpuSince(c0);
    const sys = sysSince(c0);
    if (tap && log.size < n) throw new Error(`frame tap saw ${log.size} frames for ${n} calls`);
    return { calls: n, callsPerSec: n / wall, cpuPerCallUs: (cpu / n) * 1e6, sysPerCallUs: (sys / n) * 1e6 };
  } finally {
    await client.close();
  }
}

function pythonRun(p: Protocol, port: number, n: number): Measure {
  const r = runPythonJson<{ calls: number; wall_s: number; cpu_s: number; sys_s: number }>(
    'py_client.py',
    [p.py, '127.0.0.1', String(port), String(n), p.py === 'xmlrpc' ? '/RPC2' : '/'],
    p.python ?? PYTHON,
  );
  return { calls: r.calls, callsPerSec: r.calls / r.wall_s, cpuPerCallUs: (r.cpu_s / r.calls) * 1e6, sysPerCallUs: (r.sys_s / r.calls) * 1e6 };
}

export async function benchRpc(calls: number, only: Set<string> | undefined, log: (s: string) => void): Promise<RpcRow[]> {
  const rows: RpcRow[] = [];
  for (const p of PROTOCOLS) {
    if (only && !only.has(p.name)) continue;
    const n = Math.max(1, Math.floor(calls / (p.divideCalls ?? 1)));
    let server: Server | undefined;
    try {
      server = await startServer(p.script, p.args, p.python);
    } catch (e) {
      rows.push({ protocol: p.name, skipped: `server did not start: ${(e as Error).message.split('\n')[0]}` });
      continue;
    }
    const row: RpcRow = { protocol: p.name };
    try {
      log(`rpc ${p.name}: ${n} calls, tap off`);
      row.tapOff = await nodeRun(p.url(server.port), n, false);
      log(`rpc ${p.name}: ${n} calls, tap on`);
      row.tapOn = await nodeRun(p.url(server.port), n, true);
      log(`rpc ${p.name}: ${n} calls, Python client`);
      row.python = pythonRun(p, server.port, n);
      if (p.name === 'pickle') {
        log(`rpc ${p.name}: ${n} round trips on a bare socket`);
        row.floor = await socketFloor(server.port, n);
      } else if (p.name === 'tcpjson') {
        log(`rpc ${p.name}: ${n} bare connections`);
        row.floor = await connectionFloor(server.port, n);
      }
    } catch (e) {
      row.skipped = `failed: ${(e as Error).message.split('\n')[0]}`;
    } finally {
      await server.stop();
    }
    rows.push(row);
  }
  return rows;
}
