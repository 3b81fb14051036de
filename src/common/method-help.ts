// `help(name)` at the REPL and in the window's console: a remote method's signature and its whole
// documentation, where the server's listing gives them (XML-RPC system.methodHelp, OpenRPC, RPyC
// docstrings). One reading of the statement and one text for both.
import type { MethodInfo, MethodList } from './call';
import { RpcError } from './errors';
import { tokenize } from './lexer';

/**
 * The method `help(name)` asks about, or undefined when the statement is something else. The name
 * is bare (`help(get)`, `help(system.listMethods)`); a variable of that name is no method, so
 * `help(x)` with `x` bound stays a call of a remote `help`.
 */
export function helpTopic(source: string, isVariable: (name: string) => boolean): string | undefined {
  let toks;
  try {
    toks = tokenize(source);
  } catch {
    return undefined;
  }
  if (toks.length < 4 || toks[0].kind !== 'name' || toks[0].text !== 'help' || toks[1].text !== '(' || toks[toks.length - 1].text !== ')') return undefined;
  const inner = toks.slice(2, -1);
  // a dotted name: name (. name)*
  if (!inner.every((t, i) => (i % 2 === 0 ? t.kind === 'name' : t.kind === 'op' && t.text === '.')) || inner.length % 2 === 0) return undefined;
  const name = inner.map((t) => t.text).join('');
  if (isVariable(inner[0].text) || ['None', 'True', 'False'].includes(name)) return undefined;
  return name;
}

/** The method's signature as a call, `get(name)`, where the listing gives one. */
export function methodSignature(m: MethodInfo): string | undefined {
  // (XML-RPC's name the return type first: `string get(string)`)
  if (m.signature) return m.signature.includes(`${m.name}(`) ? m.signature : `${m.name}(${m.signature})`;
  if (m.params?.length) return `${m.name}(${m.params.map((p) => p.name).join(', ')})`;
  return undefined;
}

/** What help(name) prints: the head line, then the documentation indented, as Python's help() does. */
export function methodHelpText(list: MethodList, name: string): string {
  const m = list.methods.find((x) => x.name === name);
  const listed = list.source === 'introspection';
  const why = list.note ?? 'the server has no introspection';
  if (!m) {
    const known = list.methods.length === 0 ? 'none is known yet' : `known: ${list.methods.map((x) => x.name).join(', ')}`;
    throw new RpcError('E_USAGE', listed ? `no method '${name}' in the server's listing (${known})` : `nothing is known of '${name}': ${why} (${known})`);
  }
  const doc = m.doc?.trim();
  const body = doc ? dedent(doc) : listed ? '(the server gives no documentation for it)' : `(no documentation: ${why})`;
  return `${methodSignature(m) ?? `${m.name}(...)`}\n${body.split('\n').map((l) => (l === '' ? '' : `    ${l}`)).join('\n')}`;
}

/** A docstring without the indentation its later lines share (inspect.cleandoc's rule). */
function dedent(doc: string): string {
  const lines = doc.split('\n').map((l) => l.trimEnd());
  const indents = lines.slice(1).filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = indents.length === 0 ? 0 : Math.min(...indents);
  return [lines[0].trim(), ...lines.slice(1).map((l) => l.slice(cut))].join('\n');
}
