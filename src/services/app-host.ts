// Everything a host (Electron main or web mode) opens at start: the connection registry on the
// data directory, the handlers, and the demo servers when asked for (or, with 'auto', when there is
// nothing else to look at). close() stops what was started.
import type { Handlers } from '../common/contract';
import { parseEndpoint } from '../common/url';
import { ConnectionRegistry, splitAuthkey } from './connections';
import { createAppCore, PersistedCallLog } from './app-core';
import { CallHistory } from './history';
import { startDemoServers, withDemoEnviron, type DemoServer } from './demo';
import { dataPath } from './paths';
import { RecentFiles } from './recent-files';
import type { SecretStore } from './secrets';

export interface AppHostOptions {
  secrets: SecretStore;
  /** true: start the demo; 'auto': only when no connection is saved and no URL is given */
  demo?: boolean | 'auto';
  /** a connection to open at start (added unless one with this URL is saved) */
  url?: string;
  log?: (line: string) => void;
}

export interface AppHost {
  handlers: Handlers;
  connections: ConnectionRegistry;
  demo: DemoServer[];
  close(): Promise<void>;
}

export async function openAppHost(opts: AppHostOptions): Promise<AppHost> {
  const connections = new ConnectionRegistry({ file: dataPath('connections.json'), secrets: opts.secrets });
  // history is keyed like the CLI's: the endpoint's display URL (the stored URL has no authkey)
  const history = new PersistedCallLog(new CallHistory({ warn: opts.log }), (id) => parseEndpoint(connections.get(id).url).display);
  let demo: DemoServer[] = [];
  const wantDemo = opts.demo === true || (opts.demo === 'auto' && !opts.url && connections.list().length === 0);
  // a bad URL fails here, before anything was started
  const initial = opts.url === undefined ? undefined : splitAuthkey(opts.url);
  if (wantDemo) {
    demo = await startDemoServers({ onSkip: (why) => opts.log?.(`demo: skipped ${why}`) });
    for (const d of demo) connections.add({ url: d.url, name: d.name, authkey: d.authkey, ephemeral: true });
  }
  // (collections written for the demo find its servers through the environment)
  const environ = withDemoEnviron(process.env, demo);
  const handlers = createAppCore({ connections, history, recent: new RecentFiles(dataPath('recent-collections.json')), environ });
  // saved connections show their real state right away
  for (const c of connections.list()) if (!c.ephemeral) void connections.connect(c.id);
  if (opts.url && initial && !connections.list().some((c) => c.url === initial.url)) connections.add({ url: opts.url });
  let closed = false;
  return {
    handlers,
    connections,
    demo,
    async close() {
      if (closed) return;
      closed = true;
      await connections.closeAll();
      for (const d of demo) d.stop();
    },
  };
}
