// Shared by the multiprocessing.connection integration tests: the Pythons to run servers under,
// starting a Cookbook server with an authkey, and a client for it.
import { parseCall } from '../../src/common/parse';
import type { PyValue } from '../../src/common/value';
import { createClient, type OpenOptions } from '../../src/clients/registry';
import type { RpcClient } from '../../src/clients/types';
import { allPythons, startServer, type Python, type RunningServer } from '../helpers/python';

export const PYTHONS: Python[] = allPythons();

export const hexOf = (s: string) => Buffer.from(s, 'utf8').toString('hex');

/** Start test/servers/<script> under `py` with the authkey's UTF-8 bytes (none when undefined). */
export function startCookbook(script: string, py: Python, authkey: string | undefined, extra: string[] = []): Promise<RunningServer> {
  const args = authkey === undefined ? [...extra] : ['--authkey-hex', hexOf(authkey), ...extra];
  return startServer(script, args, { python: py.path });
}

export function url(scheme: 'pickle' | 'mpjson', server: RunningServer, authkey?: string, params: string[] = []): string {
  const q = [...(authkey === undefined ? [] : [`authkey=${encodeURIComponent(authkey)}`]), ...params];
  return `${scheme}://127.0.0.1:${server.port}${q.length ? `?${q.join('&')}` : ''}`;
}

export function client(u: string, opts: OpenOptions = {}): RpcClient {
  return createClient(u, { timeoutMs: 10_000, ...opts });
}

export function call(c: RpcClient, expr: string): Promise<PyValue> {
  return c.call(parseCall(expr));
}

/** The rejection of a promise (fails the test if it resolves). */
export async function rejection(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}

let announced = false;
export function announcePythons(): void {
  if (announced) return;
  announced = true;
  console.log(`multiprocessing.connection servers run under: ${PYTHONS.map((p) => p.version).join(', ')}`);
}
