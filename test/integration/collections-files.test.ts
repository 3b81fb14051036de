// Collection files: bad files are refused with a message naming the problem and left byte for byte
// as they were; saving is atomic (a crash before the rename leaves the old file).
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RpcError } from '../../src/common/errors';
import { serializeCollection, type Collection } from '../../src/common/collection';
import { addCallToFile, loadCollection, saveCollection } from '../../src/services/collections';
import { buildCli, runCli } from '../helpers/cli';

const good: Collection = {
  version: 1,
  connections: [{ name: 'kv', url: 'xmlrpc://127.0.0.1:1/RPC2' }],
  calls: [{ name: 'add', connection: 'kv', call: 'add(2, 3)', expect: { equals: '5' } }],
};

function fileWith(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'rpcscope-files-')), 'c.json');
  writeFileSync(file, text);
  return file;
}

const BAD_FILES: [string, string, string][] = [
  ['corrupt JSON', '{\n  "version": 1,\n  "connections": [\n    {"name": "kv",, "url": "x"}\n  ]\n}\n', 'c.json:4:19: not valid JSON'],
  ['truncated JSON', '{\n  "version": 1,\n  "calls": [', 'c.json:3:13: not valid JSON'],
  [
    'a schema violation',
    JSON.stringify({ ...good, calls: [{ connection: 'kv', call: 'add(1, 2)', expect: { equals: 5 } }] }, null, 2),
    'is not a valid collection: calls[0].expect',
  ],
  ['an unknown connection', JSON.stringify({ ...good, calls: [{ connection: 'nope', call: 'f()' }] }), 'calls[0].connection: no connection named "nope"'],
  [
    'a clear authkey',
    JSON.stringify({ ...good, connections: [{ name: 'kv', url: 'pickle://h:1', authkey: 'peekaboo' }] }),
    'connections[0].authkey: authkey must be a reference like "${env:AUTHKEY}"',
  ],
  ['a newer version', JSON.stringify({ version: 2, connections: [], calls: [], future: true }), 'collection version 2 is newer than this rpcscope supports (1)'],
];

describe('collection files', () => {
  beforeAll(() => buildCli());

  for (const [what, text, message] of BAD_FILES) {
    it(`rpcscope run refuses ${what} with exit 2 and leaves the file untouched`, async () => {
      const file = fileWith(text);
      const before = readFileSync(file);
      const r = await runCli(['run', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe('');
      expect(readFileSync(file).equals(before)).toBe(true);
      // adding a call to it (the REPL's .save) is refused too, and the file stays as it was
      expect(() => addCallToFile(file, { name: 'x', connection: 'kv', call: 'f()' }, { name: 'kv', url: 'xmlrpc://127.0.0.1:1/RPC2' })).toThrow(RpcError);
      expect(readFileSync(file).equals(before)).toBe(true);
    });
  }

  it('a missing file is a usage error naming it', async () => {
    const r = await runCli(['run', '/nonexistent/c.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/c.json: no such collection file');
  });

  it('saves atomically: a crash before the rename leaves the old file and no temp file', () => {
    const file = fileWith(serializeCollection(good));
    const before = readFileSync(file);
    const changed = { ...good, calls: [...good.calls, { connection: 'kv', call: 'sub(3, 1)' }] };
    expect(() =>
      saveCollection(file, changed, {
        beforeRename: (tmp) => {
          // the new content is complete in the temp file at this point
          expect(readFileSync(tmp, 'utf8')).toBe(serializeCollection(changed));
          throw new Error('simulated crash');
        },
      }),
    ).toThrow('simulated crash');
    expect(readFileSync(file).equals(before)).toBe(true);
    const dir = join(file, '..');
    expect(readdirSync(dir)).toEqual(['c.json']);
    saveCollection(file, changed);
    expect(loadCollection(file).calls).toHaveLength(2);
    expect(readdirSync(dir)).toEqual(['c.json']);
  });

  it('saving twice gives the same bytes, and a save refuses a clear authkey without touching the file', () => {
    const file = fileWith(serializeCollection(good));
    saveCollection(file, loadCollection(file));
    const once = readFileSync(file, 'utf8');
    saveCollection(file, loadCollection(file));
    expect(readFileSync(file, 'utf8')).toBe(once);
    const leaky = { ...good, connections: [{ name: 'kv', url: 'pickle://127.0.0.1:1?authkey=peekaboo' }] };
    expect(() => saveCollection(file, leaky)).toThrow(/authkey in clear/);
    expect(readFileSync(file, 'utf8')).toBe(once);
    expect(existsSync(file)).toBe(true);
  });
});
