// The wire view: frames of the selected connection in a virtualized list (paged from the host, so
// 100,000 frames cost only what is on screen), and one frame's hex dump beside its decoded layers.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FrameFilter, FrameSummary } from '../../../src/common/contract';
import { api } from '../host';
import { useStore } from '../store';
import { ConfirmButton } from './ConfirmButton';
import { FrameDetailView } from './FrameDetail';
import { fmtSince, fmtSize, fmtTime } from './frame-format';

const PAGE = 200;
const ROW_PX = 24;
const POLL_MS = 1000;

export function WirePanel() {
  const id = useStore((s) => s.selectedId);
  const callsMade = useStore((s) => s.callsMade);
  const [text, setText] = useState('');
  const [dir, setDir] = useState<'' | 'in' | 'out'>('');
  const callId = useStore((s) => s.wireCallId);
  const setCallId = useStore((s) => s.setWireCallId);
  const [total, setTotal] = useState(0);
  const [pages, setPages] = useState<Map<number, FrameSummary[]>>(new Map());
  /** the selected row (an index into the filtered list) and its frame's seq once the row is loaded */
  const [selIndex, setSelIndex] = useState<number>();
  const [selected, setSelected] = useState<number>();
  const [error, setError] = useState<string>();
  const inflight = useRef(new Set<number>());
  const parentRef = useRef<HTMLDivElement>(null);

  const filter: FrameFilter = {};
  if (text) filter.text = text;
  if (dir) filter.dir = dir;
  if (/^\d+$/.test(callId)) filter.callId = Number(callId);
  const filterKey = JSON.stringify([id, filter]);

  /** answers for an earlier filter or connection are dropped */
  const generation = useRef(filterKey);
  generation.current = filterKey;

  const fetchPage = useCallback(
    async (page: number) => {
      if (!id || inflight.current.has(page)) return;
      inflight.current.add(page);
      const r = await api['wire.page']({ connectionId: id, offset: page * PAGE, limit: PAGE, filter: JSON.parse(filterKey)[1] as FrameFilter });
      if (generation.current !== filterKey) return;
      inflight.current.delete(page);
      if (!r.ok) return setError(r.error.message);
      setError(undefined);
      setTotal(r.value.total);
      setPages((prev) => new Map(prev).set(page, r.value.frames));
    },
    [id, filterKey],
  );

  // a new filter or connection starts from scratch
  useEffect(() => {
    setPages(new Map());
    setTotal(0);
    setSelIndex(undefined);
    inflight.current.clear();
    void fetchPage(0);
  }, [fetchPage]);

  // new frames: refresh the count and the (possibly partial) last page
  useEffect(() => {
    const tick = () => {
      if (!id) return;
      void api['wire.page']({ connectionId: id, offset: 0, limit: 1, filter: JSON.parse(filterKey)[1] as FrameFilter }).then((r) => {
        if (!r.ok || generation.current !== filterKey) return;
        setTotal((old) => {
          if (r.value.total !== old) {
            const last = Math.floor(Math.max(0, old - 1) / PAGE);
            setPages((prev) => {
              const next = new Map(prev);
              for (const p of next.keys()) if (p >= last) next.delete(p);
              return next;
            });
          }
          return r.value.total;
        });
      });
    };
    tick();
    const t = setInterval(tick, POLL_MS);
    return () => clearInterval(t);
  }, [id, filterKey, callsMade]);

  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => parentRef.current, estimateSize: () => ROW_PX, overscan: 20 });
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    const needed = new Set(items.map((it) => Math.floor(it.index / PAGE)));
    for (const p of needed) if (!pages.has(p)) void fetchPage(p);
  }, [items, pages, fetchPage]);

  const rowAt = (i: number): FrameSummary | undefined => pages.get(Math.floor(i / PAGE))?.[i % PAGE];
  const selectedRow = selIndex === undefined ? undefined : rowAt(selIndex);
  useEffect(() => {
    if (selectedRow) setSelected(selectedRow.seq);
  }, [selectedRow]);

  /** ↑ ↓ PageUp PageDown Home End move the selection through the whole log */
  const onListKey = (e: KeyboardEvent) => {
    if (total === 0) return;
    const page = Math.max(1, Math.floor((parentRef.current?.clientHeight ?? ROW_PX * 10) / ROW_PX) - 1);
    const cur = selIndex ?? -1;
    const next: Record<string, number> = { ArrowDown: cur + 1, ArrowUp: cur - 1, PageDown: cur + page, PageUp: cur - page, Home: 0, End: total - 1 };
    if (!(e.key in next)) return;
    e.preventDefault();
    const idx = Math.max(0, Math.min(total - 1, next[e.key]));
    setSelIndex(idx);
    virtualizer.scrollToIndex(idx, { align: 'auto' });
  };

  if (!id) return <p className="empty">Select a connection to see its frames.</p>;
  return (
    <div className="wire">
      <div className="wire-list-pane">
        <div className="wire-filters" role="search" aria-label="Frame filters">
          <input id="frame-filter" type="search" aria-label="Filter frames" placeholder="Filter text (Ctrl+L)" value={text} onChange={(e) => setText(e.target.value)} />
          <select aria-label="Direction" value={dir} onChange={(e) => setDir(e.target.value as '' | 'in' | 'out')}>
            <option value="">both directions</option>
            <option value="out">→ sent</option>
            <option value="in">← received</option>
          </select>
          <input aria-label="Call number" placeholder="call #" inputMode="numeric" value={callId} onChange={(e) => setCallId(e.target.value)} size={6} />
          <span className="count" aria-live="polite">
            {total} frames
          </span>
          {(text !== '' || dir !== '' || callId !== '') && (
            <button
              aria-label="Clear the filters"
              onClick={() => {
                setText('');
                setDir('');
                setCallId('');
              }}
            >
              Show all
            </button>
          )}
          {/* the whole log of the connection goes, not just what the filters show */}
          <ConfirmButton
            label="Clear frames"
            question="Clear all frames?"
            onConfirm={() => {
              setSelected(undefined);
              setSelIndex(undefined);
              void api['wire.clear']({ connectionId: id }).then(() => {
                setPages(new Map());
                setTotal(0);
              });
            }}
          >
            Clear log
          </ConfirmButton>
        </div>
        {error && <p role="alert">{error}</p>}
        <div className="frame-header" aria-hidden="true">
          <span>#</span>
          <span>call</span>
          <span>dir</span>
          <span>size</span>
          <span>time</span>
          <span>bytes</span>
        </div>
        <div
          ref={parentRef}
          className="frame-scroller"
          role="listbox"
          aria-label="Frames"
          tabIndex={0}
          onKeyDown={onListKey}
          aria-activedescendant={selIndex === undefined ? undefined : `frame-row-${selIndex}`}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {items.map((it) => {
              const f = rowAt(it.index);
              const parity = f?.callId === undefined ? 'conn' : f.callId % 2 ? 'odd' : 'even';
              return (
                <div
                  key={it.key}
                  role="option"
                  id={`frame-row-${it.index}`}
                  aria-selected={it.index === selIndex}
                  aria-label={f ? `Frame ${f.seq} ${f.dir === 'out' ? 'sent' : 'received'} ${f.size} bytes${f.callId ? ` call ${f.callId}` : ''}` : 'loading'}
                  className={`frame-row ${f?.dir ?? ''} call-${parity} ${it.index === selIndex ? 'selected' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: it.size, transform: `translateY(${it.start}px)` }}
                  onClick={() => setSelIndex(it.index)}
                >
                  {f ? (
                    <>
                      <span>{f.seq}</span>
                      <span className="frame-call" title={f.callSource}>
                        {f.callId === undefined ? '—' : `#${f.callId} ${f.callSource ?? ''}`}
                      </span>
                      <span className="dir">{f.dir === 'out' ? '→' : '←'}</span>
                      <span>{fmtSize(f.size)}</span>
                      {/* a call's later frames: how long after its first (the reply's wait) */}
                      <span title={fmtTime(f.time)}>{f.sinceCall === undefined ? fmtTime(f.time) : `+${fmtSince(f.sinceCall)}`}</span>
                      <code>{f.preview}</code>
                    </>
                  ) : (
                    <span>…</span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      {selected !== undefined ? (
        <FrameDetailView connectionId={id} seq={selected} />
      ) : (
        <p className="empty" data-testid="frame-detail-hint">
          {total === 0 ? 'Frames appear here as calls are made.' : 'Select a frame (click it, or ↑/↓ in the list) to see its bytes and decoded layers.'}
        </p>
      )}
    </div>
  );
}
