// pickle:// against the Cookbook server under every CPython here, cross-checked with Python's own
// multiprocessing.connection Client running the Cookbook's RPCProxy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exceptionOnlyLines, RemoteError } from '../../src/common/errors';
import type { FrameInput } from '../../src/common/frames';
import { resolveLayers } from '../../src/common/frames';
import { repr } from '../../src/common/repr';
import type { MpClient } from '../../src/clients/mp/session';
import { SERVERS_DIR, runPython, type RunningServer } from '../helpers/python';
import { PYTHONS, announcePythons, call, client, hexOf, rejection, startCookbook, url } from './mp-shared';

const KEY = 'peekaboo';

/**
 * The Cookbook client, printing repr(result) or what a traceback ends with (the last line and the
 * exception's notes, on one line joined by ` | `) per call read from stdin.
 */
const PY_CLIENT = String.raw`
import sys, pickle, binascii, traceback
sys.path.insert(0, sys.argv[3])
from multiprocessing.connection import Client
class RPCProxy:
    def __init__(self, connection):
        self._connection = connection
    def __getattr__(self, name):
        def do_rpc(*args, **kwargs):
            self._connection.send(pickle.dumps((name, args, kwargs)))
            result = pickle.loads(self._connection.recv())
            if isinstance(result, Exception):
                raise result
            return result
        return do_rpc
proxy = RPCProxy(Client(('127.0.0.1', int(sys.argv[1])), authkey=binascii.unhexlify(sys.argv[2])))
for line in sys.stdin:
    try:
        print(repr(eval('proxy.' + line.strip())))
    except Exception as e:
        print(' | '.join(''.join(traceback.format_exception_only(type(e), e)).strip().split('\n')))
`;

const CALLS = [
  'add(2, 3)',
  'sub(2, 3)',
  'sub([1, 2], 4)',
  "add('spam', 'eggs')",
  'add(1180591620717411303424, 1)',
  "values('bigint')",
  "values('float')",
  "values('nested')",
  "values('bytes')",
  "values('set')",
  "values('none')",
  "values('str')",
  "values('datetime')",
  "fail('value')",
  "fail('key')",
  "fail('app')",
  "fail('value', 'while reading rows.csv', 'line 3:\\n  spam,eggs')",
  "fail('app', 'a note')",
  'nope(1)',
  "echo(1, 'x', z=3, w=[1.5, None])",
  "echo(b'\\x00\\xff', (1,), {'k': {1, 2}})",
];

/** What our client shows: the repr, or the last traceback line of a remote error and its notes. */
async function shown(c: ReturnType<typeof client>, expr: string): Promise<string> {
  try {
    return repr(await call(c, expr));
  } catch (e) {
    if (e instanceof RemoteError) return exceptionOnlyLines(e).join(' | ');
    throw e;
  }
}

beforeAll(() => announcePythons());

