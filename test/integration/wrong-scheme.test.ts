// A URL whose scheme does not match the server: the error names what the server looks like, from
// the first bytes it sent, so the user knows which scheme to use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/clients/registry';
import { RpcError } from '../../src/common/errors';
import { parseCall } from '../../src/common/parse';
import { runCli } from '../helpers/cli';
import { startServer, type RunningServer } from '../helpers/python';

const ADD = parseCall('add(2, 3)');
let cookbook: RunningServer;
let jsonLines: RunningServer;
let http: RunningServer;

beforeAll(async () => {
  cookbook = await startServer('cookbook_pickle.py', ['--authkey-hex', Buffer.from('peekaboo').toString('hex')]);
  jsonLines = await startServer('jsonrpc_server.py', ['tcp']);
  // answers whatever it is sent with an HTTP response
  http = await startServer('raw_peer.py', ['badxml']);
});

afterAll(async () => {
  await cookbook?.stop();
  await jsonLines?.stop();
  await http?.stop();
});

async function failure(url: string): Promise<RpcError> {
  const client = createClient(url, { timeoutMs: 3000 });
  try {
    await client.call(ADD);
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  } finally {
    await client.close();
  }
  throw new Error(`${url}: the call worked`);
}

describe('wrong scheme for the server', () => {
  it('xmlrpc:// and jsonrpc:// at a Cookbook server name its authkey challenge', async () => {
    for (const scheme of ['xmlrpc', 'jsonrpc']) {
      const e = await failure(`${scheme}://127.0.0.1:${cookbook.port}/`);
      expect(e.code).toBe('E_PROTOCOL');
      expect(e.message).toMatch(/did not answer with HTTP .*the server looks like a multiprocessing\.connection server asking for an authkey \(pickle:\/\/ or mpjson:\/\//);
    }
  });

  it('rpyc:// at a Cookbook server names its authkey challenge', async () => {
    const e = await failure(`rpyc://127.0.0.1:${cookbook.port}`);
    expect(e.message).toMatch(/^rpyc frame header: .*the server looks like a multiprocessing\.connection server/);
  });

  it('xmlrpc:// at a newline-delimited JSON server says it sends JSON', async () => {
    const e = await failure(`xmlrpc://127.0.0.1:${jsonLines.port}/`);
    expect(e.message).toMatch(/the server looks like a server that sends JSON \(tcpjson:\/\/ or jsonrpc\+tcp:\/\/\)/);
  });

  it('pickle://, mpjson:// and rpyc:// at an HTTP server say it is one', async () => {
    for (const scheme of ['pickle', 'mpjson', 'rpyc']) {
      const e = await failure(`${scheme}://127.0.0.1:${http.port}`);
      expect(e.message).toMatch(/the server looks like an HTTP server \(xmlrpc:\/\/ or jsonrpc:\/\/\): check the URL's scheme$/);
    }
  });

  it('the right scheme still works, and the CLI prints the hint', async () => {
    const ok = createClient(`pickle://127.0.0.1:${cookbook.port}?authkey=peekaboo`, { timeoutMs: 3000 });
    expect(await ok.call(ADD)).toEqual({ t: 'int', v: 5n });
    await ok.close();
    const r = await runCli(['call', `xmlrpc://127.0.0.1:${cookbook.port}/`, 'add(2, 3)']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("check the URL's scheme");
  });
});
