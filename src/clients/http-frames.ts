// Frames of an RPC-over-HTTP exchange: the request and the response bytes exactly as they crossed,
// each with an http layer (start line, headers), the body layer (pretty XML or JSON) and the value.
import { frameClock, type FrameSink, type Layer } from '../common/frames';
import { httpLayer, type HttpResponse } from '../transport/http';

/** Renders the (decoded) body of a message into its body and value layers. */
export type BodyLayers = (body: Uint8Array, range: [number, number]) => Layer[];

export function emitRequestFrame(sink: FrameSink | undefined, callId: number | undefined, bytes: Uint8Array, body: BodyLayers): void {
  if (!sink) return;
  sink({
    callId,
    dir: 'out',
    bytes,
    time: frameClock(),
    layers: () => {
      const http = httpLayer(bytes);
      const start = http.range?.[1] ?? 0;
      return [http, ...body(bytes.subarray(start), [start, bytes.length])];
    },
  });
}

export function emitResponseFrame(sink: FrameSink | undefined, callId: number | undefined, res: HttpResponse, body: BodyLayers): void {
  if (!sink) return;
  sink({
    callId,
    dir: 'in',
    bytes: res.raw,
    time: frameClock(),
    layers: () => {
      const range: [number, number] = [res.headLength, res.raw.length];
      const layers: Layer[] = [httpLayer(res.raw, res.headLength)];
      if (res.contentEncoding) {
        layers.push({ kind: 'note', title: `${res.contentEncoding}: ${range[1] - range[0]} bytes on the wire, ${res.body.length} decoded`, range });
      }
      return [...layers, ...body(res.body, range)];
    },
  });
}
