// multiprocessing.connection framing: a 4-byte big-endian signed length, then the payload.
// Payloads over 0x7fffffff use the large form: ff ff ff ff, then an 8-byte big-endian length.
// The decoder is a state machine fed arbitrary chunks; it checks the announced length against its
// limit before buffering a single payload byte, so a hostile prefix cannot make us allocate.
import { RpcError } from '../common/errors';
import type { Layer } from '../common/frames';
import { concatBytes, dataViewOf, readUint32BE, writeUint32BE } from './bytes';

const LARGE_MARKER = 0xffffffff;
const MAX_SMALL = 0x7fffffff;

/** The length prefix Python writes for a payload of `length` bytes. */
export function encodeMpHeader(length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) throw new RpcError('E_ENCODE', `bad message length ${length}`);
  if (length <= MAX_SMALL) {
    const h = new Uint8Array(4);
    writeUint32BE(h, 0, length);
    return h;
  }
  const h = new Uint8Array(12);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, LARGE_MARKER);
  dv.setBigUint64(4, BigInt(length));
  return h;
}

/** Header and payload in one buffer (what Python sends for messages up to 16 KiB). */
export function encodeMpFrame(payload: Uint8Array): Uint8Array {
  const header = encodeMpHeader(payload.length);
  const out = new Uint8Array(header.length + payload.length);
  out.set(header);
  out.set(payload, header.length);
  return out;
}

export interface MpMessage {
  /** the 4- or 12-byte length prefix */
  header: Uint8Array;
  payload: Uint8Array;
}

type State = { kind: 'len4' } | { kind: 'len8' } | { kind: 'payload'; length: number; header: Uint8Array };

export class MpFrameDecoder {
  private state: State = { kind: 'len4' };
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private ready: MpMessage[] = [];
  /** the ff ff ff ff marker while the u64 length is read */
  private header4: Uint8Array = new Uint8Array(4);

  /** @param maxLength largest payload accepted (Python's recv_bytes(maxlength)) */
  constructor(readonly maxLength: number) {}

  /**
   * How many more bytes the current step needs: a reader can ask its transport for exactly this
   * many and never read past the end of a message. 0 when a message is ready to take().
   */
  need(): number {
    if (this.ready.length > 0) return 0;
    return this.stepSize() - this.pendingBytes;
  }

  /** Feed bytes of any size; complete messages queue up for take(). Throws E_LIMIT / E_PROTOCOL. */
  feed(chunk: Uint8Array): void {
    let off = 0;
    while (off < chunk.length) {
      const want = this.stepSize() - this.pendingBytes;
      const k = Math.min(want, chunk.length - off);
      this.pending.push(chunk.subarray(off, off + k));
      this.pendingBytes += k;
      off += k;
      if (this.pendingBytes === this.stepSize()) this.advance(this.drain());
    }
  }

  /** The next complete message, if any. */
  take(): MpMessage | undefined {
    return this.ready.shift();
  }

  /** true while the payload is read (its length known) */
  get inPayload(): boolean {
    return this.state.kind === 'payload';
  }

  /** true between messages (nothing partial buffered) */
  get idle(): boolean {
    return this.state.kind === 'len4' && this.pendingBytes === 0;
  }

  private stepSize(): number {
    switch (this.state.kind) {
      case 'len4':
        return 4;
      case 'len8':
        return 8;
      case 'payload':
        return this.state.length;
    }
  }

  private drain(): Uint8Array {
    const parts = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    if (parts.length === 1) return parts[0].slice();
    return concatBytes(parts);
  }

  private advance(step: Uint8Array): void {
    switch (this.state.kind) {
      case 'len4': {
        const n = readUint32BE(step, 0) | 0; // signed, as Python's struct '!i'
        if (n === -1) {
          this.state = { kind: 'len8' };
          this.header4 = step;
          return;
        }
        if (n < 0) {
          throw new RpcError('E_PROTOCOL', `bad length prefix ${hex(step)}: negative length ${n}`, { header: hex(step) });
        }
        this.startPayload(BigInt(n), step);
        return;
      }
      case 'len8': {
        const header = new Uint8Array(12);
        header.set(this.header4);
        header.set(step, 4);
        this.startPayload(dataViewOf(step).getBigUint64(0), header);
        return;
      }
      case 'payload':
        this.ready.push({ header: this.state.header, payload: step });
        this.state = { kind: 'len4' };
        return;
    }
  }

  private startPayload(length: bigint, header: Uint8Array): void {
    if (length > BigInt(this.maxLength)) {
      throw new RpcError(
        'E_LIMIT',
        `the peer announced a message of ${length} bytes, over the limit of ${this.maxLength} bytes (length prefix ${hex(header)})`,
        { claimed: length.toString(), limit: this.maxLength },
      );
    }
    this.state = { kind: 'payload', length: Number(length), header };
    if (length === 0n) {
      this.ready.push({ header, payload: new Uint8Array(0) });
      this.state = { kind: 'len4' };
    }
  }
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** The framing layer of one message frame (header followed by payload). */
export function mpFramingLayer(headerLength: number, payloadLength: number): Layer {
  const large = headerLength === 12;
  return {
    kind: 'framing',
    title: `length prefix ${payloadLength}${large ? ' (large form)' : ''}`,
    range: [0, headerLength],
    fields: large
      ? [
          { name: 'marker', value: 'ff ff ff ff', range: [0, 4] },
          { name: 'length (u64 big-endian)', value: String(payloadLength), range: [4, 12] },
        ]
      : [{ name: 'length (i32 big-endian)', value: String(payloadLength), range: [0, 4] }],
  };
}