for (const py of PYTHONS) {
  describe(`pickle:// with a Python ${py.version} Cookbook server`, () => {
    let server: RunningServer;
    const params = py.mm[0] === 2 ? ['protocol=2'] : [];
    beforeAll(async () => {
      server = await startCookbook('cookbook_pickle.py', py, KEY);
    });
    afterAll(() => server?.stop());

    it('runs the recipe: add, sub, and the TypeError of sub([1, 2], 4)', async () => {
      const c = client(url('pickle', server, KEY, params));
      expect(repr(await call(c, 'add(2, 3)'))).toBe('5');
      expect(repr(await call(c, 'sub(2, 3)'))).toBe('-1');
      const err = await rejection(call(c, 'sub([1, 2], 4)'));
      expect(err).toBeInstanceOf(RemoteError);
      expect((err as RemoteError).lastLine).toBe("TypeError: unsupported operand type(s) for -: 'list' and 'int'");
      await c.close();
    });

    if (py.mm[0] === 3) {
      it("gives the same results as Python's own Client for every kind of value", async () => {
        const c = client(url('pickle', server, KEY, params));
        const ours: string[] = [];
        for (const expr of CALLS) ours.push(await shown(c, expr));
        await c.close();
        const theirs = runPython(PY_CLIENT, { python: py.path, args: [String(server.port), hexOf(KEY), SERVERS_DIR], input: CALLS.join('\n') })
          .trimEnd()
          .split('\n');
        expect(ours).toEqual(theirs);
      });
    } else {
      it('reads the protocol-0 replies of Python 2', async () => {
        const c = client(url('pickle', server, KEY, params));
        expect(repr(await call(c, "values('bigint')"))).toBe('[1267650600228229401496703205376, -1180591620717411303424, 9223372036854775808, -1, 0]');
        expect(repr(await call(c, "values('str')"))).toBe("'héllo ☃'");
        expect(repr(await call(c, "values('nested')"))).toContain("'a': [1, (2, 3), (4,)]");
        expect((await rejection(call(c, "fail('key')"))).message).toBe("KeyError: 'missing'");
        await c.close();
      });
    }

    it('shows objects of server-side classes as data', async () => {
      const c = client(url('pickle', server, KEY, params));
      const point = repr(await call(c, "values('point')"));
      expect(point).toContain('Point');
      expect(point).toContain("'x': 1");
      const err = await rejection(call(c, "fail('app')"));
      expect(err).toBeInstanceOf(RemoteError);
      expect((err as RemoteError).pyType).toContain('AppError');
      expect((err as RemoteError).pyMessage).toBe("('custom failure', 42)");
      await c.close();
    });

    it('moves a large reply (1 MB) through the framing', async () => {
      const c = client(url('pickle', server, KEY, params));
      const v = await call(c, 'big(1000000)');
      expect(v.t === 'bytes' ? v.v.length : v.t === 'str' ? v.v.length : -1).toBe(1_000_000);
      await c.close();
    });

    it('serializes concurrent calls on one connection', async () => {
      const c = client(url('pickle', server, KEY, params));
      const results = await Promise.all([1, 2, 3, 4, 5].map((n) => call(c, `add(${n}, 100)`)));
      expect(results.map(repr)).toEqual(['101', '102', '103', '104', '105']);
      await c.close();
    });

    it('records every frame with the handshake and call layers', async () => {
      const frames: FrameInput[] = [];
      const c = client(url('pickle', server, KEY, params), { onFrame: (f) => frames.push(f) });
      await c.call({ method: 'add', args: [{ t: 'int', v: 2n }, { t: 'int', v: 3n }], kwargs: [] }, { callId: 7 });
      await c.close();
      const handshake = frames.filter((f) => f.callId === undefined);
      expect(handshake.map((f) => f.dir)).toEqual(['in', 'out', 'in', 'out', 'in', 'out']);
      const challenge = resolveLayers(handshake[0]).find((l) => l.kind === 'handshake')!;
      expect(challenge.title).toContain(py.mm[0] === 3 && py.mm[1] >= 12 ? 'sha256' : 'md5');
      const [req, rep] = frames.filter((f) => f.callId === 7);
      expect(req.dir).toBe('out');
      const reqLayers = resolveLayers(req);
      expect(reqLayers[0]).toMatchObject({ kind: 'framing', range: [0, 4] });
      expect(reqLayers.filter((l) => l.kind === 'pickle')).toHaveLength(2);
      expect(reqLayers.find((l) => l.kind === 'value')?.text).toBe("('add', (2, 3), {})");
      expect(resolveLayers(rep).find((l) => l.kind === 'value')?.text).toBe('5');
    });

    it('learns the names that worked when the server has no listing', async () => {
      const c = client(url('pickle', server, KEY, params)) as MpClient;
      await call(c, 'add(1, 1)');
      await rejection(call(c, 'sub([1], 1)'));
      await rejection(call(c, 'nope()'));
      const list = await c.methods();
      expect(list.source).toBe('learned');
      expect(list.methods.map((m) => m.name)).toEqual(['add', 'sub']);
      expect(list.note).toContain('no introspection');
      await c.close();
    });
  });
}

describe('pickle:// variants', () => {
  const py = PYTHONS.find((p) => p.mm[0] === 3 && p.mm[1] === 11) ?? PYTHONS[PYTHONS.length - 1];

  it('talks to a server that sends results unwrapped (?wrap=0)', async () => {
    const server = await startCookbook('cookbook_pickle.py', py, KEY, ['--nowrap']);
    try {
      const c = client(url('pickle', server, KEY, ['wrap=0']));
      expect(repr(await call(c, "values('nested')"))).toBe("{'a': [1, (2, 3), (4,)], 'b': {'c': None, 'd': True}, 'e': ()}");
      expect((await rejection(call(c, 'sub([1, 2], 4)'))).message).toBe("TypeError: unsupported operand type(s) for -: 'list' and 'int'");
      // bytes that are not a pickle stay bytes
      expect(repr(await call(c, 'big(3)'))).toBe("b'xxx'");
      await c.close();
    } finally {
      await server.stop();
    }
  });

  it('lists methods through listMethods() when the server registers it', async () => {
    const server = await startCookbook('cookbook_pickle.py', py, KEY, ['--list']);
    try {
      const c = client(url('pickle', server, KEY));
      const list = await c.methods();
      expect(list.source).toBe('introspection');
      expect(list.methods.map((m) => m.name)).toContain('add');
      expect(list.methods.map((m) => m.name)).toContain('listMethods');
      await c.close();
    } finally {
      await server.stop();
    }
  });
});
