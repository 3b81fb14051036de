// What the cursor is in, for an editor's completions and signature help: the method name being
// typed, or an argument of a call (which one, and which keyword names are taken).
import { highlight, type Token } from './lexer';

export type CallContext =
  | { kind: 'method'; /** the dotted name typed so far */ prefix: string; from: number }
  | {
      kind: 'argument';
      method: string;
      /** 0-based index among the arguments */
      index: number;
      /** the keyword of the current argument, once `name=` is typed */
      keyword?: string;
      /** keyword names already given */
      keywordsUsed: string[];
      /** the bare name being typed at the cursor (a keyword or a variable), with where it starts */
      prefix?: string;
      from?: number;
    }
  | { kind: 'none' };

const isOp = (t: Token | undefined, text: string): boolean => t?.kind === 'op' && t.text === text;

/** The completion context at `offset` in a call expression or REPL statement. */
export function callContext(src: string, offset: number): CallContext {
  let toks = highlight(src.slice(0, offset)).filter((t) => t.kind !== 'comment');
  if (toks.length >= 2 && toks[0].kind === 'name' && isOp(toks[1], '=')) toks = toks.slice(2);
  if (toks.length === 0) return { kind: 'method', prefix: '', from: offset };
  // the dotted head: name (. name)*
  let i = 0;
  const parts: string[] = [];
  while (toks[i]?.kind === 'name') {
    parts.push(toks[i].text);
    i++;
    if (!isOp(toks[i], '.')) break;
    i++;
  }
  if (parts.length === 0) return { kind: 'none' };
  const from = toks[0].start;
  const atEnd = toks[toks.length - 1].end === offset;
  if (i >= toks.length) return atEnd || isOp(toks[i - 1], '.') ? { kind: 'method', prefix: src.slice(from, offset), from } : { kind: 'none' };
  if (!isOp(toks[i], '(')) return { kind: 'none' };
  let depth = 0;
  let index = 0;
  let keyword: string | undefined;
  const keywordsUsed: string[] = [];
  let argStart = i + 1;
  for (let k = i + 1; k < toks.length; k++) {
    const t = toks[k];
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    else if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) {
      if (depth === 0) return { kind: 'none' };
      depth--;
    } else if (depth === 0 && isOp(t, ',')) {
      index++;
      keyword = undefined;
      argStart = k + 1;
    } else if (depth === 0 && isOp(t, '=') && k === argStart + 1 && toks[argStart].kind === 'name') {
      keyword = toks[argStart].text;
      keywordsUsed.push(keyword);
    }
  }
  const method = parts.join('.');
  const last = toks[toks.length - 1];
  // a name as the argument, or as the value after `keyword=`
  const nameAt = keyword === undefined ? argStart : argStart + 2;
  const typingName = depth === 0 && last.kind === 'name' && last.end === offset && toks.length - 1 === nameAt;
  return typingName
    ? { kind: 'argument', method, index, keyword, keywordsUsed, prefix: last.text, from: last.start }
    : { kind: 'argument', method, index, keyword, keywordsUsed };
}
