// The names a REPL line can be completed with at its end: method names (and the session's
// variables) where a call starts and inside help(…); inside an argument, variables,
// None/True/False and the method's parameters not given yet as `name=` (where the listing names
// them). Shared by the terminal REPL's Tab and the window's console; the REPL adds RPyC attributes
// after a dot.
import { callContext } from './call-context';

const KEYWORDS = ['None', 'True', 'False'];

export interface LineCompletions {
  /** what kind of name is being typed: a call's method, help()'s topic, or a name inside an argument */
  kind: 'method' | 'help' | 'argument';
  /** the text the candidates replace (the end of the line) */
  prefix: string;
  /** sorted, without repeats */
  candidates: string[];
}

/** Completions for `line` (the text before the cursor), or undefined where no name is being typed. */
export function lineCompletions(
  line: string,
  methods: readonly string[],
  variables: readonly string[],
  paramsOf: (method: string) => readonly string[] | undefined = () => undefined,
): LineCompletions | undefined {
  const ctx = callContext(line, line.length);
  if (ctx.kind === 'method') {
    const names = ctx.prefix.includes('.') ? methods : [...methods, ...variables];
    return { kind: 'method', prefix: ctx.prefix, candidates: sortedStartingWith(names, ctx.prefix) };
  }
  // help(NAME) takes what a call starts with: a method's (dotted) name, or a variable holding a remote object
  const helpName = ctx.kind === 'argument' && ctx.method === 'help' && ctx.index === 0 ? /\(\s*([A-Za-z_][\w.]*)?$/.exec(line) : null;
  if (helpName) {
    const prefix = helpName[1] ?? '';
    const names = prefix.includes('.') ? methods : [...methods, ...variables];
    return { kind: 'help', prefix, candidates: sortedStartingWith(names, prefix) };
  }
  if (ctx.kind === 'argument' && ctx.prefix !== undefined) {
    const keywords = ctx.keyword === undefined ? (paramsOf(ctx.method) ?? []).filter((p) => !ctx.keywordsUsed.includes(p)).map((p) => `${p}=`) : [];
    return { kind: 'argument', prefix: ctx.prefix, candidates: sortedStartingWith([...variables, ...KEYWORDS, ...keywords], ctx.prefix) };
  }
  return undefined;
}

/** The longest text every candidate starts with. */
export function commonPrefix(candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  let p = candidates[0];
  for (const c of candidates) while (!c.startsWith(p)) p = p.slice(0, -1);
  return p;
}

function sortedStartingWith(names: readonly string[], prefix: string): string[] {
  return [...new Set(names.filter((n) => n.startsWith(prefix)))].sort();
}
