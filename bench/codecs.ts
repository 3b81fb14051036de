// Codec throughput on large replies: rpcscope's pickle and XML-RPC codecs against CPython's
// (pickle's C unpickler, xmlrpc.client) on the same documents, and pickle decoding against the npm
// pickleparser package, and the pickle reply's whole way to the window against Python showing it
// (repr of loads). Best-of-N process CPU time on both sides (other load skews wall time); a
// JavaScript codec's time includes moving what it left in the young generation to the old one.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'pickleparser';
import type { PyValue } from '../src/common/value';
import { decodePickle, encodePickle } from '../src/codecs/pickle';
import { jsonToPy, pyToJsonText } from '../src/codecs/json-value';
import { contract } from '../src/common/contract';
import { repr } from '../src/common/repr';
import { toJsonSafe } from '../src/common/value-json';
import { WINDOW_PREVIEW } from '../src/services/app-core';
import { decodeXmlRpc, encodeMethodCall } from '../src/codecs/xmlrpc';
import { cpuSince, gc, letSweepersFinish, runPythonJson, settleYoungGeneration } from './util';

interface PyTimes {
  pickle_bytes: number;
  pickle_rows: number;
  pickle_protocol: number;
  pickle_loads_ms: number;
  pickle_dumps_ms: number;
  pickle_show_ms: number;
  xml_bytes: number;
  xml_rows: number;
  xml_loads_ms: number;
  xml_dumps_ms: number;
  json_bytes: number;
  json_rows: number;
  json_loads_ms: number;
  json_dumps_ms: number;
  wall_ms: Record<'pickle_loads' | 'pickle_dumps' | 'pickle_show' | 'xml_loads' | 'xml_dumps' | 'json_loads' | 'json_dumps', number>;
}

export interface CodecRow {
  what: string;
  bytes: number;
  oursMs: number;
  otherName: string;
  otherMs: number;
  /** other / ours: > 1 means we are faster */
  speedup: number;
  /** undefined where the issue sets none (JSON: measured for the record) */
  target?: number;
  /** best wall-clock times: V8's GC runs partly on helper threads, which CPU time counts */
  oursWallMs: number;
  otherWallMs: number;
}

interface Timing {
  cpuMs: number;
  wallMs: number;
}

/**
 * Best of `runs` timed calls of fn; `prepare` (untimed) makes each call's input. Each call's result
 * is kept until its two closing scavenges are done, as a client keeps the reply it asked for: V8
 * decides per allocation site whether to allocate in the old generation from how much of what the
 * site made survives a scavenge, and a result dropped at once (the last objects of a decode still
 * young, and dead) can make it decide "young" for good, which slowed every later decode of the run
 * by up to 45%.
 */
function best<T>(runs: number, fn: (input: T) => unknown, prepare: () => T = () => undefined as T): Timing {
  let out = fn(prepare()); // warm-up
  settleYoungGeneration();
  let cpuMs = Infinity;
  let wallMs = Infinity;
  for (let i = 0; i < runs; i++) {
    out = undefined;
    gc();
    const input = prepare();
    gc();
    letSweepersFinish();
    const c = process.cpuUsage();
    const w = performance.now();
    out = fn(input);
    settleYoungGeneration();
    wallMs = Math.min(wallMs, performance.now() - w);
    cpuMs = Math.min(cpuMs, cpuSince(c) * 1000);
  }
  void out;
  return { cpuMs, wallMs };
}

function row(what: string, bytes: number, ours: Timing, otherName: string, otherMs: number, otherWallMs: number, target?: number): CodecRow {
  return { what, bytes, oursMs: ours.cpuMs, otherName, otherMs, speedup: otherMs / ours.cpuMs, target, oursWallMs: ours.wallMs, otherWallMs };
}

export function benchCodecs(runs: number, log: (s: string) => void): CodecRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'rpcscope-bench-'));
  try {
    log('codecs: generating documents and timing CPython');
    const py = runPythonJson<PyTimes>('py_codecs.py', [dir, String(runs), '20', '10', '10']);
    // one document at a time: a large value still alive slows V8's next decode (see BENCHMARKS.md),
    // so each section's values are dropped before the next is timed, as py_codecs.py drops its own
    const rows = benchPickle(runs, py, join(dir, 'reply.pickle'), log);
    gc();
    rows.push(...benchXmlRpc(runs, py, join(dir, 'reply.xml'), log));
    gc();
    rows.push(...benchJson(runs, py, join(dir, 'reply.json'), log));
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
  // each run encodes a value never encoded before, as a client encodes a request once (and as
  // py_codecs.py times pickle.dumps)
  const oursEncode = best(runs, (v: PyValue) => encodePickle(v), () => decodePickle(pickleBytes));
  rows.push(row('pickle encode (same list)', py.pickle_bytes, oursEncode, 'CPython pickle.dumps (C)', py.pickle_dumps_ms, py.wall_ms.pickle_dumps, 1));
  log('codecs: pickle reply to the window');
  const shown = best(runs, () => replyForWindow(decodePickle(pickleBytes)));
  rows.push(row('pickle reply to the window (decode, repr, preview, bridge check, JSON)', py.pickle_bytes, shown, 'CPython repr(pickle.loads())', py.pickle_show_ms, py.wall_ms.pickle_show));
  return rows;
}

/**
 * What the host does with a reply for the window, as app-core's runCall, dispatch() and web mode's
 * bridge do it: the repr, the tree's preview, the response check, the JSON text sent.
 */
function replyForWindow(v: PyValue): string {
  const result = { callId: 1, durationMs: 1, outcome: { kind: 'value' as const, value: toJsonSafe(v, WINDOW_PREVIEW), repr: repr(v) } };
  return JSON.stringify({ id: 1, result: { ok: true, value: contract['calls.call'].res.parse(result) } });
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

function benchJson(runs: number, py: PyTimes, file: string, log: (s: string) => void): CodecRow[] {
  const jsonBytes = new Uint8Array(readFileSync(file));
  log('codecs: JSON decode');
  const v = jsonToPy(jsonBytes);
  if (v.t !== 'list' || v.items.length !== py.json_rows) throw new Error('JSON reply decoded to the wrong value');
  const decode = best(runs, () => jsonToPy(jsonBytes));
  const rows = [row(`JSON decode (${py.json_rows} objects, from bytes)`, py.json_bytes, decode, 'json.loads (C)', py.json_loads_ms, py.wall_ms.json_loads)];
  log('codecs: JSON encode');
  const encode = best(runs, (x: PyValue) => pyToJsonText(x), () => jsonToPy(jsonBytes));
  rows.push(row('JSON encode (same list)', py.json_bytes, encode, 'json.dumps (C)', py.json_dumps_ms, py.wall_ms.json_dumps));
  return rows;
}
