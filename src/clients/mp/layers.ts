// Decoded layers of pickle:// and mpjson:// messages for the wire view: the pickle(s) and the value.
// Computed only when a frame is looked at.
import { fieldsCutNote, MAX_LAYER_FIELDS, type Layer } from '../../common/frames';
import { repr } from '../../common/repr';
import { decodePickle } from '../../codecs/pickle';
import { disassemblePickle } from '../../codecs/pickle/disassemble';
import { jsonToPy } from '../../codecs/json-value';
import { unwrapInnerPickle, jsonTextOf } from './unwrap';

function protocolOf(p: Uint8Array): number {
  return p[0] === 0x80 && p.length > 1 ? p[1] : 0;
}

function indexOf(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** pickletools.dis of `bytes`, which sit at `start` in the frame (its start, for a large pickle). */
function pickleLayer(bytes: Uint8Array, start: number, what: string): Layer {
  const dis = disassemblePickle(bytes, 0, MAX_LAYER_FIELDS);
  const listed = dis.stoppedAt === undefined ? '' : fieldsCutNote;
  return {
    kind: 'pickle',
    title: `pickle protocol ${protocolOf(bytes)} (${what}, ${bytes.length} bytes${listed})`,
    range: [start, start + bytes.length],
    text: dis.text.trimEnd(),
    fields: dis.ops.map((op) => ({
      name: op.name,
      value: [op.arg, op.memo].filter((x) => x !== undefined).join(' '),
      range: [start + op.offset, start + op.offset + op.length],
      depth: op.depth,
    })),
  };
}

export function pickleLayers(payload: Uint8Array, base: number, wrap: boolean): Layer[] {
  const layers: Layer[] = [];
  const outer = decodePickle(payload);
  const inner = wrap ? unwrapInnerPickle(outer) : undefined;
  layers.push(pickleLayer(payload, base, inner ? 'outer: send() of pickle.dumps bytes' : 'send()'));
  let value = outer;
  if (inner) {
    const at = indexOf(payload, inner.bytes);
    layers.push(pickleLayer(inner.bytes, base + Math.max(0, at), 'inner: pickle.dumps'));
    value = inner.value;
  }
  layers.push({ kind: 'value', title: 'value', text: repr(value), range: [base, base + payload.length] });
  return layers;
}

export function jsonLayers(payload: Uint8Array, base: number): Layer[] {
  const text = jsonTextOf(payload);
  return [
    pickleLayer(payload, base, 'send() of a str'),
    { kind: 'json', title: `JSON text (${text.length} characters)`, text, range: [base, base + payload.length] },
    { kind: 'value', title: 'value', text: repr(jsonToPy(text)) },
  ];
}
