// What the CLI subcommands share: connection options, opening a client, and the error -> exit code
// mapping of the contract (0 ok, 1 remote error, 2 usage / connection error).
import type { Command } from 'commander';
import { RemoteError, RpcError, uncaughtText } from '../common/errors';
import { parseEndpoint } from '../common/url';
import { pyToJson } from '../common/value-json';
import type { FrameSink } from '../common/frames';
import { createClient } from '../clients/registry';
import type { RpcClient } from '../clients/types';
import { EXIT_OK, EXIT_REMOTE, EXIT_USAGE } from './exit';

export interface ConnectionFlags {
  timeout?: string;
  authkey?: string;
  pickleProtocol?: string;
}

export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--timeout <seconds>', 'connect and call timeout in seconds (default 30)')
    .option('--authkey <key>', "multiprocessing authkey (else the URL's ?authkey=, else $RPCSCOPE_AUTHKEY): text, used as UTF-8, or a Python bytes literal such as b'\\x8fkey'")
    .option('--pickle-protocol <n>', 'pickle protocol for pickle:// requests (default 4; 2 for Python 2 servers)');
}

export function parseTimeoutMs(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new RpcError('E_USAGE', `--timeout must be a positive number of seconds, not ${JSON.stringify(s)}`);
  return n * 1000;
}

/**
 * A client for `url`. The authkey comes from --authkey, else the URL, else RPCSCOPE_AUTHKEY.
 * Throws E_URL / E_USAGE before any connection is made.
 */
export function openClient(url: string, flags: ConnectionFlags, onFrame?: FrameSink): RpcClient {
  const endpoint = parseEndpoint(url);
  const authkey = flags.authkey ?? endpoint.authkey ?? (process.env.RPCSCOPE_AUTHKEY || undefined);
  let pickleProtocol: number | undefined;
  if (flags.pickleProtocol !== undefined) {
    pickleProtocol = Number(flags.pickleProtocol);
    if (!Number.isInteger(pickleProtocol) || pickleProtocol < 0 || pickleProtocol > 5) {
      throw new RpcError('E_USAGE', `--pickle-protocol must be 0..5, not ${JSON.stringify(flags.pickleProtocol)}`);
    }
  }
  const timeoutMs = parseTimeoutMs(flags.timeout);
  // absent options must stay absent so the client's defaults apply
  return createClient(url, {
    ...(authkey !== undefined && { authkey }),
    ...(timeoutMs !== undefined && { timeoutMs }),
    ...(pickleProtocol !== undefined && { pickleProtocol }),
    ...(onFrame && { onFrame }),
  });
}

/** The lines Python prints for an uncaught remote exception. */
export function remoteErrorText(e: RemoteError): string {
  return uncaughtText({ traceback: e.extra.traceback, lastLine: e.lastLine, notes: e.notes });
}

export function errorJson(e: unknown): Record<string, unknown> {
  if (e instanceof RemoteError) {
    return {
      kind: 'remote',
      type: e.pyType,
      message: e.pyMessage,
      lastLine: e.lastLine,
      args: e.pyArgs.map(pyToJson),
      ...(e.extra.traceback ? { traceback: e.extra.traceback } : {}),
      ...(e.notes.length > 0 ? { notes: e.notes } : {}),
      ...(e.extra.code !== undefined ? { code: e.extra.code } : {}),
    };
  }
  if (e instanceof RpcError) return { kind: 'local', code: e.code, message: e.message };
  return { kind: 'local', code: 'E_INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** Print an error the contract's way and return the exit code. */
export function reportError(e: unknown, json: boolean): number {
  const code = e instanceof RemoteError ? EXIT_REMOTE : EXIT_USAGE;
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: errorJson(e) })}\n`);
  } else if (e instanceof RemoteError) {
    process.stdout.write(`${remoteErrorText(e)}\n`);
  } else {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`rpcscope: ${msg}\n`);
    if (!(e instanceof RpcError) && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  }
  return code;
}

/** Run a subcommand body; its result (or its error, reported) becomes the exit code. */
export async function runAction(json: boolean, body: () => Promise<number>): Promise<void> {
  let code: number;
  try {
    code = await body();
  } catch (e) {
    code = reportError(e, json);
  }
  process.exitCode = code === EXIT_OK ? EXIT_OK : code;
}
