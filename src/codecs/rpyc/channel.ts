// RPyC's channel frame (rpyc/core/channel.py): a u32 big-endian payload length, a u8 compressed flag,
// the payload, then a '\n' the length does not count (it flushes line-buffered transports).
// Senders zlib-compress payloads over 3000 bytes; decompression is the caller's (no zlib in pure
// code): pass an `inflate` function to the frame readers that need one.
import { RpcError } from '../../common/errors';
import type { Layer } from '../../common/frames';
import { readUint32BE, writeUint32BE } from '../bytes';

export const FRAME_HEADER_SIZE = 5;
export const FLUSHER = 0x0a;
/** Python compresses payloads larger than this (we never need to: uncompressed is always accepted). */
export const COMPRESSION_THRESHOLD = 3000;

export interface FrameHeader {
  /** payload length, excluding the header and the trailing newline */
  length: number;
  compressed: boolean;
}

/** Parse the 5-byte header. Throws E_DECODE on a flag that is neither 0 nor 1, E_LIMIT past `maxLength`. */
export function decodeFrameHeader(header: Uint8Array, maxLength = Infinity): FrameHeader {
  if (header.length < FRAME_HEADER_SIZE) {
    throw new RpcError('E_DECODE', `rpyc frame header needs ${FRAME_HEADER_SIZE} bytes, got ${header.length}`);
  }
  const length = readUint32BE(header, 0);
  const flag = header[4];
  if (flag > 1) throw new RpcError('E_DECODE', `rpyc frame header: compressed flag is ${flag}, expected 0 or 1`);
  if (length > maxLength) {
    throw new RpcError('E_LIMIT', `rpyc frame of ${length} bytes exceeds the limit of ${maxLength} bytes`, { length });
  }
  return { length, compressed: flag === 1 };
}

/** Check the byte after the payload: Python always writes '\n' there. */
export function checkFlusher(byte: number | undefined, offset: number): void {
  if (byte !== FLUSHER) {
    const seen = byte === undefined ? 'nothing' : `0x${byte.toString(16).padStart(2, '0')}`;
    throw new RpcError('E_DECODE', `rpyc frame: expected '\\n' after the payload at offset ${offset}, found ${seen}`);
  }
}

/** header + payload + '\n'. `payload` is sent as given; set `compressed` when it is zlib data. */
export function encodeFrame(payload: Uint8Array, compressed = false): Uint8Array {
  const out = new Uint8Array(FRAME_HEADER_SIZE + payload.length + 1);
  writeUint32BE(out, 0, payload.length);
  out[4] = compressed ? 1 : 0;
  out.set(payload, FRAME_HEADER_SIZE);
  out[out.length - 1] = FLUSHER;
  return out;
}

export type Inflate = (data: Uint8Array) => Uint8Array;

/** The payload of one complete frame (`frame` = header + payload + '\n'), decompressed when flagged. */
export function framePayload(frame: Uint8Array, inflate?: Inflate): Uint8Array {
  const h = decodeFrameHeader(frame);
  const end = FRAME_HEADER_SIZE + h.length;
  if (frame.length < end + 1) throw new RpcError('E_DECODE', `rpyc frame truncated: ${frame.length} of ${end + 1} bytes`);
  checkFlusher(frame[end], end);
  const body = frame.subarray(FRAME_HEADER_SIZE, end);
  if (!h.compressed) return body;
  if (!inflate) throw new RpcError('E_UNSUPPORTED', 'rpyc frame is zlib-compressed and no decompressor was given');
  return inflate(body);
}

/** The framing layer of a frame for the wire view. */
export function framingLayer(frame: Uint8Array): Layer {
  const h = decodeFrameHeader(frame);
  const end = FRAME_HEADER_SIZE + h.length;
  return {
    kind: 'framing',
    title: `rpyc frame, ${h.length} bytes${h.compressed ? ', zlib-compressed' : ''}`,
    range: [0, Math.min(frame.length, end + 1)],
    fields: [
      { name: 'length', value: String(h.length), range: [0, 4] },
      { name: 'compressed', value: h.compressed ? '1 (zlib)' : '0', range: [4, 5] },
      { name: 'payload', value: `${h.length} bytes`, range: [FRAME_HEADER_SIZE, end] },
      { name: 'flusher', value: frame[end] === FLUSHER ? "'\\n'" : 'missing', range: [end, end + 1] },
    ],
  };
}
