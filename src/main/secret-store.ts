// Authkeys in the desktop app: Electron's safeStorage (the OS keychain / libsecret / DPAPI) encrypts
// them; the ciphertext lives in a 0600 file. Without a keyring the key-file store is used instead.
import { safeStorage } from 'electron';
import { dataPath } from '../services/paths';
import { CipherFileSecretStore, KeyFileSecretStore, type SecretStore } from '../services/secrets';

export function openSecretStore(log: (line: string) => void): SecretStore {
  if (safeStorage.isEncryptionAvailable()) {
    return new CipherFileSecretStore(dataPath('secrets.safe.json'), {
      encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
      decrypt: (stored) => safeStorage.decryptString(Buffer.from(stored, 'base64')),
    });
  }
  log('safeStorage is not available (no OS keyring); authkeys are kept in the key-file store');
  return new KeyFileSecretStore(dataPath('secrets.json'), dataPath('secret.key'));
}
