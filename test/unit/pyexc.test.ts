// Exception text parity: Python raises each exception and prints the last traceback line; the
// same exception as a value (class + args, as a pickle carries it) must give the same line here.
import { describe, expect, it } from 'vitest';
import { exceptionText, isExceptionValue, remoteErrorFromValue, BUILTIN_EXCEPTIONS } from '../../src/common/pyexc';
import { fromJsonSafe, type JsonSafeValue } from '../../src/common/value-json';
import type { PyObject, PyValue } from '../../src/common/value';
import { runPython } from '../helpers/python';

const PY = `
import json, sys, traceback, builtins, json.decoder
sys.path.insert(0, ${JSON.stringify(__dirname)})
from pyjson import encode
class MyError(Exception):
    pass
class Outer:
    class Inner(LookupError):
        pass
def cases():
    yield ValueError('bad value')
    yield ValueError()
    yield ValueError(1, 'two')
    yield KeyError('nope')
    yield KeyError(3)
    yield KeyError()
    yield KeyError('a', 'b')
    yield TypeError("unsupported operand type(s) for +: 'int' and 'str'")
    yield OSError(2, 'No such file or directory', 'x')
    yield FileNotFoundError(2, 'No such file or directory')
    yield PermissionError(13, 'Permission denied', 'a', None, 'b')
    yield ZeroDivisionError('division by zero')
    yield MyError('custom', 2)
    yield Outer.Inner('deep')
    yield json.decoder.JSONDecodeError('Expecting value', 'x', 0)
    try: json.loads('{"a": 1,\\n  "b": }')
    except ValueError as e: yield e
    yield ValueError('')
    yield ValueError(None)
    yield RuntimeError(['a', 1])
    for data in (b'\\xff', b'ab\\xfe\\xfd'):
        try: data.decode('utf-8')
        except UnicodeDecodeError as e: yield e
    for text in ('a\\u1234', 'h\\xe9\\xe9', 'x\\U0001f600'):
        try: text.encode('ascii')
        except UnicodeEncodeError as e: yield e
    try: compile('1 +', '/tmp/f.py', 'exec')
    except SyntaxError as e: yield e
out = []
for e in cases():
    line = traceback.format_exception_only(type(e), e)[-1].rstrip('\\n')
    # the args a pickle carries: BaseException.__reduce__ (OSError adds its filenames)
    args = e.__reduce__()[1]
    out.append({'module': type(e).__module__, 'name': type(e).__qualname__, 'args': [encode(a) for a in args], 'line': line})
json.dump(out, sys.stdout)
`;

interface Case {
  module: string;
  name: string;
  args: JsonSafeValue[];
  line: string;
}

describe('exception text', () => {
  const cases = JSON.parse(runPython(PY)) as Case[];

  it.each(cases.map((c) => [c.line, c] as const))('%s', (line, c) => {
    const obj: PyObject = { t: 'object', module: c.module, name: c.name, args: c.args.map(fromJsonSafe) };
    const { pyType, message } = exceptionText(obj);
    expect(message === '' ? pyType : `${pyType}: ${message}`).toBe(line);
    expect(remoteErrorFromValue(obj).lastLine).toBe(line);
  });

  it('knows every builtin exception class of this Python', () => {
    const names = JSON.parse(runPython("import builtins, json; print(json.dumps([n for n in dir(builtins) if isinstance(getattr(builtins, n), type) and issubclass(getattr(builtins, n), BaseException)]))")) as string[];
    expect(names.filter((n) => !BUILTIN_EXCEPTIONS.has(n))).toEqual([]);
  });

  it('recognises exception values', () => {
    const o = (module: string, name: string, extra: Partial<PyObject> = {}): PyValue => ({ t: 'object', module, name, args: [], ...extra });
    expect(isExceptionValue(o('builtins', 'KeyError'))).toBe(true);
    expect(isExceptionValue(o('exceptions', 'StandardError'))).toBe(true);
    expect(isExceptionValue(o('builtins', 'dict'))).toBe(false);
    expect(isExceptionValue(o('app', 'QuotaExceeded', { exception: true }))).toBe(true);
    expect(isExceptionValue(o('app', 'DatabaseError'))).toBe(true);
    expect(isExceptionValue(o('app', 'Point'))).toBe(false);
    expect(isExceptionValue(o('app', 'FakeError', { exception: false }))).toBe(false);
  });

  it('keeps protocol details on the RemoteError', () => {
    const obj: PyObject = { t: 'object', module: 'builtins', name: 'KeyError', args: [{ t: 'str', v: 'nope' }] };
    const err = remoteErrorFromValue(obj, { code: 1, traceback: 'Traceback...' });
    expect(err.pyType).toBe('KeyError');
    expect(err.pyMessage).toBe("'nope'");
    expect(err.extra).toMatchObject({ code: 1, traceback: 'Traceback...', value: obj });
  });
});
