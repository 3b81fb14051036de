// Protocols without introspection (pickle://, mpjson://, tcpjson://) can only list the names that
// were seen to work. The call history, shared by the CLI, the REPL and the app, is where they are
// seen, and the collection runs the app made.
import type { MethodInfo, MethodList } from '../common/call';
import { tokenize } from '../common/parse';
import { answersNoSuchMethod, type MethodOutcome } from '../common/no-such-method';

/** What the history keeps of one call (HistoryEntry and CallRecord both fit). */
export interface CallOutcome extends MethodOutcome {
  /** the statement as typed: `add(2, 3)`, `x = add(a, 1)` */
  call: string;
}

/**
 * The service method a statement calls, read from its tokens alone so that arguments naming
 * variables do not matter: `add(x, 1)` and `y = add(1, 2)` call add. Undefined for anything else.
 */
export function calledMethod(statement: string): string | undefined {
  let tokens;
  try {
    tokens = tokenize(statement).filter((t) => t.kind !== 'comment');
  } catch {
    return undefined;
  }
  let i = tokens[0]?.kind === 'name' && tokens[1]?.text === '=' ? 2 : 0;
  if (tokens[i]?.kind !== 'name') return undefined;
  let name = tokens[i++].text;
  while (tokens[i]?.text === '.' && tokens[i + 1]?.kind === 'name') {
    name += `.${tokens[i + 1].text}`;
    i += 2;
  }
  return tokens[i]?.text === '(' ? name : undefined;
}

/**
 * What the app's collection runs showed of each server, by URL (without its authkey), kept while
 * the app runs: their calls go on connections of their own and into no history.
 */
export class RunOutcomes {
  /** per server, the outcomes kept (the newest; enough to learn a service's names from) */
  static readonly KEEP = 1000;
  private readonly byUrl = new Map<string, CallOutcome[]>();

  record(url: string, outcome: CallOutcome): void {
    let list = this.byUrl.get(url);
    if (!list) this.byUrl.set(url, (list = []));
    list.push(outcome);
    if (list.length > RunOutcomes.KEEP) list.splice(0, list.length - RunOutcomes.KEEP);
  }

  outcomes(url: string): CallOutcome[] {
    return this.byUrl.get(url) ?? [];
  }
}

/** Whether a call of `method` shows nothing about it: a local failure, or the server's "no such method". */
function meansNoSuchMethod(entry: CallOutcome, method: string): boolean {
  if (!entry.ok && (!entry.error || entry.error.type.startsWith('E_'))) return true; // local failure: nothing was learned
  return answersNoSuchMethod(entry, method);
}

/** Method names from calls (oldest first), most recently used first. */
export function learnedMethodNames(calls: CallOutcome[]): string[] {
  const seen = new Map<string, boolean>();
  for (let i = calls.length - 1; i >= 0; i--) {
    const entry = calls[i];
    const method = calledMethod(entry.call);
    if (method !== undefined && !seen.has(method)) seen.set(method, !meansNoSuchMethod(entry, method));
  }
  return [...seen].filter(([, works]) => works).map(([name]) => name);
}

/** Adds the names learned from past calls to a list that did not come from introspection. */
export function withLearnedMethods(list: MethodList, calls: CallOutcome[]): MethodList {
  if (list.source === 'introspection') return list;
  const known = new Set(list.methods.map((m) => m.name));
  const extra: MethodInfo[] = learnedMethodNames(calls)
    .filter((name) => !known.has(name))
    .map((name) => ({ name }));
  if (extra.length === 0) return list;
  return { ...list, methods: [...list.methods, ...extra], source: 'learned' };
}
