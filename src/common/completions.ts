// The names a REPL line can be completed with at its end: method names (and the session's
// variables) where a call starts and inside help(…); inside an argument, variables,
// None/True/False and the method's parameters not given yet as `name=` (where the listing names
// them); a dict's keys inside `x[`; and a remote object's attributes after a dot (RPyC). Shared by
// the terminal REPL's Tab and the window's console (whose host answers what needs values or the
// server, completeLine).
import type { MethodInfo } from './call';
import { callContext } from './call-context';
import { parseLiteral } from './parse';
import { repr } from './repr';
import { kvKeys, type PyValue } from './value';

const KEYWORDS = ['None', 'True', 'False'];

export interface LineCompletions {
  /** what is being typed: a call's method, help()'s topic, a name inside an argument, a dict's key, an attribute */
  kind: 'method' | 'help' | 'argument' | 'key' | 'attribute';
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

/** Where completeLine looks names up. */
export interface CompletionSources {
  methods(): Promise<readonly MethodInfo[]>;
  variables: readonly string[];
  /** a variable's value: inside `x[` its dict's keys are offered */
  resolve(name: string): PyValue | undefined;
  /** the attribute names of what `head` names (RPyC: a remote object held, or a path from the root) */
  attributes?(head: string): Promise<string[]>;
}

/** Everything Tab offers at the end of `line`: lineCompletions, then a dict's keys or a remote object's attributes. */
export async function completeLine(line: string, src: CompletionSources): Promise<LineCompletions | undefined> {
  const keys = keyCompletions(line, src.resolve);
  if (keys) return keys;
  const listed = await src.methods().catch((): readonly MethodInfo[] => []);
  const found = lineCompletions(
    line,
    listed.map((m) => m.name),
    src.variables,
    (name) => listed.find((m) => m.name === name)?.params?.map((p) => p.name),
  );
  const dot = found?.prefix.lastIndexOf('.') ?? -1;
  if (!found || found.kind === 'argument' || dot < 0 || found.candidates.length > 0 || !src.attributes) return found;
  // not a dotted method name: the attributes of what the head names
  const head = found.prefix.slice(0, dot);
  const names = await src.attributes(head).catch((): string[] => []);
  const attributes = names.filter((n) => !n.startsWith('_')).map((n) => `${head}.${n}`);
  return { kind: 'attribute', prefix: found.prefix, candidates: sortedStartingWith(attributes, found.prefix) };
}

/** `x[`, `x['ro`, `_[0]["`: a subscription being typed at the end, after a variable (and subscriptions of it). */
const KEY_AT_END = /(?<![\w.\]])([A-Za-z_]\w*(?:\[[^[\]]*\])*)\[\s*((['"])([^'"\\]*))?$/;

/** The keys of the dict a subscription at the end of `line` reads: `'rows']` for `x['ro`. */
export function keyCompletions(line: string, resolve: (name: string) => PyValue | undefined): LineCompletions | undefined {
  const m = KEY_AT_END.exec(line);
  if (!m) return undefined;
  let value: PyValue;
  try {
    value = parseLiteral(m[1], { resolve });
  } catch {
    return undefined;
  }
  if (value.t !== 'dict') return undefined;
  const [, , prefix = '', quote, typed = ''] = m;
  const keys = kvKeys(value.kv);
  const texts = quote
    ? keys.flatMap((k) => (k.t === 'str' && k.v.startsWith(typed) && /^[^'"\\\p{C}]*$/u.test(k.v) ? [`${quote}${k.v}${quote}]`] : []))
    : keys.map((k) => `${repr(k)}]`);
  return { kind: 'key', prefix, candidates: [...new Set(texts)].sort() };
}

