// OpenRPC documents (what rpc.discover returns) as method lists: names, parameters with their
// JSON Schemas, summaries; `$ref`s into `components` resolved. Signatures read like
// `add(a: integer, b: integer) -> integer`.
import type { MethodInfo, MethodParam } from '../common/call';
import { RpcError } from '../common/errors';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const isObj = (x: Json | undefined): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Follow `{$ref: '#/components/...'}` (repeatedly) inside the document; cycles stop at the ref. */
function deref(doc: Obj, x: Json | undefined, seen: Set<string> = new Set()): Json | undefined {
  if (!isObj(x) || typeof x.$ref !== 'string') return x;
  const ref = x.$ref;
  if (!ref.startsWith('#/') || seen.has(ref)) return x;
  seen.add(ref);
  let at: Json | undefined = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    at = isObj(at) ? at[key] : undefined;
  }
  return at === undefined ? x : deref(doc, at, seen);
}

/** A schema with every nested $ref replaced by what it points to (bounded against cycles). */
function resolveSchema(doc: Obj, x: Json | undefined, depth = 0): Json | undefined {
  if (depth > 32) return x;
  const r = deref(doc, x);
  if (Array.isArray(r)) return r.map((i) => resolveSchema(doc, i, depth + 1) ?? null);
  if (!isObj(r)) return r;
  const out: Obj = {};
  for (const [k, v] of Object.entries(r)) out[k] = resolveSchema(doc, v, depth + 1) ?? null;
  return out;
}

/** A short type text for a schema: `integer`, `integer | null`, `array[string]`, a title, `any`. */
export function schemaTypeText(schema: Json | undefined): string {
  if (!isObj(schema)) return 'any';
  const t = schema.type;
  if (typeof t === 'string') {
    if (t === 'array' && isObj(schema.items)) return `array[${schemaTypeText(schema.items)}]`;
    return t;
  }
  if (Array.isArray(t)) return t.map(String).join(' | ');
  for (const k of ['oneOf', 'anyOf']) {
    const alts = schema[k];
    if (Array.isArray(alts)) return alts.map(schemaTypeText).join(' | ');
  }
  if (typeof schema.title === 'string') return schema.title;
  return 'any';
}

/** The methods of an OpenRPC document (parsed JSON; every field is checked before use). */
export function methodsFromOpenRpc(input: unknown): MethodInfo[] {
  const docJson = input as Json;
  if (!isObj(docJson) || !Array.isArray(docJson.methods)) {
    throw new RpcError('E_PROTOCOL', 'rpc.discover did not return an OpenRPC document (no "methods" list)');
  }
  const doc = docJson;
  const methods: MethodInfo[] = [];
  for (const raw of docJson.methods) {
    const m = deref(doc, raw);
    if (!isObj(m) || typeof m.name !== 'string') continue;
    const params: MethodParam[] = [];
    for (const rawParam of Array.isArray(m.params) ? m.params : []) {
      const p = deref(doc, rawParam);
      if (!isObj(p) || typeof p.name !== 'string') continue;
      const param: MethodParam = { name: p.name, schema: resolveSchema(doc, p.schema) };
      if (typeof p.required === 'boolean') param.required = p.required;
      const d = typeof p.summary === 'string' ? p.summary : typeof p.description === 'string' ? p.description : undefined;
      if (d !== undefined) param.description = d;
      params.push(param);
    }
    const result = deref(doc, m.result);
    const resultType = isObj(result) && result.schema !== undefined ? schemaTypeText(resolveSchema(doc, result.schema)) : undefined;
    const args = params.map((p) => `${p.name}${p.required === false || p.required === undefined ? '?' : ''}: ${schemaTypeText(p.schema as Json)}`);
    const info: MethodInfo = { name: m.name, params, signature: `${m.name}(${args.join(', ')})${resultType ? ` -> ${resultType}` : ''}` };
    const doc1 = [m.summary, m.description].filter((x): x is string => typeof x === 'string' && x !== '').join('\n\n');
    if (doc1) info.doc = doc1;
    methods.push(info);
  }
  return methods;
}
