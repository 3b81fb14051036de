// The wire log of one connection: every chunk of bytes in and out, append-only, with seq and time.
// Frames keep their bytes and decode their layers only when one is shown (resolveLayers), so a
// log of 100,000+ frames costs little more than the bytes themselves. Pages and filters feed the UI.
import { resolveLayers, type Frame, type FrameInput, type Layer } from '../common/frames';

export interface FrameQuery {
  callId?: number;
  dir?: 'in' | 'out';
  text?: string;
}

export interface FrameSummary {
  seq: number;
  callId?: number;
  dir: 'in' | 'out';
  time: number;
  size: number;
  preview: string;
  callSource?: string;
}

const PREVIEW_BYTES = 48;
/** beyond this the oldest frames are dropped (a log that runs for days must not eat the machine) */
export const DEFAULT_MAX_FRAMES = 1_000_000;

export class WireLog {
  private frames: Frame[] = [];
  private nextSeq = 1;
  /** the filtered view last asked for, kept while no frame arrives: paging it is then O(page) */
  private cache?: { key: string; firstSeq: number; count: number; seqIdx: number[] };

  constructor(
    private readonly maxFrames = DEFAULT_MAX_FRAMES,
    /** the source text of a call, so the text filter can find frames by what was called */
    private readonly callSource: (callId: number) => string | undefined = () => undefined,
  ) {}

  append(input: FrameInput): Frame {
    const frame: Frame = {
      seq: this.nextSeq++,
      callId: input.callId,
      dir: input.dir,
      time: input.time ?? Date.now(),
      bytes: input.bytes,
      layers: input.layers,
    };
    this.frames.push(frame);
    if (this.frames.length > this.maxFrames) this.frames.splice(0, this.frames.length - this.maxFrames);
    return frame;
  }

  get size(): number {
    return this.frames.length;
  }

  clear(): number {
    const n = this.frames.length;
    this.frames = [];
    this.cache = undefined;
    return n;
  }

  get(seq: number): Frame | undefined {
    // seqs are dense and increasing; only dropped frames shift the index
    const first = this.frames[0]?.seq ?? 0;
    const f = this.frames[seq - first];
    return f?.seq === seq ? f : undefined;
  }

  layersOf(frame: Frame): Layer[] {
    return resolveLayers(frame);
  }

  page(offset: number, limit: number, q: FrameQuery = {}): { total: number; frames: FrameSummary[] } {
    if (q.callId === undefined && q.dir === undefined && !q.text) {
      return { total: this.frames.length, frames: this.frames.slice(offset, offset + limit).map((f) => this.summarize(f)) };
    }
    const idx = this.matching(q);
    const out: FrameSummary[] = [];
    for (let i = offset; i < Math.min(idx.length, offset + limit); i++) out.push(this.summarize(this.frames[idx[i]]));
    return { total: idx.length, frames: out };
  }

  private matching(q: FrameQuery): number[] {
    const key = JSON.stringify([q.callId, q.dir, q.text ?? '']);
    const firstSeq = this.frames[0]?.seq ?? 0;
    const c = this.cache;
    if (c && c.key === key && c.firstSeq === firstSeq && c.count === this.frames.length) return c.seqIdx;
    const needle = q.text ? q.text.toLowerCase() : undefined;
    const idx: number[] = [];
    for (let i = 0; i < this.frames.length; i++) {
      const f = this.frames[i];
      if (q.callId !== undefined && f.callId !== q.callId) continue;
      if (q.dir !== undefined && f.dir !== q.dir) continue;
      if (needle !== undefined && !this.textMatches(f, needle)) continue;
      idx.push(i);
    }
    this.cache = { key, firstSeq, count: this.frames.length, seqIdx: idx };
    return idx;
  }

  summarize(f: Frame): FrameSummary {
    const head = latin1(f.bytes, PREVIEW_BYTES).replace(/[^\x20-\x7e]/g, '.');
    const s: FrameSummary = { seq: f.seq, dir: f.dir, time: f.time, size: f.bytes.length, preview: head };
    if (f.callId !== undefined) {
      s.callId = f.callId;
      const source = this.callSource(f.callId);
      if (source !== undefined) s.callSource = source.length > 80 ? `${source.slice(0, 80)}…` : source;
    }
    return s;
  }

  private textMatches(f: Frame, needle: string): boolean {
    if (f.callId !== undefined && this.callSource(f.callId)?.toLowerCase().includes(needle)) return true;
    return latin1(f.bytes).toLowerCase().includes(needle);
  }
}

function latin1(b: Uint8Array, max = b.length): string {
  let s = '';
  const n = Math.min(max, b.length);
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode(...b.subarray(i, Math.min(n, i + 8192)));
  return s;
}
