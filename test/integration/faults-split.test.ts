// The jsonrpc+tcp line framing fed a reply split at every byte offset (a multi-byte UTF-8 character
// and the newline included), and two replies arriving in one read: the same results every time.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/clients/registry';
import { parseCall } from '../../src/common/parse';
import { repr } from '../../src/common/repr';

const enc = new TextEncoder();
const replyFor = (id: number): Uint8Array => enc.encode(`{"jsonrpc": "2.0", "result": ["h\u00e9llo \u2603", {"a": null}, 1.5], "id": ${id}}\n`);
const EXPECTED = "['héllo ☃', {'a': None}, 1.5]";

let server: Server;
let port = 0;
/** where the next connection's first reply is cut; -1: two replies written together */
let splitAt = 0;

beforeAll(async () => {
  server = createServer((sock: Socket) => {
    sock.setNoDelay(true);
    const cut = splitAt;
    let buf = '';
    const pending: number[] = [];
    sock.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        pending.push((JSON.parse(buf.slice(0, nl)) as { id: number }).id);
        buf = buf.slice(nl + 1);
      }
      if (cut === -1) {
        if (pending.length < 2) return;
        sock.write(Buffer.concat(pending.splice(0).map((id) => replyFor(id))));
        return;
      }
      for (const id of pending.splice(0)) {
        const bytes = replyFor(id);
        sock.write(bytes.subarray(0, cut));
        // a pause so the two pieces reach the client in separate reads
        setTimeout(() => sock.write(bytes.subarray(cut)), 15);
      }
    });
    sock.on('error', () => undefined);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

describe('jsonrpc+tcp line framing', () => {
  it('a reply split at every byte offset decodes the same', async () => {
    const n = replyFor(1).length;
    for (let cut = 0; cut <= n; cut++) {
      splitAt = cut;
      const c = createClient(`jsonrpc+tcp://127.0.0.1:${port}`, { timeoutMs: 5_000 });
      try {
        expect(repr(await c.call(parseCall('echo(1)'))), `split at ${cut}`).toBe(EXPECTED);
      } finally {
        await c.close();
      }
    }
  });

  it('two replies in one read are both delivered to their calls', async () => {
    splitAt = -1;
    const c = createClient(`jsonrpc+tcp://127.0.0.1:${port}`, { timeoutMs: 5_000 });
    try {
      const [a, b] = await Promise.all([c.call(parseCall('echo(1)')), c.call(parseCall('echo(2)'))]);
      expect([repr(a), repr(b)]).toEqual([EXPECTED, EXPECTED]);
    } finally {
      await c.close();
    }
  });
});
