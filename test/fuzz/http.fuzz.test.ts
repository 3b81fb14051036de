// The HTTP/1.1 response parser of the XML-RPC and JSON-RPC clients (src/transport/http-response.ts)
// on real responses from Python servers (test/golden/http, captured by capture.py: Content-Length,
// chunked with extensions and trailers, gzip and deflate, 100 Continue, a body delimited by the
// close, keep-alive responses pipelined on one connection). They parse as Python's http.client
// reads them, and identically when split at every offset or at random places. Damaged and random
// responses (inflated Content-Length, huge chunk sizes, malformed status lines and headers) give
// responses or a declared RpcError, the same however they are split, never an allocation sized by
// a length field, never a hang, and the parser parses a good stream after reset().
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RpcError } from '../../src/common/errors';
import { HttpResponseParser, MAX_HEAD_BYTES, type HttpResponse } from '../../src/transport/http-response';
import { boundedAllocation, check, declaredOnly, fromHex, LONG_TIMEOUT, mutations, mutate, runs, saveTally, sideRuns, timed } from './fuzz-helpers';

saveTally('http');

interface PythonRead {
  version: string;
  status: number;
  reason: string;
  headers: [string, string][];
  bodyLength: number;
  bodySha256: string;
}
interface Golden {
  name: string;
  note: string;
  hex: string;
  responses: PythonRead[];
}
const GOLDEN = (JSON.parse(readFileSync(join(__dirname, '..', 'golden', 'http', 'responses.json'), 'utf8')) as { streams: Golden[] }).streams.map((g) => ({
  ...g,
  bytes: fromHex(g.hex),
}));

const MiB = 1024 * 1024;
const LIMIT = 16 * MiB;
const DECLARED = ['E_PROTOCOL', 'E_LIMIT', 'E_DECODE', 'E_CLOSED'] as const;

/** What a stream parses to: the responses, then how it ended. */
interface Outcome {
  responses: HttpResponse[];
  /** 'complete', or the error code: E_CLOSED when the stream ends inside a response, as the client reports it */
  end: string;
  error?: RpcError;
}

/** Feed `stream` in the pieces `cuts` makes, taking responses as they complete; then the close. */
function parse(parser: HttpResponseParser, stream: Uint8Array, cuts: number[] = []): Outcome {
  const responses: HttpResponse[] = [];
  const drain = () => {
    for (let r = parser.take(); r; r = parser.take()) responses.push(r);
  };
  let at = 0;
  try {
    for (const cut of [...cuts, stream.length]) {
      if (cut < at) continue;
      parser.feed(stream.subarray(at, cut));
      at = cut;
      drain();
    }
    parser.end();
    drain();
    if (parser.buffered > 0) throw new RpcError('E_CLOSED', `the stream ended in the middle of an HTTP response (${parser.buffered} bytes)`);
    return { responses, end: 'complete' };
  } catch (e) {
    if (!(e instanceof RpcError)) throw e;
    return { responses, end: e.code, error: e };
  }
}

const parseWith = (stream: Uint8Array, cuts: number[] = [], limit = LIMIT): Outcome => parse(new HttpResponseParser('peer', limit), stream, cuts);

const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

/** Why two outcomes differ, or '' when they are the same (responses field by field, bytes included). */
function difference(a: Outcome, b: Outcome): string {
  if (a.end !== b.end) return `ended ${a.end} vs ${b.end}`;
  if (a.responses.length !== b.responses.length) return `${a.responses.length} vs ${b.responses.length} responses`;
  for (const [i, x] of a.responses.entries()) {
    const y = b.responses[i];
    for (const k of ['version', 'status', 'reason', 'headLength', 'contentEncoding'] as const) {
      if (x[k] !== y[k]) return `response ${i}: ${k} ${String(x[k])} vs ${String(y[k])}`;
    }
    if (JSON.stringify(x.headers) !== JSON.stringify(y.headers)) return `response ${i}: headers differ`;
    if (!same(x.raw, y.raw)) return `response ${i}: raw bytes differ`;
    if (!same(x.body, y.body)) return `response ${i}: body differs`;
  }
  return '';
}

const cutsOf = (n: number, max = 12): fc.Arbitrary<number[]> =>
  fc.uniqueArray(fc.integer({ min: 0, max: n }), { maxLength: max }).map((c) => c.sort((a, b) => a - b));

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
const bytesOf = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

const WHOLE = GOLDEN.map((g) => parseWith(g.bytes));
const SMALL = GOLDEN.find((g) => g.name === 'jsonrpc-server-chunked-gzip')!;
const LIMITS = [64, 4096, MiB, 2 ** 30];
/** the small stream as a parser with each limit reads it (with 64 bytes, E_LIMIT) */
const SMALL_BY_LIMIT = new Map(LIMITS.map((l) => [l, parseWith(SMALL.bytes, [], l)]));

