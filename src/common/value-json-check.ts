// The check of the JSON-safe form (see value-json.ts), by hand: a reply of 400,000 small dicts is
// about four million nodes, and a schema library's union tried alternative after alternative on each
// and copied every one (about a minute for a 20 MB pickle reply, with the host's event loop held).
// This walks the value once, copies nothing and says where the first problem is.

/** Where a check failed: the path from the root (keys and indexes) and what was wrong there. */
export interface JsonSafeProblem {
  path: (string | number)[];
  message: string;
  /** the value is well formed as far as it was followed, but nested deeper than allowed */
  tooDeep?: true;
}

const FLOAT_WORDS = new Set(['nan', 'inf', '-inf', '-0']);
const INT_TEXT = /^-?\d+$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const SEQUENCES = new Set(['list', 'tuple', 'set', 'frozenset']);

/** Thrown inside the walk, caught at its top: the path grows as it unwinds, so success costs nothing. */
class Problem {
  readonly path: (string | number)[] = [];
  constructor(
    readonly message: string,
    readonly tooDeep = false,
  ) {}
}

function fail(message: string): never {
  throw new Problem(message);
}

/** Adds the place of a child to the path of a problem found under it, and throws it on. */
function rethrowUnder(e: unknown, ...keys: (string | number)[]): never {
  if (e instanceof Problem) e.path.unshift(...keys);
  throw e;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function field(key: string, ok: boolean, message: string): void {
  if (!ok) rethrowUnder(new Problem(message), key);
}

const str = (o: Record<string, unknown>, key: string, optional = false): void =>
  field(key, typeof o[key] === 'string' || (optional && o[key] === undefined), 'expected a string');

function float(o: Record<string, unknown>, key: string): void {
  const v = o[key];
  field(key, Number.isFinite(v) || (typeof v === 'string' && FLOAT_WORDS.has(v)), "expected a finite number or 'nan', 'inf', '-inf', '-0'");
}

function child(x: unknown, depth: number, key: string): void {
  try {
    value(x, depth + 1);
  } catch (e) {
    rethrowUnder(e, key);
  }
}

/** An array of values under `key` (absent is fine when optional). */
function values(o: Record<string, unknown>, key: string, depth: number, optional = false): void {
  const a = o[key];
  if (optional && a === undefined) return;
  field(key, Array.isArray(a), 'expected an array');
  const items = a as unknown[];
  let i = 0;
  try {
    for (; i < items.length; i++) value(items[i], depth + 1);
  } catch (e) {
    rethrowUnder(e, key, i);
  }
}

/** An array of [key, value] pairs under `key`; `keyIsName`: the keys are keyword names (strings). */
function pairs(o: Record<string, unknown>, key: string, depth: number, keyIsName: boolean, optional = false): void {
  const a = o[key];
  if (optional && a === undefined) return;
  field(key, Array.isArray(a), 'expected an array');
  const items = a as unknown[];
  let i = 0;
  let at = 0;
  try {
    for (; i < items.length; i++) {
      const p = items[i];
      at = -1;
      if (!Array.isArray(p) || p.length !== 2) fail('expected a [key, value] pair');
      at = 0;
      if (keyIsName) {
        if (typeof p[0] !== 'string') fail('expected a keyword name');
      } else value(p[0], depth + 1);
      at = 1;
      value(p[1], depth + 1);
    }
  } catch (e) {
    if (at < 0) rethrowUnder(e, key, i);
    rethrowUnder(e, key, i, at);
  }
}

/** A preview's count of the items it left out of a container (see toJsonSafe). */
const more = (x: Record<string, unknown>): void =>
  field('more', x.more === undefined || (Number.isInteger(x.more) && (x.more as number) >= 1), 'expected a count of items left out, 1 or more');

function value(x: unknown, depth: number): void {
  if (depth > maxDepth) throw new Problem(`nested deeper than ${maxDepth} levels`, true);
  if (!isRecord(x)) fail('expected a value object with a "t" tag');
  const t = x.t;
  switch (t) {
    case 'none':
      return;
    case 'bool':
      return field('v', typeof x.v === 'boolean', 'expected true or false');
    case 'int':
      return field('v', typeof x.v === 'string' && INT_TEXT.test(x.v), "an int's v must be its decimal digits as a string");
    case 'float':
      return float(x, 'v');
    case 'complex':
      float(x, 're');
      return float(x, 'im');
    case 'str':
      return str(x, 'v');
    case 'bytes':
    case 'bytearray':
      return field('b64', typeof x.b64 === 'string' && BASE64.test(x.b64), 'expected base64 text');
    case 'dict':
      pairs(x, 'entries', depth, false);
      return more(x);
    case 'object':
      str(x, 'module');
      str(x, 'name');
      values(x, 'args', depth);
      pairs(x, 'kwargs', depth, true, true);
      if (x.state !== undefined) child(x.state, depth, 'state');
      values(x, 'listItems', depth, true);
      pairs(x, 'dictItems', depth, false, true);
      str(x, 'display', true);
      return field('exception', x.exception === undefined || typeof x.exception === 'boolean', 'expected true or false');
    case 'global':
      str(x, 'module');
      return str(x, 'name');
    case 'ref':
      str(x, 'cls');
      str(x, 'handle');
      return str(x, 'repr', true);
    case 'backref':
      return field('up', Number.isInteger(x.up) && (x.up as number) >= 1, 'expected a whole number of levels, 1 or more');
    default:
      if (typeof t === 'string' && SEQUENCES.has(t)) {
        values(x, 'items', depth);
        return more(x);
      }
      field('t', false, `unknown value tag ${JSON.stringify(t) ?? String(t)}`);
  }
}

/** set for the length of one check (the walk is synchronous) */
let maxDepth = 0;

/**
 * The first problem of `x` as a JSON-safe value, or undefined when it is one. Containers may nest
 * `depthLimit` levels deep (the walk recurses, two calls a level).
 */
export function jsonSafeProblem(x: unknown, depthLimit: number): JsonSafeProblem | undefined {
  maxDepth = depthLimit;
  try {
    value(x, 0);
    return undefined;
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    return e.tooDeep ? { path: e.path, message: e.message, tooDeep: true } : { path: e.path, message: e.message };
  }
}
