// Decoding a ~10 MB XML-RPC reply: rpcscope's decoder against Python's xmlrpc.client.loads on the
// same document. Best of several runs each, CPU time (other processes on the machine skew wall time).
// Run: npx tsx scripts/bench-xmlrpc.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeXmlRpc } from '../src/codecs/xmlrpc';

const RUNS = Number(process.env.RUNS ?? 7);
const file = join(mkdtempSync(join(tmpdir(), 'rpcscope-bench-')), 'reply.xml');
const py = `
import sys, time, xmlrpc.client as xc
row = {'id': 1, 'name': 'item', 'price': 1.5, 'tags': ['a', 'b'], 'ok': True}
doc = xc.dumps(([dict(row, id=i) for i in range(26000)],), methodresponse=True)
open(sys.argv[1], 'w').write(doc)
best = min(((lambda t: (xc.loads(doc), time.process_time() - t)[1])(time.process_time())) for _ in range(${RUNS}))
print(best * 1000)
`;
const pythonMs = Number(execFileSync('python3', ['-c', py, file], { encoding: 'utf8' }).trim());
const bytes = readFileSync(file);
let best = Infinity;
let bestWall = Infinity;
for (let i = 0; i < RUNS + 2; i++) {
  const t = process.cpuUsage();
  const w = performance.now();
  decodeXmlRpc(bytes);
  const wall = performance.now() - w;
  const u = process.cpuUsage(t);
  if (i >= 2) {
    best = Math.min(best, (u.user + u.system) / 1000);
    bestWall = Math.min(bestWall, wall);
  }
}
console.log(`document: ${(bytes.length / 1e6).toFixed(1)} MB`);
console.log(`python xmlrpc.client.loads: ${pythonMs.toFixed(0)} ms`);
console.log(`rpcscope decodeXmlRpc:       ${best.toFixed(0)} ms (from bytes, UTF-8 decoding included)`);
console.log(`  (wall clock, best run: ${bestWall.toFixed(0)} ms; CPU time counts V8's parallel GC threads too)`);
console.log(`speed-up: ${(pythonMs / best).toFixed(1)}x in CPU time, ${(pythonMs / bestWall).toFixed(1)}x against wall clock`);
