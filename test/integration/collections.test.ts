// Collections end to end: saved from the REPL, run by `rpcscope run` against real servers, JUnit XML
// read back by Python's XML parser, and the exported Python scripts run by Python against the same
// servers printing the same reprs as rpcscope.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collection } from '../../src/common/collection';
import { exceptionOnlyLines } from '../../src/common/errors';
import { CollectionRunner, loadCollection, saveCollection } from '../../src/services/collections';
import { collectionToPython } from '../../src/services/script-export';
import { buildCli, runCli } from '../helpers/cli';
import { SERVERS_DIR, SYSTEM_PYTHON, runPython, startServer, type RunningServer } from '../helpers/python';
import { PROMPT, PtyRepl } from './repl-pty';

const AUTHKEY = 'peekaboo';
const hex = (s: string) => Buffer.from(s).toString('hex');

let pickle: RunningServer;
let xmlrpc: RunningServer;
let jsonrpc: RunningServer;
let tcpjson: RunningServer;
let rpyc: RunningServer;
let mpjson: RunningServer;
let jsonrpcTcp: RunningServer;

beforeAll(async () => {
  buildCli();
  [pickle, xmlrpc, jsonrpc, tcpjson, rpyc, mpjson, jsonrpcTcp] = await Promise.all([
    startServer('cookbook_pickle.py', ['--authkey-hex', hex(AUTHKEY)]),
    startServer('xmlrpc_kv.py'),
    startServer('jsonrpc_server.py', ['http']),
    startServer('tcpjson_seed003.py'),
    startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON }),
    startServer('cookbook_json.py', ['--authkey-hex', hex(AUTHKEY)]),
    startServer('jsonrpc_server.py', ['tcp']),
  ]);
});
afterAll(async () => {
  await Promise.all([pickle, xmlrpc, jsonrpc, tcpjson, rpyc, mpjson, jsonrpcTcp].map((s) => s?.stop()));
});

interface JunitCounts {
  tests: number;
  failures: number;
  errors: number;
  cases: { name: string; failure?: string; error?: string; failureText?: string; errorText?: string }[];
}

/** JUnit XML as Python's ElementTree reads it (a real XML parser: malformed output fails here). */
function readJunit(file: string): JunitCounts {
  const out = runPython(
    `import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
suite = root.find('testsuite')
cases = []
for c in suite.findall('testcase'):
    d = {'name': c.get('name')}
    for kind in ('failure', 'error'):
        e = c.find(kind)
        if e is not None:
            d[kind] = e.get('message')
            d[kind + 'Text'] = e.text
    cases.append(d)
print(json.dumps({'tests': int(suite.get('tests')), 'failures': int(suite.get('failures')), 'errors': int(suite.get('errors')), 'cases': cases}))`,
    { args: [file] },
  );
  return JSON.parse(out) as JunitCounts;
}

