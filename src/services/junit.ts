// JUnit XML for CI from a collection run: one <testsuite> per collection, one <testcase> per call,
// <failure> for a failed expectation, <error> for a call that could not run (connection, timeout...).
import { uncaughtText } from '../common/errors';
import type { CallResult, RunSummary } from './collections';

/** Escapes text for XML content and attribute values; characters XML 1.0 forbids become U+FFFD. */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex -- these are exactly the characters XML cannot carry
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(r: CallResult, suite: string): string {
  const name = r.name ?? r.call;
  const head = `    <testcase name="${xmlEscape(name)}" classname="${xmlEscape(`${suite}.${r.connection}`)}" time="${seconds(r.durationMs)}"`;
  const body: string[] = [];
  if (r.status === 'fail') {
    const type = r.error?.type ?? 'AssertionError';
    body.push(`      <failure message="${xmlEscape(r.message ?? 'failed')}" type="${xmlEscape(type)}">${xmlEscape(detail(r))}</failure>`);
  } else if (r.status === 'error') {
    body.push(`      <error message="${xmlEscape(r.message ?? r.error?.message ?? 'error')}" type="${xmlEscape(r.error?.type ?? 'Error')}">${xmlEscape(detail(r))}</error>`);
  }
  if (r.repr !== undefined) body.push(`      <system-out>${xmlEscape(r.repr)}</system-out>`);
  return body.length === 0 ? `${head}/>` : `${head}>\n${body.join('\n')}\n    </testcase>`;
}

function detail(r: CallResult): string {
  const lines = [r.call];
  if (r.message) lines.push(r.message);
  if (r.error) lines.push(uncaughtText(r.error));
  return lines.join('\n');
}

export function junitXml(suite: string, summary: RunSummary, timestamp = new Date()): string {
  const attrs = `tests="${summary.results.length}" failures="${summary.failed}" errors="${summary.errors}" skipped="0" time="${seconds(summary.durationMs)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="rpcscope" ${attrs}>`,
    `  <testsuite name="${xmlEscape(suite)}" ${attrs} timestamp="${timestamp.toISOString().slice(0, 19)}">`,
    ...summary.results.map((r) => testcase(r, suite)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
