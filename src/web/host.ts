// Web mode as a whole: the app host with its key-file secret store, behind the local web server.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RpcError } from '../common/errors';
import { openAppHost, type AppHost } from '../services/app-host';
import { dataPath } from '../services/paths';
import { KeyFileSecretStore } from '../services/secrets';
import { startWebServer, type WebServer } from './server';

export interface WebHostOptions {
  port?: number;
  demo?: boolean | 'auto';
  /** a connection to open at start */
  url?: string;
  rendererDir?: string;
  token?: string;
  log?: (line: string) => void;
}

export interface WebHost {
  app: AppHost;
  server: WebServer;
  close(): Promise<void>;
}

/** out/renderer of this package, looked up from wherever this module was bundled to. */
export function findRendererDir(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'out', 'renderer', 'index.html'))) return join(dir, 'out', 'renderer');
    if (dirname(dir) === dir) return undefined;
  }
}

export async function startWebHost(opts: WebHostOptions = {}): Promise<WebHost> {
  const rendererDir = opts.rendererDir ?? findRendererDir();
  if (!rendererDir) throw new RpcError('E_USAGE', 'the renderer is not built (out/renderer/index.html is missing); run `npm run build`');
  const secrets = new KeyFileSecretStore(dataPath('secrets.json'), dataPath('secret.key'));
  const app = await openAppHost({ secrets, demo: opts.demo ?? 'auto', url: opts.url, log: opts.log });
  let server: WebServer;
  try {
    server = await startWebServer({ handlers: app.handlers, rendererDir, port: opts.port, token: opts.token });
  } catch (e) {
    await app.close();
    throw e;
  }
  return {
    app,
    server,
    async close() {
      await server.close();
      await app.close();
    },
  };
}
