// Whether a statement typed at the REPL or the window's console is complete or continues on the
// next line: open brackets and an unterminated triple-quoted string continue (as in Python's
// interactive prompt).
import { tokenize } from './parse';

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
