// One frame: a hex dump beside the decoded layers. Selecting a layer field highlights its bytes;
// clicking a byte selects the innermost field that covers it. The frame's bytes (or the selected
// ones) copy as hex or as a Python bytes literal, to feed to a server or to pickletools by hand.
import { useEffect, useMemo, useState } from 'react';
import type { FrameDetail, LayerDto } from '../../../src/common/contract';
import { fromBase64 } from '../../../src/common/base64';
import { bytesRepr } from '../../../src/common/repr';
import { api } from '../host';
import { CopyButton } from './CopyButton';
import { LongText } from './LongText';
import { fmtSince, fmtTime } from './frame-format';

/** bytes drawn in the hex dump; the rest is summarized (the layers still cover everything) */
const HEX_LIMIT = 16 * 1024;

type Range = [number, number];
interface FieldRef {
  layer: number;
  field: number;
  range: Range;
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
const HEX = Array.from({ length: 256 }, (_, b) => hex2(b));

/** `8c 03 61`: joined 64 KB at a time, so a frame of many MB never holds a string per byte. */
function hexText(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let off = 0; off < bytes.length; off += 65_536) {
    const chunk = bytes.subarray(off, off + 65_536);
    let text = '';
    for (const b of chunk) text += HEX[b] + ' ';
    parts.push(text);
  }
  return parts.join('').slice(0, -1);
}

function HexDump({ bytes, sel, onPick }: { bytes: Uint8Array; sel?: Range; onPick(i: number): void }) {
  const rows: number[] = [];
  for (let off = 0; off < Math.min(bytes.length, HEX_LIMIT); off += 16) rows.push(off);
  const inSel = (i: number) => sel !== undefined && i >= sel[0] && i < sel[1];
  return (
    <div className="hexdump" aria-label="Hex dump" role="grid">
      {rows.map((off) => {
        const chunk = Array.from(bytes.subarray(off, Math.min(off + 16, bytes.length)));
        return (
          <div key={off} className="hex-row" role="row">
            <span className="hex-off">{off.toString(16).padStart(8, '0')}</span>
            <span className="hex-bytes">
              {chunk.map((b, j) => (
                <span key={j} role="gridcell" className={inSel(off + j) ? 'hl' : ''} onClick={() => onPick(off + j)}>
                  {hex2(b)}
                </span>
              ))}
            </span>
            <span className="hex-ascii">
              {chunk.map((b, j) => (
                <span key={j} className={inSel(off + j) ? 'hl' : ''} onClick={() => onPick(off + j)}>
                  {b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.'}
                </span>
              ))}
            </span>
          </div>
        );
      })}
      {bytes.length > HEX_LIMIT && <p className="note">first {HEX_LIMIT} of {bytes.length} bytes shown</p>}
    </div>
  );
}

function Layer({ layer, index, selected, onSelect }: { layer: LayerDto; index: number; selected?: FieldRef; onSelect(f: FieldRef | Range): void }) {
  return (
    <section className={`layer layer-${layer.kind}`} aria-label={`Layer ${layer.kind}: ${layer.title}`}>
      <h4>
        <button className="layer-title" onClick={() => layer.range && onSelect(layer.range)} aria-label={`Highlight ${layer.title}`}>
          <span className="badge">{layer.kind}</span> {layer.title}
        </button>
      </h4>
      {layer.fields && layer.fields.length > 0 && (
        <ol className="fields">
          {layer.fields.map((f, j) => {
            const isSel = selected?.layer === index && selected.field === j;
            return (
              <li key={j} style={{ paddingLeft: `${(f.depth ?? 0) * 12}px` }} className={isSel ? 'selected' : ''}>
                <button onClick={() => f.range && onSelect({ layer: index, field: j, range: f.range })} aria-pressed={isSel}>
                  {f.range && <span className="field-off">{f.range[0]}</span>} <span className="field-name">{f.name}</span>{' '}
                  <span className="field-value">{f.value}</span>
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {layer.text && <LongText text={layer.text} className="layer-text" />}
    </section>
  );
}

export function FrameDetailView({ connectionId, seq }: { connectionId: string; seq: number }) {
  const [detail, setDetail] = useState<FrameDetail>();
  const [error, setError] = useState<string>();
  const [sel, setSel] = useState<Range>();
  const [selField, setSelField] = useState<FieldRef>();

  useEffect(() => {
    setSel(undefined);
    setSelField(undefined);
    void api['wire.detail']({ connectionId, seq }).then((r) => {
      if (r.ok) {
        setDetail(r.value);
        setError(undefined);
      } else setError(r.error.message);
    });
  }, [connectionId, seq]);

  const bytes = useMemo(() => (detail ? (fromBase64(detail.bytesB64) ?? new Uint8Array()) : new Uint8Array()), [detail]);

  const fields = useMemo(() => {
    const out: FieldRef[] = [];
    detail?.layers.forEach((l, li) => l.fields?.forEach((f, fi) => f.range && out.push({ layer: li, field: fi, range: f.range })));
    return out;
  }, [detail]);

  const select = (f: FieldRef | Range) => {
    if (Array.isArray(f)) {
      setSel(f);
      setSelField(undefined);
    } else {
      setSel(f.range);
      setSelField(f);
    }
  };
  const pickByte = (i: number) => {
    // the innermost field: the narrowest range containing the byte
    let best: FieldRef | undefined;
    for (const f of fields) {
      if (i >= f.range[0] && i < f.range[1] && (!best || f.range[1] - f.range[0] < best.range[1] - best.range[0])) best = f;
    }
    if (best) select(best);
    else setSel([i, i + 1]);
  };

  if (error) return <p role="alert">{error}</p>;
  if (!detail) return <p className="empty">Loading frame {seq}…</p>;
  const copied = () => (sel ? bytes.subarray(sel[0], sel[1]) : bytes);
  const what = sel ? `bytes ${sel[0]}-${sel[1]}` : 'frame';
  return (
    <section className="frame-detail" aria-label={`Frame ${seq} detail`}>
      <header>
        <span>
          Frame {detail.seq} · {detail.dir === 'out' ? 'sent' : 'received'} {fmtTime(detail.time)}
          {detail.sinceCall !== undefined && ` (+${fmtSince(detail.sinceCall)} into the call)`} · {detail.size} bytes
          {detail.callId !== undefined && ` · call #${detail.callId}`}
          {detail.callSource && (
            <>
              {' · '}
              <code>{detail.callSource}</code>
            </>
          )}
        </span>
        <span className="copy-bytes">
          <CopyButton text={() => hexText(copied())} label={`Copy the ${what} as hex`} caption="Copy hex" />
          <CopyButton text={() => bytesRepr(copied())} label={`Copy the ${what} as a Python bytes literal`} caption="Copy b''" />
        </span>
      </header>
      <div className="detail-panes">
        <HexDump bytes={bytes} sel={sel} onPick={pickByte} />
        <div className="layers" aria-label="Decoded layers">
          {detail.layers.map((l, i) => (
            <Layer key={i} layer={l} index={i} selected={selField} onSelect={select} />
          ))}
        </div>
      </div>
    </section>
  );
}
