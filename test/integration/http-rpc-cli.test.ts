// The rpcscope binary against XML-RPC, JSON-RPC and seed 003 servers: `methods` and `call`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli as rpcscope } from '../helpers/cli';
import { startServer, type RunningServer } from '../helpers/python';

describe('rpcscope methods / call on xmlrpc://, jsonrpc:// and tcpjson://', () => {
  let kv: RunningServer;
  let json: RunningServer;
  let seed: RunningServer;
  beforeAll(async () => {
    buildCli();
    [kv, json, seed] = await Promise.all([startServer('xmlrpc_kv.py'), startServer('jsonrpc_server.py', ['tcp']), startServer('tcpjson_seed003.py')]);
  });
  afterAll(async () => {
    await Promise.all([kv?.stop(), json?.stop(), seed?.stop()]);
  });

  it("lists the KeyValueServer's methods with their help", async () => {
    const r = await rpcscope(['methods', `xmlrpc://127.0.0.1:${kv.port}/`]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    for (const [name, help] of [
      ['get', 'Return the value stored under name.'],
      ['set', 'Store value under name.'],
      ['delete', 'Remove name.'],
      ['exists', 'Whether name is stored.'],
      ['keys', 'All stored names.'],
    ]) {
      const line = lines.find((l) => l.startsWith(name + ' '));
      expect(line, name).toBeDefined();
      expect(line).toContain(help);
    }
    expect(lines.some((l) => l.startsWith('system.multicall'))).toBe(true);
  });

  it("methods URL NAME prints that method's signature and documentation; an unknown name exits 2", async () => {
    const url = `xmlrpc://127.0.0.1:${kv.port}/`;
    expect(await rpcscope(['methods', url, 'get'])).toMatchObject({ code: 0, stdout: 'get(...)\n    Return the value stored under name.\n' });
    const asJson = await rpcscope(['methods', url, 'get', '--json']);
    expect(JSON.parse(asJson.stdout)).toEqual({ ok: true, method: { name: 'get', doc: 'Return the value stored under name.' } });
    const unknown = await rpcscope(['methods', url, 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no method 'nope' in the server's listing \(known: .*\bget\b/);
    const openrpc = await rpcscope(['methods', `jsonrpc+tcp://127.0.0.1:${json.port}`, 'subtract']);
    expect(openrpc).toMatchObject({ code: 0, stdout: 'subtract(minuend: number, subtrahend?: number) -> number\n    minuend - subtrahend.\n' });
  });

  it("prints KeyError: 'nope' for get('nope') and exits 1", async () => {
    expect(await rpcscope(['call', `xmlrpc://127.0.0.1:${kv.port}/`, "get('nope')"])).toMatchObject({ code: 1, stdout: "KeyError: 'nope'\n" });
  });

  it('prints results as Python repr and exits 0', async () => {
    expect(await rpcscope(['call', `xmlrpc://127.0.0.1:${kv.port}/`, 'when()'])).toMatchObject({ code: 0, stdout: "<DateTime '20240102T03:04:05'>\n" });
    expect(await rpcscope(['call', `jsonrpc+tcp://127.0.0.1:${json.port}`, 'subtract(minuend=10, subtrahend=3)'])).toMatchObject({ code: 0, stdout: '7\n' });
    expect(await rpcscope(['call', `tcpjson://127.0.0.1:${seed.port}`, "test('x', kw1='1')"])).toMatchObject({
      code: 0,
      stdout: "'the test function has been called'\n",
    });
    expect(await rpcscope(['call', `tcpjson://127.0.0.1:${seed.port}`, 'nosuch()'])).toMatchObject({ code: 0, stdout: "'Please use the correct function'\n" });
  });

  it('lists JSON-RPC methods with OpenRPC signatures', async () => {
    const r = await rpcscope(['methods', `jsonrpc+tcp://127.0.0.1:${json.port}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('add(a: integer, b: integer) -> integer');
  });

  it('exits 2 for usage errors and dead servers', async () => {
    const mixed = await rpcscope(['call', `jsonrpc+tcp://127.0.0.1:${json.port}`, 'add(1, b=2)']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/positional or named/);
    const kw = await rpcscope(['call', `xmlrpc://127.0.0.1:${kv.port}/`, "get(name='x')"]);
    expect(kw.code).toBe(2);
    expect(kw.stderr).toMatch(/XML-RPC has no keyword arguments/);
    const gone = await startServer('xmlrpc_kv.py');
    await gone.stop();
    const dead = await rpcscope(['call', `xmlrpc://127.0.0.1:${gone.port}/`, 'keys()']);
    expect(dead.code).toBe(2);
    expect(dead.stderr).toContain(`connection refused by 127.0.0.1:${gone.port}`);
  });
});