describe('HTTP response parser on responses from Python servers', () => {
  it('has streams of every kind', () => {
    const all = GOLDEN.map((g) => latin1(g.bytes)).join('\n');
    expect(GOLDEN.length).toBeGreaterThan(10);
    for (const what of [/Transfer-Encoding: chunked/, /Content-Encoding: gzip/, /Content-Encoding: deflate/, /\r\n[0-9a-f]+;seq=0;name="part 0"\r\n/, /\r\n0;last\r\nX-Checksum: [0-9a-f]+\r\nX-Count: 5\r\n\r\n/, /HTTP\/1\.1 100 Continue\r\n\r\n/]) {
      expect(all).toMatch(what);
    }
    expect(GOLDEN.some((g) => g.responses.length > 3)).toBe(true);
  });

  it('parses every stream as Python’s http.client reads it', () => {
    for (const [i, g] of GOLDEN.entries()) {
      const out = WHOLE[i];
      expect(out.end, g.name).toBe('complete');
      expect(out.responses.length, g.name).toBe(g.responses.length);
      for (const [j, py] of g.responses.entries()) {
        const r = out.responses[j];
        expect({ version: r.version, status: r.status, reason: r.reason, headers: r.headers }, `${g.name} #${j}`).toEqual({
          version: py.version,
          status: py.status,
          reason: py.reason,
          headers: py.headers,
        });
        expect(r.body.length, `${g.name} #${j}`).toBe(py.bodyLength);
        expect(createHash('sha256').update(r.body).digest('hex'), `${g.name} #${j}`).toBe(py.bodySha256);
      }
      // the responses' bytes are the stream, less the interim 100 Continue heads
      const interim = /HTTP\/1\.1 100 Continue\r\n\r\n/g;
      const raws = Buffer.concat(out.responses.map((r) => r.raw));
      expect(latin1(raws), g.name).toBe(latin1(g.bytes).replace(interim, ''));
    }
  });

  it('a stream split at every offset, and fed a byte at a time, parses the same', { timeout: LONG_TIMEOUT }, () => {
    for (const [i, g] of GOLDEN.entries()) {
      for (let cut = 0; cut <= g.bytes.length; cut++) {
        const d = difference(parseWith(g.bytes, [cut]), WHOLE[i]);
        if (d) expect.fail(`${g.name} split at ${cut}: ${d}`);
      }
      const d = difference(parseWith(g.bytes, [...Array(g.bytes.length).keys()]), WHOLE[i]);
      if (d) expect.fail(`${g.name} a byte at a time: ${d}`);
    }
  });

  it('random multi-splits parse the same', { timeout: LONG_TIMEOUT }, () => {
    const stream = fc.integer({ min: 0, max: GOLDEN.length - 1 }).chain((i) => fc.tuple(fc.constant(i), cutsOf(GOLDEN[i].bytes.length, 40)));
    fc.assert(
      fc.property(stream, ([i, cuts]) => {
        const d = difference(parseWith(GOLDEN[i].bytes, cuts), WHOLE[i]);
        check(d === '', () => `${GOLDEN[i].name} cut at ${cuts.join(',')}: ${d}`);
      }),
      { numRuns: sideRuns(1000) },
    );
  });
});

