// Codec throughput on large replies: rpcscope's pickle and XML-RPC codecs against CPython's
// (pickle's C unpickler, xmlrpc.client) on the same documents, and pickle decoding against the npm
// pickleparser package. Best-of-N process CPU time on both sides (other load skews wall time); a
// JavaScript codec's time includes moving what it left in the young generation to the old one.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'pickleparser';
import type { PyValue } from '../src/common/value';
import { decodePickle, encodePickle } from '../src/codecs/pickle';
import { decodeXmlRpc, encodeMethodCall } from '../src/codecs/xmlrpc';
import { cpuSince, gc, runPythonJson, settleYoungGeneration } from './util';

interface PyTimes {
  pickle_bytes: number;
  pickle_rows: number;
  pickle_protocol: number;
  pickle_loads_ms: number;
  pickle_dumps_ms: number;
  xml_bytes: number;
  xml_rows: number;
  xml_loads_ms: number;
  xml_dumps_ms: number;
  wall_ms: Record<'pickle_loads' | 'pickle_dumps' | 'xml_loads' | 'xml_dumps', number>;
}

export interface CodecRow {
  what: string;
  bytes: number;
  oursMs: number;
  otherName: string;
  otherMs: number;
  /** other / ours: > 1 means we are faster */
  speedup: number;
  target: number;
  /** best wall-clock times: V8's GC runs partly on helper threads, which CPU time counts */
  oursWallMs: number;
  otherWallMs: number;
}

interface Timing {
  cpuMs: number;
  wallMs: number;
}

/** Best of `runs` timed calls of fn; `prepare` (untimed) makes each call's input. */
function best<T>(runs: number, fn: (input: T) => unknown, prepare: () => T = () => undefined as T): Timing {
  fn(prepare()); // warm-up
  let cpuMs = Infinity;
  let wallMs = Infinity;
  for (let i = 0; i < runs; i++) {
    gc();
    const input = prepare();
    gc();
    const c = process.cpuUsage();
    const w = performance.now();
    fn(input);
    settleYoungGeneration();
    wallMs = Math.min(wallMs, performance.now() - w);
    cpuMs = Math.min(cpuMs, cpuSince(c) * 1000);
  }
  return { cpuMs, wallMs };
}

function row(what: string, bytes: number, ours: Timing, otherName: string, otherMs: number, otherWallMs: number, target: number): CodecRow {
  return { what, bytes, oursMs: ours.cpuMs, otherName, otherMs, speedup: otherMs / ours.cpuMs, target, oursWallMs: ours.wallMs, otherWallMs };
}

export function benchCodecs(runs: number, log: (s: string) => void): CodecRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'rpcscope-bench-'));
  try {
    log('codecs: generating documents and timing CPython');
    const py = runPythonJson<PyTimes>('py_codecs.py', [dir, String(runs), '20', '10']);
    // one document at a time: a large value still alive slows V8's next decode (see BENCHMARKS.md),
    // so each section's values are dropped before the next is timed, as py_codecs.py drops its own
    const rows = benchPickle(runs, py, join(dir, 'reply.pickle'), log);
    gc();
    rows.push(...benchXmlRpc(runs, py, join(dir, 'reply.xml'), log));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchPickle(runs: number, py: PyTimes, file: string, log: (s: string) => void): CodecRow[] {
  const pickleBytes = new Uint8Array(readFileSync(file));
  log('codecs: pickle decode');
  const rowCount = (v: PyValue): number => (v.t === 'list' ? v.items.length : -1);
  if (rowCount(decodePickle(pickleBytes)) !== py.pickle_rows) throw new Error('pickle reply decoded to the wrong value');
  const oursDecode = best(runs, () => decodePickle(pickleBytes));
  const label = `pickle decode (${py.pickle_rows} dicts, protocol ${py.pickle_protocol})`;
  const rows = [row(label, py.pickle_bytes, oursDecode, 'CPython pickle.loads (C)', py.pickle_loads_ms, py.wall_ms.pickle_loads, 1.5)];
  log('codecs: pickleparser decode');
  const pp = best(runs, () => new Parser().parse(pickleBytes));
  rows.push(row(label, py.pickle_bytes, oursDecode, 'npm pickleparser', pp.cpuMs, pp.wallMs, 3));
  log('codecs: pickle encode');
  // each run encodes a value that was never encoded before, as a client encodes a request once: V8
  // gives an object its identity hash when it first goes into a Map (the encoder's memo), and
  // looking up an object without one returns at once, so re-encoding one value would time
  // lookups that a first encode skips (about 20% of the encode here)
  const oursEncode = best(runs, (v: PyValue) => encodePickle(v), () => decodePickle(pickleBytes));
  rows.push(row('pickle encode (same list)', py.pickle_bytes, oursEncode, 'CPython pickle.dumps (C)', py.pickle_dumps_ms, py.wall_ms.pickle_dumps, 1));
  return rows;
}

function benchXmlRpc(runs: number, py: PyTimes, file: string, log: (s: string) => void): CodecRow[] {
  const xmlBytes = new Uint8Array(readFileSync(file));
  log('codecs: XML-RPC decode');
  const msg = decodeXmlRpc(xmlBytes);
  const xmlDecode = best(runs, () => decodeXmlRpc(xmlBytes));
  const rows = [row(`XML-RPC decode (${py.xml_rows} structs)`, py.xml_bytes, xmlDecode, 'xmlrpc.client.loads', py.xml_loads_ms, py.wall_ms.xml_loads, 3)];
  log('codecs: XML-RPC encode');
  const params = msg.kind === 'fault' ? [] : msg.params;
  if (params.length !== 1) throw new Error('XML-RPC reply decoded to the wrong shape');
  const xmlEncode = best(runs, () => encodeMethodCall('echo', params));
  rows.push(row('XML-RPC encode (same list, methodCall)', py.xml_bytes, xmlEncode, 'xmlrpc.client.dumps', py.xml_dumps_ms, py.wall_ms.xml_dumps, 1));
  return rows;
}
