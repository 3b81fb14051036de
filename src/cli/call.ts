// rpcscope call URL 'EXPR': one call, the result's repr on stdout (exit 0); a remote error prints
// Python's last traceback line (exit 1); a usage or connection error goes to stderr (exit 2).
import type { Command } from 'commander';
import { parseCall } from '../common/parse';
import { repr } from '../common/repr';
import { pyToJson } from '../common/value-json';
import { EXIT_OK } from './exit';
import { addConnectionOptions, openClient, runAction, type ConnectionFlags } from './common';
import { framePrinter } from './frames-text';

interface CallFlags extends ConnectionFlags {
  json?: boolean;
  frames?: boolean;
}

export async function runCall(url: string, expr: string, flags: CallFlags): Promise<number> {
  const req = parseCall(expr);
  const client = openClient(url, flags, flags.frames ? framePrinter((t) => process.stderr.write(t)) : undefined);
  try {
    const value = await client.call(req, { callId: 1 });
    if (flags.json) process.stdout.write(`${JSON.stringify({ ok: true, result: pyToJson(value), repr: repr(value) })}\n`);
    else process.stdout.write(`${repr(value)}\n`);
    return EXIT_OK;
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
      .option('--frames', 'print every frame (hex and decoded layers) to stderr'),
  ).action((url: string, expr: string, flags: CallFlags) => runAction(flags.json ?? false, () => runCall(url, expr, flags)));
}
