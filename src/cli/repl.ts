// rpcscope repl [URL]: an interactive prompt over one endpoint (without a URL, on the bundled demo
// servers). On a terminal it is node:repl with our own evaluator: statements are Python-literal calls
// (`add(2, 3)`, `x = add(2, 3)`, `_`), results print as repr, remote errors as Python prints them.
// Tab completes method names, Ctrl-C cancels a pending call, unbalanced brackets continue on the next
// line, input history persists in dataPath('repl_history'). Piped input runs statement by statement
// and prints only the results (repl/statements.ts).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { RpcError } from '../common/errors';
import { isBlankStatement, needsMoreInput, splitStatements } from '../common/continuation';
import { CallHistory } from '../services/history';
import { dataPath } from '../services/paths';
import { addConnectionOptions, runAction, type ConnectionFlags } from './common';
import { withDemoServers } from './demo';
import { EXIT_OK } from './exit';
import { defineCommands, replCommands, type ReplCommand } from './repl/commands';
import { complete } from './repl/complete';
import { ReplSession } from './repl/session';
import { WaitingLine } from './waiting-line';
import { loadCommand, PROMPT, runLines, StatementRunner, unfinishedError, type Io } from './repl/statements';
import { styleFor } from './style';

async function interactiveRepl(session: ReplSession, io: Io, commands: Map<string, ReplCommand>, runner: StatementRunner): Promise<void> {
  io.print(io.style.dim(`rpcscope repl on ${session.key} — .help for commands, Ctrl-D to quit`));
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
      if (isBlankStatement(src)) return cb(null, undefined);
      if (needsMoreInput(src)) return cb(new repl.Recoverable(new SyntaxError('unexpected end of input')), undefined);
      // one statement, or several from .editor
      const { statements, unfinished } = splitStatements(src);
      inflight = runner.runAll(statements).then((text) => {
        if (unfinished !== '') io.printError(unfinishedError('the input'));
        cb(null, text);
      });
    },
  });
  const exited = new Promise<void>((resolve) => server.on('exit', resolve));

  // Ctrl-C while a call is pending cancels that call; otherwise node:repl's usual handling.
  const defaultSigint = server.listeners('SIGINT') as ((...a: unknown[]) => void)[];
  server.removeAllListeners('SIGINT');
  server.on('SIGINT', (...args: unknown[]) => {
    if (runner.cancel()) return;
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

export async function startRepl(url: string, flags: ConnectionFlags): Promise<number> {
  const session = new ReplSession(url, flags, new CallHistory());
  const style = styleFor(process.stdout);
  const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
  const waiting = interactive ? new WaitingLine(process.stdout, style, () => session.replyProgress()) : undefined;
  const io: Io = {
    style,
    waiting,
    print: (text) => {
      waiting?.clear();
      process.stdout.write(`${text}\n`);
    },
    printError: (e) => io.print(style.red(e instanceof RpcError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e))),
  };
  const runner = new StatementRunner(session, io);
  const commands = replCommands(session, io);
  commands.set('load', loadCommand(io, commands, runner));
  try {
    if (interactive) await interactiveRepl(session, io, commands, runner);
    else await runLines(createInterface({ input: process.stdin, terminal: false }), 'the input', { io, commands, runner, echo: false });
  } finally {
    await session.close();
  }
  return EXIT_OK;
}

/** Without a URL: the bundled demo servers, the REPL on the Cookbook one (the others a .connect away). */
function startDemoRepl(flags: ConnectionFlags): Promise<number> {
  return withDemoServers(async (servers) => {
    const pickle = servers.find((d) => d.url.startsWith('pickle://'));
    if (!pickle) throw new RpcError('E_USAGE', 'no endpoint URL given, and the demo servers could not start (python3 is needed): rpcscope repl URL');
    process.stderr.write(`no URL given: the REPL is on the demo Cookbook server (authkey ${pickle.authkey}); .connect URL reaches the others\n`);
    const url = `${pickle.url}?authkey=${encodeURIComponent(pickle.authkey ?? '')}`;
    return startRepl(url, flags);
  });
}

export function registerRepl(program: Command): void {
  addConnectionOptions(
    program
      .command('repl')
      .description('interactive prompt: call methods, inspect results and frames (without a URL, on the bundled demo servers)')
      .argument('[url]', 'endpoint URL'),
  ).action((url: string | undefined, flags: ConnectionFlags) => runAction(false, () => (url === undefined ? startDemoRepl(flags) : startRepl(url, flags))));
}