describe('HTTP response parser limits', () => {
  const ok = (body: string, extra = ''): string => `HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`;

  it('a Content-Length under the limit but never sent waits for the bytes without allocating them', () => {
    boundedAllocation(() => {
      const out = parseWith(bytesOf('HTTP/1.1 200 OK\r\nContent-Length: 1000000000\r\n\r\nabc'), [], 2 ** 31);
      expect(out.end).toBe('E_CLOSED');
    });
  });

  it('a Content-Length or chunk sizes over the limit are E_LIMIT naming the length', () => {
    const cl = parseWith(bytesOf('HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n'));
    expect(cl.end).toBe('E_LIMIT');
    expect(cl.error?.message).toMatch(/\(\d{20,} bytes\) exceeds the limit/);
    for (const size of ['ffffffffffffffff', 'FFFFFFFF', '1000001', 'f'.repeat(400)]) {
      boundedAllocation(() => expect(parseWith(bytesOf(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n${size}\r\nabc`)).end, size).toBe('E_LIMIT'));
    }
    // chunks adding up past the limit
    expect(parseWith(bytesOf(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n9\r\n123456789\r\n0\r\n\r\n`), [], 16).end).toBe('E_LIMIT');
  });

  it('heads, chunk-size lines and trailers past 64 KiB are E_LIMIT, split or not', () => {
    const big = 'x'.repeat(MAX_HEAD_BYTES);
    const streams = [
      ok('<a/>', `X-Big: ${big}\r\n`),
      `HTTP/1.1 200 OK\r\nX-Endless: ${big}`,
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;${big}\r\nhello\r\n0\r\n\r\n`,
      `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: ${big}\r\n\r\n`,
    ].map(bytesOf);
    for (const s of streams) {
      expect(parseWith(s).end).toBe('E_LIMIT');
      expect(parseWith(s, [100, 1000, 40000, 65540]).end).toBe('E_LIMIT');
    }
  });

  it('64 KiB exactly is accepted and a byte more refused, wherever the stream is split near the end', () => {
    const head = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ';
    const chunked = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    const sized: [string, (n: number) => string, number][] = [
      // a head of n bytes, blank line included
      ['head', (n) => head + 'y'.repeat(n - head.length - 4) + '\r\n\r\n', 0],
      // a chunk-size line of n bytes before its CRLF
      ['chunk-size line', (n) => `${chunked}5;${'e'.repeat(n - 2)}\r\nhello\r\n0\r\n\r\n`, chunked.length],
      // trailers of n bytes, the final CRLF included
      ['trailers', (n) => `${chunked}5\r\nhello\r\n0\r\nX-T: ${'z'.repeat(n - 9)}\r\n\r\n`, chunked.length + 13],
    ];
    for (const [what, make, start] of sized) {
      for (const [n, end] of [
        [MAX_HEAD_BYTES, 'complete'],
        [MAX_HEAD_BYTES + 1, 'E_LIMIT'],
      ] as const) {
        const s = bytesOf(make(n));
        expect(parseWith(s).end, `${what} of ${n} bytes`).toBe(end);
        for (let cut = start + n - 6; cut <= start + n + 6; cut++) expect(parseWith(s, [cut]).end, `${what} of ${n} bytes, cut at ${cut}`).toBe(end);
      }
    }
  });

  it('a response that arrived in many pieces keeps no buffer much larger than its bytes', () => {
    const g = GOLDEN.find((x) => x.name === 'chunked-large')!;
    const out = parseWith(g.bytes, Array.from({ length: Math.floor(g.bytes.length / 100) }, (_, i) => (i + 1) * 100));
    const raw = out.responses[0].raw;
    expect(raw.length).toBe(g.bytes.length);
    expect(raw.buffer.byteLength).toBeLessThanOrEqual(raw.length * 1.125);
  });

  it('ten thousand 100 Continue heads in a row: skipped in a loop, no stack overflow', () => {
    const s = bytesOf('HTTP/1.1 100 Continue\r\n\r\n'.repeat(10_000) + ok('<a/>'));
    const out = parseWith(s);
    expect(out.end).toBe('complete');
    expect(out.responses.map((r) => r.status)).toEqual([200]);
  });

  it('malformed status lines and headers are E_PROTOCOL', () => {
    for (const s of ['HTTP/1.1 2000 OK\r\n\r\n', 'ICY 200 OK\r\n\r\n', 'HTTP/1.1 200 OK\r\nno colon\r\n\r\n', 'HTTP/1.1 200 OK\r\n: empty name\r\n\r\n', 'HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', '<html>not http</html>']) {
      expect(parseWith(bytesOf(s)).end, s).toBe('E_PROTOCOL');
    }
  });
});

// --- damaged and random responses -------------------------------------------------------------------

type Edit =
  | { kind: 'content-length'; value: string }
  | { kind: 'chunk-size'; nth: number; value: string }
  | { kind: 'status'; line: string }
  | { kind: 'header'; nth: number; line: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    kind: fc.constant('content-length' as const),
    value: fc.oneof(
      fc.constantFrom('4294967296', '99999999999999999999', '1073741824', '16777217', '-1', '1e3', '0x10', '', ' ', '12, 12', '+5'),
      fc.nat({ max: 2 ** 40 }).map(String),
      fc.nat({ max: 100 }).map(String),
    ),
  }),
  fc.record({
    kind: fc.constant('chunk-size' as const),
    nth: fc.nat({ max: 8 }),
    value: fc.oneof(
      fc.constantFrom('ffffffffffffffff', 'FFFFFFFF', '7fffffff', '1000000', '100000000000000000000000', '-1', 'g', '', ' 5', '5 ', '0', '00000000000000000000000000000001', '5;a=b;c="d"', '5;' + 'e'.repeat(300)),
      fc.nat({ max: 2 ** 32 }).map((n) => n.toString(16)),
      fc.nat({ max: 64 }).map((n) => n.toString(16)),
    ),
  }),
  fc.record({
    kind: fc.constant('status' as const),
    line: fc.oneof(
      fc.constantFrom('HTTP/1.1 2000 OK', 'HTTP/2 200', 'HTTP/1.1 200', 'HTTP/1.1  200 OK', 'ICY 200 OK', '', 'HTTP/1.1 099 X', 'HTTP/1.1 100 Continue', 'HTTP/1.0 101 Switching', 'HTTP/9.9 999 ?', 'HTTP/1.1 204 No Content', 'http/1.1 200 ok'),
      fc.string({ maxLength: 20 }),
    ),
  }),
  fc.record({
    kind: fc.constant('header' as const),
    nth: fc.nat({ max: 8 }),
    line: fc.oneof(
      fc.constantFrom(
        ': x',
        'NoColon',
        ' folded continuation',
        'Content-Length: 5',
        'Content-Length: 4294967296',
        'Transfer-Encoding: chunked',
        'Transfer-Encoding: gzip, chunked',
        'Transfer-Encoding: identity',
        'Content-Encoding: gzip',
        'Content-Encoding: deflate',
        'Content-Encoding: br',
        'Content-Encoding: identity',
        'Connection: close',
        'X-Empty:',
      ),
      fc.string({ maxLength: 30 }),
    ),
  }),
);

/** Apply text-level edits to a response stream: the places where HTTP lengths and structure live. */
function applyEdits(stream: Uint8Array, edits: Edit[]): Uint8Array {
  let s = latin1(stream);
  for (const e of edits) {
    switch (e.kind) {
      case 'content-length':
        s = s.replace(/(Content-Length: )[^\r]*/i, `$1${e.value}`);
        break;
      case 'chunk-size': {
        // the nth line that looks like a chunk size
        let n = 0;
        s = s.replace(/\r\n([0-9a-fA-F]+(?:;[^\r]*)?)\r\n/g, (m: string) => (n++ === e.nth ? `\r\n${e.value}\r\n` : m));
        break;
      }
      case 'status':
        s = s.replace(/^[^\r]*/, e.line);
        break;
      case 'header': {
        const lines = s.split('\r\n');
        const headEnd = Math.max(1, lines.indexOf(''));
        lines.splice(1 + (e.nth % headEnd), 0, e.line);
        s = lines.join('\r\n');
        break;
      }
    }
  }
  return bytesOf(s);
}

function checkResponse(stream: Uint8Array, cuts: number[], limit: number): void {
  boundedAllocation(() => {
    const parser = new HttpResponseParser('peer', limit);
    let whole: Outcome | undefined;
    const failed = declaredOnly(
      'http response',
      () => {
        whole = parse(parser, stream);
        if (whole.error) throw whole.error;
      },
      DECLARED,
    );
    const split = parseWith(stream, cuts, limit);
    const d = difference(split, whole!);
    check(d === '', () => `split at ${cuts.join(',')}: ${d}`);
    if (failed) {
      // usable after an error: reset() and a good stream parses as it always does
      parser.reset();
      const again = difference(parse(parser, SMALL.bytes), SMALL_BY_LIMIT.get(limit)!);
      check(again === '', () => `after ${failed.code} and reset(): ${again}`);
    }
  });
}

describe('HTTP response parser fuzz', () => {
  const golden = fc.constantFrom(...GOLDEN.map((g) => g.bytes));
  const damaged = fc.oneof(
    { arbitrary: fc.tuple(golden, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([s, es]) => applyEdits(s, es)), weight: 3 },
    { arbitrary: fc.tuple(golden, mutations).map(([s, ms]) => mutate(s, ms)), weight: 3 },
    { arbitrary: fc.tuple(golden, fc.array(edit, { minLength: 1, maxLength: 2 }), mutations).map(([s, es, ms]) => mutate(applyEdits(s, es), ms)), weight: 1 },
  );
  const random = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }).map((b) => Uint8Array.from([...bytesOf('HTTP/1.1 200 OK\r\n'), ...b])),
    fc
      .array(fc.constantFrom('HTTP/1.1 200 OK', 'HTTP/1.1 100 Continue', 'Content-Length: 3', 'Transfer-Encoding: chunked', 'Content-Encoding: gzip', '3', '0', 'abc', '', 'X: y', 'ffffffff'), { maxLength: 12 })
      .map((lines) => bytesOf(lines.join('\r\n'))),
  );
  const withCuts = (a: fc.Arbitrary<Uint8Array>) => a.chain((s) => fc.tuple(fc.constant(s), cutsOf(s.length), fc.constantFrom(...LIMITS)));

  it('damaged responses: responses or a declared error, the same however split, bounded allocation', { timeout: LONG_TIMEOUT }, () => {
    timed('http response', () =>
      fc.assert(
        fc.property(withCuts(damaged), ([s, cuts, limit]) => checkResponse(s, cuts, limit)),
        { numRuns: runs(2000, 0.7) },
      ),
    );
  });

  it('random responses: responses or a declared error, the same however split', { timeout: LONG_TIMEOUT }, () => {
    timed('http response', () =>
      fc.assert(
        fc.property(withCuts(random), ([s, cuts, limit]) => checkResponse(s, cuts, limit)),
        { numRuns: runs(1000, 0.3) },
      ),
    );
  });
});
