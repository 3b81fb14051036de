// Tab completion: remote method names (client.methods()), RPyC attributes after a dot
// (client.complete), and the session's variables inside arguments.
import { callContext } from '../../common/parse';
import type { PyValue } from '../../common/value';
import type { ReplSession } from './session';

/** An RPyC client can also list the attributes of a netref the user holds. */
interface RefCompleter {
  completeRef(ref: PyValue): Promise<string[]>;
}

const hasCompleteRef = (c: object): c is RefCompleter => typeof (c as Partial<RefCompleter>).completeRef === 'function';

const KEYWORDS = ['None', 'True', 'False'];

async function attributeNames(session: ReplSession, head: string): Promise<string[]> {
  const client = session.client;
  const held = session.scope.get(head.split('.')[0]);
  if (held?.t === 'ref' && !head.includes('.') && hasCompleteRef(client)) return client.completeRef(held);
  if (client.complete) return client.complete(head);
  return [];
}

/** Completions for `line` (the text before the cursor): [candidates, the text they replace]. */
export async function complete(session: ReplSession, line: string): Promise<[string[], string]> {
  const ctx = callContext(line, line.length);
  const variables = [...session.scope.keys()];
  if (ctx.kind === 'method') {
    const prefix = ctx.prefix;
    const dot = prefix.lastIndexOf('.');
    let names: string[] = [];
    try {
      const methods = (await session.methods()).methods.map((m) => m.name);
      names = methods.filter((n) => n.startsWith(prefix));
      if (dot >= 0 && names.length === 0) {
        const head = prefix.slice(0, dot);
        names = (await attributeNames(session, head)).filter((n) => !n.startsWith('_')).map((n) => `${head}.${n}`);
      }
    } catch {
      // no method list (or no connection): offer what we know locally
    }
    if (dot < 0) names.push(...variables);
    return [unique(names.filter((n) => n.startsWith(prefix))).sort(), prefix];
  }
  if (ctx.kind === 'argument' && ctx.prefix !== undefined) {
    const p = ctx.prefix;
    return [unique([...variables, ...KEYWORDS].filter((n) => n.startsWith(p))).sort(), p];
  }
  return [[], line];
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
