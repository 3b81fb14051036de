// The quick XML scanner against saxes: whatever the scanner accepts, saxes accepts too and reports
// the same elements and text; whatever it leaves alone (other XML, or broken XML) still decodes or
// fails the way saxes says.
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { decodeXmlRpc } from '../../src/codecs/xmlrpc';
import { scanSimpleXml } from '../../src/codecs/xmlrpc/scan';
import { repr } from '../../src/common/repr';
import { runPython } from '../helpers/python';

/** The reply's params as Python would print the list of them. */
function paramsOf(doc: string): string {
  const m = decodeXmlRpc(doc);
  return m.kind === 'response' ? repr({ t: 'list', items: m.params }) : m.kind;
}

type Event = ['open', string] | ['text', string] | ['close'];

/** Events inside the root element, adjacent text merged (parsers may split text differently). */
function normalize(events: Event[]): Event[] {
  const out: Event[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if (e[0] === 'text' && last?.[0] === 'text') last[1] += e[1];
    else out.push(e[0] === 'text' ? ['text', e[1]] : e);
  }
  return out;
}

function scanned(xml: string): Event[] | undefined {
  const events: Event[] = [];
  const ok = scanSimpleXml(xml, {
    open: (name) => events.push(['open', name]),
    text: (t) => events.push(['text', t]),
    close: () => events.push(['close']),
    collecting: true,
  });
  return ok ? normalize(events) : undefined;
}

/** saxes' events, or undefined when saxes finds the document malformed. */
function parsed(xml: string): Event[] | undefined {
  const events: Event[] = [];
  let depth = 0;
  const parser = new SaxesParser();
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  parser.on('opentag', (n) => {
    depth++;
    events.push(['open', n.name]);
  });
  parser.on('text', (t) => {
    if (depth > 0) events.push(['text', t]);
  });
  parser.on('cdata', (t) => events.push(['text', t]));
  parser.on('closetag', () => {
    depth--;
    events.push(['close']);
  });
  try {
    parser.write(xml).close();
  } catch {
    failed = true;
  }
  return failed ? undefined : normalize(events);
}

// Documents Python's xmlrpc.client writes, over values with markup characters, entities, non-ASCII
// and astral text, empty strings and containers, nil, faults and calls.
const PYTHON_DOCS: string[] = JSON.parse(
  runPython(`
import json, xmlrpc.client as xc, datetime
values = [
    1, -2**31, 2.5, True, 'plain', '', '<&>"\\'', 'caf\\u00e9 \\u4e2d \\U0001F600', 'a]]b', 'tab\\there\\nnewline',
    [], {}, [1, [2, [3, {}]]], {'k': None, 'x': [b'\\x00\\xff', xc.DateTime(datetime.datetime(2024, 1, 2, 3, 4, 5))]},
]
docs = [xc.dumps((v,), methodresponse=True, allow_none=True) for v in values]
docs.append(xc.dumps(xc.Fault(4, 'KeyError: <nope>')))
docs.append(xc.dumps((1, 'two', [3.0]), 'some.method'))
docs.append(xc.dumps(({'name': 'item', 'tags': ['a', 'b']},), methodresponse=True, encoding='utf-8'))
print(json.dumps(docs))
`),
) as string[];

describe('scanSimpleXml', () => {
  it('reads every document Python writes, with the events saxes reports', () => {
    for (const doc of PYTHON_DOCS) {
      const ours = scanned(doc);
      expect(ours, doc).toBeDefined();
      expect(ours).toEqual(parsed(doc));
    }
  });

  it('leaves XML outside its subset to saxes, which decodes it to the same value', () => {
    const base = PYTHON_DOCS[4]; // <string>plain</string>
    const variants = [
      base.replace('<params>', '<!-- a comment --><params>'),
      base.replace('plain', '<![CDATA[plain]]>'),
      `<!DOCTYPE methodResponse>\n${base.replace(/^<\?xml[^>]*>\n/, '')}`,
      base.replace('<params>', '<params xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions">'),
      base.replace('<params>', '<params >'),
      base.replace(/\n/g, '\r\n'),
      base.replace('plain', 'pl&#97;in'), // a reference the scanner does read
    ];
    for (const doc of variants) expect(paramsOf(doc), doc).toBe("['plain']");
    expect(scanned(variants[0])).toBeUndefined();
    expect(scanned(variants[6])).toBeDefined();
  });

  it('refuses broken documents, and decodeXmlRpc names what saxes found', () => {
    const base = PYTHON_DOCS[4];
    const broken = [
      base.replace('</string>', '</strong>'), // mismatched close
      base.replace('</methodResponse>', ''), // unclosed root
      `${base}<methodResponse/>`, // a second root
      `${base}trailing`, // text after the root
      base.replace('plain', 'a&bogus;b'), // unknown entity
      base.replace('plain', 'a]]>b'), // ]]> in text
      base.replace('plain', 'a\u0001b'), // a character XML forbids
      base.replace('plain', 'a&#0;b'), // a reference to one
    ];
    for (const doc of broken) {
      expect(scanned(doc), doc).toBeUndefined();
      expect(parsed(doc), doc).toBeUndefined();
      expect(() => decodeXmlRpc(doc)).toThrow(/invalid XML/);
    }
  });

  it('accepts a damaged document only where saxes reads it the same way', () => {
    const docs = PYTHON_DOCS;
    const damage = fc.record({
      doc: fc.nat({ max: docs.length - 1 }),
      at: fc.nat(),
      cut: fc.nat({ max: 3 }),
      insert: fc.string({ unit: fc.constantFrom('<', '>', '/', '&', ';', '#', 'x', ']', '!', '?', ' ', '\r', '\u0000', 'a', '1', '\ud800', 'é', '"'), maxLength: 4 }),
    });
    fc.assert(
      fc.property(damage, ({ doc, at, cut, insert }) => {
        const src = docs[doc];
        const p = at % (src.length + 1);
        const xml = src.slice(0, p) + insert + src.slice(p + cut);
        const ours = scanned(xml);
        if (ours !== undefined) expect(ours).toEqual(parsed(xml));
      }),
      { numRuns: 3000 },
    );
  });
});
