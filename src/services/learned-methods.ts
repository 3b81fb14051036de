// Protocols without introspection (pickle://, mpjson://, tcpjson://) can only list the names that
// were seen to work. The call history, shared by the CLI, the REPL and the app, is where they are seen.
import type { MethodInfo, MethodList } from '../common/call';
import { parseCall } from '../common/parse';
import { answersNoSuchMethod, type MethodOutcome } from '../common/no-such-method';

/** What the history keeps of one call (HistoryEntry and CallRecord both fit). */
export interface CallOutcome extends MethodOutcome {
  call: string;
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
    let method: string;
    try {
      const req = parseCall(entry.call);
      if (req.target) continue; // a method of a remote object, not of the service
      method = req.method;
    } catch {
      continue;
    }
    if (!seen.has(method)) seen.set(method, !meansNoSuchMethod(entry, method));
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
