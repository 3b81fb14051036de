// Codec throughput on large replies: rpcscope's pickle and XML-RPC codecs against CPython's
// (pickle's C unpickler, xmlrpc.client) on the same documents, and pickle decoding against the npm
// pickleparser package. Best-of-N process CPU time on both sides (other load skews wall time).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser } from 'pickleparser';
import { decodePickle, encodePickle } from '../src/codecs/pickle';
import { decodeXmlRpc, encodeMethodCall } from '../src/codecs/xmlrpc';
import { cpuSince, gc, runPythonJson } from './util';

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
}

function bestCpuMs(runs: number, fn: () => unknown): number {
  fn(); // warm-up
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    gc();
    const c = process.cpuUsage();
    fn();
    best = Math.min(best, cpuSince(c) * 1000);
  }
  return best;
}

export function benchCodecs(runs: number, log: (s: string) => void): CodecRow[] {
  const dir = mkdtempSync(join(tmpdir(), 'rpcscope-bench-'));
  try {
    log('codecs: generating documents and timing CPython');
    const py = runPythonJson<PyTimes>('py_codecs.py', [dir, String(runs), '20', '10']);
    const pickleBytes = new Uint8Array(readFileSync(join(dir, 'reply.pickle')));
    const xmlBytes = new Uint8Array(readFileSync(join(dir, 'reply.xml')));
    const rows: CodecRow[] = [];

    log('codecs: pickle decode');
    const value = decodePickle(pickleBytes);
    if (value.t !== 'list' || value.items.length !== py.pickle_rows) throw new Error('pickle reply decoded to the wrong value');
    const oursDecode = bestCpuMs(runs, () => decodePickle(pickleBytes));
    const label = `pickle decode (${py.pickle_rows} dicts, protocol ${py.pickle_protocol})`;
    rows.push({ what: label, bytes: py.pickle_bytes, oursMs: oursDecode, otherName: 'CPython pickle.loads (C)', otherMs: py.pickle_loads_ms, speedup: py.pickle_loads_ms / oursDecode, target: 1.5 });
    log('codecs: pickleparser decode');
    const pp = bestCpuMs(Math.max(1, Math.min(runs, 3)), () => new Parser().parse(pickleBytes));
    rows.push({ what: label, bytes: py.pickle_bytes, oursMs: oursDecode, otherName: 'npm pickleparser', otherMs: pp, speedup: pp / oursDecode, target: 3 });

    log('codecs: pickle encode');
    const oursEncode = bestCpuMs(runs, () => encodePickle(value));
    rows.push({ what: 'pickle encode (same list)', bytes: py.pickle_bytes, oursMs: oursEncode, otherName: 'CPython pickle.dumps (C)', otherMs: py.pickle_dumps_ms, speedup: py.pickle_dumps_ms / oursEncode, target: 1 });

    log('codecs: XML-RPC decode');
    const msg = decodeXmlRpc(xmlBytes);
    const xmlDecode = bestCpuMs(runs, () => decodeXmlRpc(xmlBytes));
    rows.push({ what: `XML-RPC decode (${py.xml_rows} structs)`, bytes: py.xml_bytes, oursMs: xmlDecode, otherName: 'xmlrpc.client.loads', otherMs: py.xml_loads_ms, speedup: py.xml_loads_ms / xmlDecode, target: 3 });

    log('codecs: XML-RPC encode');
    const params = msg.kind === 'fault' ? [] : msg.params;
    if (params.length !== 1) throw new Error('XML-RPC reply decoded to the wrong shape');
    const xmlEncode = bestCpuMs(runs, () => encodeMethodCall('echo', params));
    rows.push({ what: 'XML-RPC encode (same list, methodCall)', bytes: py.xml_bytes, oursMs: xmlEncode, otherName: 'xmlrpc.client.dumps', otherMs: py.xml_dumps_ms, speedup: py.xml_dumps_ms / xmlEncode, target: 1 });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
