// Tab completion: remote method names (client.methods()), RPyC attributes after a dot
// (client.complete), and the session's variables and the method's keyword names inside arguments.
import type { MethodInfo } from '../../common/call';
import { lineCompletions } from '../../common/completions';
import type { PyValue } from '../../common/value';
import type { ReplSession } from './session';

/** An RPyC client can also list the attributes of a netref the user holds. */
interface RefCompleter {
  completeRef(ref: PyValue): Promise<string[]>;
}

const hasCompleteRef = (c: object): c is RefCompleter => typeof (c as Partial<RefCompleter>).completeRef === 'function';

async function attributeNames(session: ReplSession, head: string): Promise<string[]> {
  const client = session.client;
  const held = session.scope.get(head.split('.')[0]);
  if (held?.t === 'ref' && !head.includes('.') && hasCompleteRef(client)) return client.completeRef(held);
  if (client.complete) return client.complete(head);
  return [];
}

/** Completions for `line` (the text before the cursor): [candidates, the text they replace]. */
export async function complete(session: ReplSession, line: string): Promise<[string[], string]> {
  const variables = [...session.scope.keys()];
  let listed: MethodInfo[] = [];
  try {
    listed = (await session.methods()).methods;
  } catch {
    // no method list (or no connection): offer what we know locally
  }
  const paramsOf = (name: string) => listed.find((m) => m.name === name)?.params?.map((p) => p.name);
  const found = lineCompletions(
    line,
    listed.map((m) => m.name),
    variables,
    paramsOf,
  );
  if (!found) return [[], line];
  const dot = found.prefix.lastIndexOf('.');
  if (found.kind !== 'argument' && dot >= 0 && found.candidates.length === 0) {
    // not a dotted method name: the attributes of what the head names (RPyC)
    const head = found.prefix.slice(0, dot);
    try {
      const attrs = (await attributeNames(session, head)).filter((n) => !n.startsWith('_')).map((n) => `${head}.${n}`);
      return [[...new Set(attrs.filter((n) => n.startsWith(found.prefix)))].sort(), found.prefix];
    } catch {
      return [[], found.prefix];
    }
  }
  return [found.candidates, found.prefix];
}
