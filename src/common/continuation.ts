// Whether a statement typed at the REPL or the window's console is complete or continues on the
// next line: open brackets and an unterminated triple-quoted string continue (as in Python's
// interactive prompt). A file or a paste of several statements splits by the same rule.
import { tokenize } from './parse';

/** Whether a line holds no statement at all (blank, or only a comment): the prompt just comes back. */
export function isBlankStatement(src: string): boolean {
  try {
    return tokenize(src).length === 0;
  } catch {
    return false;
  }
}

/** Lines gathered into whole statements, blank lines and comments left out. */
export class StatementBuffer {
  private lines: string[] = [];

  /** Adds a line; the statement it completes, if it completes one. */
  push(line: string): string | undefined {
    this.lines.push(line);
    const src = this.lines.join('\n');
    if (needsMoreInput(src)) return undefined;
    this.lines = [];
    return isBlankStatement(src) ? undefined : src;
  }

  /** The lines of a statement left unfinished, or '' */
  get unfinished(): string {
    return this.lines.join('\n');
  }
}

/** The statements of a text (a file of calls, a paste), and what is left of an unfinished one. */
export function splitStatements(text: string): { statements: string[]; unfinished: string } {
  const buffer = new StatementBuffer();
  const statements: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const s = buffer.push(line);
    if (s !== undefined) statements.push(s);
  }
  return { statements, unfinished: buffer.unfinished };
}

export function needsMoreInput(src: string): boolean {
  let toks;
  try {
    toks = tokenize(src);
  } catch (e) {
    return e instanceof Error && /unterminated triple-quoted/.test(e.message);
  }
  let depth = 0;
  for (const t of toks) {
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
  }
  return depth > 0;
}
