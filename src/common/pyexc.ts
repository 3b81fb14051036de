// Python exceptions as a traceback's last line reports them, and as RemoteError.
import { RemoteError } from './errors';
import { BUILTIN_MODULES } from './exc-classes';
import { exceptionArgs, exceptionStr, pyStr } from './repr';
import type { PyObject } from './value';

export { BUILTIN_EXCEPTIONS, isExceptionValue } from './exc-classes';

const SYNTAX_ERRORS = new Set(['SyntaxError', 'IndentationError', 'TabError']);

/**
 * The last line of a traceback, split: `pyType` is the class's qualified name, prefixed with its
 * module unless that is `builtins` or `__main__` (traceback.format_exception_only), or Python 2's
 * `exceptions`/`__builtin__`; `message` is str(exc), except for a SyntaxError with a location,
 * whose last line holds only its msg (the location goes on the lines above it).
 */
export function exceptionText(obj: PyObject): { pyType: string; message: string } {
  const builtin = BUILTIN_MODULES.has(obj.module);
  const bare = builtin || obj.module === '__main__' || obj.module === '';
  const pyType = bare ? obj.name : `${obj.module}.${obj.name}`;
  const [msg, location] = obj.args;
  if (builtin && SYNTAX_ERRORS.has(obj.name) && obj.args.length === 2 && location.t === 'tuple') {
    return { pyType, message: pyStr(msg) };
  }
  return { pyType, message: exceptionStr(obj) };
}

/** A RemoteError for an exception value the server sent. */
export function remoteErrorFromValue(v: PyObject, extra: Omit<RemoteError['extra'], 'value'> = {}): RemoteError {
  const { pyType, message } = exceptionText(v);
  return new RemoteError(pyType, exceptionArgs(v), message, { ...extra, value: v });
}
