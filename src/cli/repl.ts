// rpcscope repl URL: an interactive prompt over one endpoint. On a terminal it is node:repl with our
// own evaluator: statements are Python-literal calls (`add(2, 3)`, `x = add(2, 3)`, `_`), results print
// as repr, remote errors as Python prints them. Tab completes method names, Ctrl-C cancels a pending
// call, unbalanced brackets continue on the next line, input history persists in
// dataPath('repl_history'). Piped input runs statement by statement and prints only the results.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { RpcError } from '../common/errors';
import { CallHistory } from '../services/history';
import { dataPath } from '../services/paths';
import { addConnectionOptions, remoteErrorText, runAction, type ConnectionFlags } from './common';
import { EXIT_OK } from './exit';
import { defineCommands, replCommands, type ReplCommand } from './repl/commands';
import { complete } from './repl/complete';
import { needsMoreInput } from '../common/continuation';
import { ReplSession } from './repl/session';
import { styleFor, type Style } from './style';

const PROMPT = 'rpcscope> ';

interface Io {
  print(text: string): void;
  printError(e: unknown): void;
  style: Style;
}

/** Evaluates one statement and prints its outcome; resolves with the text to echo as the value. */
async function runStatement(session: ReplSession, src: string, signal: AbortSignal, io: Io): Promise<string | undefined> {
  try {
    const out = await session.evaluate(src, signal);
    if (out.kind === 'value') return out.text;
    if (out.kind === 'raised') io.print(io.style.red(remoteErrorText(out.error)));
    if (out.kind === 'failed') io.printError(out.error);
  } catch (e) {
    io.printError(e);
  }
  return undefined;
}

/** `.name args` -> the command and its argument, or undefined when it is not a known dot-command. */
function dotCommand(line: string, commands: Map<string, ReplCommand>): [ReplCommand, string] | undefined {
  const m = /^\.(\w+)\s*([\s\S]*)$/.exec(line.trim());
  const cmd = m && commands.get(m[1]);
  return cmd ? [cmd, m![2]] : undefined;
}

async function interactiveRepl(session: ReplSession, io: Io, commands: Map<string, ReplCommand>): Promise<void> {
  io.print(io.style.dim(`rpcscope repl on ${session.key} — .help for commands, Ctrl-D to quit`));
  let pending: AbortController | undefined;
  let inflight: Promise<unknown> = Promise.resolve();

  // loaded here: every other command would load node:repl (and the parser it brings) at start
  const { default: repl } = await import('node:repl');
  const server = repl.start({
    prompt: PROMPT,
    input: process.stdin,
    output: process.stdout,
    terminal: true,
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
      inflight = runStatement(session, src, abort.signal, io).then((text) => {
        if (pending === abort) pending = undefined;
        cb(null, text);
      });
    },
  });
  const exited = new Promise<void>((resolve) => server.on('exit', resolve));

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

  defineCommands(server, commands, (body) => {
    Promise.resolve()
      .then(body)
      .catch((e: unknown) => io.printError(e))
      .finally(() => server.displayPrompt());
  });

  const historyFile = dataPath('repl_history');
  mkdirSync(dirname(historyFile), { recursive: true });
  await new Promise<void>((resolve) => server.setupHistory(historyFile, () => resolve()));
  await exited;
  await inflight;
}

// node:repl's own .help and .exit, for piped input too (a script may end with .exit)
const PIPED_BUILTINS: [string, string][] = [
  ['help', 'Print this help message'],
  ['exit', 'Stop reading input and exit'],
];

/** Piped input: one statement after the other (continuation lines joined), results only. */
async function pipedRepl(session: ReplSession, io: Io, commands: Map<string, ReplCommand>): Promise<void> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  const help = [...commands].map(([name, c]): [string, string] => [name, c.help]).concat(PIPED_BUILTINS).sort(([a], [b]) => a.localeCompare(b));
  let buffer = '';
  for await (const line of rl) {
    buffer = buffer === '' ? line : `${buffer}\n${line}`;
    if (buffer.trim() === '' || needsMoreInput(buffer)) continue;
    const src = buffer;
    buffer = '';
    const builtin = /^\.(help|exit)$/.exec(src.trim())?.[1];
    if (builtin === 'exit') break;
    if (builtin === 'help') {
      const width = Math.max(...help.map(([name]) => name.length)) + 1;
      for (const [name, text] of help) io.print(`.${name.padEnd(width)}  ${text}`);
      continue;
    }
    const dot = dotCommand(src, commands);
    if (!dot && /^\.\w/.test(src.trim())) {
      io.printError(new RpcError('E_USAGE', `unknown command ${src.trim().split(/\s/)[0]}; known: ${help.map(([k]) => `.${k}`).join(' ')}`));
      continue;
    }
    if (dot) {
      await Promise.resolve()
        .then(() => dot[0].action(dot[1]))
        .catch((e: unknown) => io.printError(e));
      continue;
    }
    const text = await runStatement(session, src, new AbortController().signal, io);
    if (text !== undefined) io.print(text);
  }
  if (buffer.trim() !== '') io.printError(new RpcError('E_PARSE', 'the input ended inside an unfinished statement'));
}

export async function startRepl(url: string, flags: ConnectionFlags): Promise<number> {
  const session = new ReplSession(url, flags, new CallHistory());
  const style = styleFor(process.stdout);
  const io: Io = {
    style,
    print: (text) => process.stdout.write(`${text}\n`),
    printError: (e) => io.print(style.red(e instanceof RpcError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e))),
  };
  const commands = replCommands(session, io);
  try {
    if (process.stdin.isTTY === true && process.stdout.isTTY === true) await interactiveRepl(session, io, commands);
    else await pipedRepl(session, io, commands);
  } finally {
    await session.close();
  }
  return EXIT_OK;
}

export function registerRepl(program: Command): void {
  addConnectionOptions(
    program.command('repl').description('interactive prompt: call methods, inspect results and frames').argument('<url>', 'endpoint URL'),
  ).action((url: string, flags: ConnectionFlags) => runAction(false, () => startRepl(url, flags)));
}
