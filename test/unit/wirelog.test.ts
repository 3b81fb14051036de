// The wire log: append-only with seq, cheap at 100,000+ frames (layers decoded only on request),
// paged and filtered for the UI.
import { describe, expect, it } from 'vitest';
import type { Layer } from '../../src/common/frames';
import { resolveLayers } from '../../src/common/frames';
import { WireLog } from '../../src/services/wirelog';

const enc = new TextEncoder();

describe('WireLog', () => {
  it('holds 100,000 frames, decoding layers only for the frames looked at', () => {
    let decoded = 0;
    const log = new WireLog(undefined, (id) => (id === 7 ? 'add(2, 3)' : undefined));
    for (let i = 0; i < 100_000; i++) {
      log.append({
        callId: Math.floor(i / 2) + 1,
        dir: i % 2 ? 'in' : 'out',
        bytes: enc.encode(i % 2 ? `reply ${i}` : `request ${i}`),
        layers: (): Layer[] => {
          decoded++;
          return [{ kind: 'note', title: `frame ${i}` }];
        },
      });
    }
    expect(log.size).toBe(100_000);
    expect(decoded).toBe(0);
    const page = log.page(99_990, 50);
    expect(page.total).toBe(100_000);
    expect(page.frames.map((f) => f.seq)).toEqual(Array.from({ length: 10 }, (_, i) => 99_991 + i));
    expect(page.frames[0]).toMatchObject({ dir: 'out', size: 'request 99990'.length, preview: 'request 99990', callId: 49_996 });
    expect(decoded).toBe(0);

    const f = log.get(100_000)!;
    expect(resolveLayers(f)).toEqual([{ kind: 'note', title: 'frame 99999' }]);
    expect(resolveLayers(f)).toHaveLength(1);
    expect(decoded).toBe(1);

    expect(log.page(0, 10, { callId: 7 }).frames.map((x) => [x.seq, x.callSource])).toEqual([
      [13, 'add(2, 3)'],
      [14, 'add(2, 3)'],
    ]);
    expect(log.page(0, 10, { dir: 'in' }).total).toBe(50_000);
    expect(log.page(0, 10, { text: 'REPLY 9999' }).frames.map((x) => x.seq)).toEqual([10_000, 99_992, 99_994, 99_996, 99_998, 100_000]);
    // the call's source is searchable too
    expect(log.page(0, 10, { text: 'add(2' }).frames.map((x) => x.seq)).toEqual([13, 14]);
  });

  it('filters text without regard to case, in bytes and in the sources of interleaved calls', () => {
    const sources: Record<number, string> = { 1: 'get("Alpha")', 2: 'put("beta")' };
    const log = new WireLog(undefined, (id) => sources[id]);
    const frames: [number, string][] = [
      [1, 'REQ one'],
      [2, 'req two'],
      [1, 'Ähnlich ÀLPHA'],
      [2, 'Xreq'],
      [3, 'alpha only in bytes'],
    ];
    for (const [callId, text] of frames) log.append({ callId, dir: 'out', bytes: Uint8Array.from(text, (c) => c.charCodeAt(0)), layers: [] });
    const seqs = (text: string) => log.page(0, 10, { text }).frames.map((f) => f.seq);
    expect(seqs('ALPHA')).toEqual([1, 3, 5]); // call 1's source, and frame 5's bytes
    expect(seqs('beta')).toEqual([2, 4]);
    expect(seqs('req')).toEqual([1, 2, 4]);
    expect(seqs('ähnlich àlpha')).toEqual([3]);
    expect(seqs('zeta')).toEqual([]);
  });

  it('drops the oldest frames past its bound and keeps seq numbers', () => {
    const log = new WireLog(3);
    for (let i = 0; i < 5; i++) log.append({ dir: 'out', bytes: new Uint8Array([i, 0, 255]), layers: [] });
    expect(log.page(0, 10).frames.map((f) => [f.seq, f.preview])).toEqual([
      [3, '...'],
      [4, '...'],
      [5, '...'],
    ]);
    expect(log.get(2)).toBeUndefined();
    expect(log.get(4)?.bytes[0]).toBe(3);
    expect(log.clear()).toBe(3);
    expect(log.size).toBe(0);
  });

  it('keeps exactly its bound of frames while dropped ones leave in batches, for every view', () => {
    // 5,000 kept of 23,456: the dropped frames leave the array 4,096 at a time, and between two
    // batches nothing dropped may show through get, page, filters or size
    const log = new WireLog(5000);
    const kept = (n: number) => Array.from({ length: 5000 }, (_, i) => n - 4999 + i);
    for (let n = 1; n <= 23_456; n++) {
      log.append({ callId: n % 7, dir: n % 2 ? 'out' : 'in', bytes: Uint8Array.of(n & 0xff), layers: [] });
      if (n % 1500 !== 0 && n !== 23_456) continue;
      const first = Math.max(1, n - 4999);
      expect(log.size).toBe(Math.min(n, 5000));
      expect(log.get(first - 1)).toBeUndefined();
      expect(log.get(first)?.seq).toBe(first);
      expect(log.get(n)?.seq).toBe(n);
      expect(log.get(n + 1)).toBeUndefined();
      expect(log.page(0, 3).frames.map((f) => f.seq)).toEqual([first, first + 1, first + 2]);
      expect(log.page(log.size - 1, 5).frames.map((f) => f.seq)).toEqual([n]);
      if (n >= 5000) {
        const byCall = log.page(0, 10_000, { callId: 3 }).frames.map((f) => f.seq);
        expect(byCall).toEqual(kept(n).filter((s) => s % 7 === 3));
        expect(log.page(0, 10_000, { dir: 'in' }).total).toBe(2500);
      }
    }
    expect(log.clear()).toBe(5000);
    expect(log.page(0, 5).frames).toEqual([]);
  });

  it("times a call's later frames from its first, interleaved calls apart", () => {
    const log = new WireLog();
    const at = (time: number, callId: number | undefined, dir: 'in' | 'out') => log.append({ callId, dir, time, bytes: new Uint8Array([0]), layers: [] });
    at(1000, undefined, 'in'); // a handshake's frame belongs to no call
    at(1000.5, 1, 'out');
    at(1001, 2, 'out');
    at(1000.75, 1, 'in');
    at(1003.5, 2, 'in');
    expect(log.page(0, 10).frames.map((f) => [f.callId, f.sinceCall])).toEqual([
      [undefined, undefined],
      [1, undefined],
      [2, undefined],
      [1, 0.25],
      [2, 2.5],
    ]);
    // a frame the client gave no time gets the clock's, to a fraction of a ms
    const t0 = performance.timeOrigin + performance.now();
    const f = log.append({ callId: 3, dir: 'out', bytes: new Uint8Array([0]), layers: [] });
    expect(f.time).toBeGreaterThanOrEqual(t0);
    expect(f.time).toBeLessThan(t0 + 1000);
  });

  it('turns a failing decoder into a note instead of an error', () => {
    const log = new WireLog();
    const f = log.append({
      dir: 'in',
      bytes: new Uint8Array([1]),
      layers: () => {
        throw new Error('truncated pickle');
      },
    });
    expect(resolveLayers(f)).toEqual([{ kind: 'note', title: 'could not decode: truncated pickle' }]);
  });
});
