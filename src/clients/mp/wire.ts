// Messages over a multiprocessing.connection socket: send_bytes / recv_bytes with the length-prefix
// framing, every message recorded as one frame (prefix + payload) with lazily decoded layers.
import { RpcError } from '../../common/errors';
import type { FrameSink, Layer } from '../../common/frames';
import { MpFrameDecoder, encodeMpFrame, mpFramingLayer } from '../../codecs/mp-framing';
import { concatBytes } from '../../codecs/bytes';
import { PEER_HEAD_BYTES, withPeerHint } from '../../codecs/peer-sniff';
import type { ReadOptions, TcpConnection } from '../../transport/tcp';

/** Layers of a payload; `base` is the payload's offset in the frame, for byte ranges. */
export type DescribePayload = (payload: Uint8Array, base: number) => Layer[];

export interface FrameTag {
  callId?: number;
  describe?: DescribePayload;
}

export class MpWire {
  constructor(
    readonly tcp: TcpConnection,
    private readonly onFrame?: FrameSink,
  ) {}

  async sendBytes(payload: Uint8Array, tag: FrameTag = {}): Promise<void> {
    const frame = encodeMpFrame(payload);
    this.record('out', frame, frame.length - payload.length, tag);
    await this.tcp.write(frame);
  }

  /** One message; E_LIMIT when the prefix announces more than `maxLength`. */
  async recvBytes(maxLength: number, opts: ReadOptions & FrameTag = {}): Promise<Uint8Array> {
    const decoder = new MpFrameDecoder(maxLength);
    let msg = decoder.take();
    while (!msg) {
      const need = decoder.need();
      // a small reply arrives with its prefix in one chunk: take the payload without waiting
      // (progress is of the payload, not of the length prefix before it)
      const readOpts = decoder.inPayload || !opts.onProgress ? opts : { ...opts, onProgress: undefined };
      const bytes = this.tcp.takeBuffered(need) ?? (await this.tcp.readExactly(need, readOpts));
      try {
        decoder.feed(bytes);
      } catch (e) {
        // a length prefix that makes no sense may be another protocol's first bytes
        throw withPeerHint(e, concatBytes([bytes, this.tcp.peekBuffered(PEER_HEAD_BYTES)]));
      }
      msg = decoder.take();
    }
    if (this.onFrame) {
      // the frame's bytes as they crossed (prefix + payload), only when someone records them
      this.record('in', concatBytes([msg.header, msg.payload]), msg.header.length, opts);
    }
    return msg.payload;
  }

  private record(dir: 'in' | 'out', frame: Uint8Array, headerLength: number, tag: FrameTag): void {
    if (!this.onFrame) return;
    const describe = tag.describe;
    this.onFrame({
      callId: tag.callId,
      dir,
      bytes: frame,
      layers: () => {
        // the payload is the frame's tail: a logged frame keeps one buffer, not two
        const payload = frame.subarray(headerLength);
        const layers: Layer[] = [mpFramingLayer(headerLength, payload.length)];
        if (describe) {
          try {
            layers.push(...describe(payload, headerLength));
          } catch (e) {
            layers.push({ kind: 'note', title: `could not decode: ${e instanceof Error ? e.message : String(e)}` });
          }
        }
        return layers;
      },
    });
  }
}

/** Re-throw an E_CLOSED read failure with a message saying what we were doing. */
export function closedDuring(e: unknown, what: string, hint?: string): unknown {
  if (e instanceof RpcError && e.code === 'E_CLOSED') {
    return new RpcError('E_CLOSED', `the server closed the connection ${what}${hint ? ` (${hint})` : ''}`, e.detail);
  }
  return e;
}
