// Decoding a ~12 MB XML-RPC reply: rpcscope's decoder against Python's xmlrpc.client.loads on the
// same document. The two run alternately (a Python process decodes on request), so both see the
// same machine load; the best run of each counts, in CPU time of the decoding thread(s).
// Run: npx tsx scripts/bench-xmlrpc.ts        (RUNS=n for more rounds)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SaxesParser } from 'saxes';
import { decodeXmlRpc } from '../src/codecs/xmlrpc';

const RUNS = Number(process.env.RUNS ?? 10);
const file = join(mkdtempSync(join(tmpdir(), 'rpcscope-bench-')), 'reply.xml');
const PY = `
import sys, time, xmlrpc.client as xc
row = {'id': 1, 'name': 'item', 'price': 1.5, 'tags': ['a', 'b'], 'ok': True}
doc = xc.dumps(([dict(row, id=i) for i in range(26000)],), methodresponse=True)
open(sys.argv[1], 'w').write(doc)
print('ready', flush=True)
for _ in sys.stdin:
    t, w = time.process_time(), time.perf_counter()
    xc.loads(doc)
    print((time.process_time() - t) * 1000, (time.perf_counter() - w) * 1000, flush=True)
`;

async function main(): Promise<void> {
  const py = spawn('python3', ['-c', PY, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  await lines.next(); // ready
  const bytes = readFileSync(file);
  /** [CPU ms, wall ms] */
  const time = (f: () => unknown): [number, number] => {
    const t = process.cpuUsage();
    const w = performance.now();
    f();
    const wall = performance.now() - w;
    const u = process.cpuUsage(t);
    return [(u.user + u.system) / 1000, wall];
  };
  // Parsing alone, without building any value: the floor set by saxes.
  const bare = () => {
    const p = new SaxesParser({ position: false });
    p.on('opentag', () => undefined);
    p.on('text', () => undefined);
    p.on('closetag', () => undefined);
    p.write(new TextDecoder().decode(bytes)).close();
  };
  for (let i = 0; i < 2; i++) decodeXmlRpc(bytes); // warm up
  const best = { python: [Infinity, Infinity], rpcscope: [Infinity, Infinity], saxes: [Infinity, Infinity] };
  const keep = (k: keyof typeof best, [c, w]: number[]) => (best[k] = [Math.min(best[k][0], c), Math.min(best[k][1], w)]);
  for (let i = 0; i < RUNS; i++) {
    py.stdin.write('go\n');
    keep('python', String((await lines.next()).value).split(' ').map(Number));
    keep('rpcscope', time(() => decodeXmlRpc(bytes)));
    keep('saxes', time(bare));
  }
  py.stdin.end();
  const row = (k: keyof typeof best) => `CPU ${best[k][0].toFixed(0).padStart(5)} ms   wall ${best[k][1].toFixed(0).padStart(5)} ms`;
  console.log(`document: ${(bytes.length / 1e6).toFixed(1)} MB, best of ${RUNS} alternating runs`);
  console.log(`python xmlrpc.client.loads:  ${row('python')}`);
  console.log(`rpcscope decodeXmlRpc:       ${row('rpcscope')}  (from bytes: UTF-8, parsing, values)`);
  console.log(`saxes alone, no values:      ${row('saxes')}`);
  console.log(`speed-up: ${(best.python[0] / best.rpcscope[0]).toFixed(1)}x CPU, ${(best.python[1] / best.rpcscope[1]).toFixed(1)}x wall`);
  console.log("(CPU time counts V8's parallel garbage-collector threads too)");
}

void main();
