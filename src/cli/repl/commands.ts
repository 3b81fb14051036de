// The REPL's dot-commands: .methods .frames .trace .save .python .connect .history .clear (.load is in
// statements.ts, which runs statements; node:repl adds .help, .exit, .break and .editor).
import type { REPLServer } from 'node:repl';
import { RemoteError } from '../../common/errors';
import { connectionEntry, type Expectation } from '../../common/collection';
import { repr } from '../../common/repr';
import { addCallToFile, connectionNameFor, DEFAULT_COLLECTION_FILE } from '../../services/collections';
import type { HistoryEntry } from '../../services/history';
import { callToPython } from '../../services/script-export';
import { formatFrame } from '../frames-text';
import { methodLine } from '../../common/method-help';
import type { Style } from '../style';
import type { ReplSession } from './session';

export interface CommandIo {
  print(text: string): void;
  style: Style;
}

export interface ReplCommand {
  help: string;
  action(arg: string): Promise<void> | void;
}

/** The dot-commands by name (without the dot). */
export function replCommands(session: ReplSession, io: CommandIo): Map<string, ReplCommand> {
  const commands = new Map<string, ReplCommand>();
  const def = (name: string, help: string, action: (arg: string) => Promise<void> | void) =>
    commands.set(name, { help, action: (arg: string) => action(arg.trim()) });

  def('methods', 'List the remote methods (or those whose name or documentation holds TEXT): .methods [TEXT]; help(NAME) shows one', async (arg) => {
    const list = await session.methods();
    const text = arg.toLowerCase();
    const shown = list.methods.filter((m) => m.name.toLowerCase().includes(text) || (m.doc ?? '').toLowerCase().includes(text));
    if (shown.length === 0 && arg !== '') io.print(`no method holds ${JSON.stringify(arg)} (${list.methods.length} listed)`);
    for (const m of shown) io.print(methodLine(m, io.style.dim));
    if (list.note) io.print(io.style.dim(list.note));
  });

  def('frames', 'Show the last N frames (default 4): hex and decoded layers', (arg) => {
    const n = arg === '' ? 4 : Number(arg);
    if (!Number.isInteger(n) || n < 1) throw new Error(`.frames takes a positive count, not ${JSON.stringify(arg)}`);
    const shown = session.frames.slice(-n);
    if (shown.length === 0) io.print('no frames yet');
    const t0 = shown[0]?.time ?? 0;
    for (const f of shown) io.print(formatFrame(f, (f.time ?? t0) - t0));
  });

  def('trace', 'Print each frame as it passes, hex and decoded layers: .trace on|off (toggles)', (arg) => {
    if (arg !== '' && arg !== 'on' && arg !== 'off') throw new Error(`.trace takes on or off, not ${JSON.stringify(arg)}`);
    const on = arg === '' ? session.onFrame === undefined : arg === 'on';
    // times count from the start of the statement that sent or awaited the frame
    session.onFrame = on ? (f) => io.print(io.style.dim(formatFrame(f, (f.time ?? session.statementAt) - session.statementAt))) : undefined;
    io.print(on ? 'tracing: each frame prints as it passes (.trace off to stop)' : 'not tracing');
  });

  def('save', `Save the last call as NAME into a collection (default ./${DEFAULT_COLLECTION_FILE})`, (arg) => {
    const [name, file = DEFAULT_COLLECTION_FILE, ...rest] = arg.split(/\s+/).filter(Boolean);
    if (!name || rest.length > 0) throw new Error('usage: .save NAME [COLLECTION]');
    const last = session.last;
    const call = session.replayableSource();
    if (!last || call === undefined) throw new Error('nothing to save yet: make a call first');
    let expect: Expectation | undefined;
    if (last.outcome.ok) expect = { equals: repr(last.outcome.value) };
    else if (last.outcome.error instanceof RemoteError) expect = { raises: last.outcome.error.pyType };
    const connection = connectionEntry(connectionNameFor(session.url), session.url, { hasAuthkey: session.hasAuthkey });
    addCallToFile(file, { name, connection: connection.name, call, ...(expect && { expect }) }, connection);
    io.print(`saved ${name} to ${file}${connection.authkey ? ` (authkey read from ${connection.authkey})` : ''}`);
  });

  def('python', 'Print the calls of this session (or the last N) as a Python client script', (arg) => {
    const n = arg === '' ? Infinity : Number(arg);
    if (!(n === Infinity || (Number.isInteger(n) && n > 0))) throw new Error(`.python takes a positive count, not ${JSON.stringify(arg)}`);
    const calls = session.sessionCalls.slice(n === Infinity ? 0 : -n);
    if (calls.length === 0) throw new Error('nothing to export yet: make a call first');
    io.print(callToPython(session.url, calls).trimEnd());
  });

  def('connect', 'Connect to another endpoint URL', async (arg) => {
    if (arg === '') throw new Error('usage: .connect URL');
    await session.connect(arg);
    io.print(`connected to ${session.key}`);
  });

  def('history', 'Show the last N calls to this endpoint (default 20), or the last N holding TEXT: .history [N] [TEXT]', (arg) => {
    const m = /^(\d+)?\s*([\s\S]*)$/.exec(arg)!;
    const n = m[1] === undefined ? 20 : Number(m[1]);
    if (n < 1) throw new Error(`.history takes a positive count, not ${JSON.stringify(m[1])}`);
    const text = m[2].toLowerCase();
    const out = (e: HistoryEntry) => (e.ok ? (e.result ?? '') : `${e.error?.type}: ${e.error?.message}`);
    const all = session.history.list(session.key, text === '' ? { limit: n } : {});
    const shown = text === '' ? all : all.filter((e) => e.call.toLowerCase().includes(text) || out(e).toLowerCase().includes(text)).slice(-n);
    if (shown.length === 0) io.print(text === '' ? 'no calls yet' : `no call or result holds ${JSON.stringify(m[2])}`);
    for (const e of shown) {
      const mark = e.ok ? io.style.green('✓') : io.style.red('✗');
      // a call typed on several lines keeps them, indented under its first
      io.print(`${mark} ${e.call.replaceAll('\n', '\n  ')}  ${io.style.dim(`→ ${out(e)}`)}`);
    }
  });

  // replaces node:repl's .clear, which resets a JavaScript context this REPL does not use
  def('clear', 'Forget the variables of this session (x = ..., _)', () => {
    const names = [...session.scope.keys()];
    session.scope.clear();
    io.print(names.length === 0 ? 'no variables to forget' : `forgot ${names.sort().join(', ')}`);
  });
  return commands;
}

/** Registers the commands with node:repl; `run` reports a command's errors and shows the prompt again. */
export function defineCommands(server: REPLServer, commands: Map<string, ReplCommand>, run: (body: () => Promise<void> | void) => void): void {
  for (const [name, cmd] of commands) server.defineCommand(name, { help: cmd.help, action: (arg: string) => run(() => cmd.action(arg)) });
}
