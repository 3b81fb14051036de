// The embedded demo: the seed servers under demo/ started on 127.0.0.1 (free ports), to be added as
// connections and stopped when the app exits. Their URLs (and the pickle server's authkey) are also
// given to collections as environment variables, so a collection written for the demo
// (examples/demo.collection.json) runs against it wherever its ports land.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface DemoServer {
  name: string;
  url: string;
  /** the environment variable a collection finds the URL in */
  urlVar: string;
  authkey?: string;
  pid?: number;
  stop(): void;
}

interface DemoSpec {
  name: string;
  urlVar: string;
  script: string;
  url: (port: number) => string;
  authkey?: string;
  /** the interpreter; rpyc needs Debian's python3 with python3-rpyc */
  python: () => string | undefined;
}

const python3 = (): string => 'python3';
const pythonWithRpyc = (): string | undefined => {
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(py, ['-c', 'import rpyc'], { stdio: 'ignore' }).status === 0) return py;
  }
  return undefined;
};

/** demo servers alive in this process: stopped when it exits, however it exits */
const running = new Set<() => void>();
process.once('exit', () => {
  for (const stop of [...running]) stop();
});

const SPECS: DemoSpec[] = [
  { name: 'demo: Cookbook pickle (add, sub)', urlVar: 'RPCSCOPE_DEMO_PICKLE', script: 'cookbook_pickle.py', url: (p) => `pickle://127.0.0.1:${p}`, authkey: 'peekaboo', python: python3 },
  { name: 'demo: XML-RPC KeyValueServer', urlVar: 'RPCSCOPE_DEMO_XMLRPC', script: 'kv_xmlrpc.py', url: (p) => `xmlrpc://127.0.0.1:${p}/RPC2`, python: python3 },
  { name: 'demo: raw TCP JSON (seed 003)', urlVar: 'RPCSCOPE_DEMO_TCPJSON', script: 'tcpjson_server.py', url: (p) => `tcpjson://127.0.0.1:${p}`, python: python3 },
  { name: 'demo: RPyC TestService (seed 004)', urlVar: 'RPCSCOPE_DEMO_RPYC', script: 'rpyc_service.py', url: (p) => `rpyc://127.0.0.1:${p}`, python: pythonWithRpyc },
];

/** demo/ of this package, looked up from wherever this module was bundled to. */
export function findDemoDir(from = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'demo', 'cookbook_pickle.py'))) return join(dir, 'demo');
    if (dirname(dir) === dir) return undefined;
  }
}

function startOne(spec: DemoSpec, dir: string, timeoutMs: number): Promise<DemoServer> {
  const python = spec.python();
  if (!python) return Promise.reject(new Error(`${spec.name}: no python3 with the needed modules`));
  const proc: ChildProcess = spawn(python, ['-u', join(dir, spec.script)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const stop = (): void => {
    running.delete(stop);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
  };
  running.add(stop);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`${spec.name}: no PORT line within ${timeoutMs} ms ${stderr}`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${spec.name}: exited with ${code} ${stderr.trim()}`));
    });
    proc.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${spec.name}: ${e.message}`));
    });
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      const m = /^PORT (\d+)$/.exec(line.trim());
      if (!m) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      const server: DemoServer = { name: spec.name, url: spec.url(Number(m[1])), urlVar: spec.urlVar, pid: proc.pid, stop };
      if (spec.authkey !== undefined) server.authkey = spec.authkey;
      resolve(server);
    });
  });
}

/** Starts every demo server that can run here; reports the ones that cannot. */
export async function startDemoServers(
  opts: { dir?: string; timeoutMs?: number; onSkip?: (why: string) => void } = {},
): Promise<DemoServer[]> {
  const dir = opts.dir ?? findDemoDir();
  if (!dir) {
    opts.onSkip?.('demo servers not found (demo/ is missing)');
    return [];
  }
  const settled = await Promise.allSettled(SPECS.map((s) => startOne(s, dir, opts.timeoutMs ?? 15_000)));
  const out: DemoServer[] = [];
  for (const r of settled) {
    if (r.status === 'fulfilled') out.push(r.value);
    else opts.onSkip?.(r.reason instanceof Error ? r.reason.message : String(r.reason));
  }
  return out;
}

/** the environment variable a collection finds the demo pickle server's authkey in */
export const DEMO_AUTHKEY_VAR = 'RPCSCOPE_DEMO_AUTHKEY';

/** `env` with the running demo servers' URLs and authkey added, for collections to refer to
 *  (`env` itself when there are none: process.env stays live). */
export function withDemoEnviron(env: Record<string, string | undefined>, servers: DemoServer[]): Record<string, string | undefined> {
  if (servers.length === 0) return env;
  const out = { ...env };
  for (const d of servers) {
    out[d.urlVar] = d.url;
    if (d.authkey !== undefined) out[DEMO_AUTHKEY_VAR] = d.authkey;
  }
  return out;
}
