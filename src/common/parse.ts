// The call-expression parser: `name(args, kw=value)` whose arguments are Python literals, exactly
// the forms ast.literal_eval accepts, plus the REPL's variables, and `*iterable` / `**mapping`
// unpacked into the arguments.
//
// Beyond literal_eval (so that what the printer shows can be typed back in): inside arguments,
// `set(...)`, `frozenset(...)` and `bytearray(...)` of a literal, and `float('nan' | 'inf' | '-inf')`;
// and subscriptions, `x['key'][0]`, `_[1:3]`, to read into a result kept (subscript.ts).
// A `name(...)` at the top of a statement is always a remote call, even `set(...)`.
import type { CallRequest } from './call';
import { RpcError } from './errors';
import { operatorError, parseError, tokenize, type Token } from './lexer';
import { repr } from './repr';
import { kvKeys, kvPairs, type PyValue } from './value';
import { subscript, SubscriptError, type Slice } from './subscript';
import { foldDuplicateKeys, pyTypeName, uniqueMembers, unhashableType } from './value-util';

export { highlight, lookupUnicodeName, tokenize, type Token, type TokenKind } from './lexer';
export { callContext, type CallContext } from './call-context';

export interface ParseOptions {
  /** the value of a variable (the REPL's `x`, `_`), or undefined when there is none */
  resolve?: (name: string) => PyValue | undefined;
  /** the variables stand for values not known here (a statement checked for a script): a
   *  subscription is read, not computed, and stands for the value it was applied to */
  placeholders?: boolean;
}

export type Statement =
  | { kind: 'call'; call: CallRequest }
  | { kind: 'assign'; target: string; call?: CallRequest; value?: PyValue }
  | { kind: 'expr'; value: PyValue };

/** Parses `name(args, kw=value)` (or `c.attr` of a remote object held). Throws RpcError('E_PARSE') naming the problem and its column. */
export function parseCall(src: string, opts: ParseOptions = {}): CallRequest {
  const p = new Parser(src, opts);
  const read = p.attributeRead();
  if (read) return read;
  if (!p.atCallHead()) {
    if (p.peek() === undefined) throw p.errorAt(p.eofToken(), 'no call given: write one, such as add(2, 3)');
    if (p.peek()?.kind === 'name' && p.peek(1)?.text === '=') throw p.errorAt(p.peek(1)!, 'an assignment is not a call here: give the call alone');
    if (p.peek()?.kind === 'name') {
      const name = p.dottedText();
      throw p.errorAt(p.peek() ?? p.eofToken(), `'${name}' is not a call; did you mean ${name}()?`);
    }
    throw p.unexpected();
  }
  const call = p.call();
  p.expectEnd();
  return call;
}

/** Parses one Python literal (or variable). */
export function parseLiteral(src: string, opts: ParseOptions = {}): PyValue {
  const p = new Parser(src, opts);
  const v = p.expr().value;
  p.expectEnd();
  return v;
}

/** A REPL line: `call(...)`, `x = call(...)`, `x = literal`, or a bare literal or variable. */
export function parseStatement(src: string, opts: ParseOptions = {}): Statement {
  const p = new Parser(src, opts);
  const first = p.peek();
  let target: string | undefined;
  if (first?.kind === 'name' && p.peek(1)?.text === '=') {
    if (KEYWORD_VALUES.has(first.text)) throw p.errorAt(first, `cannot assign to ${first.text}`);
    if (STATEMENT_KEYWORDS.has(first.text)) throw p.errorAt(first, `invalid syntax: '${first.text}' is a Python keyword, not a name to assign to`);
    target = first.text;
    p.next();
    p.next();
  }
  const read = p.attributeRead();
  if (read) return target === undefined ? { kind: 'call', call: read } : { kind: 'assign', target, call: read };
  if (p.atCallHead()) {
    const call = p.call();
    if (p.peek()?.text === '[') {
      const example = target ?? 'x';
      throw p.errorAt(p.peek()!, `a call's result is subscripted in a statement of its own: ${example} = ${call.method}(...), then ${example}[...]`);
    }
    p.expectEnd();
    return target === undefined ? { kind: 'call', call } : { kind: 'assign', target, call };
  }
  const value = p.expr().value;
  p.expectEnd();
  return target === undefined ? { kind: 'expr', value } : { kind: 'assign', target, value };
}

