// Authkeys in the desktop app: Electron's safeStorage (macOS Keychain, Windows DPAPI, libsecret or
// KWallet on Linux) encrypts them; the ciphertext lives in a 0600 file. Where safeStorage has no
// real keyring behind it (Linux's 'basic_text' backend uses a fixed key), the key-file store is
// used instead, which is at least no weaker and says so.
import { safeStorage } from 'electron';
import { dataPath } from '../services/paths';
import { CipherFileSecretStore, KeyFileSecretStore, type SecretStore } from '../services/secrets';

function keyringBacked(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (process.platform !== 'linux') return true;
  const backend = safeStorage.getSelectedStorageBackend();
  return backend !== 'basic_text' && backend !== 'unknown';
}

export function openSecretStore(log: (line: string) => void): SecretStore {
  if (keyringBacked()) {
    return new CipherFileSecretStore(dataPath('secrets.safe.json'), {
      encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
      decrypt: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
    });
  }
  log('no OS keyring behind safeStorage; authkeys are kept in the key-file store (secrets.json + secret.key, both 0600)');
  return new KeyFileSecretStore(dataPath('secrets.json'), dataPath('secret.key'));
}
