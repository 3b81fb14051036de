// Errors with a stable code. Local failures (bad input, connection, protocol) are RpcError;
// an error raised by the remote server is RemoteError and carries the Python exception.
import type { PyValue } from './value';

export type ErrorCode =
  | 'E_USAGE' // bad command line or options
  | 'E_URL' // malformed or unsupported endpoint URL
  | 'E_PARSE' // the call expression does not parse
  | 'E_CONNECT' // could not connect (refused, unreachable, DNS)
  | 'E_AUTH' // authentication failed (wrong authkey)
  | 'E_TIMEOUT' // no answer within the timeout
  | 'E_CLOSED' // the peer closed the connection (possibly mid-call)
  | 'E_PROTOCOL' // the peer violated the protocol (unexpected message, bad framing)
  | 'E_DECODE' // bytes that do not decode (malformed pickle, XML, JSON, brine)
  | 'E_ENCODE' // a value that cannot be sent with this protocol
  | 'E_LIMIT' // a configured limit was exceeded (message size, depth, length)
  | 'E_CANCELLED' // the user cancelled the call
  | 'E_UNSUPPORTED' // the protocol has no such operation
  | 'E_COLLECTION' // a collection file is corrupt, newer or invalid
  | 'E_INTERNAL';

export class RpcError extends Error {
  override name = 'RpcError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

/** An exception raised by the remote server, as Python would report it. */
export class RemoteError extends Error {
  override name = 'RemoteError';
  constructor(
    /** Python type name as a traceback prints it: `TypeError`, `KeyError`, `mymod.MyError` */
    readonly pyType: string,
    /** the exception's args */
    readonly pyArgs: PyValue[],
    /** str(exc), as the last traceback line prints it after `Type: ` */
    readonly pyMessage: string,
    readonly extra: {
      /** remote traceback text, where the protocol carries one */
      traceback?: string;
      /** protocol error code: XML-RPC faultCode, JSON-RPC error.code */
      code?: number;
      /** protocol-specific extra data (JSON-RPC error.data) */
      data?: PyValue;
      /** the exception object itself, when the protocol sends it */
      value?: PyValue;
      /** the lines of the exception's notes (`add_note`), when the exception object carries them */
      notes?: string[];
    } = {},
  ) {
    super(pyMessage === '' ? pyType : `${pyType}: ${pyMessage}`);
  }

  /** The last line of the Python traceback: `TypeError: unsupported operand ...` */
  get lastLine(): string {
    return this.message;
  }

  /**
   * The lines Python prints under the last line for the exception's notes (Python 3.11+): those the
   * exception object carried, or else those its traceback text has after the last line.
   */
  get notes(): string[] {
    return this.extra.notes ?? notesInTraceback(this.extra.traceback, this.lastLine);
  }
}

/** What traceback.format_exception_only prints: the last line, then the notes' lines. */
export function exceptionOnlyLines(x: { lastLine: string; notes?: string[] }): string[] {
  return [x.lastLine, ...(x.notes ?? [])];
}

/**
 * The lines Python prints for an uncaught exception: the remote traceback (if any), then
 * `Type: message` and the notes' lines, each once (a traceback text usually ends with them already).
 */
export function uncaughtText(x: { traceback?: string; lastLine: string; notes?: string[] }): string {
  const tb = x.traceback?.trimEnd();
  const notes = x.notes ?? [];
  const only = exceptionOnlyLines(x).join('\n');
  if (!tb) return only;
  if (tb.endsWith(only)) return tb;
  if (tb.endsWith(x.lastLine)) return [tb, ...notes].join('\n');
  return `${tb}\n${only}`;
}

/**
 * The exception's notes in a traceback text: the lines after its last line, which is the first line
 * that is `lastLine` in the last traceback (a chained exception's tracebacks come before it).
 */
function notesInTraceback(traceback: string | undefined, lastLine: string): string[] {
  if (!traceback) return [];
  const text = `\n${traceback.trimEnd()}\n`;
  const from = Math.max(0, text.lastIndexOf('\nTraceback (most recent call last):\n'));
  const at = text.indexOf(`\n${lastLine}\n`, from);
  const rest = at < 0 ? '' : text.slice(at + lastLine.length + 2, -1);
  return rest === '' ? [] : rest.split('\n');
}

export function isRpcError(e: unknown, code?: ErrorCode): e is RpcError {
  return e instanceof RpcError && (code === undefined || e.code === code);
}
