// What servers answer for a method they don't have. Each protocol says it its own way, some in a
// reply rather than an error; the method list learns from it and the pasted-call hint reads it.

/** Seed 003's raw TCP JSON server has no error channel: an unknown name answers this string. */
export const WRONG_FUNCTION = 'Please use the correct function';

/** What servers answer for a method they don't have: a value (some servers say so in a reply) or an error. */
export interface MethodOutcome {
  ok: boolean;
  /** the reply's repr */
  result?: string;
  error?: { type: string; message: string };
}

/**
 * Whether the outcome says the server has no method `method`: the Cookbook's KeyError('name'), its
 * JSON variant's "'name'" text, seed 003's reply, SimpleXMLRPCServer's fault, JSON-RPC's -32601, and
 * RPyC's AttributeError naming the first part of a dotted name.
 */
export function answersNoSuchMethod(outcome: MethodOutcome, method: string): boolean {
  if (outcome.ok) return outcome.result === `'${WRONG_FUNCTION}'` || outcome.result === `"'${method}'"`;
  const err = outcome.error;
  if (!err) return false;
  const { type, message } = err;
  if (type === 'KeyError') return message === `'${method}'` || message === `u'${method}'`;
  if (/^-32601\b/.test(message)) return true;
  if (message === `method "${method}" is not supported`) return true;
  if (type === 'AttributeError') return method.split('.').some((part) => message.includes(`'${part}'`));
  return false;
}
