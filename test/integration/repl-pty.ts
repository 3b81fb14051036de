// The REPL under a real pseudo-terminal: test/integration/repl_pty.py runs `node bin/rpcscope.js repl`
// in a pty and answers JSON commands (send text, wait for a pattern, close with Ctrl-D).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { BIN } from '../helpers/cli';

export const PROMPT = 'rpcscope> ';
const DRIVER = join(__dirname, 'repl_pty.py');

export class PtyRepl {
  private readonly proc: ChildProcess;
  private readonly lines: Interface;
  private readonly waiting: ((line: string) => void)[] = [];

  /** `rpcscope repl ARGS` (`command`: another rpcscope command) */
  constructor(args: string[], opts: { env?: Record<string, string>; cwd?: string; command?: string } = {}) {
    this.proc = spawn('python3', [DRIVER, process.execPath, BIN, opts.command ?? 'repl', ...args], {
      cwd: opts.cwd,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.lines = createInterface({ input: this.proc.stdout! });
    this.lines.on('line', (l) => this.waiting.shift()?.(l));
  }

  private command<T>(cmd: object): Promise<T> {
    return new Promise((resolve) => {
      this.waiting.push((l) => resolve(JSON.parse(l) as T));
      this.proc.stdin!.write(`${JSON.stringify(cmd)}\n`);
    });
  }

  async send(text: string): Promise<void> {
    await this.command({ send: text });
  }

  /** Waits for `pattern` in the output after the previous match; returns that stretch of output. */
  async expect(pattern: string | RegExp, timeout = 15): Promise<string> {
    const source = typeof pattern === 'string' ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern.source;
    const r = await this.command<{ ok: boolean; output: string }>({ expect: source, timeout });
    if (!r.ok) throw new Error(`expected ${String(pattern)} in the REPL output; got:\n${r.output}`);
    return r.output;
  }

  /** Types a line and returns what was printed before the next prompt (without the echo). */
  async run(line: string): Promise<string> {
    await this.send(`${line}\r`);
    const out = await this.expect(new RegExp(`\\n${PROMPT.trimEnd()} $`.replace('>', '>')));
    const lines = out.split('\n');
    // the echoed input (may be several lines for multi-line input) and the final prompt
    return lines.slice(line.split('\n').length, -1).join('\n');
  }

  async close(): Promise<{ exit: number; output: string }> {
    const r = await this.command<{ exit: number; output: string }>({ close: true });
    this.proc.stdin!.end();
    return r;
  }
}
