// rpcscope repl URL: an interactive prompt over one endpoint. On a terminal it is node:repl with our
// own evaluator: statements are Python-literal calls (`add(2, 3)`, `x = add(2, 3)`, `_`), results print
// as repr, remote errors as Python prints them. Tab completes method names, Ctrl-C cancels a pending
// call, unbalanced brackets continue on the next line, input history persists in
// dataPath('repl_history'). Piped input runs statement by statement and prints only the results.
import { mkdirSync, readFileSync } from 'node:fs';
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
import { isBlankStatement, needsMoreInput, splitStatements, StatementBuffer } from '../common/continuation';
import { ReplSession } from './repl/session';
import { styleFor, type Style } from './style';
import { withDemoServers } from './demo';

const PROMPT = 'rpcscope> ';

interface Io {
  print(text: string): void;
  printError(e: unknown): void;
  style: Style;
}

/** Evaluates statements one at a time and prints what they raised; Ctrl-C cancels the one waiting. */
class StatementRunner {
  private pending?: AbortController;

  constructor(
    private readonly session: ReplSession,
    private readonly io: Io,
  ) {}

  /** One statement: the text to echo as its value, if any, and whether it was cancelled. */
  async run(src: string): Promise<{ text?: string; cancelled: boolean }> {
    const abort = new AbortController();
    this.pending = abort;
    let text: string | undefined;
    try {
      const out = await this.session.evaluate(src, abort.signal);
      if (out.kind === 'value') text = out.text;
      if (out.kind === 'raised') this.io.print(this.io.style.red(remoteErrorText(out.error)));
      if (out.kind === 'failed') this.io.printError(out.error);
    } catch (e) {
      this.io.printError(e);
    } finally {
      if (this.pending === abort) this.pending = undefined;
    }
    return { text, cancelled: abort.signal.aborted };
  }

  /** Several statements in turn (a paste, .editor), each value printed but the last, which is returned; a cancel stops them. */
  async runAll(statements: string[]): Promise<string | undefined> {
    for (const [i, src] of statements.entries()) {
      const { text, cancelled } = await this.run(src);
      if (cancelled) return undefined;
      if (i === statements.length - 1) return text;
      if (text !== undefined) this.io.print(text);
    }
    return undefined;
  }

  /** Cancels the statement waiting on its call, if one is. */
  cancel(): boolean {
    this.pending?.abort(new RpcError('E_CANCELLED', 'call cancelled (Ctrl-C)'));
    return this.pending !== undefined;
  }
}

const unfinishedError = (where: string) => new RpcError('E_PARSE', `${where} ended inside an unfinished statement`);

/** `.name args` -> the command and its argument, or undefined when it is not a known dot-command. */
function dotCommand(line: string, commands: Map<string, ReplCommand>): [ReplCommand, string] | undefined {
  const m = /^\.(\w+)\s*([\s\S]*)$/.exec(line.trim());
  const cmd = m && commands.get(m[1]);
  return cmd ? [cmd, m![2]] : undefined;
}

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

// node:repl's own .help and .exit, for piped input too (a script may end with .exit)
const PIPED_BUILTINS: [string, string][] = [
  ['help', 'Print this help message'],
  ['exit', 'Stop reading input and exit'],
];

/**
 * Statements and dot-commands line by line, results only (piped input, and the files of .load, which
 * also echo each statement); stops at .exit. `where` names the input in errors.
 */
async function runLines(
  lines: AsyncIterable<string> | Iterable<string>,
  where: string,
  { io, commands, runner, echo }: { io: Io; commands: Map<string, ReplCommand>; runner: StatementRunner; echo: boolean },
): Promise<void> {
  const help = [...commands].map(([name, c]): [string, string] => [name, c.help]).concat(PIPED_BUILTINS).sort(([a], [b]) => a.localeCompare(b));
  const buffer = new StatementBuffer();
  for await (const line of lines) {
    const src = buffer.push(line);
    if (src === undefined) continue;
    if (echo) io.print(io.style.dim(src.split('\n').map((l, i) => (i === 0 ? PROMPT : '... ') + l).join('\n')));
    const builtin = /^\.(help|exit)$/.exec(src.trim())?.[1];
    if (builtin === 'exit') return;
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
    const { text, cancelled } = await runner.run(src);
    if (cancelled) return;
    if (text !== undefined) io.print(text);
  }
  if (buffer.unfinished !== '') io.printError(unfinishedError(where));
}

/** `.load FILE`: the file's statements and dot-commands run as if typed (not a .load of its own). */
function loadCommand(io: Io, commands: Map<string, ReplCommand>, runner: StatementRunner): ReplCommand {
  const nested: ReplCommand = {
    help: 'not in a loaded file',
    action: () => {
      throw new RpcError('E_USAGE', '.load does not run inside a loaded file (one that loads itself would never end)');
    },
  };
  const inner = new Map([...commands, ['load', nested]]);
  return {
    help: 'Run the statements of a file in turn, as if typed',
    action: async (arg: string) => {
      const file = arg.trim();
      if (file === '') throw new RpcError('E_USAGE', 'usage: .load FILE');
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new RpcError('E_USAGE', code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? String(e)})`);
      }
      await runLines(text.split(/\r?\n/), file, { io, commands: inner, runner, echo: true });
    },
  };
}

export async function startRepl(url: string, flags: ConnectionFlags): Promise<number> {
  const session = new ReplSession(url, flags, new CallHistory());
  const style = styleFor(process.stdout);
  const io: Io = {
    style,
    print: (text) => process.stdout.write(`${text}\n`),
    printError: (e) => io.print(style.red(e instanceof RpcError ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e))),
  };
  const runner = new StatementRunner(session, io);
  const commands = replCommands(session, io);
  commands.set('load', loadCommand(io, commands, runner));
  try {
    if (process.stdin.isTTY === true && process.stdout.isTTY === true) await interactiveRepl(session, io, commands, runner);
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
