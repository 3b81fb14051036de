// Running the REPL's statements: one at a time with Ctrl-C cancelling the one that waits, several
// in turn (a paste, .editor), and lines of them with dot-commands (piped input, the files of .load).
import { readFileSync } from 'node:fs';
import { RpcError } from '../../common/errors';
import { StatementBuffer } from '../../common/continuation';
import { pastedCallHintText } from '../../common/pasted-call';
import { remoteErrorText } from '../common';
import type { Style } from '../style';
import type { ReplCommand } from './commands';
import type { ReplSession } from './session';
import type { WaitingLine } from '../waiting-line';

export const PROMPT = 'rpcscope> ';

export interface Io {
  print(text: string): void;
  printError(e: unknown): void;
  style: Style;
  /** at a terminal: the line that shows a waiting call's time and reply progress */
  waiting?: WaitingLine;
}

/** Evaluates statements one at a time and prints what they raised; Ctrl-C cancels the one waiting. */
export class StatementRunner {
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
    this.io.waiting?.start();
    try {
      const out = await this.session.evaluate(src, abort.signal);
      if (out.kind === 'value') text = out.text;
      if (out.kind === 'raised') this.io.print(this.io.style.red(remoteErrorText(out.error)));
      if (out.kind === 'failed') this.io.printError(out.error);
      // after the error, or after the value (which the caller prints): the hint is the last word
      if ('hint' in out && out.hint) {
        const hint = this.io.style.dim(pastedCallHintText(out.hint));
        if (text === undefined) this.io.print(hint);
        else text = `${text}\n${hint}`;
      }
    } catch (e) {
      this.io.printError(e);
    } finally {
      this.io.waiting?.stop();
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

export const unfinishedError = (where: string) => new RpcError('E_PARSE', `${where} ended inside an unfinished statement`);

/** `.name args` -> the command and its argument, or undefined when it is not a known dot-command. */
function dotCommand(line: string, commands: Map<string, ReplCommand>): [ReplCommand, string] | undefined {
  const m = /^\.(\w+)\s*([\s\S]*)$/.exec(line.trim());
  const cmd = m && commands.get(m[1]);
  return cmd ? [cmd, m![2]] : undefined;
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
export async function runLines(
  lines: AsyncIterable<string> | Iterable<string>,
  where: string,
  { io, commands, runner, echo }: { io: Io; commands: Map<string, ReplCommand>; runner: StatementRunner; echo: boolean },
): Promise<void> {
  const help = [...commands].map(([name, c]): [string, string] => [name, c.help]).concat(PIPED_BUILTINS).sort(([a], [b]) => a.localeCompare(b));
  const buffer = new StatementBuffer();
  for await (const line of lines) {
    for (const src of buffer.push(line)) if ((await runOne(src)) === 'stop') return;
  }
  if (buffer.unfinished !== '') io.printError(unfinishedError(where));

  /** One statement or dot-command; 'stop' after .exit or a cancel. */
  async function runOne(src: string): Promise<'stop' | undefined> {
    if (echo) io.print(io.style.dim(src.split('\n').map((l, i) => (i === 0 ? PROMPT : '... ') + l).join('\n')));
    const builtin = /^\.(help|exit)$/.exec(src.trim())?.[1];
    if (builtin === 'exit') return 'stop';
    if (builtin === 'help') {
      const width = Math.max(...help.map(([name]) => name.length)) + 1;
      for (const [name, text] of help) io.print(`.${name.padEnd(width)}  ${text}`);
      return undefined;
    }
    const dot = dotCommand(src, commands);
    if (!dot && /^\.\w/.test(src.trim())) {
      io.printError(new RpcError('E_USAGE', `unknown command ${src.trim().split(/\s/)[0]}; known: ${help.map(([k]) => `.${k}`).join(' ')}`));
      return undefined;
    }
    if (dot) {
      await Promise.resolve()
        .then(() => dot[0].action(dot[1]))
        .catch((e: unknown) => io.printError(e));
      return undefined;
    }
    const { text, cancelled } = await runner.run(src);
    if (cancelled) return 'stop';
    if (text !== undefined) io.print(text);
    return undefined;
  }
}

/** `.load FILE`: the file's statements and dot-commands run as if typed (not a .load of its own). */
export function loadCommand(io: Io, commands: Map<string, ReplCommand>, runner: StatementRunner): ReplCommand {
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
