// What the wire view shows: every chunk of bytes that went in or out of a connection, with the
// layers it decodes into. Layers point back into the bytes (ranges) so a selection in one view can
// highlight the other.

export type Direction = 'out' | 'in';

export type LayerKind =
  | 'framing' // length prefixes, channel headers
  | 'handshake' // authkey challenge / welcome
  | 'http' // request or status line and headers
  | 'pickle' // pickle opcodes (pickletools.dis)
  | 'json'
  | 'xml'
  | 'brine' // RPyC's brine encoding
  | 'rpyc' // RPyC message (seq, type, handler, args)
  | 'value' // the decoded Python value (repr)
  | 'note'; // anything else worth saying (compression, chunk of a larger message)

export interface LayerField {
  /** e.g. an opcode name `BININT1`, a header name, `length` */
  name: string;
  /** the rendered value */
  value: string;
  /** byte range [start, end) within Frame.bytes */
  range?: [number, number];
  /** nesting for tree-like layers (pickle dis indentation, XML depth) */
  depth?: number;
}

export interface Layer {
  kind: LayerKind;
  /** short title: `length prefix 35`, `pickle protocol 4`, `POST /RPC2 HTTP/1.1` */
  title: string;
  /** byte range [start, end) of this layer within Frame.bytes */
  range?: [number, number];
  /** full text rendering (pickletools-style listing, pretty XML/JSON, repr) */
  text?: string;
  fields?: LayerField[];
}

export interface Frame {
  /** per connection, from 1 */
  seq: number;
  /** the call this frame belongs to; absent for connection-level frames (handshake) */
  callId?: number;
  dir: Direction;
  /** wall-clock milliseconds (fractional) when the bytes were written or read */
  time: number;
  /** ms since the first frame of its call, for the call's later frames (how long the reply took) */
  sinceCall?: number;
  bytes: Uint8Array;
  /** decoded layers; computed on first use (decoding every frame eagerly would tax every call) */
  layers: LazyLayers;
}

export type LazyLayers = Layer[] | (() => Layer[]);

/** A frame's time: wall-clock ms to a fraction of a ms (Date.now() gives whole ms, and a loopback reply takes less) */
export function frameClock(): number {
  return performance.timeOrigin + performance.now();
}

/** What a client reports; the wire log adds seq and time. */
export interface FrameInput {
  callId?: number;
  dir: Direction;
  bytes: Uint8Array;
  layers: LazyLayers;
  time?: number;
}

/** The layers of a frame, decoding them on first use. A decoder failure becomes a note layer. */
/**
 * Fields one layer lists (a pickle's opcodes, a brine value's parts): a view of a large message
 * lists its start, and its value layer shows it all.
 */
export const MAX_LAYER_FIELDS = 10_000;

/** A layer title's note when its fields stop at MAX_LAYER_FIELDS. */
export const fieldsCutNote = `; the first ${MAX_LAYER_FIELDS.toLocaleString('en-US')} parts listed`;

export function resolveLayers(frame: { layers: LazyLayers }): Layer[] {
  if (typeof frame.layers !== 'function') return frame.layers;
  let layers: Layer[];
  try {
    layers = frame.layers();
  } catch (e) {
    layers = [{ kind: 'note', title: `could not decode: ${e instanceof Error ? e.message : String(e)}` }];
  }
  frame.layers = layers;
  return layers;
}

export type FrameSink = (frame: FrameInput) => void;
