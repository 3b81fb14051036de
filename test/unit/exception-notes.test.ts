// An exception's notes in a traceback text (RPyC and JSON-RPC servers send one): Python formats
// each traceback here; the notes read back from it, and the text printed, must be Python's own.
import { describe, expect, it } from 'vitest';
import { RemoteError, uncaughtText } from '../../src/common/errors';
import { str } from '../../src/common/value';
import { runPython } from '../helpers/python';

const PY = `
import json, traceback
def noted(e, *notes):
    for n in notes:
        e.add_note(n)
    return e
def cases():
    yield 'one note', noted(ValueError('bad row'), 'while reading rows.csv')
    yield 'several, one of two lines', noted(KeyError('k'), 'first', 'second:\\n  indented')
    yield 'none', ValueError('plain')
    yield 'a message of two lines', noted(ValueError('a\\nb'), 'note')
    yield 'a note that reads like the line', noted(ValueError('x'), 'ValueError: x')
    try:
        try:
            raise noted(TypeError('inner'), 'the cause has a note')
        except TypeError as inner:
            raise noted(ValueError('outer'), 'so has the outer one') from inner
    except ValueError as e:
        yield 'chained, both noted', e
    try:
        try:
            raise noted(TypeError('inner'), 'only the cause has one')
        except TypeError:
            raise ValueError('outer')
    except ValueError as e:
        yield 'chained, the cause noted', e
out = []
for name, e in cases():
    if e.__traceback__ is None:
        try:
            raise e
        except Exception as raised:
            e = raised
    only = traceback.format_exception_only(type(e), e)
    notes = vars(e).pop('__notes__', None)
    last = ''.join(traceback.format_exception_only(type(e), e)).rstrip('\\n')
    if notes is not None:
        e.__notes__ = notes
    out.append({'name': name, 'type': type(e).__name__, 'message': str(e), 'lastLine': last,
                'notes': ''.join(only).rstrip('\\n')[len(last):].lstrip('\\n').split('\\n') if notes else [],
                'traceback': ''.join(traceback.format_exception(type(e), e, e.__traceback__))})
print(json.dumps(out))
`;

interface Case {
  name: string;
  type: string;
  message: string;
  lastLine: string;
  notes: string[];
  traceback: string;
}

const cases: Case[] = JSON.parse(runPython(PY));

describe("an exception's notes in a remote traceback", () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const e = new RemoteError(c.type, [str(c.message)], c.message, { traceback: c.traceback });
    expect(e.lastLine).toBe(c.lastLine);
    expect(e.notes).toEqual(c.notes);
    // printed as Python printed it: the traceback already ends with the line and the notes
    expect(uncaughtText({ traceback: c.traceback, lastLine: e.lastLine, notes: e.notes })).toBe(c.traceback.trimEnd());
  });

  it('prints the notes once where a traceback text stops before the last line', () => {
    expect(uncaughtText({ traceback: 'Traceback (most recent call last):\n  File "x.py", line 1\n', lastLine: 'ValueError: x', notes: ['n'] })).toBe(
      'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: x\nn',
    );
    expect(uncaughtText({ lastLine: 'ValueError: x', notes: ['n', 'm'] })).toBe('ValueError: x\nn\nm');
  });
});
