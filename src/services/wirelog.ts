// The wire log of one connection: every chunk of bytes in and out, append-only, with seq and time.
// Frames keep their bytes and decode their layers only when one is shown (resolveLayers), so a
// log of 100,000+ frames costs little more than the bytes themselves. Pages and filters feed the UI.
import { frameClock, resolveLayers, type Frame, type FrameInput, type Layer } from '../common/frames';

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
  /** ms since the first frame of its call, for the call's later frames */
  sinceCall?: number;
  size: number;
  preview: string;
  callSource?: string;
}

const PREVIEW_BYTES = 48;
/** beyond this the oldest frames are dropped (a log that runs for days must not eat the machine) */
export const DEFAULT_MAX_FRAMES = 1_000_000;
/**
 * Dropped frames leave the array this many at a time: taking one frame off the front of a full log
 * for every frame appended moved a million entries each time (~0.4 ms a frame, every call slowed
 * once a long session filled the log).
 */
const DROP_BATCH = 4096;
/** calls whose first frame's time is kept */
const CALL_STARTS_KEPT = 10_000;

export class WireLog {
  private frames: Frame[] = [];
  /** how many frames at the start of `frames` are dropped already (see DROP_BATCH) */
  private dropped = 0;
  private nextSeq = 1;
  /** when each recent call's first frame came, for the later ones' sinceCall */
  private readonly callStarts = new Map<number, number>();
  /** the filtered view last asked for, kept while no frame arrives: paging it is then O(page) */
  private cache?: { key: string; firstSeq: number; count: number; seqIdx: number[] };

  constructor(
    private readonly maxFrames = DEFAULT_MAX_FRAMES,
    /** the source text of a call, so the text filter can find frames by what was called */
    private readonly callSource: (callId: number) => string | undefined = () => undefined,
  ) {}

  append(input: FrameInput): Frame {
    const time = input.time ?? frameClock();
    const frame: Frame = {
      seq: this.nextSeq++,
      callId: input.callId,
      dir: input.dir,
      time,
      bytes: input.bytes,
      layers: input.layers,
    };
    if (input.callId !== undefined) {
      const start = this.callStarts.get(input.callId);
      if (start === undefined) {
        this.callStarts.set(input.callId, time);
        // a call's frames come close together: the calls of long ago are not needed
        if (this.callStarts.size > CALL_STARTS_KEPT) this.callStarts.delete(this.callStarts.keys().next().value!);
      } else frame.sinceCall = time - start;
    }
    this.frames.push(frame);
    if (this.size > this.maxFrames) {
      this.dropped++;
      if (this.dropped >= Math.min(DROP_BATCH, this.maxFrames)) {
        this.frames.splice(0, this.dropped);
        this.dropped = 0;
      }
    }
    return frame;
  }

  get size(): number {
    return this.frames.length - this.dropped;
  }

  clear(): number {
    const n = this.size;
    this.frames = [];
    this.dropped = 0;
    this.cache = undefined;
    this.callStarts.clear();
    return n;
  }

  get(seq: number): Frame | undefined {
    // seqs are dense and increasing; only dropped frames shift the index
    const i = seq - (this.at(0)?.seq ?? 0);
    const f = i >= 0 && i < this.size ? this.at(i) : undefined;
    return f?.seq === seq ? f : undefined;
  }

  /** the i-th frame kept (0: the oldest) */
  private at(i: number): Frame | undefined {
    return this.frames[this.dropped + i];
  }

  layersOf(frame: Frame): Layer[] {
    return resolveLayers(frame);
  }

  page(offset: number, limit: number, q: FrameQuery = {}): { total: number; frames: FrameSummary[] } {
    if (q.callId === undefined && q.dir === undefined && !q.text) {
      const start = this.dropped + Math.max(0, offset);
      return { total: this.size, frames: this.frames.slice(start, start + limit).map((f) => this.summarize(f)) };
    }
    const idx = this.matching(q);
    const out: FrameSummary[] = [];
    for (let i = offset; i < Math.min(idx.length, offset + limit); i++) out.push(this.summarize(this.at(idx[i])!));
    return { total: idx.length, frames: out };
  }

