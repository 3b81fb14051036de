// Calls pasted from Python client code (`proxy.add(2, 3)`, `conn.root.add(2, 3)`) against each
// protocol's real server: the server's own "no such method" is printed as it is, followed by a hint
// with the call as it is typed here, and the hinted call works. `rpcscope call`, the piped REPL and
// the app core (the window's composer and console).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../helpers/cli';
import { openAppCore } from '../helpers/app-core';
import { SYSTEM_PYTHON, startServer, type RunningServer } from '../helpers/python';

const hex = (s: string) => Buffer.from(s).toString('hex');
const hintFor = (suggested: string, dropped: string) => `hint: here a method is called by its own name: ${suggested} (${dropped} is the Python client's object)\n`;

describe('calls pasted from Python client code', () => {
  const servers: RunningServer[] = [];
  const urls: Record<string, string> = {};
  const home = () => ({ RPCSCOPE_HOME: mkdtempSync(join(tmpdir(), 'rpcscope-pasted-')), FORCE_COLOR: '' });

  beforeAll(async () => {
    buildCli();
    const [pickle, mpjson, silent, xmlrpc, jsonHttp, jsonTcp, rpyc, seed] = await Promise.all([
      startServer('cookbook_pickle.py', ['--authkey-hex', hex('peekaboo')]),
      startServer('cookbook_json_str.py'),
      startServer('cookbook_json.py'),
      startServer('xmlrpc_kv.py'),
      startServer('jsonrpc_server.py', ['http']),
      startServer('jsonrpc_server.py', ['tcp']),
      startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON }),
      startServer('tcpjson_seed003.py'),
    ]);
    servers.push(pickle, mpjson, silent, xmlrpc, jsonHttp, jsonTcp, rpyc, seed);
    Object.assign(urls, {
      pickle: `pickle://127.0.0.1:${pickle.port}?authkey=peekaboo`,
      mpjson: `mpjson://127.0.0.1:${mpjson.port}`,
      silent: `mpjson://127.0.0.1:${silent.port}`,
      xmlrpc: `xmlrpc://127.0.0.1:${xmlrpc.port}/RPC2`,
      jsonrpc: `jsonrpc://127.0.0.1:${jsonHttp.port}/`,
      'jsonrpc+tcp': `jsonrpc+tcp://127.0.0.1:${jsonTcp.port}`,
      rpyc: `rpyc://127.0.0.1:${rpyc.port}`,
      tcpjson: `tcpjson://127.0.0.1:${seed.port}`,
    });
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  // what each server answers for `proxy.add`: an exception, or (no error channel) a reply
  const answers: [string, string, number][] = [
    ['pickle', "KeyError: 'proxy.add'", 1],
    ['mpjson', `"'proxy.add'"`, 0],
    ['xmlrpc', 'Exception: method "proxy.add" is not supported', 1],
    ['jsonrpc', 'JSONRPCError: -32601 Method not found: proxy.add', 1],
    ['jsonrpc+tcp', 'JSONRPCError: -32601 Method not found: proxy.add', 1],
    ['rpyc', "AttributeError: cannot access 'proxy'", 1],
    ['tcpjson', "'Please use the correct function'", 0],
  ];
  it.each(answers)("%s: rpcscope call prints the server's answer, then the hint on stderr; the hinted call works", async (scheme, answer, code) => {
    const env = home();
    const r = await runCli(['call', urls[scheme], 'proxy.add(2, 3)'], env);
    expect(r.code).toBe(code);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(answer);
    expect(r.stderr).toBe(hintFor('add(2, 3)', 'proxy.'));
    expect(await runCli(['call', urls[scheme], 'add(2, 3)'], env)).toMatchObject({ code: 0, stdout: '5\n' });
  });

  it("RPyC's conn.root. and xmlrpc.client's s. are left out too; --json prints no hint", async () => {
    const env = home();
    const rpyc = await runCli(['call', urls.rpyc, "conn.root.echo('x')"], env);
    expect(rpyc.stdout.trimEnd().split('\n').at(-1)).toBe("AttributeError: cannot access 'conn'");
    expect(rpyc.stderr).toBe(hintFor("echo('x')", 'conn.root.'));
    const xml = await runCli(['call', urls.xmlrpc, "s.set('spam', [1, 2, 3])"], env);
    expect(xml.stderr).toBe(hintFor("set('spam', [1, 2, 3])", 's.'));
    const json = await runCli(['call', urls.xmlrpc, "s.set('spam', [1, 2, 3])", '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { kind: 'remote', message: 'method "s.set" is not supported' } });
    expect(json.stderr).toBe('');
  });

  it("no hint for a server's own dotted names, a method the server lacks, or an error raised inside the method", async () => {
    const env = home();
    // system.* is XML-RPC's own: the prefix names methods the server lists
    const system = await runCli(['call', urls.xmlrpc, 'system.nope()'], env);
    expect(system.stdout).toBe('Exception: method "system.nope" is not supported\n');
    expect(system.stderr).toBe('');
    // the server lists its methods and has no `nope`: there is nothing right to suggest
    expect((await runCli(['call', urls.xmlrpc, 'proxy.nope()'], env)).stderr).toBe('');
    expect((await runCli(['call', urls.rpyc, 'conn.root.nope()'], env)).stderr).toBe('');
    // an error from inside add is no "no such method"
    const inside = await runCli(['call', urls.pickle, "add(2, 'x')"], env);
    expect(inside.stdout).toBe("TypeError: unsupported operand type(s) for +: 'int' and 'str'\n");
    expect(inside.stderr).toBe('');
  });

  it('on a server without introspection, a dotted name whose tail has worked before is hinted whatever its prefix', async () => {
    const env = home();
    // `math.` is no usual client variable, and nothing is known yet
    expect((await runCli(['call', urls.pickle, 'math.sub(5, 3)'], env)).stderr).toBe('');
    expect((await runCli(['call', urls.pickle, 'sub(5, 3)'], env)).stdout).toBe('2\n');
    const after = await runCli(['call', urls.pickle, 'math.sub(5, 3)'], env);
    expect(after.stdout).toBe("KeyError: 'math.sub'\n");
    expect(after.stderr).toBe(hintFor('sub(5, 3)', 'math.'));
    // a failed pasted call teaches no method name
    expect((await runCli(['methods', urls.pickle], env)).stdout).toBe('sub\n');
  });

  it("seed 001's JSON server, which sends nothing back for an exception: the timeout's error, then the hint", async () => {
    const env = home();
    const r = await runCli(['call', '--timeout', '1', urls.silent, 'proxy.add(2, 3)'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^rpcscope: no reply to proxy\.add\(\) from .* within 1 s \(seed-001 servers do this when the function raised.*\)\n/);
    expect(r.stderr.split('\n').slice(-2)).toEqual([hintFor('add(2, 3)', 'proxy.').trimEnd(), '']);
    // a call that is no pasted one times out with no hint
    expect((await runCli(['call', '--timeout', '1', urls.silent, 'add(2, [])'], env)).stderr).not.toContain('hint');
    const repl = await runCli(['repl', '--timeout', '1', urls.silent], env, { input: 'proxy.add(2, 3)\nadd(2, 3)\n' });
    expect(repl.stdout.split('\n').slice(-4)).toEqual([
      expect.stringMatching(/^E_TIMEOUT: no reply to proxy\.add\(\)/),
      hintFor('add(2, 3)', 'proxy.').trimEnd(),
      '5',
      '',
    ]);
  });

  it('the REPL prints the hint under the error (and under an assignment that got a reply)', async () => {
    const env = home();
    const pickle = await runCli(['repl', urls.pickle], env, { input: 'proxy.add(2, 3)\nadd(2, 3)\n' });
    expect(pickle.stdout.split('\n').slice(-4)).toEqual(["KeyError: 'proxy.add'", hintFor('add(2, 3)', 'proxy.').trimEnd(), '5', '']);
    const seed = await runCli(['repl', urls.tcpjson], env, { input: 'x = c.add(2, 3)\nx\n' });
    expect(seed.stdout.split('\n').slice(-3)).toEqual([hintFor('x = add(2, 3)', 'c.').trimEnd(), "'Please use the correct function'", '']);
  });

  it("the window's composer and console get the hint with the call's result", async () => {
    const core = openAppCore(mkdtempSync(join(tmpdir(), 'rpcscope-pasted-core-')));
    const { id } = await core.ok('connections.add', { url: urls['jsonrpc+tcp'] });
    const composed = await core.ok('calls.call', { connectionId: id, source: "proxy.echo(['a', 1])" });
    expect(composed.outcome).toMatchObject({ kind: 'raised', exception: { lastLine: 'JSONRPCError: -32601 Method not found: proxy.echo' } });
    expect(composed.hint).toEqual({ suggested: "echo(['a', 1])", dropped: 'proxy.' });
    const fine = await core.ok('calls.call', { connectionId: id, source: "echo(['a', 1])" });
    expect(fine.outcome.kind).toBe('value');
    expect(fine.hint).toBeUndefined();

    const seed = (await core.ok('connections.add', { url: urls.tcpjson })).id;
    const consoled = await core.ok('console.eval', { connectionId: seed, source: 'y = proxy.add(2, 3)' });
    expect(consoled).toMatchObject({ kind: 'assigned', hint: { suggested: 'y = add(2, 3)', dropped: 'proxy.' } });
    expect(await core.ok('console.eval', { connectionId: seed, source: 'add(2, 3)' })).toMatchObject({ kind: 'value', text: '5' });

    // a failure (no answer at all) carries the hint too, for the composer and the console alike
    const silent = (await core.ok('connections.add', { url: urls.silent, timeoutMs: 500 })).id;
    for (const entry of ['calls.call', 'console.eval'] as const) {
      const failed = await core.call(entry, { connectionId: silent, source: 'proxy.add(2, 3)' });
      expect(failed).toMatchObject({ ok: false, error: { code: 'E_TIMEOUT', hint: { suggested: 'add(2, 3)', dropped: 'proxy.' } } });
    }
    expect(await core.ok('calls.call', { connectionId: silent, source: 'add(2, 3)' })).toMatchObject({ outcome: { kind: 'value', repr: '5' } });
    await core.connections.closeAll();
  });
});