/**
 * The name a statement's value is bound to, as at Python's prompt: an assignment binds its target,
 * and the value of any other statement becomes `_` unless it is None.
 */
export function boundName(stmt: Statement, value: PyValue): string | undefined {
  if (stmt.kind === 'assign') return stmt.target;
  return value.t === 'none' ? undefined : '_';
}

const KEYWORD_VALUES = new Map<string, PyValue>([
  ['None', { t: 'none' }],
  ['True', { t: 'bool', v: true }],
  ['False', { t: 'bool', v: false }],
]);

/** Python's other keywords: `lambda x: x`, `not 1`, `await f()` where a literal goes */
const STATEMENT_KEYWORDS = new Set(
  'and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** Operator tokens that, out of place, mean an expression was typed where a literal goes */
const ARITHMETIC_OPS = new Set(['*', '**', '+', '-', '==']);

const CLOSING: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** A parsed expression; `num` marks a bare number literal, the only operand literal_eval signs. */
interface Node {
  value: PyValue;
  num: boolean;
  /** the result of `-x`/`+x`, allowed only as the left side of a complex `a+bj` */
  signed?: boolean;
  start: number;
}

/** Python's parser gives up at 200 nested brackets too (the tokenizer's MAXLEVEL). */
export const MAX_NESTING = 200;

class Parser {
  private readonly toks: Token[];
  private i = 0;
  private depth = 0;

  constructor(
    private readonly src: string,
    private readonly opts: ParseOptions,
  ) {
    this.toks = tokenize(src);
  }

  peek(ahead = 0): Token | undefined {
    return this.toks[this.i + ahead];
  }

  next(): Token {
    const t = this.toks[this.i++];
    if (t === undefined) throw this.unexpected();
    return t;
  }

  eofToken(): Token {
    return { kind: 'op', start: this.src.length, end: this.src.length, text: '' };
  }

  errorAt(tok: Token, problem: string): RpcError {
    return parseError(this.src, tok.start, problem);
  }

  /** The error for the current token: `unexpected ')'`, or what was left open at the end. */
  unexpected(): RpcError {
    const t = this.peek();
    if (t !== undefined && t.kind === 'op' && ARITHMETIC_OPS.has(t.text)) return operatorError(this.src, t.start, t.text);
    // (the REPL and the console split statements at ';' before they parse them)
    if (t?.kind === 'op' && t.text === ';') return parseError(this.src, t.start, "';' ends a statement: one call goes here");
    if (t !== undefined) return parseError(this.src, t.start, `unexpected ${t.kind === 'op' ? `'${t.text}'` : describe(t)}`);
    const open: Token[] = [];
    for (const tok of this.toks) {
      if (tok.text in CLOSING) open.push(tok);
      else if (open.length > 0 && tok.text === CLOSING[open[open.length - 1].text]) open.pop();
    }
    if (open.length > 0) return parseError(this.src, open[open.length - 1].start, `'${open[open.length - 1].text}' was never closed`);
    return parseError(this.src, this.src.length, 'unexpected end of input');
  }

  expectEnd(): void {
    if (this.peek() !== undefined) throw this.unexpected();
  }

  private expectOp(text: string): Token {
    const t = this.peek();
    if (t?.kind !== 'op' || t.text !== text) throw this.unexpected();
    return this.next();
  }

  private isOp(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t?.kind === 'op' && t.text === text;
  }

  /** The dotted name at the cursor as text (without consuming). */
  dottedText(): string {
    let k = 0;
    let text = this.peek()!.text;
    while (this.isOp('.', k + 1) && this.peek(k + 2)?.kind === 'name') {
      text += '.' + this.peek(k + 2)!.text;
      k += 2;
    }
    return text;
  }

  /** Whether the cursor is at `dotted.name(`. */
  atCallHead(): boolean {
    if (this.peek()?.kind !== 'name') return false;
    let k = 1;
    while (this.isOp('.', k) && this.peek(k + 1)?.kind === 'name') k += 2;
    return this.isOp('(', k);
  }

  /**
   * `c.value` alone, where `c` holds a remote object: a read of its attribute (RPyC GETATTR), a
   * statement of its own as a call is. Undefined (nothing consumed) for anything else.
   */
  attributeRead(): CallRequest | undefined {
    if (this.peek()?.kind !== 'name' || !this.isOp('.', 1)) return undefined;
    let k = 1;
    while (this.isOp('.', k) && this.peek(k + 1)?.kind === 'name') k += 2;
    if (k !== this.toks.length - this.i) return undefined;
    const head = this.opts.resolve?.(this.peek()!.text);
    if (head === undefined || (head.t !== 'ref' && !this.opts.placeholders)) return undefined;
    const names = this.toks.slice(this.i + 2, this.i + k).filter((t) => t.kind === 'name').map((t) => t.text);
    this.i += k;
    return { method: names.join('.'), target: head, attribute: true, args: [], kwargs: [] };
  }

  call(): CallRequest {
    const parts = [this.next().text];
    while (this.isOp('.')) {
      this.next();
      const t = this.next();
      if (t.kind !== 'name') throw parseError(this.src, t.start, `expected a name after '.'`);
      parts.push(t.text);
    }
    const headAt = this.toks[this.i - 2 * parts.length + 1]?.start ?? 0;
    const { args, kwargs } = this.arguments();
    const head = parts.length > 1 ? this.opts.resolve?.(parts[0]) : undefined;
    if (head !== undefined && head.t !== 'ref' && !this.opts.placeholders) {
      // (it would go to the server as a method named `keys`)
      const read = ['list', 'tuple', 'dict', 'str', 'bytes'].includes(head.t) ? ` (read into it with ${parts[0]}[...])` : '';
      const type = pyTypeName(head);
      throw parseError(this.src, headAt, `${parts[0]} holds ${/^[aeiou]/i.test(type) ? 'an' : 'a'} ${type}, a value kept here, not a remote object: ${parts.join('.')}() cannot be called${read}`);
    }
    if (head !== undefined) return { method: parts.slice(1).join('.'), target: head, args, kwargs };
    // `f(2)` where f holds a remote object (a bound method, a function): it is called, as Python would
    const held = parts.length === 1 ? this.opts.resolve?.(parts[0]) : undefined;
    if (held?.t === 'ref') return { method: parts[0], target: held, invoke: true, args, kwargs };
    return { method: parts.join('.'), args, kwargs };
  }

  /**
   * `( args )`: positional arguments, then keyword ones, with `*iterable` and `**mapping` unpacked
   * in place (after Python's rules for where each may stand).
   */
  private arguments(): { args: PyValue[]; kwargs: [string, PyValue][] } {
    this.expectOp('(');
    const args: PyValue[] = [];
    const kwargs: [string, PyValue][] = [];
    let keywordSeen = false;
    let mappingSeen = false;
    const written = new Set<string>();
    // Python rejects a repeated `k=` when it compiles and a clash with `**` only when it calls
    const addKeyword = (name: string, value: PyValue, at: number, explicit: boolean) => {
      if (explicit && written.has(name)) throw parseError(this.src, at, `keyword argument repeated: ${name}`);
      if (explicit) written.add(name);
      if (kwargs.some(([k]) => k === name)) throw parseError(this.src, at, `got multiple values for keyword argument '${name}'`);
      kwargs.push([name, value]);
    };
    while (!this.isOp(')')) {
      const t = this.peek();
      if (t === undefined) throw this.unexpected();
      if (this.isOp('*')) {
        if (mappingSeen) throw parseError(this.src, t.start, 'iterable argument unpacking follows keyword argument unpacking');
        this.next();
        args.push(...this.unpackedItems(this.expr(), t));
      } else if (this.isOp('**')) {
        this.next();
        const mapping = this.expr();
        for (const [k, v] of this.unpackedKeywords(mapping)) addKeyword(k, v, mapping.start, false);
        mappingSeen = true;
      } else if (t.kind === 'name' && this.isOp('=', 1)) {
        this.next();
        this.next();
        addKeyword(t.text, this.expr().value, t.start, true);
        keywordSeen = true;
      } else {
        if (mappingSeen) throw parseError(this.src, t.start, 'positional argument follows keyword argument unpacking');
        if (keywordSeen) throw parseError(this.src, t.start, 'positional argument follows keyword argument');
        args.push(this.expr().value);
      }
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expectOp(')');
    return { args, kwargs };
  }

  /** The members `*x` passes: Python's iteration of a list, tuple, set, str, bytes or dict (its keys). */
  private unpackedItems(n: Node, star: Token): PyValue[] {
    const v = n.value;
    if (v.t === 'list' || v.t === 'tuple' || v.t === 'set' || v.t === 'frozenset') return v.items;
    if (v.t === 'str') return Array.from(v.v, (c): PyValue => ({ t: 'str', v: c }));
    if (v.t === 'bytes' || v.t === 'bytearray') return Array.from(v.v, (b): PyValue => ({ t: 'int', v: BigInt(b) }));
    if (v.t === 'dict') return kvKeys(v.kv);
    throw parseError(this.src, star.start, `argument after * must be an iterable, not ${pyTypeName(v)}`);
  }

  /** The keyword arguments `**x` passes: a dict whose keys are all strings. */
  private unpackedKeywords(n: Node): [string, PyValue][] {
    const v = n.value;
    if (v.t !== 'dict') throw parseError(this.src, n.start, `argument after ** must be a mapping, not ${pyTypeName(v)}`);
    return kvPairs(v.kv).map(([k, val]) => {
      if (k.t !== 'str') throw parseError(this.src, n.start, 'keywords must be strings');
      return [k.v, val];
    });
  }

  /** A literal, allowing the complex form `real + imag` / `real - imag`. */
  expr(): Node {
    const left = this.signed();
    const op = this.peek();
    if (op?.kind !== 'op' || (op.text !== '+' && op.text !== '-')) return left;
    this.next();
    const right = this.atom();
    const leftOk = (left.num || left.signed === true) && (left.value.t === 'int' || left.value.t === 'float');
    if (!leftOk || !right.num || right.value.t !== 'complex') {
      throw parseError(this.src, op.start, `only literals are allowed: '${op.text}' joins only a real and an imaginary number, as in 1+2j`);
    }
    const re = toFloat(left.value, this.src, left.start);
    const im = right.value;
    // Python evaluates complex(re, 0.0) +/- im, which decides the signs of zero parts
    const value: PyValue = op.text === '+' ? { t: 'complex', re: re + im.re, im: 0 + im.im } : { t: 'complex', re: re - im.re, im: 0 - im.im };
    return { value, num: false, start: left.start };
  }

  /** `-x` / `+x` of a number literal. */
  private signed(): Node {
    const t = this.peek();
    if (t?.kind !== 'op' || (t.text !== '-' && t.text !== '+')) return this.atom();
    this.next();
    const inner = this.peek();
    if (inner?.kind === 'op' && (inner.text === '-' || inner.text === '+')) {
      throw parseError(this.src, t.start, `only literals are allowed: unary '${t.text}' applies only to a number`);
    }
    const operand = this.atom();
    const v = operand.value;
    if (!operand.num || (v.t !== 'int' && v.t !== 'float' && v.t !== 'complex')) {
      throw parseError(this.src, t.start, `only literals are allowed: unary '${t.text}' applies only to a number`);
    }
    if (t.text === '+') return { value: v, num: false, signed: true, start: t.start };
    const value: PyValue = v.t === 'int' ? { t: 'int', v: -v.v } : v.t === 'float' ? { t: 'float', v: -v.v } : { t: 'complex', re: -v.re, im: -v.im };
    return { value, num: false, signed: true, start: t.start };
  }

  /** A primary followed by any subscriptions of it: `x[0]`, `x['k'][1:3]`. */
  private atom(): Node {
    let n = this.primary();
    while (this.isOp('[')) n = this.subscription(n);
    return n;
  }

  /** `[key]`, `[a:b:c]` or `[k1, k2]` (a tuple key) applied to `n`'s value. */
  private subscription(n: Node): Node {
    const open = this.next();
    if (n.value.t === 'ref') {
      throw parseError(this.src, open.start, `a remote object (${n.value.cls}) cannot be subscripted here: call its methods instead`);
    }
    if (this.depth >= MAX_NESTING) throw parseError(this.src, open.start, `too many nested brackets (the limit is ${MAX_NESTING})`);
    this.depth++;
    let key: PyValue | Slice;
    try {
      key = this.subscriptKey(open);
    } finally {
      this.depth--;
    }
    this.expectOp(']');
    if (this.opts.placeholders) return { value: n.value, num: false, start: n.start };
    try {
      return { value: subscript(n.value, key), num: false, start: n.start };
    } catch (e) {
      if (e instanceof SubscriptError) throw parseError(this.src, open.start, e.message);
      throw e;
    }
  }

  private subscriptKey(open: Token): PyValue | Slice {
    const part = () => (this.isOp(':') || this.isOp(']') ? undefined : this.expr().value);
    const start = part();
    if (this.isOp(':')) {
      this.next();
      const stop = part();
      if (!this.isOp(':')) return { start, stop };
      this.next();
      return { start, stop, step: part() };
    }
    if (start === undefined) throw parseError(this.src, open.start, 'invalid syntax: nothing between [ and ]');
    if (!this.isOp(',')) return start;
    this.next();
    return { t: 'tuple', items: [start, ...this.itemsUntil(']').map((i) => i.value)] };
  }

  private primary(): Node {
    const t = this.peek();
    if (t === undefined) throw this.unexpected();
    if (t.kind === 'op' && t.text in CLOSING) {
      if (this.depth >= MAX_NESTING) throw parseError(this.src, t.start, `too many nested brackets (the limit is ${MAX_NESTING})`);
      this.depth++;
      try {
        return this.bracketed(t);
      } finally {
        this.depth--;
      }
    }
    if (t.kind === 'number') {
      this.next();
      return { value: t.value!, num: true, start: t.start };
    }
    if (t.kind === 'string') return { value: this.strings(), num: false, start: t.start };
    if (t.kind === 'name') return this.name();
    throw this.unexpected();
  }

  private bracketed(t: Token): Node {
    if (t.text === '(') return this.parens();
    if (t.text === '{') return this.braces();
    this.next();
    const items = this.items(']');
    return { value: { t: 'list', items: items.map((n) => n.value) }, num: false, start: t.start };
  }

  /** Adjacent string literals concatenate; str and bytes may not mix. */
  private strings(): PyValue {
    const first = this.next();
    let value = first.value!;
    while (this.peek()?.kind === 'string') {
      const t = this.next();
      const v = t.value!;
      if (value.t === 'str' && v.t === 'str') value = { t: 'str', v: value.v + v.v };
      else if (value.t === 'bytes' && v.t === 'bytes') {
        const joined = new Uint8Array(value.v.length + v.v.length);
        joined.set(value.v);
        joined.set(v.v, value.v.length);
        value = { t: 'bytes', v: joined };
      } else throw parseError(this.src, t.start, 'cannot mix bytes and nonbytes literals');
    }
    return value;
  }

  /** Comma-separated expressions up to `close` (consumed), trailing comma allowed. */
  private items(close: string): Node[] {
    const out = this.itemsUntil(close);
    this.expectOp(close);
    return out;
  }

  /** As items(), leaving `close` to the caller. */
  private itemsUntil(close: string): Node[] {
    const out: Node[] = [];
    while (!this.isOp(close)) {
      out.push(this.expr());
      if (!this.isOp(',')) break;
      this.next();
    }
    return out;
  }

  /** `()`, `(x)`, `(x,)`, `(x, y)`. */
  private parens(): Node {
    const open = this.next();
    if (this.isOp(')')) {
      this.next();
      return { value: { t: 'tuple', items: [] }, num: false, start: open.start };
    }
    const first = this.expr();
    if (this.isOp(')')) {
      this.next();
      return { ...first, start: open.start };
    }
    if (!this.isOp(',')) throw this.unexpected();
    this.next();
    const rest = this.items(')');
    return { value: { t: 'tuple', items: [first.value, ...rest.map((n) => n.value)] }, num: false, start: open.start };
  }

  /** `{}` (a dict), `{k: v, ...}`, `{a, b}` (a set). */
  private braces(): Node {
    const open = this.next();
    if (this.isOp('}')) {
      this.next();
      return { value: { t: 'dict', kv: [] }, num: false, start: open.start };
    }
    if (this.isOp('**')) throw parseError(this.src, this.peek()!.start, 'dict unpacking (**) is not supported');
    const first = this.expr();
    if (!this.isOp(':')) {
      const items = [first];
      if (this.isOp(',')) {
        this.next();
        items.push(...this.items('}'));
      } else {
        this.expectOp('}');
      }
      for (const n of items) this.checkHashable(n);
      return { value: { t: 'set', items: uniqueMembers(items.map((n) => n.value)) }, num: false, start: open.start };
    }
    const kv: PyValue[] = [];
    let key = first;
    while (true) {
      this.checkHashable(key);
      this.expectOp(':');
      kv.push(key.value, this.expr().value);
      if (!this.isOp(',')) break;
      this.next();
      if (this.isOp('}')) break;
      key = this.expr();
    }
    this.expectOp('}');
    return { value: { t: 'dict', kv: foldDuplicateKeys(kv) }, num: false, start: open.start };
  }

  private checkHashable(n: Node): void {
    const bad = unhashableType(n.value);
    if (bad !== undefined) throw parseError(this.src, n.start, `unhashable type: '${bad}'`);
  }

  /** None/True/False, a variable, or one of the constructor forms. */
  private name(): Node {
    const t = this.next();
    const keyword = KEYWORD_VALUES.get(t.text);
    if (keyword !== undefined) return { value: keyword, num: false, start: t.start };
    if (this.isOp('(')) return { value: this.constructorCall(t), num: false, start: t.start };
    if (this.isOp('.')) {
      const held = this.opts.resolve?.(t.text)?.t === 'ref';
      const where = held ? `, or alone to read a remote object's attribute (y = ${t.text}.name, then y)` : '';
      throw parseError(this.src, t.start, `attribute access ('${t.text}.…') is only allowed as the method being called${where}`);
    }
    if (STATEMENT_KEYWORDS.has(t.text)) {
      throw parseError(this.src, t.start, `only literals are allowed: '${t.text}' is a Python keyword (write the value it would compute)`);
    }
    const v = this.opts.resolve?.(t.text);
    if (v === undefined) {
      throw parseError(this.src, t.start, `name '${t.text}' is not defined (strings need quotes: '${t.text}')`);
    }
    return { value: v, num: false, start: t.start };
  }

  private constructorCall(t: Token): PyValue {
    const ctor = t.text;
    if (ctor !== 'set' && ctor !== 'frozenset' && ctor !== 'bytearray' && ctor !== 'float') {
      throw parseError(this.src, t.start, `calls are not allowed inside arguments: '${ctor}(...)' (only set(), frozenset(), bytearray() and float())`);
    }
    const argsAt = this.peek()!;
    const { args, kwargs } = this.arguments();
    if (kwargs.length > 0 || args.length > 1) throw parseError(this.src, argsAt.start, `${ctor}() takes at most one positional argument`);
    const arg = args[0];
    if (ctor === 'float') {
      const special = arg?.t === 'str' ? FLOAT_WORDS.get(arg.v.trim().toLowerCase()) : undefined;
      if (special === undefined) throw parseError(this.src, argsAt.start, "float() here takes only 'nan', 'inf' or '-inf' (write other floats as literals)");
      return { t: 'float', v: special };
    }
    if (ctor === 'bytearray') {
      if (arg === undefined) return { t: 'bytearray', v: new Uint8Array(0) };
      if (arg.t !== 'bytes') throw parseError(this.src, argsAt.start, 'bytearray() takes a bytes literal here');
      return { t: 'bytearray', v: arg.v };
    }
    let members: PyValue[] = [];
    if (arg !== undefined) {
      if (arg.t === 'list' || arg.t === 'tuple' || arg.t === 'set' || arg.t === 'frozenset') members = arg.items;
      else if (arg.t === 'str') members = Array.from(arg.v, (c): PyValue => ({ t: 'str', v: c }));
      else if (arg.t === 'dict') members = kvKeys(arg.kv);
      else throw parseError(this.src, argsAt.start, `${ctor}() takes a list, tuple, set, dict or str here, not ${repr(arg)}`);
    }
    for (const m of members) {
      const bad = unhashableType(m);
      if (bad !== undefined) throw parseError(this.src, argsAt.start, `unhashable type: '${bad}'`);
    }
    return { t: ctor, items: uniqueMembers(members) };
  }
}

const FLOAT_WORDS = new Map<string, number>([
  ['nan', NaN],
  ['+nan', NaN],
  ['-nan', NaN],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['infinity', Infinity],
  ['-inf', -Infinity],
  ['-infinity', -Infinity],
]);

function describe(t: Token): string {
  if (t.kind === 'name') return `name '${t.text}'`;
  if (t.kind === 'number') return `number ${t.text}`;
  if (t.kind === 'string') return `string ${t.text.length > 20 ? t.text.slice(0, 20) + '…' : t.text}`;
  return `'${t.text}'`;
}

/** An int or float as a float, as Python converts the real part of `a+bj`. */
function toFloat(v: PyValue, src: string, at: number): number {
  if (v.t === 'float') return v.v;
  if (v.t === 'int') {
    const f = Number(v.v);
    if (!Number.isFinite(f)) throw parseError(src, at, 'int too large to convert to float');
    return f;
  }
  throw new RpcError('E_INTERNAL', 'not a real number');
}
