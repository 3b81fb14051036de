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
    t = time.process_time()
    xc.loads(doc)
    print((time.process_time() - t) * 1000, flush=True)
`;

async function main(): Promise<void> {
  const py = spawn('python3', ['-c', PY, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  await lines.next(); // ready
  const bytes = readFileSync(file);
  const cpu = (f: () => unknown) => {
    const t = process.cpuUsage();
    f();
    const u = process.cpuUsage(t);
    return (u.user + u.system) / 1000;
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
  const best = { python: Infinity, rpcscope: Infinity, saxes: Infinity };
  for (let i = 0; i < RUNS; i++) {
    py.stdin.write('go\n');
    best.python = Math.min(best.python, Number((await lines.next()).value));
    best.rpcscope = Math.min(best.rpcscope, cpu(() => decodeXmlRpc(bytes)));
    best.saxes = Math.min(best.saxes, cpu(bare));
  }
  py.stdin.end();
  console.log(`document: ${(bytes.length / 1e6).toFixed(1)} MB, best of ${RUNS} alternating runs (CPU ms)`);
  console.log(`python xmlrpc.client.loads:  ${best.python.toFixed(0)}`);
  console.log(`rpcscope decodeXmlRpc:       ${best.rpcscope.toFixed(0)}  (from bytes: UTF-8 decoding, parsing, values)`);
  console.log(`saxes alone, no values:      ${best.saxes.toFixed(0)}`);
  console.log(`speed-up: ${(best.python / best.rpcscope).toFixed(1)}x`);
}

void main();
