// Where authkeys live: never in the plain connections file. A SecretStore maps a connection id to
// its secret. Two implementations share the file handling and differ in the cipher:
// - KeyFileSecretStore (web mode, CLI): AES-256-GCM with a random key kept in a 0600 key file next to
//   the 0600 secrets file. This keeps authkeys out of files that get copied, synced or shown
//   (connections.json, collections, logs) and out of reach of other local users; it does NOT protect
//   against someone who can read the user's own files (they can read the key too).
// - SafeStorageSecretStore (src/main): Electron's safeStorage, i.e. the OS keychain / keyring.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RpcError } from '../common/errors';

export interface SecretStore {
  get(id: string): string | undefined;
  set(id: string, secret: string): void;
  delete(id: string): void;
}

/** Turns a secret into a storable string and back. */
export interface SecretCipher {
  encrypt(plain: string): string;
  decrypt(stored: string): string;
}

/** Writes a file readable by its owner only, atomically. */
export function writePrivateFile(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

/** A JSON file of id -> encrypted secret. */
export class CipherFileSecretStore implements SecretStore {
  private entries: Record<string, string> = {};

  constructor(
    private readonly file: string,
    private readonly cipher: SecretCipher,
  ) {
    if (existsSync(file)) {
      try {
        const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
        if (data && typeof data === 'object') {
          for (const [k, v] of Object.entries(data)) if (typeof v === 'string') this.entries[k] = v;
        }
      } catch {
        // a corrupt secrets file loses the authkeys, not the connections: they can be typed again
        this.entries = {};
      }
    }
  }

  get(id: string): string | undefined {
    const stored = this.entries[id];
    if (stored === undefined) return undefined;
    try {
      return this.cipher.decrypt(stored);
    } catch {
      return undefined;
    }
  }

  set(id: string, secret: string): void {
    this.entries[id] = this.cipher.encrypt(secret);
    this.save();
  }

  delete(id: string): void {
    if (!(id in this.entries)) return;
    delete this.entries[id];
    this.save();
  }

  private save(): void {
    writePrivateFile(this.file, JSON.stringify(this.entries, null, 1));
  }
}

/** AES-256-GCM with a key read from (or created in) a 0600 key file. */
export function keyFileCipher(keyFile: string): SecretCipher {
  let key: Buffer;
  if (existsSync(keyFile)) {
    key = Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new RpcError('E_INTERNAL', `secret key file ${keyFile} is corrupt (expected 32 bytes, base64)`);
  } else {
    key = randomBytes(32);
    writePrivateFile(keyFile, key.toString('base64'));
  }
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    decrypt(stored) {
      const raw = Buffer.from(stored, 'base64');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

export class KeyFileSecretStore extends CipherFileSecretStore {
  constructor(file: string, keyFile: string) {
    super(file, keyFileCipher(keyFile));
  }
}

/** Secrets for one process only (tests, demo connections). */
export class MemorySecretStore implements SecretStore {
  private readonly m = new Map<string, string>();
  get(id: string): string | undefined {
    return this.m.get(id);
  }
  set(id: string, secret: string): void {
    this.m.set(id, secret);
  }
  delete(id: string): void {
    this.m.delete(id);
  }
}
