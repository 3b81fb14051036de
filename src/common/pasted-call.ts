// Calls pasted from Python client code name the client's object first: `proxy.add(2, 3)` (the
// Cookbook's RPCProxy), `s.get('k')` (an xmlrpc.client ServerProxy), `conn.root.foo()` (RPyC). Here
// a method is called by its own name, so such a call goes out as the dotted name and the server
// answers that it has no such method. The hint says what to type instead.
import type { MethodList } from './call';
import { tokenize } from './lexer';
import { answersNoSuchMethod, type MethodOutcome } from './no-such-method';

/** The variable names Python client code gives its proxy object (the seeds' articles use these). */
const CLIENT_OBJECTS = new Set(['proxy', 's', 'c', 'client', 'server', 'srv', 'rpc', 'conn', 'connection', 'remote']);

export interface PastedCallHint {
  /** the statement as rpcscope takes it: `add(2, 3)` */
  suggested: string;
  /** the part left out: `proxy.` */
  dropped: string;
}

/**
 * Local failures a name the server lacks can end in: seed 001's JSON servers send nothing back for
 * an exception (the call times out), and a server that drops a bad request closes the connection.
 */
const SILENT_ANSWERS = new Set(['E_TIMEOUT', 'E_CLOSED']);

/**
 * The hint for a statement that called the dotted `method` and got "no such method" (or no answer
 * at all, see SILENT_ANSWERS), when the name looks like a client object's attribute: its tail is a
 * method the server has, or (where the server lists no methods of its own) it starts with RPyC's
 * `NAME.root.` or a usual proxy variable, which is no prefix of the names seen to work. `methods`
 * (which may cost a round trip) is asked only when the rest fits, and not after no answer.
 */
export async function pastedCallHint(
  source: string,
  method: string,
  outcome: MethodOutcome,
  methods: () => Promise<MethodList>,
): Promise<PastedCallHint | undefined> {
  const silent = !outcome.ok && SILENT_ANSWERS.has(outcome.error?.type ?? '');
  if (!method.includes('.') || !(silent || answersNoSuchMethod(outcome, method))) return undefined;
  // a server that went silent is not asked for its list (it may not answer that either): then only
  // a usual client variable before the name counts
  const none: MethodList = { methods: [], source: 'none' };
  const list = silent ? none : await methods().catch(() => none);
  const known = list.methods.map((m) => m.name);
  if (known.includes(method)) return undefined;
  const name = methodWithoutClient(method, known, list.source === 'introspection');
  if (name === undefined) return undefined;
  const dropped = method.slice(0, method.length - name.length);
  return { suggested: withoutPrefix(source, method, dropped) ?? `${name}(...)`, dropped };
}

/** The tail of `method` to call instead; with a `complete` list, only a method it has. */
function methodWithoutClient(method: string, known: readonly string[], complete: boolean): string | undefined {
  const parts = method.split('.');
  for (let k = 1; k < parts.length; k++) {
    const rest = parts.slice(k).join('.');
    if (known.includes(rest)) return rest;
  }
  if (complete) return undefined;
  const rpyc = /^\w+\.root\.(.+)$/.exec(method);
  if (rpyc) return rpyc[1];
  if (CLIENT_OBJECTS.has(parts[0]) && !known.some((m) => m.startsWith(`${parts[0]}.`))) return parts.slice(1).join('.');
  return undefined;
}

/** The source with the method's `dropped` part cut out where its tokens are (`proxy . add` too). */
function withoutPrefix(source: string, method: string, dropped: string): string | undefined {
  let toks;
  try {
    toks = tokenize(source);
  } catch {
    return undefined;
  }
  const parts = method.split('.');
  const keptAt = dropped.split('.').length - 1; // index of the first part kept
  for (let i = 0; i + 2 * parts.length - 1 <= toks.length; i++) {
    const matches = parts.every((p, k) => toks[i + 2 * k].text === p && (k === parts.length - 1 || toks[i + 2 * k + 1].text === '.'));
    if (matches) return source.slice(0, toks[i].start) + source.slice(toks[i + 2 * keptAt].start);
  }
  return undefined;
}

/** The hint as the terminal prints it. */
export function pastedCallHintText(h: PastedCallHint): string {
  return `hint: here a method is called by its own name: ${h.suggested} (${h.dropped} is the Python client's object)`;
}