describe('save from the REPL, run with rpcscope run', () => {
  it('round-trips calls, expectations and JUnit XML; the authkey never lands in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpcscope-coll-'));
    const url = `pickle://127.0.0.1:${pickle.port}?authkey=${AUTHKEY}`;
    const repl = new PtyRepl([url], { cwd: dir, env: { RPCSCOPE_HOME: join(dir, 'home') } });
    await repl.expect(PROMPT);
    expect(await repl.run('add(2, 3)')).toBe('5');
    expect(await repl.run('.save add')).toMatch(/saved add to rpcscope\.collection\.json/);
    expect(await repl.run('x = add(10, 1)')).toBe('');
    expect(await repl.run('sub(x, 1)')).toBe('10');
    expect(await repl.run('.save sub_x')).toMatch(/saved sub_x/);
    expect(await repl.run("values('nested')")).toBe("{'a': [1, (2, 3), (4,)], 'b': {'c': None, 'd': True}, 'e': ()}");
    expect(await repl.run('.save nested')).toMatch(/saved nested/);
    expect(await repl.run("fail('x')")).toBe("KeyError: 'missing'");
    expect(await repl.run('.save missing other.json')).toMatch(/saved missing to other\.json/);
    await repl.close();

    const file = join(dir, 'rpcscope.collection.json');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(AUTHKEY);
    const c = loadCollection(file);
    expect(c.connections).toEqual([{ name: `pickle_127.0.0.1_${pickle.port}`, url: `pickle://127.0.0.1:${pickle.port}`, authkey: '${env:RPCSCOPE_AUTHKEY}' }]);
    expect(c.calls.map((x) => [x.name, x.call, x.expect])).toEqual([
      ['add', 'add(2, 3)', { equals: '5' }],
      // the REPL variable is written out so the collection replays on its own
      ['sub_x', 'sub(11, 1)', { equals: '10' }],
      ['nested', "values('nested')", { equals: "{'a': [1, (2, 3), (4,)], 'b': {'c': None, 'd': True}, 'e': ()}" }],
    ]);
    expect(loadCollection(join(dir, 'other.json')).calls).toEqual([
      { name: 'missing', connection: c.connections[0].name, call: "fail('x')", expect: { raises: 'KeyError' } },
    ]);

    const junit = join(dir, 'junit.xml');
    const ok = await runCli(['run', file, '--junit', junit], { RPCSCOPE_AUTHKEY: AUTHKEY });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('✓ add  add(2, 3)');
    expect(ok.stdout).toMatch(/3 passed, 0 failed, 0 errors \(3 calls/);
    expect(readJunit(junit)).toMatchObject({ tests: 3, failures: 0, errors: 0 });

    // one wrong expectation, one call that cannot run, and an exception with notes where none was expected
    c.calls.push({ name: 'wrong', connection: c.connections[0].name, call: 'add(1, 1)', expect: { equals: '3' } });
    c.calls.push({ name: 'typo', connection: c.connections[0].name, call: 'add(1,' });
    c.calls.push({ name: 'noted', connection: c.connections[0].name, call: "fail('value', 'while reading rows.csv')" });
    saveCollection(file, c);
    const bad = await runCli(['run', file, '--junit', junit], { RPCSCOPE_AUTHKEY: AUTHKEY });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('✗ wrong  add(1, 1)');
    expect(bad.stdout).toContain('expected 3, got 2');
    // the exception's notes print under its line
    expect(bad.stdout).toContain("✗ noted  fail('value', 'while reading rows.csv')");
    expect(bad.stdout).toMatch(/\n {4}ValueError: bad value\n {4}while reading rows\.csv\n/);
    expect(bad.stdout).toMatch(/3 passed, 2 failed, 1 errors \(6 calls/);
    const j = readJunit(junit);
    expect(j).toMatchObject({ tests: 6, failures: 2, errors: 1 });
    expect(j.cases.find((x) => x.name === 'noted')).toMatchObject({
      failure: 'raised ValueError: bad value',
      failureText: "fail('value', 'while reading rows.csv')\nraised ValueError: bad value\nValueError: bad value\nwhile reading rows.csv",
    });
    expect(j.cases.find((x) => x.name === 'wrong')?.failure).toBe('expected 3, got 2');
    expect(j.cases.find((x) => x.name === 'typo')?.error).toBe("E_PARSE: '(' was never closed at column 4");

    // without the authkey in the environment every call is an error naming the variable
    const noKey = await runCli(['run', file], { RPCSCOPE_AUTHKEY: '' });
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toContain('RPCSCOPE_AUTHKEY');
  });

  it('substitutes variables per environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpcscope-coll-'));
    const file = join(dir, 'env.json');
    const c: Collection = {
      version: 1,
      variables: { port: '1', n: '2' },
      environments: { local: { port: String(tcpjson.port) } },
      connections: [{ name: 'seed', url: 'tcpjson://127.0.0.1:${var:port}' }],
      calls: [{ name: 'add', connection: 'seed', call: 'add(${var:n}, 40)', expect: { equals: '42' } }],
    };
    saveCollection(file, c);
    const r = await runCli(['run', file, '--env', 'local']);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stdout).toContain('add(2, 40)');
    const missing = await runCli(['run', file, '--env', 'prod']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no environment "prod" in the collection (known: local)');
  });
});

