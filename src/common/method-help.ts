// `help(name)` at the REPL and in the window's console: a remote method's signature and its whole
// documentation, where the server's listing gives them (XML-RPC system.methodHelp, OpenRPC, RPyC
// docstrings). One reading of the statement and one text for both.
import type { MethodInfo, MethodList } from './call';
import { isRpcError, RpcError } from './errors';
import { tokenize } from './lexer';
import { repr } from './repr';
import type { PyValue } from './value';

/**
 * What `help(...)` asks about: the service's methods (`help()`), one of them, or a remote object
 * held in a variable (or one of its methods).
 */
export type HelpTopic = { listing: true } | { method: string } | { object: string; ref: PyValue; method?: string };

/**
 * The topic of a `help(...)` statement, or undefined when the statement is something else. A bare,
 * possibly dotted, name is a method (`help(get)`, `help(system.listMethods)`); a variable holding
 * a remote object is that object (`help(c)`, `help(c.incr)`). Any other variable is a value, so
 * `help(x)` stays a call of a remote `help`.
 */
export function helpTopic(source: string, variable: (name: string) => PyValue | undefined): HelpTopic | undefined {
  let toks;
  try {
    toks = tokenize(source);
  } catch {
    return undefined;
  }
  if (toks.length < 3 || toks[0].kind !== 'name' || toks[0].text !== 'help' || toks[1].text !== '(' || toks[toks.length - 1].text !== ')') return undefined;
  const inner = toks.slice(2, -1);
  // (at Python's prompt, help() starts the help utility: here, what help can tell of)
  if (inner.length === 0) return { listing: true };
  // a dotted name: name (. name)*
  if (!inner.every((t, i) => (i % 2 === 0 ? t.kind === 'name' : t.kind === 'op' && t.text === '.')) || inner.length % 2 === 0) return undefined;
  const held = variable(inner[0].text);
  if (held !== undefined) {
    if (held.t !== 'ref' || inner.length > 3) return undefined;
    return inner.length === 1 ? { object: inner[0].text, ref: held } : { object: inner[0].text, ref: held, method: inner[2].text };
  }
  const name = inner.map((t) => t.text).join('');
  if (['None', 'True', 'False'].includes(name)) return undefined;
  return { method: name };
}

/** Where help() looks methods up: the service's listing, and a remote object's (RPyC). */
export interface HelpSources {
  methods(): Promise<MethodList>;
  methodsOf?(ref: PyValue): Promise<MethodList>;
}

/** The text help() prints for a topic. */
export async function helpText(topic: HelpTopic, sources: HelpSources): Promise<string> {
  if ('listing' in topic) return listingHelpText(await sources.methods());
  if (!('object' in topic)) return methodHelpText(await sources.methods(), topic.method);
  if (!sources.methodsOf) throw new RpcError('E_UNSUPPORTED', `this protocol cannot list the methods of ${topic.object}`);
  const list = await sources.methodsOf(topic.ref);
  const attributes = list.attributes ?? [];
  if (topic.method !== undefined) {
    if (attributes.includes(topic.method)) return `${topic.object}.${topic.method} is an attribute, not a method: ${topic.object}.${topic.method} alone reads it`;
    return methodHelpText(list, topic.method, `${topic.object}.`);
  }
  const lines = list.methods.length === 0 ? ['(it exposes no methods)'] : list.methods.map((m) => methodLine(m));
  if (attributes.length > 0) lines.push(`attributes: ${attributes.join(', ')} (${topic.object}.${attributes[0]} reads one)`);
  return `${topic.object}: ${repr(topic.ref)}\n${lines.map((l) => `    ${l}`).join('\n')}`;
}

/** What help() prints: each method on a line, and where the list comes from. */
function listingHelpText(list: MethodList): string {
  const why = list.note ?? "the server's listing";
  if (list.methods.length === 0) return `no methods are known: ${why}`;
  return [...list.methods.map((m) => methodLine(m)), `(${why}; help(NAME) prints one whole)`].join('\n');
}

/** A method as one line: its signature (or name) and the first line of its documentation. */
export function methodLine(m: MethodInfo, dim: (text: string) => string = (t) => t): string {
  const head = methodSignature(m) ?? m.name;
  const doc = m.doc?.trim().split('\n')[0];
  return doc ? `${head}  ${dim(`— ${doc}`)}` : head;
}

/** The method's signature as a call, `get(name)`, where the listing gives one. */
export function methodSignature(m: MethodInfo): string | undefined {
  // (XML-RPC's name the return type first: `string get(string)`)
  if (m.signature) return m.signature.includes(`${m.name}(`) ? m.signature : `${m.name}(${m.signature})`;
  if (m.params?.length) return `${m.name}(${m.params.map((p) => p.name).join(', ')})`;
  return undefined;
}

/**
 * What help(name) prints: the head line, then the documentation indented, as Python's help() does;
 * `owner` prefixes the name (`c.` for a method of the remote object in `c`).
 */
export function methodHelpText(list: MethodList, name: string, owner = ''): string {
  const m = list.methods.find((x) => x.name === name);
  const listed = list.source === 'introspection';
  const why = list.note ?? 'the server has no introspection';
  if (!m) {
    const known = list.methods.length === 0 ? 'none is known yet' : `known: ${list.methods.map((x) => x.name).join(', ')}`;
    const where = owner === '' ? "the server's listing" : `the methods of ${owner.slice(0, -1)}`;
    throw new RpcError('E_USAGE', listed ? `no method '${name}' in ${where} (${known})` : `nothing is known of '${name}': ${why} (${known})`);
  }
  const doc = m.doc?.trim();
  const body = doc ? dedent(doc) : listed ? '(the server gives no documentation for it)' : `(no documentation: ${why})`;
  return `${owner}${methodSignature(m) ?? `${m.name}(...)`}\n${body.split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n')}`;
}

/** A docstring without the indentation its later lines share (inspect.cleandoc's rule). */
function dedent(doc: string): string {
  const lines = doc.split('\n').map((l) => l.trimEnd());
  const indents = lines.slice(1).filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(cut))].join('\n');
}

/**
 * A statement that is a remote method's bare name (`lookup`, `system.listMethods`) fails to parse
 * as a value; Python would show the function. The error then says it is a method and how to call
 * it, from the listing. Any other error is returned as it is.
 */
export async function explainBareMethod(error: unknown, source: string, methods: () => Promise<MethodList>): Promise<unknown> {
  if (!isRpcError(error, 'E_PARSE')) return error;
  let toks;
  try {
    toks = tokenize(source);
  } catch {
    return error;
  }
  const dotted = toks.length % 2 === 1 && toks.every((t, i) => (i % 2 === 0 ? t.kind === 'name' : t.text === '.'));
  if (!dotted) return error;
  const name = toks.map((t) => t.text).join('');
  const m = (await methods().catch(() => undefined))?.methods.find((x) => x.name === name);
  if (!m) return error;
  return new RpcError('E_PARSE', `'${name}' is a remote method: call it, ${methodSignature(m) ?? `${name}(...)`}; help(${name}) prints its documentation`);
}

