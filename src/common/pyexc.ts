// Python exceptions as a traceback's last line reports them, and as RemoteError.
import { RemoteError } from './errors';
import { BUILTIN_MODULES } from './exc-classes';
import { exceptionArgs, exceptionStr, pyStr, repr } from './repr';
import { strKeyValue, type PyObject } from './value';

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

/**
 * The lines an exception's notes (`add_note`, Python 3.11+) print under its last line, as
 * format_exception_only prints them: each note of a list or tuple as str() split into lines, any
 * other `__notes__` as its repr. A pickled exception carries them in its BUILD state.
 */
export function exceptionNotes(v: PyObject): string[] | undefined {
  // a state with slots is (dict, slotstate)
  const state = v.state?.t === 'tuple' ? v.state.items[0] : v.state;
  const notes = state?.t === 'dict' ? strKeyValue(state, '__notes__') : undefined;
  if (notes === undefined || notes.t === 'none') return undefined;
  if (notes.t !== 'list' && notes.t !== 'tuple') return [repr(notes)];
  return notes.items.flatMap((n) => pyStr(n).split('\n'));
}

/** A RemoteError for an exception value the server sent. */
export function remoteErrorFromValue(v: PyObject, extra: Omit<RemoteError['extra'], 'value'> = {}): RemoteError {
  const { pyType, message } = exceptionText(v);
  const notes = exceptionNotes(v);
  return new RemoteError(pyType, exceptionArgs(v), message, { ...extra, value: v, ...(notes && { notes }) });
}
