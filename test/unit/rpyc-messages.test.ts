// RPyC channel frames and messages against rpyc 5.3.0 itself: the bytes Python's Channel.send and
// Connection._send would write, generated at test time by Debian's python3.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isRpcError } from '../../src/common/errors';
import { repr } from '../../src/common/repr';
import { decodeFrameHeader, encodeFrame, framePayload } from '../../src/codecs/rpyc/channel';
import { HANDLER, MSG, boxFromValue, boxToValue, decodeMessage, decodeRequest, encodeMessage, messageLayers, requestArgs } from '../../src/codecs/rpyc/messages';
import { MAX_LAYER_FIELDS } from '../../src/common/frames';
import { decodeException, remoteErrorFrom } from '../../src/codecs/rpyc/vinegar';
import { SYSTEM_PYTHON, runPython } from '../helpers/python';

const PY = `
import json, sys
from rpyc.core import brine, vinegar
from rpyc.core.channel import Channel
class Sink:
    MAX_IO_CHUNK = 1 << 20
    def __init__(self): self.out = b''
    def write(self, b): self.out += b
def frame(data):
    s = Sink(); Channel(s).send(data); return s.out.hex()
msgs = {
  'getroot': (1, 0, (3, (1, ()))),
  'callattr': (1, 5, (8, (2, ((3, ('__main__.S', 11, 22)), (1, 'add'), (1, (2, 3)), (1, (('b', 4),)))))),
  'reply_ref': (2, 7, (4, ('builtins.list', 9759744, 140320294714624))),
  'big': (2, 1, (1, tuple(range(2000)))),
  'huge': (2, 7, (1, tuple(range(12000)))),
}
try:
    {}['nope']
except KeyError:
    exc = vinegar.dump(*sys.exc_info(), include_local_traceback=True, include_local_version=True)
msgs['exception'] = (3, 9, exc)
print(json.dumps({k: {'brine': brine.dump(v).hex(), 'frame': frame(brine.dump(v))} for k, v in msgs.items()}))
`;

const vectors = JSON.parse(runPython(PY, { python: SYSTEM_PYTHON })) as Record<string, { brine: string; frame: string }>;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const inflate = (d: Uint8Array) => new Uint8Array(inflateSync(d));

describe('rpyc frames and messages (rpyc 5.3.0)', () => {
  it('encodes GETROOT exactly as Python does', () => {
    const payload = encodeMessage(MSG.REQUEST, 0, requestArgs(HANDLER.GETROOT, { label: 'value', value: { t: 'tuple', items: [] } }));
    expect(hex(payload)).toBe(vectors.getroot.brine);
    expect(hex(encodeFrame(payload))).toBe(vectors.getroot.frame);
  });

  it('encodes a CALLATTR with a local ref, args and kwargs as Python does', () => {
    const s = (v: string) => ({ t: 'str' as const, v });
    const i = (v: number) => ({ t: 'int' as const, v: BigInt(v) });
    const args = boxToValue({
      label: 'tuple',
      items: [
        { label: 'local', id: { cls: '__main__.S', classId: 11n, instanceId: 22n } },
        { label: 'value', value: s('add') },
        { label: 'value', value: { t: 'tuple', items: [i(2), i(3)] } },
        { label: 'value', value: { t: 'tuple', items: [{ t: 'tuple', items: [s('b'), i(4)] }] } },
      ],
    });
    const payload = encodeMessage(MSG.REQUEST, 5, { t: 'tuple', items: [i(HANDLER.CALLATTR), args] });
    expect(hex(payload)).toBe(vectors.callattr.brine);
    const m = decodeMessage(payload);
    const req = decodeRequest(m.args);
    expect(req.handler).toBe(HANDLER.CALLATTR);
    expect(req.args.label === 'tuple' && req.args.items[0]).toEqual({ label: 'local', id: { cls: '__main__.S', classId: 11n, instanceId: 22n } });
  });

  it("lists the first parts of a large reply's brine in the wire view, and its value whole", () => {
    const payload = bytes(vectors.huge.brine);
    const [, brine, value] = messageLayers(payload, 0);
    expect(brine.fields).toHaveLength(MAX_LAYER_FIELDS);
    expect(brine.title).toBe(`brine, ${payload.length} bytes; the first 10,000 parts listed`);
    expect(value.text).toBe(`(2, 7, (1, (${Array.from({ length: 12_000 }, (_, k) => k).join(', ')})))`);
    const [, small] = messageLayers(bytes(vectors.big.brine), 0);
    expect(small.title).toMatch(/^brine, \d+ bytes$/);
  });

  it('decodes a REMOTE_REF reply', () => {
    const m = decodeMessage(framePayload(bytes(vectors.reply_ref.frame)));
    expect(m).toMatchObject({ msg: MSG.REPLY, seq: 7 });
    expect(boxFromValue(m.args)).toEqual({ label: 'remote', id: { cls: 'builtins.list', classId: 9759744n, instanceId: 140320294714624n } });
  });

  it('inflates the frames Python compresses', () => {
    const frame = bytes(vectors.big.frame);
    expect(decodeFrameHeader(frame).compressed).toBe(true);
    expect(hex(framePayload(frame, inflate))).toBe(vectors.big.brine);
    expect(() => framePayload(frame)).toThrow(/no decompressor/);
  });

  it('turns a vinegar exception into a RemoteError with the traceback', () => {
    const m = decodeMessage(bytes(vectors.exception.brine));
    const exc = decodeException(m.args);
    if (exc.stopIteration) throw new Error('not StopIteration');
    const e = remoteErrorFrom(exc);
    expect(e.pyType).toBe('KeyError');
    expect(e.lastLine).toBe("KeyError: 'nope'");
    expect(repr(e.pyArgs[0])).toBe("'nope'");
    expect(e.extra.traceback).toMatch(/^Traceback \(most recent call last\):\n[\s\S]*KeyError: 'nope'\n$/);
    expect(decodeException({ t: 'int', v: 1n })).toEqual({ stopIteration: true });
  });

  it('rejects malformed messages with clear errors', () => {
    const err = (h: string) => {
      try {
        decodeMessage(bytes(h));
      } catch (e) {
        if (isRpcError(e)) return `${e.code} ${e.message}`;
        throw e;
      }
      return 'no error';
    };
    expect(err('115150')).toMatch(/^E_PROTOCOL rpyc: a message must be a 3-tuple/);
    expect(err('12595000')).toMatch(/^E_PROTOCOL rpyc: unknown message type 9/);
    expect(err('125150f7')).toMatch(/^E_DECODE brine: unknown tag 0xf7 at offset 3/);
    expect(() => decodeFrameHeader(bytes('0000000102'))).toThrow(/compressed flag is 2/);
    expect(() => framePayload(bytes('000000050050'))).toThrow(/truncated/);
  });
});
