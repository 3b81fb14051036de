import { describe, expect, it } from 'vitest';
import { RpcError } from '../../src/common/errors';
import { SCHEMES, param, parseEndpoint, withScheme } from '../../src/common/url';

describe('parseEndpoint', () => {
  it('reads every scheme of the contract', () => {
    expect(parseEndpoint('pickle://127.0.0.1:17000?authkey=peekaboo')).toMatchObject({
      scheme: 'pickle',
      host: '127.0.0.1',
      port: 17000,
      path: '',
      authkey: 'peekaboo',
      params: [],
    });
    expect(parseEndpoint('xmlrpc://localhost:8000/RPC2')).toMatchObject({ scheme: 'xmlrpc', port: 8000, path: '/RPC2' });
    expect(parseEndpoint('jsonrpc+tcp://h:1')).toMatchObject({ scheme: 'jsonrpc+tcp', host: 'h', port: 1 });
    expect(parseEndpoint('JSONRPC+WS://[::1]:9000/ws')).toMatchObject({ scheme: 'jsonrpc+ws', host: '::1', port: 9000, path: '/ws' });
    expect(parseEndpoint('rpyc://example')).toMatchObject({ port: 18812 });
    expect(parseEndpoint('xmlrpcs://example/')).toMatchObject({ port: 443, path: '/' });
  });

  it('decodes query parameters and keeps the others in order', () => {
    const ep = parseEndpoint('pickle://h:1?wrap=0&authkey=p%C3%A9k+a&protocol=2');
    expect(ep.authkey).toBe('pék a');
    expect(ep.params).toEqual([
      ['wrap', '0'],
      ['protocol', '2'],
    ]);
    expect(param(ep, 'protocol')).toBe('2');
    expect(param(ep, 'missing')).toBeUndefined();
  });

  it('displays one canonical URL without the authkey, whatever the order it was given in', () => {
    const a = parseEndpoint('pickle://127.0.0.1:17000?authkey=secret&wrap=0');
    const b = parseEndpoint('pickle://127.0.0.1:17000?wrap=0&authkey=other');
    expect(a.display).toBe('pickle://127.0.0.1:17000?wrap=0');
    expect(b.display).toBe(a.display);
    expect(a.display).not.toContain('secret');
    expect(parseEndpoint('rpyc://[::1]').display).toBe('rpyc://[::1]:18812');
  });

  it.each([
    ['not a url', /not an endpoint URL/],
    ['http://h:1', /unsupported scheme "http"/],
    ['pickle://h', /needs a port/],
    ['pickle://h:70000', /port out of range/],
    ['pickle://h:1?authkey=%ZZ', /bad percent-encoding/],
  ])('rejects %s with E_URL', (url, message) => {
    let err: unknown;
    try {
      parseEndpoint(url);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe('E_URL');
    expect((err as RpcError).message).toMatch(message);
  });
});

describe('withScheme', () => {
  it('keeps the host and port, the path only between schemes that have one, and no query', () => {
    expect(withScheme('xmlrpc://127.0.0.1:8000/RPC2', 'pickle')).toBe('pickle://127.0.0.1:8000');
    expect(withScheme('pickle://127.0.0.1:17000?protocol=2', 'xmlrpc')).toBe('xmlrpc://127.0.0.1:17000');
    expect(withScheme('xmlrpc://example.org:8080/api?insecure=1', 'jsonrpc')).toBe('jsonrpc://example.org:8080/api');
    expect(withScheme('jsonrpc+ws://[::1]:9000/ws', 'jsonrpc+tcp')).toBe('jsonrpc+tcp://[::1]:9000');
    // a default port becomes explicit, so the new scheme's own default does not replace it
    expect(withScheme('xmlrpc://example.org/RPC2', 'rpyc')).toBe('rpyc://example.org:80');
    for (const scheme of SCHEMES) expect(parseEndpoint(withScheme('tcpjson://h:1', scheme)).port).toBe(1);
  });
});

describe('a URL without its scheme', () => {
  it('is refused with the schemes to put before it', () => {
    for (const url of ['127.0.0.1:17000', 'localhost:8000/RPC2', '[::1]:9000']) {
      expect(() => parseEndpoint(url)).toThrow(/put the server's protocol before it: pickle:\/\/, mpjson:\/\/, tcpjson:\/\/, xmlrpc:\/\/, jsonrpc:\/\/, jsonrpc\+tcp:\/\/, jsonrpc\+ws:\/\/, rpyc:\/\/$/);
    }
    // anything else gets the usual shape only
    expect(() => parseEndpoint('not a url')).toThrow(/\(expected SCHEME:\/\/HOST:PORT\[\/PATH\]\)$/);
  });
});
