// Vinegar (rpyc/core/vinegar.py): exceptions as brine. An EXCEPTION message carries
// ((module, class), args, attrs, traceback_text), or the int 1 for StopIteration. Args and attribute
// values that brine cannot carry arrive as their repr.
import { RemoteError, RpcError } from '../../common/errors';
import { BUILTIN_MODULES } from '../../common/exc-classes';
import { exceptionStr, repr } from '../../common/repr';
import type { PyValue } from '../../common/value';

export const EXC_STOP_ITERATION = 1n;

export interface VinegarException {
  module: string;
  name: string;
  args: PyValue[];
  attrs: [string, PyValue][];
  traceback: string;
}

export type DecodedException = { stopIteration: true } | ({ stopIteration: false } & VinegarException);

function bad(v: PyValue): RpcError {
  return new RpcError('E_PROTOCOL', `rpyc: malformed exception: ${repr(v).slice(0, 200)}`);
}

const text = (v: PyValue | undefined): string | undefined => (v?.t === 'str' ? v.v : undefined);

export function decodeException(v: PyValue): DecodedException {
  if (v.t === 'int' && v.v === EXC_STOP_ITERATION) return { stopIteration: true };
  // deprecated string exceptions: the whole exception is a str
  if (v.t === 'str') return { stopIteration: false, module: 'builtins', name: 'Exception', args: [v], attrs: [], traceback: '' };
  if (v.t !== 'tuple' || v.items.length !== 4) throw bad(v);
  const [names, args, attrs, tb] = v.items;
  if (names.t !== 'tuple' || names.items.length !== 2 || args.t !== 'tuple' || attrs.t !== 'tuple') throw bad(v);
  const module = text(names.items[0]);
  const name = text(names.items[1]);
  if (module === undefined || name === undefined) throw bad(v);
  const pairs: [string, PyValue][] = [];
  for (const a of attrs.items) {
    const k = a.t === 'tuple' && a.items.length === 2 ? text(a.items[0]) : undefined;
    if (k === undefined || a.t !== 'tuple') throw bad(v);
    pairs.push([k, a.items[1]]);
  }
  return { stopIteration: false, module, name, args: args.items, attrs: pairs, traceback: text(tb) ?? '' };
}

/** The exception type as a traceback's last line names it: builtins and __main__ bare, others dotted. */
export function exceptionTypeName(module: string, name: string): string {
  return BUILTIN_MODULES.has(module) || module === '__main__' ? name : `${module}.${name}`;
}

export function remoteErrorFrom(e: VinegarException): RemoteError {
  const value: PyValue = { t: 'object', module: e.module, name: e.name, args: e.args, exception: true };
  const err = new RemoteError(exceptionTypeName(e.module, e.name), e.args, exceptionStr(value), {
    traceback: e.traceback || undefined,
    value,
  });
  return err;
}

/** The vinegar tuple for an exception we raise while serving the peer's request. */
export function encodeException(module: string, name: string, args: PyValue[], traceback: string): PyValue {
  const s = (v: string): PyValue => ({ t: 'str', v });
  return {
    t: 'tuple',
    items: [
      { t: 'tuple', items: [s(module), s(name)] },
      { t: 'tuple', items: args },
      // Python warns when the major versions differ; this says nothing about ours
      { t: 'tuple', items: [{ t: 'tuple', items: [s('_remote_version'), s('<version denied>')] }] },
      s(traceback),
    ],
  };
}

export const STOP_ITERATION: PyValue = { t: 'int', v: EXC_STOP_ITERATION };
