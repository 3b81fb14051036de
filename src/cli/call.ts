// rpcscope call URL 'EXPR': one call, the result's repr on stdout (exit 0); a remote error prints
// Python's last traceback line (exit 1); a usage or connection error goes to stderr (exit 2).
import type { Command } from 'commander';
import { parseCall } from '../common/parse';
import { repr } from '../common/repr';
import { pyToJson } from '../common/value-json';
import { LatestProgress } from '../common/waiting-text';
import { CallHistory, historyError } from '../services/history';
import { EXIT_OK } from './exit';
import { addConnectionOptions, openClient, runAction, type ConnectionFlags } from './common';
import { framePrinter } from './frames-text';
import { WaitingLine } from './waiting-line';
import { styleFor } from './style';

interface CallFlags extends ConnectionFlags {
  json?: boolean;
  frames?: boolean;
  /** commander's negation of --no-history */
  history?: boolean;
}

export async function runCall(url: string, expr: string, flags: CallFlags): Promise<number> {
  const req = parseCall(expr);
  const client = openClient(url, flags, flags.frames ? framePrinter((t) => process.stderr.write(t)) : undefined);
  // the history feeds `methods` for servers without introspection, and the app's History panel
  const history = flags.history === false ? undefined : new CallHistory();
  const started = performance.now();
  const record = (entry: { ok: boolean; result?: string; error?: { type: string; message: string } }) =>
    history?.append(client.endpoint.display, { call: expr.trim(), durationMs: performance.now() - started, ...entry });
  // at a terminal, a call that waits says so on stderr (not with --frames, which prints there)
  const receiving = new LatestProgress();
  const waiting = process.stderr.isTTY && !flags.frames ? new WaitingLine(process.stderr, styleFor(process.stderr), () => receiving.current) : undefined;
  waiting?.start();
  try {
    const value = await client.call(req, { callId: 1, ...(waiting && { onProgress: receiving.report }) });
    waiting?.stop();
    const text = repr(value);
    record({ ok: true, result: text });
    if (flags.json) process.stdout.write(`${JSON.stringify({ ok: true, result: pyToJson(value), repr: text })}\n`);
    else process.stdout.write(`${text}\n`);
    return EXIT_OK;
  } catch (e) {
    waiting?.stop();
    record({ ok: false, error: historyError(e) });
    throw e;
  } finally {
    await client.close();
  }
}

export function registerCall(program: Command): void {
  addConnectionOptions(
    program
      .command('call')
      .description("call one remote method and print the result's repr")
      .argument('<url>', 'endpoint, e.g. pickle://127.0.0.1:17000?authkey=peekaboo')
      .argument('<expr>', "the call as Python, e.g. 'add(2, 3)'")
      .option('--json', 'print {"ok": ..., "result": ..., "repr": ...} as JSON')
      .option('--frames', 'print every frame (hex and decoded layers) to stderr')
      .option('--no-history', 'do not record the call in the history'),
  ).action((url: string, expr: string, flags: CallFlags) => runAction(flags.json ?? false, () => runCall(url, expr, flags)));
}
