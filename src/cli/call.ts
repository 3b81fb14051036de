// rpcscope call URL 'EXPR': one call, the result's repr on stdout (exit 0); a remote error prints
// Python's last traceback line (exit 1); a usage or connection error goes to stderr (exit 2).
import type { Command } from 'commander';
import type { MethodOutcome } from '../common/no-such-method';
import { parseCall } from '../common/parse';
import { pastedCallHint, pastedCallHintText } from '../common/pasted-call';
import { repr } from '../common/repr';
import { pyToJson } from '../common/value-json';
import { LatestProgress } from '../common/waiting-text';
import { CallHistory, historyError } from '../services/history';
import { withLearnedMethods } from '../services/learned-methods';
import { EXIT_OK } from './exit';
import { addConnectionOptions, openClient, reportError, runAction, type ConnectionFlags } from './common';
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
  /** on stderr, after the result: what to type for a call pasted from Python client code */
  const printHint = async (outcome: MethodOutcome) => {
    const methods = async () => withLearnedMethods(await client.methods(), history?.list(client.endpoint.display) ?? []);
    const hint = req.target ? undefined : await pastedCallHint(expr.trim(), req.method, outcome, methods);
    if (hint) process.stderr.write(`${styleFor(process.stderr).dim(pastedCallHintText(hint))}\n`);
  };
  waiting?.start();
  try {
    const value = await client.call(req, { callId: 1, ...(waiting && { onProgress: receiving.report }) });
    waiting?.stop();
    const text = repr(value);
    record({ ok: true, result: text });
    if (flags.json) process.stdout.write(`${JSON.stringify({ ok: true, result: pyToJson(value), repr: text })}\n`);
    else process.stdout.write(`${text}\n`);
    if (!flags.json) await printHint({ ok: true, result: text });
    return EXIT_OK;
  } catch (e) {
    waiting?.stop();
    record({ ok: false, error: historyError(e) });
    if (flags.json) throw e;
    const code = reportError(e, false);
    await printHint({ ok: false, error: historyError(e) });
    return code;
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