  private matching(q: FrameQuery): number[] {
    const key = JSON.stringify([q.callId, q.dir, q.text ?? '']);
    const firstSeq = this.at(0)?.seq ?? 0;
    const count = this.size;
    const c = this.cache;
    if (c && c.key === key && c.firstSeq === firstSeq && c.count === count) return c.seqIdx;
    const needle = q.text ? q.text.toLowerCase() : undefined;
    const needleBytes = needle === undefined ? undefined : lowerLatin1Needle(needle);
    // a call's frames share its source: test it once per call, not once per frame
    const sourceHit = new SourceHits((id) => this.callSource(id)?.toLowerCase().includes(needle!) ?? false);
    const idx: number[] = [];
    for (let i = 0; i < count; i++) {
      const f = this.at(i)!;
      if (q.callId !== undefined && f.callId !== q.callId) continue;
      if (q.dir !== undefined && f.dir !== q.dir) continue;
      if (needle !== undefined && !this.textMatches(f, needleBytes, sourceHit)) continue;
      idx.push(i);
    }
    this.cache = { key, firstSeq, count, seqIdx: idx };
    return idx;
  }

  summarize(f: Frame): FrameSummary {
    const head = latin1(f.bytes, PREVIEW_BYTES).replace(/[^\x20-\x7e]/g, '.');
    const s: FrameSummary = { seq: f.seq, dir: f.dir, time: f.time, size: f.bytes.length, preview: head };
    if (f.sinceCall !== undefined) s.sinceCall = f.sinceCall;
    if (f.callId !== undefined) {
      s.callId = f.callId;
      const source = this.callSource(f.callId);
      if (source !== undefined) s.callSource = source.length > 80 ? `${source.slice(0, 80)}…` : source;
    }
    return s;
  }

  private textMatches(f: Frame, needleBytes: Uint8Array | undefined, sourceHit: SourceHits): boolean {
    if (f.callId !== undefined && sourceHit.test(f.callId)) return true;
    // searched in the bytes themselves: building a string of every frame made a text filter over
    // 100,000 frames take a few hundred ms
    return needleBytes !== undefined && includesLowerLatin1(f.bytes, needleBytes);
  }
}

/**
 * Whether a call's source matches, remembered for the call's next frame. A call's frames mostly
 * follow one another; when calls interleave the answer is computed again (it is cheap), where a
 * map of every call seen cost most of a text filter's time over 100,000 frames.
 */
class SourceHits {
  private lastId = NaN;
  private lastHit = false;

  constructor(private readonly compute: (callId: number) => boolean) {}

  test(callId: number): boolean {
    if (callId !== this.lastId) {
      this.lastId = callId;
      this.lastHit = this.compute(callId);
    }
    return this.lastHit;
  }
}

function latin1(b: Uint8Array, max = b.length): string {
  let s = '';
  const n = Math.min(max, b.length);
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode(...b.subarray(i, Math.min(n, i + 8192)));
  return s;
}

/** The needle as latin-1 bytes (already lower-cased); undefined when it has a character beyond U+00FF. */
function lowerLatin1Needle(needle: string): Uint8Array | undefined {
  const out = new Uint8Array(needle.length);
  for (let i = 0; i < needle.length; i++) {
    const c = needle.charCodeAt(i);
    if (c > 0xff) return undefined;
    out[i] = c;
  }
  return out;
}

/** latin-1 toLowerCase of one byte: A-Z and À-Þ except × */
function lowerByte(b: number): number {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0xc0 && b <= 0xde && b !== 0xd7) ? b + 0x20 : b;
}

/** The one byte whose latin-1 lower case is `b` besides `b` itself (`b` when there is none). */
function upperByte(b: number): number {
  return (b >= 0x61 && b <= 0x7a) || (b >= 0xe0 && b <= 0xfe && b !== 0xf7) ? b - 0x20 : b;
}

/** Whether the latin-1 reading of `hay`, lower-cased, contains `needle` (lower-case bytes). */
function includesLowerLatin1(hay: Uint8Array, needle: Uint8Array): boolean {
  const n = needle.length;
  if (n === 0) return true;
  const first = needle[0];
  const firstUpper = upperByte(first);
  for (let i = 0; i + n <= hay.length; i++) {
    const b = hay[i];
    if (b !== first && b !== firstUpper) continue;
    let j = 1;
    while (j < n && lowerByte(hay[i + j]) === needle[j]) j++;
    if (j === n) return true;
  }
  return false;
}
