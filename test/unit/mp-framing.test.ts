// The length-prefix framing against what CPython's multiprocessing.connection writes.
import { describe, expect, it } from 'vitest';
import { MpFrameDecoder, encodeMpFrame, encodeMpHeader } from '../../src/codecs/mp-framing';
import { isRpcError } from '../../src/common/errors';
import { runPython } from '../helpers/python';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'));

// Python writes each payload through Connection.send_bytes on a socketpair; we get the raw stream.
const PY_FRAMES = String.raw`
import socket, sys, binascii
from multiprocessing.connection import Connection
a, b = socket.socketpair()
ca = Connection(a.detach())
payloads = [b'', b'\x00', b'hello', bytes(range(256)) * 70]
for p in payloads:
    ca.send_bytes(p)
ca.close()
data = b''
while True:
    chunk = b.recv(65536)
    if not chunk: break
    data += chunk
print(binascii.hexlify(data).decode())

# the large form, from _send_bytes itself with a pretend 2**31+5-byte buffer
class Rec(Connection):
    sent = []
    def _send(self, buf):
        if isinstance(buf, bytes): Rec.sent.append(buf)
class Big(object):
    def __len__(self): return 2**31 + 5
x, y = socket.socketpair()
Rec(x.detach())._send_bytes(Big())
print(binascii.hexlify(b''.join(Rec.sent)).decode())
`;

describe('multiprocessing.connection framing', () => {
  const [stream, largeHeader] = runPython(PY_FRAMES).trim().split('\n');
  const payloads = [new Uint8Array(0), Uint8Array.of(0), new TextEncoder().encode('hello'), new Uint8Array(256 * 70).map((_, i) => i % 256)];

  it('encodes exactly what Python sends', () => {
    expect(payloads.map((p) => hex(encodeMpFrame(p))).join('')).toBe(stream);
    expect(hex(encodeMpHeader(2 ** 31 + 5))).toBe(largeHeader);
  });

  it('decodes the Python stream fed in chunks of every size', () => {
    const bytes = fromHex(stream);
    for (const size of [1, 2, 3, 5, 7, 4096, bytes.length]) {
      const dec = new MpFrameDecoder(1 << 20);
      const got: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) {
        dec.feed(bytes.subarray(i, i + size));
        for (let m = dec.take(); m; m = dec.take()) got.push(m.payload);
      }
      expect(got.map(hex)).toEqual(payloads.map(hex));
      expect(dec.idle).toBe(true);
    }
  });

  it('need() asks for exactly the bytes of the current step', () => {
    const dec = new MpFrameDecoder(100);
    expect(dec.need()).toBe(4);
    dec.feed(Uint8Array.of(0, 0));
    expect(dec.need()).toBe(2);
    dec.feed(Uint8Array.of(0, 3));
    expect(dec.need()).toBe(3);
    dec.feed(Uint8Array.of(1, 2, 3));
    expect(dec.need()).toBe(0);
    expect(Array.from(dec.take()!.payload)).toEqual([1, 2, 3]);
    expect(dec.need()).toBe(4);
  });

  it('rejects a length over the limit before buffering the payload, naming the claimed length', () => {
    const dec = new MpFrameDecoder(1000);
    let err: unknown;
    try {
      dec.feed(fromHex('7fffffff'));
    } catch (e) {
      err = e;
    }
    expect(isRpcError(err, 'E_LIMIT')).toBe(true);
    expect((err as Error).message).toContain('2147483647');
    expect((err as Error).message).toContain('1000');
  });

  it('checks the u64 large form against the limit too', () => {
    const dec = new MpFrameDecoder(2 ** 40);
    expect(() => dec.feed(fromHex('ffffffff' + 'ffffffffffffffff'))).toThrow(/18446744073709551615/);
    const ok = new MpFrameDecoder(10);
    ok.feed(fromHex('ffffffff0000000000000002abcd'));
    expect(hex(ok.take()!.payload)).toBe('abcd');
    expect(ok.take()).toBeUndefined();
  });

  it('reports a negative length as a protocol error', () => {
    expect(() => new MpFrameDecoder(10).feed(fromHex('80000000'))).toThrow(expect.objectContaining({ code: 'E_PROTOCOL' }));
  });
});
