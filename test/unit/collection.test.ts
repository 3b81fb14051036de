import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  connectionEntry,
  evaluate,
  parseCollection,
  serializeCollection,
  substitute,
  valuesEqual,
  variablesFor,
  verdictNote,
  type Collection,
} from '../../src/common/collection';
import { collectionJsonSchemaText } from '../../src/common/collection-json-schema';
import { RemoteError, RpcError } from '../../src/common/errors';
import { parseLiteral } from '../../src/common/parse';
import { int, str } from '../../src/common/value';

const sample = (): Collection => ({
  version: 1,
  variables: { port: '17000', host: '127.0.0.1' },
  environments: { ci: { port: '18000' } },
  connections: [{ name: 'kv', url: 'pickle://${var:host}:${var:port}', authkey: '${env:KV_AUTHKEY}', options: { timeout: 5 } }],
  calls: [
    { name: 'add', connection: 'kv', call: 'add(2, 3)', expect: { equals: '5' } },
    { connection: 'kv', call: "get('nope')", expect: { raises: 'KeyError' } },
  ],
});

function errorOf(f: () => unknown): RpcError {
  try {
    f();
  } catch (e) {
    if (e instanceof RpcError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('collection format', () => {
  it('serializes with a stable key order, 2-space indent and a final newline', () => {
    const c = sample();
    const text = serializeCollection(c);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "connections": [\n');
    // keys in canonical order whatever order the object had
    const shuffled = JSON.parse(JSON.stringify({ calls: c.calls, connections: c.connections, environments: c.environments, variables: c.variables, version: 1 }));
    expect(serializeCollection(shuffled)).toBe(text);
    expect(Object.keys(JSON.parse(text))).toEqual(['version', 'variables', 'environments', 'connections', 'calls']);
    expect(Object.keys(JSON.parse(text).variables)).toEqual(['host', 'port']);
    expect(serializeCollection(parseCollection(JSON.parse(text)))).toBe(text);
  });

  it('refuses a clear authkey, in the authkey field or in the URL', () => {
    const a = sample();
    a.connections[0].authkey = 'peekaboo';
    expect(errorOf(() => serializeCollection(a)).message).toMatch(/connections\[0\]\.authkey: authkey must be a reference/);
    const b = sample();
    b.connections[0].url = 'pickle://127.0.0.1:17000?authkey=peekaboo';
    expect(errorOf(() => serializeCollection(b)).message).toMatch(/connections\[0\]\.url: the URL carries an authkey in clear/);
    const ok = sample();
    ok.connections[0].url = 'pickle://127.0.0.1:17000?authkey=${env:K}';
    expect(() => serializeCollection(ok)).not.toThrow();
  });

  it('connectionEntry moves a clear ?authkey= out of the URL into a reference', () => {
    expect(connectionEntry('kv', 'pickle://127.0.0.1:17000?authkey=peekaboo')).toEqual({
      name: 'kv',
      url: 'pickle://127.0.0.1:17000',
      authkey: '${env:RPCSCOPE_AUTHKEY}',
    });
    expect(connectionEntry('x', 'xmlrpc://h:1/RPC2?a=1&authkey=s&b=2').url).toBe('xmlrpc://h:1/RPC2?a=1&b=2');
    expect(connectionEntry('x', 'xmlrpc://h:1/RPC2')).toEqual({ name: 'x', url: 'xmlrpc://h:1/RPC2' });
    expect(connectionEntry('x', 'pickle://h:1', { hasAuthkey: true, authkeyEnv: 'K' }).authkey).toBe('${env:K}');
  });

  it('names the path of schema violations and reports newer versions as such', () => {
    const bad = JSON.parse(serializeCollection(sample()));
    bad.calls[1].connection = 'elsewhere';
    expect(errorOf(() => parseCollection(bad, 'f.json')).message).toBe('f.json is not a valid collection: calls[1].connection: no connection named "elsewhere"');
    const wrongType = { ...bad, calls: [{ connection: 'kv', call: 42 }] };
    expect(errorOf(() => parseCollection(wrongType, 'f.json')).message).toMatch(/calls\[0\]\.call: /);
    const newer = errorOf(() => parseCollection({ version: 2, anything: true }, 'f.json'));
    expect(newer.code).toBe('E_COLLECTION');
    expect(newer.message).toBe('f.json: collection version 2 is newer than this rpcscope supports (1)');
    expect(errorOf(() => parseCollection({ ...bad, extra: 1 })).message).toMatch(/Unrecognized key/);
  });

  it('substitutes variables, environment overrides and env references', () => {
    const c = sample();
    expect(variablesFor(c)).toEqual({ port: '17000', host: '127.0.0.1' });
    expect(variablesFor(c, 'ci').port).toBe('18000');
    expect(errorOf(() => variablesFor(c, 'prod')).message).toBe('no environment "prod" in the collection (known: ci)');
    expect(substitute('pickle://${var:host}:${var:port}?authkey=${env:K}', variablesFor(c, 'ci'), { K: 's' }, 'x')).toBe('pickle://127.0.0.1:18000?authkey=s');
    expect(errorOf(() => substitute('f(${var:nope})', {}, {}, 'call 3')).message).toBe('call 3: unknown variable ${var:nope}');
    expect(errorOf(() => substitute('${env:NOPE}', {}, {}, 'call 3')).message).toBe('call 3: environment variable NOPE is not set');
  });

  it('evaluates expectations', () => {
    expect(evaluate({ equals: '5' }, { ok: true, value: int(5) }).status).toBe('pass');
    expect(evaluate({ equals: '5.0' }, { ok: true, value: int(5) }).status).toBe('pass');
    expect(evaluate({ equals: '6' }, { ok: true, value: int(5) })).toEqual({ status: 'fail', message: 'expected 6, got 5' });
    expect(evaluate({ equals: "{'b': [1, 2], 'a': (3,)}" }, { ok: true, value: parseLiteral("{'a': (3,), 'b': [1, 2]}") }).status).toBe('pass');
    expect(evaluate({ equals: "{'a': [1, 2]}" }, { ok: true, value: parseLiteral("{'a': [2, 1]}") }).status).toBe('fail');
    expect(evaluate({ matches: '^sp.m$' }, { ok: true, value: str('spam') }).status).toBe('fail');
    expect(evaluate({ matches: "^'sp.m'$" }, { ok: true, value: str('spam') }).status).toBe('pass');
    const keyError = new RemoteError('KeyError', [str('nope')], "'nope'");
    expect(evaluate({ raises: 'KeyError' }, { ok: false, error: keyError }).status).toBe('pass');
    expect(evaluate({ raises: 'TypeError' }, { ok: false, error: keyError })).toEqual({ status: 'fail', message: "expected TypeError, raised KeyError: 'nope'" });
    expect(evaluate(undefined, { ok: false, error: keyError }).status).toBe('fail');
    expect(evaluate({ raises: 'KeyError' }, { ok: true, value: int(1) }).status).toBe('fail');
    expect(evaluate({ equals: '1' }, { ok: false, error: new RpcError('E_CONNECT', 'refused') })).toEqual({ status: 'error', message: 'E_CONNECT: refused' });
    expect(evaluate(undefined, { ok: true, value: int(1) }).status).toBe('pass');
  });

  it('compares like Python ==', () => {
    expect(valuesEqual(parseLiteral('{1, 2}'), parseLiteral('{2, 1}'))).toBe(true);
    expect(valuesEqual(parseLiteral('[1, 2]'), parseLiteral('(1, 2)'))).toBe(false);
    expect(valuesEqual(parseLiteral('True'), parseLiteral('1'))).toBe(true);
    expect(valuesEqual(parseLiteral("'1'"), parseLiteral('1'))).toBe(false);
  });

  it('schema/collection.schema.json is generated from the zod schema and up to date', () => {
    const file = readFileSync(join(__dirname, '..', '..', 'schema', 'collection.schema.json'), 'utf8');
    expect(file, 'regenerate with: npx tsx scripts/gen-collection-schema.ts').toBe(collectionJsonSchemaText());
    const doc = JSON.parse(file);
    expect(doc.properties.version.const).toBe(1);
    expect(doc.required).toEqual(expect.arrayContaining(['version', 'connections', 'calls']));
  });
});

describe('verdictNote', () => {
  it('says why a call failed where that is more than the line shown beside it', () => {
    const error = { lastLine: "KeyError: 'x'" };
    expect(verdictNote({ status: 'pass' })).toBeUndefined();
    expect(verdictNote({ status: 'fail', message: "expected 5, got 4" })).toBe('expected 5, got 4');
    expect(verdictNote({ status: 'fail', message: "raised KeyError: 'x'", error })).toBeUndefined();
    expect(verdictNote({ status: 'fail', message: "expected ValueError, raised KeyError: 'x'", error })).toBe("expected ValueError, raised KeyError: 'x'");
    expect(verdictNote({ status: 'error', message: 'E_CANCELLED: the call was cancelled', error: { lastLine: 'E_CANCELLED: the call was cancelled' } })).toBeUndefined();
  });
});
