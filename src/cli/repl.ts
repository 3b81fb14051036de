// rpcscope repl URL: an interactive prompt over one endpoint. Built on node:repl with our own
// evaluator: statements are Python-literal calls (`add(2, 3)`, `x = add(2, 3)`, `_`), results print
// as repr, remote errors as Python prints them. Tab completes method names, Ctrl-C cancels a pending
// call, unbalanced brackets continue on the next line, history persists in dataPath('repl_history').
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import repl from 'node:repl';
import type { Command } from 'commander';
import { RpcError } from '../common/errors';
import { CallHistory } from '../services/history';
import { dataPath } from '../services/paths';
import { addConnectionOptions, remoteErrorText, runAction, type ConnectionFlags } from './common';
import { EXIT_OK } from './exit';
import { defineCommands } from './repl/commands';
import { complete } from './repl/complete';
import { needsMoreInput } from './repl/input';
import { ReplSession } from './repl/session';
import { styleFor } from './style';

const PROMPT = 'rpcscope> ';

export async function startRepl(url: string, flags: ConnectionFlags): Promise<number> {
  const session = new ReplSession(url, flags, new CallHistory());
  const output = process.stdout;
  const style = styleFor(output);
  const print = (text: string) => output.write(`${text}\n`);
  const printError = (e: unknown) => print(style.red(e instanceof RpcError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e)));

  print(style.dim(`rpcscope repl on ${session.key} — .help for commands, Ctrl-D to quit`));
  let pending: AbortController | undefined;

  const server = repl.start({
    prompt: PROMPT,
    input: process.stdin,
    output,
    terminal: process.stdin.isTTY === true && output.isTTY === true,
    useColors: false,
    ignoreUndefined: true,
    preview: false,
    writer: (o: unknown) => String(o),
    completer: (line: string, cb: (err: Error | null, result: [string[], string]) => void) => {
      complete(session, line).then((r) => cb(null, r), () => cb(null, [[], line]));
    },
    eval: (cmd, _context, _file, cb) => {
      const src = cmd.replace(/\n$/, '');
      if (src.trim() === '') return cb(null, undefined);
      if (needsMoreInput(src)) return cb(new repl.Recoverable(new SyntaxError('unexpected end of input')), undefined);
      const abort = new AbortController();
      pending = abort;
      session
        .evaluate(src, abort.signal)
        .then((out) => {
          if (out.kind === 'value') return cb(null, out.text);
          if (out.kind === 'raised') print(style.red(remoteErrorText(out.error)));
          if (out.kind === 'failed') printError(out.error);
          cb(null, undefined);
        })
        .catch((e: unknown) => {
          printError(e);
          cb(null, undefined);
        })
        .finally(() => {
          if (pending === abort) pending = undefined;
        });
    },
  });

  // Ctrl-C while a call is pending cancels that call; otherwise node:repl's usual handling.
  const defaultSigint = server.listeners('SIGINT') as ((...a: unknown[]) => void)[];
  server.removeAllListeners('SIGINT');
  server.on('SIGINT', (...args: unknown[]) => {
    if (pending) {
      pending.abort(new RpcError('E_CANCELLED', 'call cancelled (Ctrl-C)'));
      return;
    }
    for (const l of defaultSigint) l.apply(server, args);
  });

  defineCommands(server, session, {
    print,
    style,
    run: (body) => {
      Promise.resolve()
        .then(body)
        .catch(printError)
        .finally(() => server.displayPrompt());
    },
  });

  const historyFile = dataPath('repl_history');
  mkdirSync(dirname(historyFile), { recursive: true });
  await new Promise<void>((resolve) => server.setupHistory(historyFile, () => resolve()));

  await new Promise<void>((resolve) => server.on('exit', resolve));
  await session.close();
  return EXIT_OK;
}

export function registerRepl(program: Command): void {
  addConnectionOptions(
    program.command('repl').description('interactive prompt: call methods, inspect results and frames').argument('<url>', 'endpoint URL'),
  ).action((url: string, flags: ConnectionFlags) => runAction(false, () => startRepl(url, flags)));
}