describe('rpcscope run at a terminal', () => {
  it('shows which call of the run waits and for how long, on a line erased before the call\'s result', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpcscope-coll-'));
    const file = join(dir, 'slow.json');
    const c: Collection = {
      version: 1,
      connections: [{ name: 'cookbook', url: `pickle://127.0.0.1:${pickle.port}`, authkey: '${env:COOKBOOK_KEY}' }],
      calls: [
        { connection: 'cookbook', call: 'add(1, 2)', expect: { equals: '3' } },
        { name: 'slow one', connection: 'cookbook', call: 'slow(1.5)', expect: { equals: "'done'" } },
        { connection: 'cookbook', call: 'slow(1.5)' },
      ],
    };
    saveCollection(file, c);
    const run = new PtyRepl([file], { command: 'run', env: { COOKBOOK_KEY: AUTHKEY } });
    await run.expect('call 2 of 3, slow one: waiting 1 s for the reply · Ctrl-C cancels');
    const { exit, output } = await run.close();
    expect(exit).toBe(0);
    // the third call's status line came and went: the pty driver applies the erase, so a line left
    // behind would stay in the output
    expect(output.split('\n').slice(0, 5)).toEqual([
      '✓ slow one  slow(1.5)  [cookbook]',
      "    'done'",
      '✓ slow(1.5)  [cookbook]',
      "    'done'",
      expect.stringMatching(/^3 passed, 0 failed, 0 errors \(3 calls, [\d.]+ s\)$/),
    ]);
  });
});

/** What rpcscope shows for each call: the repr, or the error's last line. */
async function ourLines(c: Collection, authkey = AUTHKEY): Promise<string[]> {
  const runner = new CollectionRunner(c, { environ: { ...process.env, RPCSCOPE_AUTHKEY: authkey } });
  try {
    const summary = await runner.runAll();
    return summary.results.filter((r) => !/^\w+ = /.test(r.call)).flatMap((r) => (r.repr !== undefined ? [r.repr] : exceptionOnlyLines(r.error!)));
  } finally {
    await runner.close();
  }
}

function pythonLines(c: Collection, python = 'python3', authkey = AUTHKEY): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'rpcscope-script-'));
  const script = join(dir, 'client.py');
  writeFileSync(script, collectionToPython(c));
  const r = spawnSync(python, [script], {
    encoding: 'utf8',
    // the server's own module, for classes a pickle may name
    env: { ...process.env, RPCSCOPE_AUTHKEY: authkey, PYTHONPATH: SERVERS_DIR },
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`script failed (${r.status}):\n${r.stderr}\n${readFileSync(script, 'utf8')}`);
  return r.stdout.trimEnd().split('\n');
}

const collectionOf = (url: string, calls: string[], authkey = false): Collection => ({
  version: 1,
  connections: [{ name: 'server', url, ...(authkey && { authkey: '${env:RPCSCOPE_AUTHKEY}' }) }],
  calls: calls.map((call) => ({ connection: 'server', call })),
});

