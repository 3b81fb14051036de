// The rpcscope binary against a real Cookbook server: the acceptance check and the exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli as rpcscope } from '../helpers/cli';
import type { RunningServer } from '../helpers/python';
import { PYTHONS, startCookbook } from './mp-shared';

const py = PYTHONS.find((p) => p.mm[0] === 3 && p.mm[1] === 11) ?? PYTHONS[PYTHONS.length - 1];

describe('rpcscope call / methods on pickle:// and mpjson://', () => {
  let server: RunningServer;
  let jsonServer: RunningServer;
  let base: string;
  beforeAll(async () => {
    buildCli();
    [server, jsonServer] = await Promise.all([startCookbook('cookbook_pickle.py', py, 'peekaboo'), startCookbook('cookbook_json_str.py', py, 'peekaboo')]);
    base = `pickle://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.stop();
    await jsonServer?.stop();
  });

  it("prints Python's last traceback line for sub([1, 2], 4) and exits 1", async () => {
    const r = await rpcscope(['call', `${base}?authkey=peekaboo`, 'sub([1, 2], 4)']);
    expect(r).toMatchObject({ code: 1, stdout: "TypeError: unsupported operand type(s) for -: 'list' and 'int'\n" });
  });

  it('prints 5 for add(2, 3) and exits 0', async () => {
    expect(await rpcscope(['call', `${base}?authkey=peekaboo`, 'add(2, 3)'])).toMatchObject({ code: 0, stdout: '5\n' });
  });

  it('exits 2 with a message on a bad URL, a bad expression, a wrong authkey, or nothing listening', async () => {
    const badUrl = await rpcscope(['call', 'pickle:/nowhere', 'add(2, 3)']);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/^rpcscope: not an endpoint URL/);
    const badExpr = await rpcscope(['call', `${base}?authkey=peekaboo`, 'add(2,']);
    expect(badExpr.code).toBe(2);
    expect(badExpr.stderr).toMatch(/^rpcscope: /);
    const wrong = await rpcscope(['call', `${base}?authkey=nope`, 'add(2, 3)']);
    expect(wrong).toMatchObject({ code: 2, stdout: '', stderr: 'rpcscope: authentication failed: the server rejected the authkey (wrong authkey?); a server written as the Cookbook recipe stops accepting connections after a failed handshake\n' });
    const refused = await rpcscope(['call', 'pickle://127.0.0.1:1', 'add(2, 3)']);
    expect(refused).toMatchObject({ code: 2, stderr: 'rpcscope: connection refused by 127.0.0.1:1\n' });
  });

  it('takes the authkey from --authkey or RPCSCOPE_AUTHKEY', async () => {
    expect(await rpcscope(['call', base, 'add(2, 3)', '--authkey', 'peekaboo'])).toMatchObject({ code: 0, stdout: '5\n' });
    expect(await rpcscope(['call', base, 'add(2, 3)'], { RPCSCOPE_AUTHKEY: 'peekaboo' })).toMatchObject({ code: 0, stdout: '5\n' });
  });

  it('exits 2 with E_TIMEOUT on a slow call with --timeout', async () => {
    const r = await rpcscope(['call', base, 'slow(5)', '--timeout', '0.5', '--authkey', 'peekaboo']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no reply to slow()');
  });

  it('prints JSON with --json', async () => {
    const ok = await rpcscope(['call', `${base}?authkey=peekaboo`, "values('nested')", '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({
      ok: true,
      result: { a: [1, [2, 3], [4]], b: { c: null, d: true }, e: [] },
      repr: "{'a': [1, (2, 3), (4,)], 'b': {'c': None, 'd': True}, 'e': ()}",
    });
    const bad = await rpcscope(['call', `${base}?authkey=peekaboo`, 'sub([1, 2], 4)', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, error: { kind: 'remote', type: 'TypeError', lastLine: "TypeError: unsupported operand type(s) for -: 'list' and 'int'" } });
  });

  it("prints a remote exception's notes (add_note) under its line, as Python does, and in --json", async () => {
    const noted = "fail('value', 'while reading rows.csv', 'line 3:\\n  spam')";
    const r = await rpcscope(['call', `${base}?authkey=peekaboo`, noted]);
    expect(r).toMatchObject({ code: 1, stdout: 'ValueError: bad value\nwhile reading rows.csv\nline 3:\n  spam\n' });
    const json = await rpcscope(['call', `${base}?authkey=peekaboo`, noted, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { lastLine: 'ValueError: bad value', notes: ['while reading rows.csv', 'line 3:', '  spam'] } });
  });

  it('prints frames to stderr with --frames, keeping stdout for the result', async () => {
    const r = await rpcscope(['call', `${base}?authkey=peekaboo`, 'add(2, 3)', '--frames']);
    expect(r.stdout).toBe('5\n');
    expect(r.stderr).toContain('#CHALLENGE#');
    expect(r.stderr).toContain('handshake: verdict #WELCOME#');
    expect(r.stderr).toContain("value: value");
    expect(r.stderr).toContain("('add', (2, 3), {})");
  });

  it('lists methods with the note on stderr', async () => {
    const r = await rpcscope(['methods', `${base}?authkey=peekaboo`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('pickle servers have no introspection');
  });

  it('calls mpjson:// the same way', async () => {
    const url = `mpjson://127.0.0.1:${jsonServer.port}?authkey=peekaboo`;
    expect(await rpcscope(['call', url, "echo(1, 'a', k=[1.5])"])).toMatchObject({ code: 0, stdout: "[[1, 'a'], {'k': [1.5]}]\n" });
  });
});
