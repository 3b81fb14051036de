// rpcscope ui [URL] [--port N] [--no-open] [--demo | --no-demo]: the inspector in the browser (web
// mode). Serves on 127.0.0.1 only, behind a random token in the printed URL. Without saved
// connections or a URL, the bundled demo servers are started and added.
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { RpcError } from '../common/errors';
import { startWebHost } from '../web/host';
import { EXIT_USAGE } from './exit';

interface UiFlags {
  port?: string;
  open: boolean;
  demo?: boolean;
}

/** Opens the URL in the desktop's browser when there is a desktop; never fails the command. */
export function openInBrowser(url: string): string | undefined {
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux') return 'no display';
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

export async function runUi(url: string | undefined, flags: UiFlags): Promise<void> {
  const port = flags.port === undefined ? 0 : Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RpcError('E_USAGE', `--port must be 0-65535, got ${flags.port}`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const host = await startWebHost({ port, demo: flags.demo ?? 'auto', url, log });
  for (const d of host.app.demo) log(`${d.name} at ${d.url}`);
  process.stdout.write(`rpcscope is running at ${host.server.url}\n`);
  if (flags.open) {
    const why = openInBrowser(host.server.url);
    if (why) log(`not opening a browser (${why}); open the URL above`);
  }
  const stop = () => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function registerUi(program: Command): void {
  program
    .command('ui')
    .description('open the inspector in the browser (web mode, 127.0.0.1 only)')
    .argument('[url]', 'a connection to add, e.g. pickle://127.0.0.1:17000?authkey=peekaboo')
    .option('--port <n>', 'port to listen on (default: any free port)')
    .option('--no-open', 'do not open a browser')
    .option('--demo', 'start the bundled demo servers and add them')
    .option('--no-demo', 'never start the demo servers')
    .action(async (url: string | undefined, flags: UiFlags) => {
      try {
        await runUi(url, flags);
      } catch (e) {
        process.stderr.write(`rpcscope ui: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(EXIT_USAGE);
      }
    });
}
