// Tab completion at the REPL: what completeLine offers, from the session's method list, its
// variables and their values, and (RPyC) the server's attribute names.
import { completeLine } from '../../common/completions';
import { attributeNames } from '../../clients/attributes';
import type { ReplSession } from './session';

/** Completions for `line` (the text before the cursor): [candidates, the text they replace]. */
export async function complete(session: ReplSession, line: string): Promise<[string[], string]> {
  const resolve = (name: string) => session.scope.get(name);
  const found = await completeLine(line, {
    methods: async () => (await session.methods()).methods,
    variables: [...session.scope.keys()],
    resolve,
    attributes: (head) => attributeNames(session.client, head, resolve),
  });
  return found ? [found.candidates, found.prefix] : [[], line];
}
