// rpcscope run COLLECTION [--env NAME] [--junit FILE] [--python FILE] [--demo]: runs a saved collection
// headless, one line per call (✓/✗, the call, its repr or error; at a terminal, a status line while a
// call waits), a summary line; exit 1 when any call failed or errored, 2 for usage errors and
// unreadable collections. --demo starts the bundled demo servers first, for collections that find
// them through RPCSCOPE_DEMO_* (see services/demo.ts).
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { verdictNote, type Collection } from '../common/collection';
import { exceptionOnlyLines } from '../common/errors';
import { CollectionRunner, loadCollection, type CallResult } from '../services/collections';
import { junitXml } from '../services/junit';
import { withDemoEnviron, type DemoServer } from '../services/demo';
import { withDemoServers } from './demo';
import { collectionToPython } from '../services/script-export';
import { EXIT_OK, EXIT_REMOTE } from './exit';
import { parseTimeoutMs, runAction } from './common';
import { styleFor, type Style } from './style';
import { WaitingLine } from './waiting-line';

interface RunFlags {
  env?: string;
  junit?: string;
  timeout?: string;
  python?: string;
  demo?: boolean;
}

export function formatResult(r: CallResult, s: Style): string {
  const mark = r.status === 'pass' ? s.green('✓') : s.red('✗');
  const label = r.name !== undefined ? `${s.bold(r.name)}  ${r.call}` : r.call;
  const lines = [`${mark} ${label}  ${s.dim(`[${r.connection}]`)}`];
  if (r.repr !== undefined) lines.push(`    ${r.repr}`);
  else if (r.error) lines.push(...exceptionOnlyLines(r.error).map((l) => `    ${l}`));
  const note = verdictNote(r);
  if (note !== undefined) lines.push(`    ${s.red(note)}`);
  return lines.join('\n');
}

export async function runCollection(file: string, flags: RunFlags): Promise<number> {
  const timeoutMs = parseTimeoutMs(flags.timeout);
  const collection = loadCollection(file);
  if (flags.python !== undefined) {
    const script = collectionToPython(collection, flags.env !== undefined ? { env: flags.env } : {});
    if (flags.python === '-') process.stdout.write(script);
    else writeFileSync(flags.python, script, { mode: 0o755 });
    return EXIT_OK;
  }
  return flags.demo ? withDemoServers((demo) => runAll(file, collection, flags, timeoutMs, demo)) : runAll(file, collection, flags, timeoutMs, []);
}

async function runAll(file: string, collection: Collection, flags: RunFlags, timeoutMs: number | undefined, demo: DemoServer[]): Promise<number> {
  const s = styleFor(process.stdout);
  const runner = new CollectionRunner(collection, {
    ...(flags.env !== undefined && { env: flags.env }),
    ...(timeoutMs !== undefined && { timeoutMs }),
    environ: withDemoEnviron(process.env, demo),
  });
  // at a terminal, a call that waits says so, with which call of the run it is
  const waiting = process.stdout.isTTY ? new WaitingLine(process.stdout, s, () => runner.replyProgress()) : undefined;
  const calls = collection.calls;
  const label = (i: number) => `call ${i + 1} of ${calls.length}, ${calls[i].name ?? calls[i].call.trim()}: `;
  try {
    const summary = await runner.runAll(
      (r) => {
        waiting?.stop();
        process.stdout.write(`${formatResult(r, s)}\n`);
      },
      (i) => waiting?.start(label(i)),
    );
    const parts = [`${summary.passed} passed`, `${summary.failed} failed`, `${summary.errors} errors`];
    const ok = summary.failed === 0 && summary.errors === 0;
    const line = `${parts.join(', ')} (${summary.results.length} calls, ${(summary.durationMs / 1000).toFixed(2)} s)`;
    process.stdout.write(`${ok ? s.green(line) : s.red(line)}\n`);
    if (flags.junit !== undefined) writeFileSync(flags.junit, junitXml(collection.name ?? basename(file), summary));
    return ok ? EXIT_OK : EXIT_REMOTE;
  } finally {
    waiting?.stop();
    await runner.close();
  }
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a saved collection of calls and check their expectations')
    .argument('<collection>', 'collection file, e.g. rpcscope.collection.json')
    .option('--env <name>', "use the collection's environment NAME for ${var:...}")
    .option('--junit <file>', 'also write the results as JUnit XML')
    .option('--timeout <seconds>', 'call timeout for connections that set none (default 30)')
    .option('--python <file>', 'do not run: write the collection as a Python client script (- for stdout)')
    .option('--demo', 'start the bundled demo servers first (their URLs in RPCSCOPE_DEMO_PICKLE, _XMLRPC, _TCPJSON, _RPYC; the authkey in RPCSCOPE_DEMO_AUTHKEY)')
    .action((file: string, flags: RunFlags) => runAction(false, () => runCollection(file, flags)));
}
