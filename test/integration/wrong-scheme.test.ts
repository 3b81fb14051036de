// A URL whose scheme does not match the server: the error names what the server looks like, from
// the first bytes it sent, so the user knows which scheme to use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/clients/registry';
import { suggestedSchemes } from '../../src/codecs/peer-sniff';
import { RpcError } from '../../src/common/errors';
import { parseCall } from '../../src/common/parse';
import { runCli } from '../helpers/cli';
import { startServer, type RunningServer } from '../helpers/python';

const ADD = parseCall('add(2, 3)');
const AUTHKEY = ['--authkey-hex', Buffer.from('peekaboo').toString('hex')];
let cookbook: RunningServer;
let cookbookJson: RunningServer;
let jsonLines: RunningServer;
let jsonHttp: RunningServer;
let xmlrpc: RunningServer;
let http: RunningServer;

beforeAll(async () => {
  [cookbook, cookbookJson, jsonLines, jsonHttp, xmlrpc, http] = await Promise.all([
    startServer('cookbook_pickle.py', AUTHKEY),
    startServer('cookbook_json.py', AUTHKEY),
    startServer('jsonrpc_server.py', ['tcp']),
    startServer('jsonrpc_server.py', ['http']),
    // SimpleXMLRPCServer: Python's http.server underneath
    startServer('xmlrpc_kv.py'),
    // answers whatever it is sent with an HTTP response
    startServer('raw_peer.py', ['badxml']),
  ]);
});

afterAll(async () => {
  await Promise.all([cookbook, cookbookJson, jsonLines, jsonHttp, xmlrpc, http].map((s) => s?.stop()));
});

async function failure(url: string, timeoutMs = 3000): Promise<RpcError> {
  const client = createClient(url, { timeoutMs });
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

  it('tcpjson://, jsonrpc+tcp:// and jsonrpc+ws:// at a Cookbook server name its authkey challenge', async () => {
    for (const scheme of ['tcpjson', 'jsonrpc+tcp', 'jsonrpc+ws']) {
      const e = await failure(`${scheme}://127.0.0.1:${cookbook.port}`);
      expect(e.message).toMatch(/the server looks like a multiprocessing\.connection server asking for an authkey \(pickle:\/\/ or mpjson:\/\/, with \?authkey=\): check the URL's scheme$/);
      // what the window offers to try
      expect(suggestedSchemes(e)).toEqual(['pickle', 'mpjson']);
    }
  });

  it("jsonrpc+tcp:// and rpyc:// at Python's HTTP servers recognize the error page they answer with", async () => {
    for (const server of [xmlrpc, jsonHttp]) {
      for (const scheme of ['jsonrpc+tcp', 'rpyc']) {
        const e = await failure(`${scheme}://127.0.0.1:${server.port}`);
        expect(e.message).toMatch(/the server looks like an HTTP server \(xmlrpc:\/\/ or jsonrpc:\/\/\): check the URL's scheme$/);
      }
    }
  });

  it('jsonrpc+ws:// at an HTTP server that does not upgrade says so', async () => {
    const e = await failure(`jsonrpc+ws://127.0.0.1:${xmlrpc.port}/`);
    expect(e.code).toBe('E_CONNECT');
    expect(e.message).toMatch(/answered the WebSocket handshake with HTTP 501, not an upgrade: a wrong path, or an HTTP server without WebSocket \(jsonrpc:\/\/ or xmlrpc:\/\/\)$/);
  });

  it('xmlrpc:// at a JSON-RPC server and jsonrpc:// at an XML-RPC server name the protocol the reply is in', async () => {
    const toJson = await failure(`xmlrpc://127.0.0.1:${jsonHttp.port}/`);
    expect(toJson.message).toMatch(/the reply is JSON: the server looks like a JSON-RPC server \(jsonrpc:\/\/\): check the URL's scheme$/);
    expect(suggestedSchemes(toJson)).toEqual(['jsonrpc']);
    const toXml = await failure(`jsonrpc://127.0.0.1:${xmlrpc.port}/RPC2`);
    expect(toXml.message).toMatch(/^HTTP 200 OK \(text\/xml, not JSON\).*the reply is XML-RPC: the server looks like an XML-RPC server \(xmlrpc:\/\/\): check the URL's scheme$/);
    expect(suggestedSchemes(toXml)).toEqual(['xmlrpc']);
    expect(toXml.detail).toMatchObject({ status: 200 });
  });

  it('pickle:// at the JSON Cookbook server and mpjson:// at the pickle one name the other encoding when no reply comes', async () => {
    const pickled = await failure(`pickle://127.0.0.1:${cookbookJson.port}?authkey=peekaboo`, 1000);
    expect(pickled.code).toBe('E_TIMEOUT');
    expect(pickled.message).toContain('a server that reads JSON (mpjson://) does not answer a pickled call either');
    const json = await failure(`mpjson://127.0.0.1:${cookbook.port}?authkey=peekaboo`, 1000);
    expect(json.code).toBe('E_TIMEOUT');
    expect(json.message).toContain('a server that reads pickles (pickle://) does not answer a JSON call either');
  });

  it('a server of the scheme it is given still answers, without a hint', async () => {
    const right: [string, RunningServer][] = [
      ['mpjson://127.0.0.1:%d?authkey=peekaboo', cookbookJson],
      ['jsonrpc+tcp://127.0.0.1:%d', jsonLines],
      ['jsonrpc://127.0.0.1:%d/', jsonHttp],
      ['xmlrpc://127.0.0.1:%d/RPC2', xmlrpc],
    ];
    for (const [url, server] of right) {
      const client = createClient(url.replace('%d', String(server.port)), { timeoutMs: 3000 });
      try {
        expect(await client.call(ADD)).toEqual({ t: 'int', v: 5n });
      } finally {
        await client.close();
      }
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
