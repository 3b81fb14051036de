// `--frames`: every frame as text on stderr (stdout stays the result): direction, time since the
// first frame, size, a hex dump of the first 256 bytes, and the decoded layers.
import { resolveLayers, type FrameInput, type FrameSink, type Layer } from '../common/frames';

const DUMP_LIMIT = 256;

export function hexDump(bytes: Uint8Array, limit = DUMP_LIMIT): string[] {
  const lines: string[] = [];
  const shown = bytes.subarray(0, limit);
  for (let off = 0; off < shown.length; off += 16) {
    const row = shown.subarray(off, off + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(4, '0')}  ${hex.padEnd(47)}  |${text}|`);
  }
  if (bytes.length > limit) lines.push(`      ... ${bytes.length - limit} more bytes not shown (first ${limit} of ${bytes.length})`);
  return lines;
}

function layerLines(layer: Layer): string[] {
  const range = layer.range ? ` [${layer.range[0]}..${layer.range[1]})` : '';
  const lines = [`${layer.kind}: ${layer.title}${range}`];
  // a layer's text is its full rendering; its fields only when it has none
  if (layer.text !== undefined) for (const l of layer.text.split('\n')) lines.push(`  ${l}`);
  else for (const f of layer.fields ?? []) lines.push(`${'  '.repeat((f.depth ?? 0) + 1)}${f.name}: ${f.value}`);
  return lines;
}

export function formatFrame(frame: FrameInput, sinceMs: number): string {
  const arrow = frame.dir === 'out' ? '→ sent' : '← received';
  const call = frame.callId === undefined ? '' : `  call ${frame.callId}`;
  const head = `${arrow}  +${sinceMs.toFixed(1)} ms  ${frame.bytes.length} bytes${call}`;
  const body = [...hexDump(frame.bytes), ...resolveLayers(frame).flatMap(layerLines)];
  return [head, ...body.map((l) => `    ${l}`)].join('\n');
}

/** A frame sink that prints each frame to `write` as it happens. */
export function framePrinter(write: (text: string) => void): FrameSink {
  let t0: number | undefined;
  return (frame) => {
    const now = frame.time ?? performance.timeOrigin + performance.now();
    t0 ??= now;
    write(`${formatFrame(frame, now - t0)}\n`);
  };
}
