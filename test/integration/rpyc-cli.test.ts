// The rpcscope binary against seed 004's RPyC server: the acceptance checks and the exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, runCli as rpcscope } from '../helpers/cli';
import { SYSTEM_PYTHON, startServer, type RunningServer } from '../helpers/python';

describe('rpcscope call / methods on rpyc://', () => {
  let plain: RunningServer;
  let extended: RunningServer;
  beforeAll(async () => {
    buildCli();
    [plain, extended] = await Promise.all([
      startServer('rpyc_seed004.py', ['--plain'], { python: SYSTEM_PYTHON }),
      startServer('rpyc_seed004.py', [], { python: SYSTEM_PYTHON }),
    ]);
  });
  afterAll(async () => {
    await plain?.stop();
    await extended?.stop();
  });

  it("prints 'foo' for foo() on seed 004's TestService", async () => {
    expect(await rpcscope(['call', `rpyc://127.0.0.1:${plain.port}`, 'foo()'])).toMatchObject({ code: 0, stdout: "'foo'\n" });
  });

  it('lists foo and bar', async () => {
    const r = await rpcscope(['methods', `rpyc://127.0.0.1:${plain.port}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('bar\nfoo\n');
  });

  it('prints remote lists and kwargs results like Python', async () => {
    const url = `rpyc://127.0.0.1:${extended.port}`;
    expect(await rpcscope(['call', url, 'get_list()'])).toMatchObject({ code: 0, stdout: '[1, 2, 3]\n' });
    expect(await rpcscope(['call', url, 'add(1, b=2)'])).toMatchObject({ code: 0, stdout: '3\n' });
    expect(await rpcscope(['call', url, 'total([1, 2, 3])'])).toMatchObject({ code: 0, stdout: '6\n' });
  });

  it('ends a remote error with the last traceback line and exits 1', async () => {
    const r = await rpcscope(['call', `rpyc://127.0.0.1:${extended.port}`, 'fail()']);
    expect(r.code).toBe(1);
    expect(`${r.stderr}${r.stdout}`).toMatch(/Traceback \(most recent call last\):[\s\S]*in fail\n[\s\S]*ValueError: boom\n$/);
    const hidden = await rpcscope(['call', `rpyc://127.0.0.1:${extended.port}`, 'hidden()']);
    expect(hidden.code).toBe(1);
    expect(hidden.stdout).toMatch(/AttributeError: cannot access 'hidden'\n$/);
  });

  it('exits 2 naming the peer when nothing listens', async () => {
    const r = await rpcscope(['call', 'rpyc://127.0.0.1:1', 'foo()']);
    expect(r).toMatchObject({ code: 2, stderr: 'rpcscope: connection refused by 127.0.0.1:1\n' });
  });
});
