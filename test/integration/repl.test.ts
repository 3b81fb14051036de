// The interactive REPL through a pseudo-terminal against real Python servers.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli } from '../helpers/cli';
import { SYSTEM_PYTHON, runPython, startServer, type RunningServer } from '../helpers/python';
import { CallHistory } from '../../src/services/history';
import { PROMPT, PtyRepl } from './repl-pty';

const AUTHKEY = 'peekaboo';
const hex = (s: string) => Buffer.from(s).toString('hex');

describe('rpcscope repl', () => {
  let pickle: RunningServer;
  let rpyc: RunningServer;
  let xmlrpc: RunningServer;
  let home: string;
  let pickleUrl: string;
  beforeAll(async () => {
    buildCli();
    [pickle, rpyc, xmlrpc] = await Promise.all([
      startServer('cookbook_pickle.py', ['--authkey-hex', hex(AUTHKEY), '--list']),
      startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON }),
      startServer('xmlrpc_kv.py'),
    ]);
    pickleUrl = `pickle://127.0.0.1:${pickle.port}?authkey=${AUTHKEY}`;
  });
  afterAll(async () => {
    await Promise.all([pickle?.stop(), rpyc?.stop(), xmlrpc?.stop()]);
  });

  const start = (url: string) => {
    const r = new PtyRepl([url], { env: { RPCSCOPE_HOME: home } });
    return r;
  };
  /** The REPL on the Cookbook server with `input` piped in, without colours. */
  const piped = (input: string, url = pickleUrl) => runCli(['repl', url], { RPCSCOPE_HOME: home, FORCE_COLOR: '' }, { input });

  it('prints reprs, keeps _ and assignments, continues unbalanced brackets, prints remote errors like Python', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const repl = start(pickleUrl);
    await repl.expect(PROMPT);
    expect(await repl.run('add(2, 3)')).toBe('5');
    expect(await repl.run('_')).toBe('5');
    expect(await repl.run('x = add(10, 1)')).toBe('');
    // as at Python's prompt, an assignment leaves _ alone
    expect(await repl.run('echo(x, _, [1, 2], z={"k": (3,)})')).toBe("[[11, 5, [1, 2]], {'z': {'k': (3,)}}]");
    // multi-line: the open bracket continues on a `...` line
    await repl.send('sub(100,\r');
    await repl.expect('... ');
    expect(await repl.run(' x)')).toBe('89');
    expect(await repl.run("fail('value')")).toBe('ValueError: bad value');
    // an exception's notes (add_note) print under its line, as at Python's prompt
    expect(await repl.run("fail('app', 'while reading rows.csv')")).toMatch(/^cookbook_common\.AppError: \('custom failure', 42\)\r?\nwhile reading rows\.csv$/);
    expect(await repl.run('y')).toMatch(/E_PARSE: name 'y' is not defined/);
    expect(await repl.run('values("bigint")')).toBe('[1267650600228229401496703205376, -1180591620717411303424, 9223372036854775808, -1, 0]');
    // statements joined by ';' run in turn, as at Python's prompt
    expect(await repl.run('q = add(1, 2); echo(q); sub(q, 1)')).toMatch(/^\[\[3\], \{\}\]\r?\n2$/);
    expect((await repl.close()).exit).toBe(0);
  });

  it('completes remote method names with Tab', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const repl = start(pickleUrl);
    await repl.expect(PROMPT);
    await repl.send('ec\t');
    await repl.expect('echo');
    await repl.send('(7)\r');
    expect(await repl.expect(PROMPT)).toContain('[[7], {}]');
    // several candidates: Tab lists them
    await repl.send('s\t');
    // a second Tab lists the candidates (pause so it is not taken while the first completes)
    await new Promise((r) => setTimeout(r, 500));
    await repl.send('\t');
    const listing = await repl.expect(/slow\s+sub|sub\s+slow/);
    expect(listing).toMatch(/slow/);
    await repl.send('\x15\r'); // clear the line
    await repl.expect(PROMPT);
    await repl.close();
  });

  it('completes RPyC attributes after a dot on a remote object', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const repl = start(`rpyc://127.0.0.1:${rpyc.port}`);
    await repl.expect(PROMPT);
    expect(await repl.run('c = counter(5)')).toBe('');
    await repl.send('c.inc\t');
    await repl.expect('c.incr');
    await repl.send('(2)\r');
    expect(await repl.expect(PROMPT)).toMatch(/\n7\r?\n/);
    expect(await repl.run('.save inc')).toMatch(/E_UNSUPPORTED: c\.incr\(2\) calls the remote object c/);
    // inside help(): the service's method names, and the remote object's after its dot
    await repl.send('help(c.inc\t');
    await repl.expect('help(c.incr');
    await repl.send(')\r');
    expect(await repl.expect(PROMPT)).toContain('c.incr(...)\n    Add `by` to the counter and return the new value.');
    await repl.send('help(coun\t');
    await repl.expect('help(counter');
    await repl.send(')\r');
    expect(await repl.expect(PROMPT)).toContain('counter(...)');
    await repl.send('get_l\t');
    await repl.expect('get_list');
    await repl.send('()\r');
    expect(await repl.expect(PROMPT)).toContain('[1, 2, 3]');
    // the attributes of a remote object, and the keys of a dict a variable holds
    await repl.send('c.me\t');
    await repl.expect('c.meta');
    await repl.send('.na\t');
    await repl.expect('.name'); // (the line so far was read by the expect before)
    await repl.send('\r');
    expect(await repl.expect(PROMPT)).toContain("'meta'");
    expect(await repl.run('x = get_nested()')).toBe('');
    await repl.send("x['b\t");
    await repl.expect("x['b']");
    await repl.send('\r');
    expect(await repl.expect(PROMPT)).toContain('{3, 4}');
    await repl.close();
  });

  it('completes dotted XML-RPC names from introspection', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const repl = start(`xmlrpc://127.0.0.1:${xmlrpc.port}`);
    await repl.expect(PROMPT);
    await repl.send('system.listM\t');
    await repl.expect('system.listMethods');
    await repl.send('()\r');
    expect(await repl.expect(PROMPT)).toContain("'system.listMethods'");
    await repl.close();
  });

  it("completes a method's parameter names as name= where the listing names them (OpenRPC)", async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const jsonrpc = await startServer('jsonrpc_server.py');
    try {
      const repl = start(`jsonrpc://127.0.0.1:${jsonrpc.port}/`);
      await repl.expect(PROMPT);
      // (JSON-RPC takes positional or named parameters, not both)
      await repl.send('subtract(minuend=10, subt\t');
      await repl.expect('subtract(minuend=10, subtrahend=');
      await repl.send('4)\r');
      expect(await repl.expect(PROMPT)).toMatch(/\n6\r?\n/);
      // the OpenRPC document's parameters and summary
      expect(await repl.run('help(subtract)')).toBe('subtract(minuend: number, subtrahend?: number) -> number\n    minuend - subtrahend.');
      await repl.close();
    } finally {
      await jsonrpc.stop();
    }
  });

  it('Ctrl-C cancels a slow call and the REPL goes on', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const repl = start(`rpyc://127.0.0.1:${rpyc.port}`);
    await repl.expect(PROMPT);
    let serverOut = '';
    rpyc.proc.stdout!.on('data', (d: Buffer) => (serverOut += d.toString()));
    await repl.send('slow(30)\r');
    // the server prints SLOW when the call has arrived
    await waitFor(() => serverOut.includes('SLOW 30'));
    await repl.send('\x03');
    expect(await repl.expect(PROMPT)).toMatch(/E_CANCELLED/);
    expect(await repl.run('add(1, 2)')).toBe('3');
    expect((await repl.close()).exit).toBe(0);
  });

  it('a call that waits shows for how long, and a long reply how much of it has come, on a line erased before the result', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    // a slow link: the reply comes in 16 KB pieces 20 ms apart
    const proxy = await startServer('fault_proxy.py', [String(pickle.port), 'slow']);
    try {
      const repl = start(`pickle://127.0.0.1:${proxy.port}?authkey=${AUTHKEY}`);
      await repl.expect(PROMPT);
      await repl.send('slow(1.5)\r');
      await repl.expect('waiting 1 s for the reply · Ctrl-C cancels');
      await repl.expect(PROMPT);
      // the status line is erased before the result, which is all that stays (the driver applies the erase)
      await repl.send('slow(1.5)\r');
      expect(await repl.expect(PROMPT)).toBe(`slow(1.5)\n'done'\n${PROMPT}`);
      await repl.send('x = big(3_000_000)\r');
      const sizes: number[] = [];
      while (sizes.length < 3) {
        const [, n, unit] = /receiving the reply: ([\d.]+) (KB|MB) of 2\.9 MB \(\d+ s\) · Ctrl-C cancels/.exec(await repl.expect(/receiving the reply: .* of 2\.9 MB \(\d+ s\) · Ctrl-C cancels/))!;
        sizes.push(Number(n) * (unit === 'MB' ? 1024 : 1));
      }
      expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
      // an assignment prints nothing: the prompt comes on the line the status held
      expect(await repl.expect(PROMPT)).toBe(PROMPT);
      // a quick call shows nothing
      expect(await repl.run('add(1, 2)')).toBe('3');
      expect((await repl.close()).exit).toBe(0);
    } finally {
      await proxy.stop();
    }
  });

  it('rpcscope call at a terminal shows the same status line on stderr, erased before the result', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const proxy = await startServer('fault_proxy.py', [String(pickle.port), 'slow']);
    try {
      const call = new PtyRepl([`pickle://127.0.0.1:${proxy.port}?authkey=${AUTHKEY}`, 'big(2_000_000)'], {
        command: 'call',
        env: { RPCSCOPE_HOME: home },
      });
      await call.expect(/receiving the reply: [\d.]+ (KB|MB) of 1\.9 MB \(\d+ s\) · Ctrl-C cancels/);
      const { exit, output } = await call.close();
      expect(exit).toBe(0);
      // the status line (redrawn as the reply came) was erased before the result, which starts the line
      expect(output).not.toMatch(/receiving/);
      expect(output).toMatch(/^b'x{100}/);
    } finally {
      await proxy.stop();
    }
  });

  it('Ctrl-C during .load cancels the waiting call and the rest of the file', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const file = join(home, 'slow.txt');
    writeFileSync(file, ['add(1, 1)', 'slow(30)', 'add(20, 22)'].join('\n'));
    const repl = start(`rpyc://127.0.0.1:${rpyc.port}`);
    await repl.expect(PROMPT);
    let serverOut = '';
    rpyc.proc.stdout!.on('data', (d: Buffer) => (serverOut += d.toString()));
    await repl.send(`.load ${file}\r`);
    await waitFor(() => serverOut.includes('SLOW 30'));
    await repl.send('\x03');
    const out = await repl.expect(new RegExp(`\\n${PROMPT}$`));
    expect(out).toMatch(/E_CANCELLED/);
    expect(out).not.toContain('add(20, 22)');
    expect(await repl.run('add(1, 2)')).toBe('3');
    expect((await repl.close()).exit).toBe(0);
  });

  it('keeps the input history and the call history across restarts', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const first = start(pickleUrl);
    await first.expect(PROMPT);
    expect(await first.run('add(40, 2)')).toBe('42');
    expect(await first.run("fail('x')")).toBe("KeyError: 'missing'");
    await first.close();
    expect(readFileSync(join(home, 'repl_history'), 'utf8')).toContain('add(40, 2)');

    const second = start(pickleUrl);
    await second.expect(PROMPT);
    // up arrow twice: the line typed in the previous session
    await second.send('\x1b[A\x1b[A');
    await second.expect('add(40, 2)');
    await second.send('\r');
    expect(await second.expect(PROMPT)).toMatch(/\n42\r?\n/);
    const hist = await second.run('.history 3');
    expect(hist.split('\n')).toEqual(["✓ add(40, 2)  → 42", "✗ fail('x')  → KeyError: 'missing'", '✓ add(40, 2)  → 42']);
    await second.close();

    const stored = new CallHistory({ dir: join(home, 'history') }).list(`pickle://127.0.0.1:${pickle.port}`);
    expect(stored.map((e) => e.call)).toEqual(['add(40, 2)', "fail('x')", 'add(40, 2)']);
    expect(JSON.stringify(stored)).not.toContain(AUTHKEY);
  });

  it('.methods and .frames show the server and the wire', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const repl = start(pickleUrl);
    await repl.expect(PROMPT);
    expect((await repl.run('.methods')).split('\n')).toEqual(expect.arrayContaining(['add', 'echo', 'sub']));
    await repl.run('add(2, 3)');
    const frames = await repl.run('.frames 2');
    expect(frames).toMatch(/→ sent/);
    expect(frames).toMatch(/← received/);
    expect(frames).toContain("SHORT_BINUNICODE 'add'");
    await repl.close();
  });

  it('.python prints the session as a script that Python runs to the same output; .connect switches servers', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const repl = start(pickleUrl);
    await repl.expect(PROMPT);
    expect(await repl.run('x = add(40, 2)')).toBe('');
    expect(await repl.run('echo(x, [None], k=b"\\x00")')).toBe("[[42, [None]], {'k': b'\\x00'}]");
    expect(await repl.run("fail('value')")).toBe('ValueError: bad value');
    const script = await repl.run('.python');
    expect(script).toContain("os.environ['RPCSCOPE_AUTHKEY']");
    expect(script).not.toContain(AUTHKEY);
    const out = runPython(`import os, sys\nos.environ['RPCSCOPE_AUTHKEY'] = ${JSON.stringify(AUTHKEY)}\nexec(sys.stdin.read())`, { input: script.replace(/\r/g, '') });
    expect(out).toBe("[[42, [None]], {'k': b'\\x00'}]\nValueError: bad value\n");

    expect(await repl.run(`.connect xmlrpc://127.0.0.1:${xmlrpc.port}`)).toBe(`connected to xmlrpc://127.0.0.1:${xmlrpc.port}`);
    expect(await repl.run('add(2, 3)')).toBe('5');
    expect(await repl.run("get('nope')")).toBe("KeyError: 'nope'");
    await repl.close();
  });

  it('piped input runs statement by statement and prints only results, without colours', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const input = ['add(2, 3)', 'sub(10,', '  4)', 'x = add(1, 1)', "fail('value')", '_', '.history 2', '.nope', 'sub('].join('\n');
    const r = await piped(input);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 6)).toEqual(['5', '6', 'ValueError: bad value', '6', '✓ x = add(1, 1)  → 2', "✗ fail('value')  → ValueError: bad value"]);
    expect(lines[6]).toMatch(/^E_USAGE: unknown command \.nope; known: .*\.save/);
    expect(lines[7]).toBe('E_PARSE: the input ended inside an unfinished statement');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('help(NAME) prints a method\'s signature and documentation; .methods TEXT lists the methods holding TEXT', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const xml = await piped(['help(get)', '.methods STORED', 'help(nope)', 'help = 1', 'help(help)'].join('\n'), `xmlrpc://127.0.0.1:${xmlrpc.port}`);
    expect(xml.stdout.split('\n').slice(0, 7)).toEqual([
      'get(...)',
      '    Return the value stored under name.',
      'exists  — Whether name is stored.',
      'get  — Return the value stored under name.',
      'keys  — All stored names.',
      expect.stringMatching(/^E_USAGE: no method 'nope' in the server's listing \(known: .*, get, .*\)$/),
      // a variable is no method name: help(help) is a call of the server's `help`, which it has not
      expect.stringMatching(/^Exception: method "help" is not supported$/),
    ]);
    // on RPyC, help(obj) and help(obj.method) for a remote object held in a variable
    const rpycHelp = await piped(['c = counter(2)', 'help(c.incr)', 'help(c)', 'help(c.nope)', 'help(c.kind)', 'help()'].join('\n'), `rpyc://127.0.0.1:${rpyc.port}`);
    expect(rpycHelp.stdout.split('\n').slice(0, 8)).toEqual([
      'c.incr(...)',
      '    Add `by` to the counter and return the new value.',
      expect.stringMatching(/^c: <.*Counter object at 0x[0-9a-f]+>$/),
      '    incr  — Add `by` to the counter and return the new value.',
      '    value',
      // INSPECT lists methods; the object's other exposed names (its dir) are attributes
      '    attributes: kind, meta, start (c.kind reads one)',
      "E_USAGE: no method 'nope' in the methods of c (known: incr, value)",
      'c.kind is an attribute, not a method: c.kind alone reads it',
    ]);
    // help(): the service's methods, a line each, and where the list comes from
    const listing = rpycHelp.stdout.split('\n').slice(8);
    expect(listing).toEqual(expect.arrayContaining(['add  — Return a + b.', 'counter', "(the service root's exposed methods (RPyC INSPECT); help(NAME) prints one whole)"]));
    // the recipe's server lists nothing: what help knows comes from the calls seen to work
    const plain = await startServer('cookbook_pickle.py', ['--authkey-hex', hex(AUTHKEY)]);
    const pickled = await piped(['help(add)', 'add(1, 2)', 'help(add)'].join('\n'), `pickle://127.0.0.1:${plain.port}?authkey=${AUTHKEY}`).finally(() => plain.stop());
    expect(pickled.stdout.split('\n').slice(0, 4)).toEqual([
      expect.stringMatching(/^E_USAGE: nothing is known of 'add': pickle servers have no introspection.*\(none is known yet\)$/),
      '3',
      'add(...)',
      expect.stringMatching(/^ {4}\(no documentation: pickle servers have no introspection/),
    ]);
  });

  /** The statements piped in, then `.python`: the first `shown` lines printed, and what the exported script prints under Python. */
  const pipedThenScript = async (statements: string[], shown: number) => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const lines = (await piped([...statements, '.python'].join('\n'))).stdout.split('\n');
    const script = lines.slice(shown).join('\n');
    const out = runPython(`import os, sys\nos.environ['RPCSCOPE_AUTHKEY'] = ${JSON.stringify(AUTHKEY)}\nexec(sys.stdin.read())`, { input: script });
    return { printed: lines.slice(0, shown), scriptPrinted: out.split('\n').slice(0, -1) };
  };

  it('unpacks *args and **kwargs into a call, and exports them as Python runs them', async () => {
    const statements = ['args = [40, 2]', 'add(*args)', "opts = {'k': b'\\x00'}", 'echo(0, *args, *(7,), z=1, **opts)', 'add(*5)', "echo(**{1: 2})"];
    const { printed, scriptPrinted } = await pipedThenScript(statements, 4);
    expect(printed).toEqual([
      '42',
      "[[0, 40, 2, 7], {'z': 1, 'k': b'\\x00'}]",
      'E_PARSE: argument after * must be an iterable, not int at column 5',
      'E_PARSE: keywords must be strings at column 8',
    ]);
    expect(scriptPrinted).toEqual(printed.slice(0, 2));
  });

  it("reads into a result with Python's subscriptions, and exports them as Python runs them", async () => {
    const statements = ["x = echo([10, 20, 30], k={'a': (1, 2)})", 'x[0][0][::-1]', "x[1]['k']['a'][-1]", 'add(x[0][0][1], _)', "x[1]['nope']", 'x[0][0][3]', "echo()[0]", 'x.keys()'];
    const { printed, scriptPrinted } = await pipedThenScript(statements, 7);
    expect(printed).toEqual([
      '[30, 20, 10]',
      '2',
      '22',
      "E_PARSE: KeyError: 'nope' at column 5",
      'E_PARSE: IndexError: list index out of range at column 8',
      "E_PARSE: a call's result is subscripted in a statement of its own: x = echo(...), then x[...] at column 7",
      // (it went to the server as a method named keys: KeyError: 'keys')
      'E_PARSE: x holds a list, a value kept here, not a remote object: x.keys() cannot be called (read into it with x[...]) at column 1',
    ]);
    expect(scriptPrinted).toEqual(printed.slice(0, 3));
  });

  it("reads a remote object's attributes (c.kind, c.meta.name), and exports them as Python runs them", async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const input = ['c = counter(5)', 'c.kind', 'c.meta.name', 'm = c.meta', 'm.name', 'c.start', 'c.nope', 'add(c.start, 1)', 'f = c.incr', 'f(2)', '.python'].join('\n');
    const r = await piped(input, `rpyc://127.0.0.1:${rpyc.port}`);
    const lines = r.stdout.split('\n');
    const shown = lines.slice(0, lines.indexOf('#!/usr/bin/env python3'));
    expect(shown.filter((l) => !l.startsWith(' ') && !l.startsWith('Traceback'))).toEqual([
      "'counter'",
      "'meta'",
      "'meta'",
      '5',
      "AttributeError: cannot access 'nope'",
      "E_PARSE: attribute access ('c.…') is only allowed as the method being called, or alone to read a remote object's attribute (y = c.name, then y) at column 5",
      // a variable holding a remote callable (a bound method) is called, as Python calls it
      '7',
    ]);
    const out = runPython(r.stdout.slice(r.stdout.indexOf('#!/usr/bin/env python3')), { python: SYSTEM_PYTHON });
    const ran = shown.filter((l) => !l.startsWith(' ') && !l.startsWith('Traceback') && !l.startsWith('E_PARSE'));
    expect(out.split('\n').slice(0, -1)).toEqual(ran);
  });

  it("a remote method's bare name says it is one and how to call it; any other unknown name is as before", async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const r = await piped(['get', 'system.listMethods', 'gets', "set('k', 1)", 'get("k")'].join('\n'), `xmlrpc://127.0.0.1:${xmlrpc.port}`);
    expect(r.stdout.split('\n')).toEqual([
      "E_PARSE: 'get' is a remote method: call it, get(...); help(get) prints its documentation",
      "E_PARSE: 'system.listMethods' is a remote method: call it, system.listMethods(...); help(system.listMethods) prints its documentation",
      "E_PARSE: name 'gets' is not defined (strings need quotes: 'gets') at column 1",
      'None',
      '1',
      '',
    ]);
  });

  it('piped input knows .help and stops at .exit, as the interactive REPL does', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const input = ['.help', 'add(2, 3)', '.exit', 'add(4, 5)'].join('\n');
    const r = await piped(input);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    const names = lines.slice(0, -1).map((l) => l.split(/\s+/)[0]);
    expect(names).toEqual(['.clear', '.connect', '.exit', '.frames', '.help', '.history', '.load', '.methods', '.python', '.save', '.trace']);
    expect(lines.find((l) => l.startsWith('.save'))).toContain('Save the last call as NAME');
    // the call after .exit never ran
    expect(lines[lines.length - 1]).toBe('5');
  });


  it('binds _ as Python does, skips comments, and .clear forgets the variables', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const input = [
      '# a comment line is no statement',
      'add(2, 3)  # and a comment after one',
      '',
      "values('none')", // None leaves _ alone
      '_',
      'x = add(40, 2)', // an assignment leaves _ alone
      '_',
      "'text'", // an expression's value becomes _
      '_',
      '.clear',
      'x',
      '.clear',
    ].join('\n');
    const r = await piped(input);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '5',
      'None',
      '5',
      '5',
      "'text'",
      "'text'",
      'forgot _, x',
      "E_PARSE: name 'x' is not defined (strings need quotes: 'x') at column 1",
      'no variables to forget',
    ]);
  });

  it('.load runs a file of statements and dot-commands as if typed, echoing each', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const file = join(home, 'calls.txt');
    writeFileSync(file, ['# set up', 'x = add([1],', '  [2])', 'sub(x, 1)', '.history 1', '.load again.txt', 'echo(x)', 'sub('].join('\n'));
    const input = [`.load ${file}`, 'x', '.load', `.load ${join(home, 'missing.txt')}`].join('\n');
    const r = await piped(input);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      'rpcscope> x = add([1],',
      '...   [2])',
      'rpcscope> sub(x, 1)',
      "TypeError: unsupported operand type(s) for -: 'list' and 'int'",
      'rpcscope> .history 1',
      "✗ sub(x, 1)  → TypeError: unsupported operand type(s) for -: 'list' and 'int'",
      'rpcscope> .load again.txt',
      // a loaded file does not load others (a file that loads itself would never end)
      'E_USAGE: .load does not run inside a loaded file (one that loads itself would never end)',
      'rpcscope> echo(x)',
      '[[[1, 2]], {}]',
      `E_PARSE: ${file} ended inside an unfinished statement`,
      // the file's variables stay for the session
      '[1, 2]',
      'E_USAGE: usage: .load FILE',
      `E_USAGE: ${join(home, 'missing.txt')}: no such file`,
    ]);
  });

  it('.history N TEXT shows the last N calls whose call or result holds TEXT', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const r = await piped(['add(2, 3)', 'sub([1], 1)', 'add(1, 1)', '.history typeerror', '.history 1 ADD', '.history 0', '.history nothing here'].join('\n'));
    expect(r.stdout.trimEnd().split('\n').slice(3)).toEqual([
      "✗ sub([1], 1)  → TypeError: unsupported operand type(s) for -: 'list' and 'int'",
      '✓ add(1, 1)  → 2',
      '.history takes a positive count, not "0"',
      'no call or result holds "nothing here"',
    ]);
  });

  it('.history keeps a call typed on several lines indented under its first', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const r = await piped(['add([1],', '[2])', '.history'].join('\n'));
    expect(r.stdout.trimEnd().split('\n')).toEqual(['[1, 2]', '✓ add([1],', '  [2])  → [1, 2]']);
  });

  it('.connect that fails stays on the server it was on, and keeps the failed handshake for .frames', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const other = await startServer('cookbook_pickle.py', ['--authkey-hex', hex('other')]);
    try {
      const input = ['add(2, 3)', '.connect pickle://127.0.0.1:1?authkey=x', 'add(1, 1)', `.connect pickle://127.0.0.1:${other.port}?authkey=${AUTHKEY}`, '.frames 1', 'sub(5, 1)'].join('\n');
      const r = await piped(input);
      const lines = r.stdout.trimEnd().split('\n');
      expect(lines.slice(0, 3)).toEqual(['5', `E_CONNECT: connection refused by 127.0.0.1:1 (still on pickle://127.0.0.1:${pickle.port})`, '2']);
      expect(lines[3]).toMatch(new RegExp(`^E_AUTH: .*\\(still on pickle://127.0.0.1:${pickle.port}\\)$`));
      expect(lines.slice(4, -1).join('\n')).toContain('verdict #FAILURE#');
      expect(lines[lines.length - 1]).toBe('4');
    } finally {
      await other.stop();
    }
  });

  it('.trace prints each frame as it passes, before the result, until .trace off', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const input = ['.trace on', 'add(2, 3)', '.trace', 'add(1, 1)', '.trace sometimes'].join('\n');
    const r = await piped(input);
    const out = r.stdout.trimEnd();
    const [traced, after] = out.split('\nnot tracing\n');
    expect(traced.split('\n')[0]).toBe('tracing: each frame prints as it passes (.trace off to stop)');
    // the first call connects: the authkey handshake both ways (six frames), the call and its reply, then the value
    const heads = traced.split('\n').filter((l) => /^(→ sent|← received) /.test(l));
    expect(heads.length).toBe(8);
    expect(traced).toContain('handshake: verdict #WELCOME#');
    expect(traced.indexOf("('add', (2, 3), {})")).toBeLessThan(traced.lastIndexOf('\n5'));
    expect(traced.endsWith('\n5')).toBe(true);
    expect(after.split('\n')).toEqual(['2', '.trace takes on or off, not "sometimes"']);
  });

  it('.frames times each frame from the first shown: a reply 200 ms after its request says so', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const r = await piped(['slow(0.2)', '.frames 2'].join('\n'));
    const heads = r.stdout.split('\n').filter((l) => /^(→ sent|← received) /.test(l));
    expect(heads).toHaveLength(2);
    expect(heads[0]).toMatch(/^→ sent {2}\+0\.0 ms {2}\d+ bytes$/);
    const ms = Number(/\+([\d.]+) ms/.exec(heads[1])?.[1]);
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(10_000);
  });

  it('.editor runs several statements at once, printing each value', async () => {
    home = mkdtempSync(join(tmpdir(), 'rpcscope-repl-'));
    const repl = start(pickleUrl);
    await repl.expect(PROMPT);
    await repl.send('.editor\r');
    await repl.expect('editor mode');
    for (const line of ['a = add(1, 2)', 'add(a,', ' 10)', 'sub(a, 1)']) await repl.send(`${line}\r`);
    await repl.send('\x04');
    const out = await repl.expect(new RegExp(`\\n${PROMPT}$`));
    expect(out.split(/\r?\n/).slice(-3, -1)).toEqual(['13', '2']);
    expect(await repl.run('a')).toBe('3');
    await repl.close();
  });
});

async function waitFor(check: () => boolean | undefined): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('condition not reached');
}
