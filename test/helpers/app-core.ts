// The app core as the desktop app builds it, on a data directory of the test's: a connection
// registry with a key-file secret store, the persisted call history, and the contract's handlers
// behind dispatch().
import { join } from 'node:path';
import type { EntryName, Req, Res, Result } from '../../src/common/contract';
import { dispatch } from '../../src/common/contract/dispatch';
import { createAppCore, PersistedCallLog } from '../../src/services/app-core';
import { CallHistory } from '../../src/services/history';
import { ConnectionRegistry } from '../../src/services/connections';
import { RecentFiles } from '../../src/services/recent-files';
import { KeyFileSecretStore } from '../../src/services/secrets';

export interface TestAppCore {
  connections: ConnectionRegistry;
  /** Runs an entry through dispatch() and returns its result, ok or not. */
  call<K extends EntryName>(name: K, req: Req<K>): Promise<Result<Res<K>>>;
  /** Runs an entry through dispatch() and returns its value, throwing on an error result. */
  ok<K extends EntryName>(name: K, req: Req<K>): Promise<Res<K>>;
}

export function openAppCore(dir: string): TestAppCore {
  const secrets = new KeyFileSecretStore(join(dir, 'secrets.json'), join(dir, 'secret.key'));
  const connections = new ConnectionRegistry({ file: join(dir, 'connections.json'), secrets });
  const history = new PersistedCallLog(new CallHistory({ dir: join(dir, 'history') }), (id) => connections.get(id).url);
  const handlers = createAppCore({ connections, history, recent: new RecentFiles(join(dir, 'recent-collections.json')) });
  const call = async <K extends EntryName>(name: K, req: Req<K>): Promise<Result<Res<K>>> =>
    (await dispatch(handlers, name, req)) as Result<Res<K>>;
  const ok = async <K extends EntryName>(name: K, req: Req<K>): Promise<Res<K>> => {
    const r = await call(name, req);
    if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  return { connections, call, ok };
}
