// Which values are Python exceptions: the builtin exception classes (Python 3's `builtins`,
// Python 2's `exceptions`) and, for other modules, the naming convention.
import type { PyValue } from './value';

/** Every exception class in Python 3.11's builtins, plus Python 2's StandardError. */
export const BUILTIN_EXCEPTIONS: ReadonlySet<string> = new Set(
  (
    'ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError ' +
    'BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError ' +
    'ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError EncodingWarning ' +
    'EnvironmentError Exception ExceptionGroup FileExistsError FileNotFoundError FloatingPointError ' +
    'FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError KeyError ' +
    'KeyboardInterrupt LookupError MemoryError ModuleNotFoundError NameError NotADirectoryError ' +
    'NotImplementedError OSError OverflowError PendingDeprecationWarning PermissionError ' +
    'ProcessLookupError RecursionError ReferenceError ResourceWarning RuntimeError RuntimeWarning ' +
    'StopAsyncIteration StopIteration SyntaxError SyntaxWarning SystemError SystemExit TabError ' +
    'TimeoutError TypeError UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError ' +
    'UnicodeTranslateError UnicodeWarning UserWarning ValueError Warning ZeroDivisionError ' +
    'IsADirectoryError InterruptedError StandardError'
  ).split(' '),
);

/** Modules whose classes a traceback names without a module prefix. */
export const BUILTIN_MODULES: ReadonlySet<string> = new Set(['builtins', '__builtin__', 'exceptions']);

/** Class names that are exceptions by convention (socket.gaierror and re.error too) */
const EXCEPTION_NAME = /(Error|error|Exception|Warning|Exit|Interrupt|StopIteration|StopAsyncIteration)$/;

/** Standard-library exceptions whose names do not say so. */
const NAMED_OTHERWISE: ReadonlySet<string> = new Set(
  [
    ...'Clamped ConversionSyntax DivisionByZero DivisionImpossible DivisionUndefined FloatOperation Inexact InvalidContext InvalidOperation Overflow Rounded Subnormal Underflow'
      .split(' ')
      .flatMap((n) => [`decimal.${n}`, `_pydecimal.${n}`]),
    'socket.timeout',
    'queue.Empty',
    'queue.Full',
    '_queue.Empty',
    'subprocess.TimeoutExpired',
    'xmlrpc.client.Fault',
    'http.client.IncompleteRead',
    'http.client.BadStatusLine',
    'http.client.RemoteDisconnected',
    'zipfile.BadZipFile',
    'asyncio.exceptions.CancelledError',
    'concurrent.futures._base.CancelledError',
  ],
);

/** OSError and the subclasses whose str() is `[Errno N] strerror: 'filename'`. */
export const OS_ERRORS: ReadonlySet<string> = new Set(
  (
    'OSError IOError EnvironmentError WindowsError BlockingIOError ChildProcessError ConnectionError ' +
    'BrokenPipeError ConnectionAbortedError ConnectionRefusedError ConnectionResetError FileExistsError ' +
    'FileNotFoundError InterruptedError IsADirectoryError NotADirectoryError PermissionError ' +
    'ProcessLookupError TimeoutError'
  ).split(' '),
);

/** The class name without any enclosing-class qualification (`Outer.Inner` -> `Inner`). */
export function bareName(qualname: string): string {
  const dot = qualname.lastIndexOf('.');
  return dot < 0 ? qualname : qualname.slice(dot + 1);
}

/**
 * Whether a value is an exception instance: flagged so by its decoder, a builtin exception
 * class, or a class named like one (`...Error`, `...Exception`, `...Warning`, `...Exit`).
 */
export function isExceptionValue(v: PyValue): boolean {
  if (v.t !== 'object') return false;
  if (v.exception !== undefined) return v.exception;
  if (BUILTIN_MODULES.has(v.module)) return BUILTIN_EXCEPTIONS.has(v.name);
  return EXCEPTION_NAME.test(bareName(v.name)) || NAMED_OTHERWISE.has(`${v.module}.${v.name}`);
}