describe('exported Python scripts print what rpcscope prints', () => {
  it('pickle:// through multiprocessing.connection and the Cookbook RPCProxy', async () => {
    const c = collectionOf(
      `pickle://127.0.0.1:${pickle.port}`,
      [
        'add(2, 3)',
        "echo(1, 'two', [3.5, None], k=(True,), b=b'\\x00\\xff')",
        "values('nested')",
        "values('bigint')",
        "values('float')",
        "values('set')",
        "values('str')",
        "values('datetime')",
        'x = add(1, 2)',
        'sub(x, 10)',
        'sub(_, 1)',
        "fail('value')",
        "fail('x')",
        "fail('app')",
        "fail('value', 'while reading rows.csv', 'line 3:\\n  spam')",
      ],
      true,
    );
    const ours = await ourLines(c);
    expect(ours[0]).toBe('5');
    expect(ours).toContain("cookbook_common.AppError: ('custom failure', 42)");
    expect(ours.slice(-4)).toEqual(['ValueError: bad value', 'while reading rows.csv', 'line 3:', '  spam']);
    expect(pythonLines(c)).toEqual(ours);
  });

  it('pickle:// with an authkey that is not UTF-8, given as a bytes literal in the environment', async () => {
    const server = await startServer('cookbook_pickle.py', ['--authkey-hex', '8fff00706565']);
    try {
      const c = collectionOf(`pickle://127.0.0.1:${server.port}`, ['add(2, 3)', 'sub(1, 3)'], true);
      const key = String.raw`b'\x8f\xff\x00pee'`;
      const ours = await ourLines(c, key);
      expect(ours).toEqual(['5', '-2']);
      expect(pythonLines(c, 'python3', key)).toEqual(ours);
    } finally {
      await server.stop();
    }
  });

  it('xmlrpc:// through xmlrpc.client.ServerProxy', async () => {
    const c = collectionOf(`xmlrpc://127.0.0.1:${xmlrpc.port}`, [
      'add(2, 3)',
      "echo({'a': [1, 2.5, 'x'], 'b': None, 'c': True})",
      "set('k', [1, 2])",
      "get('k')",
      "get('nope')",
      'keys()',
      'system.listMethods()',
      "fail('boom')",
    ]);
    const ours = await ourLines(c);
    expect(ours).toContain("KeyError: 'nope'");
    expect(pythonLines(c)).toEqual(ours);
  });

  it('jsonrpc:// through an http.client JSON-RPC 2.0 POST', async () => {
    const c = collectionOf(`jsonrpc://127.0.0.1:${jsonrpc.port}/`, [
      'add(2, 3)',
      'subtract(minuend=10, subtrahend=3)',
      "echo([1, {'a': None, 'b': 2.5}])",
      "get('nope')",
      'nosuch()',
    ]);
    const ours = await ourLines(c);
    expect(ours[1]).toBe('7');
    expect(pythonLines(c)).toEqual(ours);
  });

  it('tcpjson:// through a socket and json as seed 003 does', async () => {
    const c = collectionOf(`tcpjson://127.0.0.1:${tcpjson.port}`, ['add(2, 3)', "echo(1, 'a', k=[1, None])", 'test()', 'nosuch()']);
    const ours = await ourLines(c);
    expect(ours[0]).toBe('5');
    expect(pythonLines(c)).toEqual(ours);
  });

  it('rpyc:// through rpyc.connect', async () => {
    const c = collectionOf(`rpyc://127.0.0.1:${rpyc.port}`, [
      'add(1, b=2)',
      'get_list()',
      'get_nested()',
      'c = counter(5)',
      'c.incr(2)',
      "echo('x')",
      'fail()',
    ]);
    const ours = await ourLines(c);
    expect(ours).toContain('[1, 2, 3]');
    expect(pythonLines(c, SYSTEM_PYTHON)).toEqual(ours);
  });

  it('mpjson:// through the JSON variant of the Cookbook proxy', async () => {
    const c = collectionOf(
      `mpjson://127.0.0.1:${mpjson.port}`,
      ['add(2, 3)', "echo(1, 'two', [3.5, None], k=True)", "values('nested')", "values('str')", 'x = add(1, 2)', 'sub(x, 10)'],
      true,
    );
    const ours = await ourLines(c);
    expect(ours[0]).toBe('5');
    expect(pythonLines(c)).toEqual(ours);
  });

  it('jsonrpc+tcp:// through a socket, one JSON document per line', async () => {
    const c = collectionOf(`jsonrpc+tcp://127.0.0.1:${jsonrpcTcp.port}`, ['add(2, 3)', 'subtract(minuend=10, subtrahend=3)', "echo({'a': [1, None]})"]);
    const ours = await ourLines(c);
    expect(ours).toEqual(['5', '7', "{'a': [1, None]}"]);
    expect(pythonLines(c)).toEqual(ours);
  });
});
