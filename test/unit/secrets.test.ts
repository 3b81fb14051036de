// Authkeys stay out of plain files: the key-file store encrypts them, keeps both files 0600, and a
// tampered or foreign entry reads as absent rather than as garbage.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitAuthkey } from '../../src/services/connections';
import { KeyFileSecretStore } from '../../src/services/secrets';

describe('KeyFileSecretStore', () => {
  it('encrypts, persists with 0600 permissions, and survives a reopen', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpcscope-secrets-'));
    const file = join(dir, 'secrets.json');
    const key = join(dir, 'secret.key');
    const a = new KeyFileSecretStore(file, key);
    a.set('c1', 'peekaboo');
    a.set('c2', 'ключ');
    expect(readFileSync(file, 'utf8')).not.toContain('peekaboo');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    const b = new KeyFileSecretStore(file, key);
    expect(b.get('c1')).toBe('peekaboo');
    expect(b.get('c2')).toBe('ключ');
    b.delete('c1');
    expect(new KeyFileSecretStore(file, key).get('c1')).toBeUndefined();

    // tampering is detected (GCM), a different key cannot read the entries
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    const raw = Buffer.from(stored.c2, 'base64');
    raw[raw.length - 1] ^= 1;
    writeFileSync(file, JSON.stringify({ c2: raw.toString('base64') }));
    expect(new KeyFileSecretStore(file, key).get('c2')).toBeUndefined();
    const other = new KeyFileSecretStore(join(dir, 'o.json'), join(dir, 'o.key'));
    other.set('x', 's');
    writeFileSync(file, readFileSync(join(dir, 'o.json')));
    expect(new KeyFileSecretStore(file, key).get('x')).toBeUndefined();
  });

  it('refuses a corrupt key file by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rpcscope-secrets-'));
    writeFileSync(join(dir, 'k'), 'short');
    expect(() => new KeyFileSecretStore(join(dir, 's.json'), join(dir, 'k'))).toThrow(/secret key file .*k is corrupt/);
  });
});

describe('splitAuthkey', () => {
  it('takes the authkey out of the URL, keeping other parameters', () => {
    expect(splitAuthkey('pickle://h:1?authkey=peekaboo')).toEqual({ url: 'pickle://h:1', authkey: 'peekaboo' });
    expect(splitAuthkey('pickle://h:1?protocol=2&authkey=a%20b')).toEqual({ url: 'pickle://h:1?protocol=2', authkey: 'a b' });
    expect(splitAuthkey('pickle://h:1?authkey=x&protocol=2')).toEqual({ url: 'pickle://h:1?protocol=2', authkey: 'x' });
    expect(splitAuthkey('xmlrpc://h:1/RPC2')).toEqual({ url: 'xmlrpc://h:1/RPC2' });
    expect(() => splitAuthkey('nope')).toThrow(/not an endpoint URL/);
  });
});
