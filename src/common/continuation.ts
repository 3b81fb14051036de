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

/**
 * The statements of complete input: split at each ';' outside brackets and strings, as Python
 * runs `x = add(1, 2); sub(x, 1)`; blank ones (a trailing ';', a comment) left out. A REPL
 * dot-command stays whole.
 */
export function statementsOf(src: string): string[] {
  // a dot-command's argument is its own (a file name, a URL): never split
  if (/^\s*\.[A-Za-z_]/.test(src)) return [src.trim()];
  let toks;
  try {
    toks = tokenize(src);
  } catch {
    return [src]; // its error shows when it runs
  }
  const parts: string[] = [];
  let depth = 0;
  let from = 0;
  for (const t of toks) {
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (t.text === ';' && depth === 0) {
      parts.push(src.slice(from, t.start));
      from = t.end;
    }
  }
  parts.push(src.slice(from));
  return parts.map((p) => p.trim()).filter((p) => !isBlankStatement(p));
}

/** Lines gathered into whole statements, blank lines and comments left out. */
export class StatementBuffer {
  private lines: string[] = [];

  /** Adds a line; the statements it completes (none while brackets are open). */
  push(line: string): string[] {
    this.lines.push(line);
    const src = this.lines.join('\n');
    if (needsMoreInput(src)) return [];
    this.lines = [];
    return statementsOf(src);
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
  for (const line of text.split(/\r?\n/)) statements.push(...buffer.push(line));
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
