import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { summarize, type CallResult } from '../../src/services/collections';
import { junitXml, xmlEscape } from '../../src/services/junit';
import { runPython } from '../helpers/python';

const nasty = `<a href="x">&'\u0000\u0007\ud800 ok \u2603`;

const results: CallResult[] = [
  { index: 0, name: 'add', connection: 'kv', call: 'add(2, 3)', status: 'pass', repr: '5', durationMs: 1.25 },
  { index: 1, connection: 'kv', call: `echo(${JSON.stringify(nasty)})`, status: 'fail', message: `expected 1, got ${nasty}`, repr: `'${nasty}'`, durationMs: 2 },
  {
    index: 2,
    name: 'boom',
    connection: 'kv',
    call: 'fail()',
    status: 'error',
    message: 'E_TIMEOUT: no answer within 1 s',
    error: { type: 'E_TIMEOUT', message: 'no answer within 1 s', lastLine: 'E_TIMEOUT: no answer within 1 s' },
    durationMs: 1000,
  },
];

describe('JUnit XML', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(xmlEscape(nasty)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;\ufffd\ufffd\ufffd ok \u2603');
  });

  it("is read by Python's XML parser with the right counts, names and messages", () => {
    const xml = junitXml('suite <1>', summarize(results, 1003.25), new Date('2026-01-02T03:04:05Z'));
    const file = join(mkdtempSync(join(tmpdir(), 'rpcscope-junit-')), 'j.xml');
    writeFileSync(file, xml);
    const out = runPython(
      `import json, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
s = root.find('testsuite')
cases = [{'name': c.get('name'), 'classname': c.get('classname'), 'time': c.get('time'),
          'failure': c.find('failure').get('message') if c.find('failure') is not None else None,
          'error': c.find('error').get('type') if c.find('error') is not None else None,
          'out': c.findtext('system-out')} for c in s.findall('testcase')]
print(json.dumps({'root': root.tag, 'name': s.get('name'), 'tests': s.get('tests'), 'failures': s.get('failures'), 'errors': s.get('errors'), 'time': s.get('time'), 'cases': cases}))`,
      { args: [file] },
    );
    const parsed = JSON.parse(out);
    expect(parsed).toMatchObject({ root: 'testsuites', name: 'suite <1>', tests: '3', failures: '1', errors: '1', time: '1.003' });
    const clean = nasty.replace('\u0000', '\ufffd').replace('\u0007', '\ufffd').replace('\ud800', '\ufffd');
    expect(parsed.cases).toEqual([
      { name: 'add', classname: 'suite <1>.kv', time: '0.001', failure: null, error: null, out: '5' },
      // JSON.stringify wrote the control characters as escapes, so the call text survives as is
      { name: results[1].call, classname: 'suite <1>.kv', time: '0.002', failure: `expected 1, got ${clean}`, error: null, out: `'${clean}'` },
      { name: 'boom', classname: 'suite <1>.kv', time: '1.000', failure: null, error: 'E_TIMEOUT', out: null },
    ]);
  });
});
